"""The catalog as a Markdown list grouped like the source article: Chinese LLMs, other open LLMs,
and LLM tools, each a table of name, organization, sizes, license and link."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from llmlist import licenses
from llmlist.sizes import format_size
from llmlist.vocab import MODEL_KINDS

if TYPE_CHECKING:
    from llmlist.catalog import Catalog, Record


class _Words(NamedTuple):
    title: str
    sections: tuple[str, str, str]
    columns: tuple[str, ...]
    total: str


_TEXT = {
    "en": _Words(
        "Open LLMs and LLM tools",
        ("Chinese LLMs", "Open LLMs", "LLM tools"),
        ("Name", "Organization", "Sizes", "License", "Link"),
        "{n} entries",
    ),
    "zh": _Words(
        "开源大语言模型与工具",
        ("开源中文 LLM", "开源 LLM", "LLM 相关工具"),
        ("名称", "机构", "参数规模", "许可证", "链接"),
        "共 {n} 项",
    ),
}


def section_of(entry: Record) -> int:
    """0 for a Chinese model (a Chinese organization, or Chinese first), 1 another model, 2 a tool."""
    if entry["kind"] not in MODEL_KINDS:
        return 2
    chinese = entry["country"] == "CN" or (entry["languages"][:1] == ["zh"])
    return 0 if chinese else 1


def markdown(catalog: Catalog, lang: str = "en") -> str:
    """The whole catalog as Markdown: a heading and a table per section, entries by name."""
    text = _TEXT[lang]
    sections: list[list[Record]] = [[], [], []]
    for entry in catalog.entries:
        sections[section_of(entry)].append(entry)
    lines = [f"## {text.title}", "", text.total.format(n=len(catalog)), ""]
    for heading, entries in zip(text.sections, sections, strict=True):
        if not entries:
            continue
        lines += [f"### {heading}", "", "| " + " | ".join(text.columns) + " |", "|---|---|---|---|---|"]
        for entry in sorted(entries, key=lambda e: e["name"].casefold()):
            lines.append("| " + " | ".join(_cell(value) for value in _row(entry, lang)) + " |")
        lines.append("")
    return "\n".join(lines)


def _row(entry: Record, lang: str) -> tuple[str, ...]:
    name = entry["name"] + (f" ({entry['name_zh']})" if entry["name_zh"] else "")
    if lang == "zh" and entry["name_zh"]:
        name = f"{entry['name_zh']} ({entry['name']})"
    sizes = sorted({v["params"] for v in entry["variants"] if v["params"]})
    terms = [v["license"] or entry["license"] for v in entry["variants"]] or [entry["license"]]
    model = entry["kind"] in MODEL_KINDS
    license_ = "; ".join(
        dict.fromkeys(licenses.label(t["code"], t["weights"], model) for t in terms if t["code"] or t["weights"])
    )
    link = entry["links"]["repository"] or entry["links"]["homepage"] or entry["sources"][0]["url"]
    return (
        f"**{name}** (`{entry['id']}`)",
        entry["organization"] or "",
        ", ".join(format_size(p) for p in sizes),
        license_,
        f"<{link}>",
    )


def _cell(value: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(value.split()).replace("|", "\\|")
