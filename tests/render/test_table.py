from __future__ import annotations

import io
from typing import Any

from rich.console import Console

from llmlist.catalog import Catalog
from llmlist.query import Filters, SortKey, search
from llmlist.render import OutputFormat, Target, render, render_entry


def printed(renderable: object, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None, record=True)
    console.print(renderable)
    return console.export_text()


def test_table_shows_names_sizes_and_chinese_names(small_catalog: Catalog) -> None:
    text = printed(render(search(small_catalog, sort=SortKey.NAME), OutputFormat.TABLE, target=Target(width=100)), 100)
    lines = text.splitlines()
    assert lines[0].split() == ["ID", "Name", "Params", "Lang", "License", "Released", "Organization"]
    assert "alpha-6b" in lines[2] and "6.2B" in lines[2] and "Alpha Model License ✓" in lines[2]
    assert "阿尔法" in lines[3]
    assert "6.7B, 13B, 65.2B" in text


def test_table_shows_only_matching_checkpoints(small_catalog: Catalog) -> None:
    hits = search(small_catalog, ["beta"], Filters(max_params=13_000_000_000))
    text = printed(render(hits, OutputFormat.TABLE, target=Target(width=100)), 100)
    assert "6.7B, 13B" in text and "65.2B" not in text


def test_narrow_table_drops_columns_but_never_cuts_ids(small_catalog: Catalog) -> None:
    for width in (30, 40, 60):
        text = printed(render(search(small_catalog), OutputFormat.TABLE, target=Target(width=width)), width)
        assert all(len(line) <= width for line in text.splitlines())
        for entry_id in ("alpha-6b", "beta", "gamma-med", "delta-kit"):
            assert any(line.startswith(entry_id) for line in text.splitlines()), (width, text)


def test_entry_view_shows_every_field(small_catalog: Catalog) -> None:
    hit = search(small_catalog, ["alpha-6b"])[0]
    text = printed(render_entry(hit, OutputFormat.TABLE), 120)
    for expected in (
        "Alpha-6B",
        "阿尔法",
        "AlphaChat",
        "Alpha Lab",
        "CN (China / 中国)",
        "2023-03",
        "zh (Chinese)",
        "Chat",
        "Apache-2.0",
        "Alpha Model License",
        "Register through a form first.",
        "6.2B",
        "6,200,000,000",
        "2048",
        "alpha/alpha-6b",
        "int4",
        "6 GB",
        "bilingual chat model",
        "https://github.com/alpha/alpha",
        "params, license, requirements",
    ):
        assert expected in text, expected


def test_entry_view_in_chinese(small_catalog: Catalog) -> None:
    hit = search(small_catalog, ["alpha-6b"])[0]
    text = printed(render_entry(hit, OutputFormat.TABLE, target=Target(locale="zh")), 120)
    for expected in ("语言模型", "zh (中文)", "对话", "中英双语对话模型"):
        assert expected in text, expected
    assert "bilingual chat model" not in text


def test_entry_view_gives_memory_per_checkpoint(small_catalog: Catalog) -> None:
    text = printed(render_entry(search(small_catalog, ["beta"])[0], OutputFormat.TABLE), 120)
    row = next(line for line in text.splitlines() if line.strip().startswith("Beta-7B ") and "GB" in line)
    # 6.7e9 parameters at 32, 16, 8, 4.16 (int4) and 4.84 (q4_k_m) bits, plus 0.28 GB of KV cache for
    # 4096 tokens (Beta has no architecture: a dense 6.7B model's shape is assumed, 32.4 layers of
    # 519 key and 519 value values a token, 8 query heads sharing each key/value head) and the
    # runtime, 1.8 GB: 26.8 + 0.28 + 1.8 = 28.9, 13.4 + 0.28 + 1.8 = 15.5, ...
    # first the KV cache column: the 0.28 GB in every one of them
    assert row.split()[1:] == ["≈0.3", "GB", "≈28.9", "GB", "≈15.5", "GB", "≈8.8", "GB", "≈5.6", "GB", "≈6.1", "GB"]
    assert "Memory for inference with a 4k context" in text
    alpha = printed(render_entry(search(small_catalog, ["alpha-6b"])[0], OutputFormat.TABLE), 120)
    row = next(line for line in alpha.splitlines() if line.strip().startswith("Alpha-6B ") and "≈" in line)
    assert row.split()[-4:-2] == ["6.0", "GB"]  # int4: stated by the source, not estimated


def test_markup_and_escapes_in_catalog_text_stay_literal() -> None:
    from llmlist.query import Hit

    entry: dict[str, Any] = {
        "id": "evil",
        "name": "[bold red]Evil[/]",
        "name_zh": None,
        "aliases": [],
        "kind": "framework",
        "organization": "\x1b]0;pwned\x07Org",
        "country": None,
        "released": None,
        "languages": [],
        "categories": [],
        "base_model": None,
        "part_of": None,
        "variants": [],
        "license": {
            "code": "\x1b[31mMIT",
            "weights": None,
            "commercial_use": None,
            "conditions": None,
            "history": None,
            "url": None,
        },
        "links": {
            "homepage": "https://x.org/[link=file:///etc/passwd]x[/link]",
            "repository": None,
            "paper": None,
            "docs": None,
            "huggingface": [],
        },
        "requirements": [],
        "summary": {"en": "[link=file:///etc/passwd]click[/link]", "zh": "\u202eabc"},
        "notes": [],
        "sources": [{"url": "https://x.org", "supports": ["name"], "note": None}],
    }
    hit = Hit.of(entry, 0.0, ())
    for renderable in (
        render([hit], OutputFormat.TABLE, target=Target(width=200)),
        render_entry(hit, OutputFormat.TABLE),
    ):
        screen = io.StringIO()
        console = Console(width=200, file=screen, force_terminal=True, color_system="truecolor")
        console.print(renderable)
        out = screen.getvalue()
        assert "[bold red]Evil[/]" in out or "[link=file:///etc/passwd]click[/link]" in out
        assert "\x1b]0;pwned" not in out and "\x1b]8;" not in out and "\u202e" not in out
        assert "\\x1b]0;pwned\\x07Org" in out or "\\x1b[31mMIT" in out
