"""Rich output for people: the results table and the detail view of one entry.

Catalog text is always wrapped in `Text` (never parsed as markup) and made inert first: control
characters and bidirectional overrides are shown as visible escapes, so nothing in a catalog can
style, retitle or reorder the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from llmlist import hardware, licenses, vocab
from llmlist.render.fields import FIELDS, commercial_text, heading, license_text, matched_languages, matched_licenses
from llmlist.render.inert import capped, inert
from llmlist.sizes import format_context, format_size

if TYPE_CHECKING:
    from llmlist.query import Hit
    from llmlist.render.target import Target

_MAX_LANGUAGES = 3  # a table cell lists this many language codes, then "+N"
_ONE_LINE = frozenset(
    {"organization", "summary", "summary_zh", "notes", "sources", "links", "conditions"}
)  # cut with "…"

# Which columns to give up first when the terminal is narrow (the id is never dropped).
_DROP_ORDER = ("organization", "conditions", "license", "released", "languages", "name", "params")


def safe(text: str, style: str = "") -> Text:
    """Catalog text as Rich shows it: inert, literal (no markup), and capped in length."""
    return Text(inert(capped(text)), style=style)


def results_table(hits: Sequence[Hit], fields: Sequence[str], target: Target) -> Text:
    """A table of hits with the chosen columns, dropping low-priority columns that cannot fit the width.

    Each column keeps at least the width of its longest word (capped), so words are not cut apart;
    ids are never cut. Cells are laid out here, each to its column's width, and the table is drawn
    here too, as one text of lines: Rich's table layout took a third of the time of a search shown
    as a table of a few dozen rows.
    """
    columns = list(fields)
    entries = [hit.entry for hit in hits]
    cells = {
        name: [_cell(entry, hit, name, target) for entry, hit in zip(entries, hits, strict=True)] for name in columns
    }
    titles = {name: heading(name, target) for name in columns}
    floors = {name: _floor(name, titles[name], cells[name]) for name in columns}
    for name in _DROP_ORDER:
        if sum(floors[c] for c in columns) + 3 * (len(columns) - 1) <= target.width or len(columns) <= 2:
            break
        if name in columns:
            columns.remove(name)
    widths = _widths(columns, titles, cells, floors, target.width)
    fitter = _Fitter()
    spans = []  # each column's width with the two spaces after it (none after the last)
    header = []
    for position, name in enumerate(columns):
        span = widths[name] + (0 if position == len(columns) - 1 else _GAP)
        title = Text(titles[name], style="bold")
        column = [fitter.fit(cell, widths[name], name in _ONE_LINE) for cell in cells[name]]
        if name == "params":  # right-aligned
            title = _flush_right(title, widths[name])
            column = [_flush_right(cell, widths[name]) for cell in column]
        if name == "id":
            for cell in column:
                cell.stylize("cyan")
        spans.append(span)
        header.append(title)
        cells[name] = column
    lines = [_joined([[title] for title in header], spans)[0]]
    lines.append(Text("─" * (sum(spans) + len(spans) - 1)))
    for row in zip(*(cells[name] for name in columns), strict=True):
        lines += _joined([cell.split("\n") for cell in row], spans)
    return Text("\n", no_wrap=True, overflow="crop").join(lines)


def _joined(cells: Sequence[Sequence[Text]], spans: Sequence[int]) -> list[Text]:
    """The lines of one row: each cell's lines padded to its column's span, one space between
    columns, a row as tall as its tallest cell."""
    height = max(len(cell) for cell in cells)
    lines = []
    for index in range(height):
        line = Text()
        for position, (cell, span) in enumerate(zip(cells, spans, strict=True)):
            if position:
                line.append(" ")
            part = cell[index].copy() if index < len(cell) else Text()
            part.truncate(span, pad=True)
            line.append_text(part)
        lines.append(line)
    return lines


_GAP = 2


def _flush_right(cell: Text, width: int) -> Text:
    lines = cell.split("\n")
    for line in lines:
        line.pad_left(width - cell_len(line.plain))
    return Text("\n").join(lines)


class _Fitter:
    """Fits a cell's text to a column width: folded onto more lines, or cut with '…' when one line."""

    def __init__(self) -> None:
        self._console: Any = None

    def fit(self, cell: Text, width: int, one_line: bool) -> Text:
        if _longest_line(cell) <= width:
            return cell
        if one_line:
            cut = cell.copy()
            cut.truncate(width, overflow="ellipsis")
            return cut
        if self._console is None:
            from rich.console import Console

            self._console = Console(width=max(width, 1))
        lines = cell.wrap(self._console, width, overflow="fold")
        return Text("\n").join(lines)


def _widths(
    columns: Sequence[str], titles: dict[str, str], cells: dict[str, list[Text]], floors: dict[str, int], width: int
) -> dict[str, int]:
    """Column widths: the natural ones when they fit, else floors and then the room left, column by
    column in order of importance."""
    natural = {c: max([cell_len(titles[c]), *(_longest_line(t) for t in cells[c])]) for c in columns}
    room = width - 3 * (len(columns) - 1)
    if sum(natural.values()) <= room:
        return natural
    widths = {c: min(floors[c], natural[c]) for c in columns}
    spare = room - sum(widths.values())
    for c in columns:
        extra = min(max(spare, 0), natural[c] - widths[c])
        widths[c] += extra
        spare -= extra
    return widths


def _longest_line(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.split("\n")), default=0)


def _floor(name: str, title: str, cells: Sequence[Text]) -> int:
    """The narrowest readable width of a column: its longest word, within a cap (ids are never cut,
    nor the memory column's heading, which names the precision and context of its figures)."""
    cap = 10**6 if name == "id" else (20 if name == "name" else 12)
    longest = max((cell_len(word) for text in cells for word in text.plain.split()), default=0)
    if name == "memory":
        return max(cell_len(title), min(cap, longest))
    return min(cap, max(longest, min(len(title), cap)))


def _cell(entry: Mapping[str, Any], hit: Hit, name: str, target: Target) -> Text:
    if name == "name" and entry["name_zh"]:
        return safe(f"{entry['name']}\n{entry['name_zh']}")
    if name == "languages":
        languages = matched_languages(entry, hit)
        if len(languages) > _MAX_LANGUAGES:
            return safe(f"{','.join(languages[:_MAX_LANGUAGES])} +{len(languages) - _MAX_LANGUAGES}")
        return safe(",".join(languages))
    if name == "license":
        text = Text()
        shown: set[tuple[str, bool | None]] = set()
        for license_ in matched_licenses(entry, hit):
            label, commercial = licenses.label(license_["code"], license_["weights"]), license_["commercial_use"]
            if (label, commercial) in shown:
                continue  # the same name and answer, differing only in conditions or history
            if shown:
                text.append("\n")
            shown.add((label, commercial))
            text.append(inert(label))
            if commercial is not None:
                text.append(" ✓" if commercial else " ✗", style="green" if commercial else "red")
        return text
    return safe(FIELDS[name].text(entry, hit, target))


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
    fact("License", license_text(license_))
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
        parts += [safe(f"- {note}") for note in entry["notes"]]
    parts += sources_list(entry["sources"])
    return Group(*parts)


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
                  "(≈ estimate: weights + KV cache + runtime; plain: as a source states)", title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False)  # fmt: skip
    table.add_column("Checkpoint", overflow="fold")
    shipped = (v.precision for v in hit.facts.variants if v.precision)
    precisions = list(dict.fromkeys((*_MEMORY_PRECISIONS, *shipped)))
    for precision in precisions:
        table.add_column(precision.upper(), justify="right")
    for v in hit.facts.variants:
        needs = [hardware.need(v, p, hit.facts.requirements, target.context) for p in precisions]
        if all(n is None for n in needs):
            continue
        cells = ["" if n is None else ("" if n.exact else "≈") + hardware.format_gb(n.gb) for n in needs]
        table.add_row(safe(v.name), *(Text(c, style="" if c.startswith("≈") else "bold") for c in cells))
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
        text = safe(license_text(value))
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
    for header in ("Checkpoint", "Task", "Precision", "Memory", "Hardware"):
        table.add_column(header, overflow="fold")
    for req in requirements:
        memory = f"{req['memory_gb']:g} GB" if req["memory_gb"] is not None else ""
        table.add_row(
            *(safe(x or "") for x in (req["variant"], req["task"], req["precision"], memory, req["hardware"]))
        )
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
