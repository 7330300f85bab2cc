from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

import pytest
from rich.console import Console

from llmlist.catalog import Catalog, effective_variant
from llmlist.errors import UsageError
from llmlist.query import Filters, search
from llmlist.render import OutputFormat, Target, parse_fields, render, render_entry
from llmlist.render.fields import FIELDS, JSON_DEFAULT, RECORD_KEYS
from llmlist.render.inert import inert


def as_text(result: object, width: int = 100) -> str:
    if isinstance(result, str):
        return result
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(result)
    return console.export_text()


def with_effective_variants(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The record as JSON shows it: each checkpoint with its effective values."""
    return {**entry, "variants": [effective_variant(v, entry) for v in entry["variants"]]}


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_format_renders_every_entry(small_catalog: Catalog, fmt: OutputFormat) -> None:
    hits = search(small_catalog)
    text = as_text(render(hits, fmt))
    for hit in hits:
        assert hit.entry["id"] in text
    for hit in hits:
        assert hit.entry["id"] in as_text(render_entry(hit, fmt))


def test_json_is_an_array_of_whole_records_with_stable_keys(small_catalog: Catalog) -> None:
    data = json.loads(render(search(small_catalog, [], Filters(max_params=13_000_000_000)), OutputFormat.JSON))
    assert [list(record) for record in data] == [list(JSON_DEFAULT)] * len(data)
    beta = next(r for r in data if r["id"] == "beta")
    assert beta["variants"][1] == {
        "name": "Beta-13B", "params": 13_000_000_000, "active_params": None, "context": None, "dimensions": None,
        "vocab_size": None, "training_tokens": None, "nominal": False, "huggingface": None,
        "released": "2023-02", "base_model": None, "languages": ["en"],
        "license": {"code": "GPL-3.0-only", "weights": "Beta Research License", "commercial_use": False,
                    "conditions": None, "history": None, "url": None},
        "precision": None, "layers": None, "hidden_size": None, "attention_heads": None, "kv_heads": None,
        "head_dim": None, "attention_layers": None, "sliding_layers": None, "sliding_window": None,
        "full_kv_width": None, "kv_lora_rank": None, "rope_head_dim": None, "note": None,
    }  # fmt: skip
    assert beta["matched_variants"] == ["Beta-7B", "Beta-13B"]


def test_json_records_equal_the_catalog_records(small_catalog: Catalog) -> None:
    hits = search(small_catalog)
    data = json.loads(render(hits, OutputFormat.JSON))
    for hit, record in zip(hits, data, strict=True):
        assert {key: record[key] for key in RECORD_KEYS} == with_effective_variants(hit.entry)


def test_show_json_is_one_object(small_catalog: Catalog) -> None:
    hit = search(small_catalog, ["beta"])[0]
    matched = {"matched_variants": ["Beta-7B", "Beta-13B", "Beta-65B"]}
    assert json.loads(render_entry(hit, OutputFormat.JSON)) == {**with_effective_variants(hit.entry), **matched}


def test_jsonl_has_one_record_per_line(small_catalog: Catalog) -> None:
    lines = render(search(small_catalog), OutputFormat.JSONL).splitlines()
    assert [json.loads(line)["id"] for line in lines] == [h.entry["id"] for h in search(small_catalog)]


def test_fields_choose_keys_and_columns(small_catalog: Catalog) -> None:
    hits = search(small_catalog, ["beta"])
    assert json.loads(render(hits[:1], OutputFormat.JSON, ("id", "params"))) == [
        {"id": "beta", "params": [6_700_000_000, 13_000_000_000, 65_200_000_000]}
    ]
    rows = list(csv.reader(io.StringIO(render(hits[:1], OutputFormat.CSV, ("id", "params", "license")))))
    assert rows == [
        ["id", "params", "license"],
        ["beta", "6.7B, 13B, 65.2B", "code GPL-3.0-only; weights Beta Research License"],
    ]


def test_unknown_field_is_a_usage_error_listing_fields() -> None:
    with pytest.raises(UsageError, match="unknown field 'size'.*id, name"):
        parse_fields("id,size")
    with pytest.raises(UsageError):
        parse_fields(" , ")
    assert parse_fields("id, name,id") == ("id", "name")


def test_tsv_keeps_one_record_per_line(small_catalog: Catalog) -> None:
    from llmlist.query import Hit

    entry = {**small_catalog["beta"], "id": "x", "name": "a\tb\nc\\d"}
    assert render([Hit.of(entry)], OutputFormat.TSV, ("id", "name")) == "id\tname\nx\ta\\tb\\nc\\\\d\n"


def test_ids_format_prints_ids_only(small_catalog: Catalog) -> None:
    assert render(search(small_catalog, sort=__import__("llmlist.query").query.SortKey.NAME), OutputFormat.IDS) == (
        "alpha-6b\nbeta\ndelta-kit\ngamma-med\n"
    )


def test_ascii_only_json_is_still_the_same_json(small_catalog: Catalog) -> None:
    hits = search(small_catalog)
    plain, escaped = render(hits, OutputFormat.JSON), render(hits, OutputFormat.JSON, target=Target(ascii_only=True))
    assert escaped.isascii() and not plain.isascii()
    assert json.loads(plain) == json.loads(escaped)


def test_every_field_has_a_title_and_renders(small_catalog: Catalog) -> None:
    for hit in search(small_catalog):
        for name, field in FIELDS.items():
            assert field.title, name
            assert isinstance(field.text(hit.entry, hit, Target()), str)
            json.dumps(field.value(hit.entry, hit, Target()))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31mred", "\\x1b[31mred"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("abc\u202edef", "abc\\u202edef"),
        ("[bold red]x[/]", "[bold red]x[/]"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
    ],
)
def test_inert_escapes_controls_and_keeps_the_rest(text: str, shown: str) -> None:
    assert inert(text) == shown


@pytest.mark.parametrize("pretty", [True, False])
def test_json_written_record_by_record_equals_the_whole_list(small_catalog: Catalog, pretty: bool) -> None:
    from llmlist.render.json import record

    hits = search(small_catalog)
    whole = json.dumps([record(h, JSON_DEFAULT) for h in hits], ensure_ascii=False, indent=2 if pretty else None)
    assert render(hits, OutputFormat.JSON, target=Target(pretty=pretty)) == whole + "\n"
    assert render([], OutputFormat.JSON, target=Target(pretty=pretty)) == "[]\n"


def test_only_records_with_terminal_active_text_are_scanned(small_catalog: Catalog) -> None:
    from llmlist.query import Hit

    beta = small_catalog["beta"]
    assert Hit.of(beta).facts.plain
    hostile = {**beta, "summary": {"en": "x\u202ey\x85z", "zh": "中"}}
    assert not Hit.of(hostile).facts.plain
    text = render([Hit.of(hostile)], OutputFormat.JSON, ("summary",))
    assert "\\u202e" in text and "\\u0085" in text and "\u202e" not in text
    assert json.loads(text)[0]["summary"]["en"] == "x\u202ey\x85z"
