"""Rich output for people: the detail view of one entry, its sources, and plain rows as a table.

Catalog text is always wrapped in `Text` (never parsed as markup) and made inert first: control
characters and bidirectional overrides are shown as visible escapes, so nothing in a catalog can
style, retitle or reorder the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from llmlist import hardware, vocab
from llmlist.render.fields import commercial_text, is_model, license_text
from llmlist.render.inert import capped, inert
from llmlist.sizes import format_context, format_size

if TYPE_CHECKING:
    from llmlist.query import Hit
    from llmlist.render.target import Target


def safe(text: str, style: str = "") -> Text:
    """Catalog text as Rich shows it: inert, literal (no markup), and capped in length."""
    return Text(inert(capped(text)), style=style)


def entry_view(hit: Hit, target: Target) -> RenderableType:
    """Every field of one entry, readable; summary and names of categories in the target's language."""
    entry = hit.entry
    title = safe(entry["name"], "bold")
    if entry["name_zh"]:
        title.append("  " + inert(entry["name_zh"]), style="bold")
    title.append(f"  ({entry['id']})", style="dim")

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")

    labels: list[str] = []

    def fact(label: str, value: str | Text | None) -> None:
        if value:
            labels.append(label)
            facts.add_row(label, value if isinstance(value, Text) else safe(value))

    zh = target.locale == "zh"
    if entry["variants"] and len(hit.matched_variants) < len(entry["variants"]):
        fact("Checkpoint", ", ".join(hit.matched_variants))  # the one asked for, by its name or Hugging Face id
    kind = vocab.KINDS.get(entry["kind"])
    fact("Kind", (kind.zh if zh else kind.en) if kind else entry["kind"])
    fact("Aliases", ", ".join(entry["aliases"]))
    fact("Organization", entry["organization"])
    country = vocab.COUNTRIES.get(entry["country"] or "")
    fact("Country", f"{entry['country']} ({country.en} / {country.zh})" if country else entry["country"])
    fact("Released", entry["released"])
    fact("Languages", ", ".join(_language_name(code, zh) for code in entry["languages"]))
    fact("Categories", ", ".join(_category_name(key, zh) for key in entry["categories"]))
    fact("Base model", entry["base_model"])
    fact("Part of", entry["part_of"])
    license_ = entry["license"]
    fact("License", license_text(license_, is_model(entry)))
    fact("Commercial use", commercial_text(license_["commercial_use"]))
    fact("Conditions", license_["conditions"])
    fact("License history", license_["history"])
    links = entry["links"]
    addresses = [("License text", license_["url"])]
    addresses += [(key.capitalize(), links[key]) for key in ("homepage", "repository", "paper", "docs")]
    repos = list(
        dict.fromkeys([*links["huggingface"], *(v["huggingface"] for v in entry["variants"] if v["huggingface"])])
    )
    addresses += [("Hugging Face" if i == 0 else "", repo) for i, repo in enumerate(repos)]
    width = max(len(label) for label in [*labels, *(label for label, _ in addresses)]) + 2  # the grid's column

    parts: list[RenderableType] = [title, facts]
    parts += [unbroken(f"{label:<{width}}", address) for label, address in addresses if address]
    if entry["variants"]:
        parts.append(_variants_table(entry, hit.matched_variants))
    if entry["requirements"]:
        parts.append(_requirements_table(entry["requirements"]))
    if any(v.params for v in hit.facts.variants):
        parts.append(_memory_table(hit, target))
    parts += [Text(""), safe(entry["summary"]["zh" if zh else "en"])]
    if entry["notes"]:
        parts.append(Text("\nNotes", style="bold"))
        parts.append(_bulleted(entry["notes"]))
    parts += sources_list(entry["sources"])
    return Group(*parts)


def _bulleted(texts: Sequence[str]) -> Table:
    """Texts as a list, each after a dash, its wrapped lines indented under its first."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for text in texts:
        grid.add_row("-", safe(text))
    return grid


def unbroken(label: str, address: str) -> Text:
    """A line with an address that is never broken: longer than the terminal, it runs past the edge
    (the terminal wraps it), so it can still be copied or clicked whole."""
    line = Text(label, style="bold", no_wrap=True, overflow="ignore")
    line.append(inert(capped(address, 2000)))
    return line


def _language_name(code: str, zh: bool) -> str:
    term = vocab.LANGUAGES.get(code)
    return f"{code} ({term.zh if zh else term.en})" if term else code


def _category_name(key: str, zh: bool) -> str:
    term = vocab.CATEGORIES.get(key)
    return (term.zh if zh else term.en) if term else key


_MEMORY_PRECISIONS = ("fp32", "fp16", "int8", "int4", "q4_k_m")


def _memory_table(hit: Hit, target: Target) -> Table:
    """Memory each checkpoint needs for inference at each precision (and at any other its weights
    ship in) with the target's context: stated, or estimated (≈)."""
    context = format_context(target.context)
    table = Table(title=f"Memory for inference with a {context} context, or the checkpoint's own if shorter "
                  "(≈ estimate: weights + KV cache + runtime; plain: as a source states; KV cache: its part "
                  "of every estimate, fp16)", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)  # fmt: skip
    table.add_column("Checkpoint", overflow="fold")
    table.add_column("KV cache", justify="right")
    shipped = (v.precision for v in hit.facts.variants if v.precision)
    precisions = list(dict.fromkeys((*_MEMORY_PRECISIONS, *shipped)))
    for precision in precisions:
        table.add_column(precision.upper(), justify="right")
    for v in hit.facts.variants:
        needs = [hardware.need(v, p, hit.facts.requirements, target.context) for p in precisions]
        if all(n is None for n in needs):
            continue
        cells = ["" if n is None else ("" if n.exact else "≈") + hardware.format_gb(n.gb) for n in needs]
        cache_gb = hardware.cache_gb(v, target.context)
        cache = "" if cache_gb is None else "≈" + hardware.format_gb(cache_gb)
        table.add_row(safe(v.name), Text(cache), *(Text(c, style="" if c.startswith("≈") else "bold") for c in cells))
    return table


def _variants_table(entry: Mapping[str, Any], matched: Sequence[str]) -> Table:
    """The checkpoints, with a column for each fact some checkpoint holds for itself (its licence,
    languages, release month, base model) beside sizes and context (Hugging Face ids are listed
    above, each on a line of its own)."""
    variants = entry["variants"]
    table = Table(title="Checkpoints", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    has = {
        key: any(v[key] for v in variants)
        for key in ("active_params", "context", "dimensions", "vocab_size", "training_tokens", "released",
                    "languages", "license", "base_model")
    }  # fmt: skip
    table.add_column("Name", overflow="fold", min_width=min(30, max(len(v["name"]) for v in variants)))
    table.add_column("Params", justify="right")
    headers = {
        "active_params": "Active",
        "context": "Context",
        "dimensions": "Dims",
        "vocab_size": "Vocab",
        "training_tokens": "Tokens",
        "released": "Released",
        "languages": "Lang",
        "license": "License",
        "base_model": "Base",
    }
    for key, header in headers.items():
        if has[key]:
            right = key in ("active_params", "context", "dimensions", "vocab_size", "training_tokens")
            table.add_column(header, justify="right" if right else "left", overflow="fold")
    for v in variants:
        row = [safe(v["name"], "bold" if v["name"] in matched and len(matched) < len(variants) else "")]
        if v["params"] and v["nominal"]:
            row.append(Text(f"≈{format_size(v['params'])} (nominal)"))
        else:
            row.append(Text(f"{format_size(v['params'])} ({v['params']:,})" if v["params"] else ""))
        for key in headers:
            if has[key]:
                row.append(_variant_cell(entry, v, key))
        table.add_row(*row)
    return table


def _variant_cell(entry: Mapping[str, Any], variant: Mapping[str, Any], key: str) -> Text:
    value = variant[key]
    if key in ("released", "languages", "license", "base_model") and not value:
        return Text("")  # the entry's value, shown above
    if key == "license":
        text = safe(license_text(value, True))  # a checkpoint's
        if value["commercial_use"] is not None:
            text.append(" ✓" if value["commercial_use"] else " ✗", style="green" if value["commercial_use"] else "red")
        return text
    if key == "languages":
        return safe(",".join(value))
    if key == "vocab_size" and value:
        return safe(f"{value:,}")  # an exact count, unlike sizes
    if key in ("active_params", "training_tokens") and value:
        return safe(format_size(value))
    return safe("" if value is None else str(value))


def _requirements_table(requirements: Sequence[Mapping[str, Any]]) -> Table:
    table = Table(title="Hardware (as sources state)", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    with_context = any(req["context"] for req in requirements)
    for header in ("Checkpoint", "Task", "Precision", "Memory", *(("Context",) if with_context else ()), "Hardware"):
        table.add_column(header, overflow="fold")
    for req in requirements:
        memory = f"{req['memory_gb']:g} GB" if req["memory_gb"] is not None else ""
        context = [format_context(req["context"]) if req["context"] else ""] if with_context else []
        cells = (req["variant"], req["task"], req["precision"], memory, *context, req["hardware"])
        table.add_row(*(safe(x or "") for x in cells))
    return table


def sources_list(sources: Sequence[Mapping[str, Any]]) -> list[RenderableType]:
    """Each source's address on a line of its own (never broken), then the facts it supports."""
    parts: list[RenderableType] = [Text("\nSources", style="bold")]
    for source in sources:
        parts.append(unbroken("- ", source["url"]))
        supports = ", ".join(source["supports"]) + (f" ({source['note']})" if source["note"] else "")
        parts.append(Padding(safe(supports, "dim"), (0, 0, 0, 2)))
    return parts


def facts_table(entry: Mapping[str, Any]) -> RenderableType:
    """For each fact, the addresses that back it (from the entry's sources), one per line."""
    backing: dict[str, list[str]] = {}
    for source in entry["sources"]:
        for fact in source["supports"]:
            backing.setdefault(fact, []).append(source["url"])
    parts: list[RenderableType] = [safe(f"Sources of {entry['name']} ({entry['id']})", "bold")]
    for fact in sorted(backing):
        parts.append(Text(f"\n{fact}", style="bold"))
        parts += [unbroken("  ", url) for url in dict.fromkeys(backing[fact])]
    return Group(*parts)


def rows_table(titles: Sequence[str], rows: Iterable[Sequence[str]], target: Target) -> Table:
    """Plain rows of text under their titles, for results that have no view of their own."""
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False, pad_edge=False, width=None)
    for title in titles:
        table.add_column(title, overflow="fold")
    for row in rows:
        table.add_row(*(safe(text) for text in row))
    return table
