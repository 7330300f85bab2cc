"""The results table for people: hits in columns fitted to the terminal's width.

Cells are laid out here and the table is drawn as lines of styled text (`render.styled`), written
without Rich's console. Catalog text is made inert first: control characters and bidirectional
overrides are shown as visible escapes, so nothing in a catalog can style, retitle or reorder the
terminal.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.cells import cell_len

from llmlist import licenses
from llmlist.render.fields import FIELDS, heading, is_model, matched_languages, matched_licenses
from llmlist.render.inert import capped, inert
from llmlist.render.styled import Styled, write_lines

if TYPE_CHECKING:
    from llmlist.query import Hit
    from llmlist.render.target import Target

_MAX_LANGUAGES = 3  # a table cell lists this many language codes, then "+N"
_ONE_LINE = frozenset(
    {"organization", "summary", "summary_zh", "notes", "sources", "links", "conditions"}
)  # cut with "…"

# Which columns to give up first when the terminal is narrow (the id is never dropped).
_DROP_ORDER = ("organization", "conditions", "license", "released", "languages", "name", "params")


def results_table(hits: Sequence[Hit], fields: Sequence[str], target: Target) -> TableLines:
    """A table of hits with the chosen columns, dropping low-priority columns that cannot fit the width.

    Each column keeps at least the width of its longest word (capped), so words are not cut apart;
    ids are never cut. Cells are laid out here, each to its column's width, and the table is drawn
    here too, as lines of styled text (`render.styled`), written without Rich's console.
    """
    columns = list(fields)
    entries = [hit.entry for hit in hits]
    cells = {
        name: [_cell(entry, hit, name, target) for entry, hit in zip(entries, hits, strict=True)] for name in columns
    }
    titles = {name: heading(name, target) for name in columns}
    floors = {name: _floor(name, titles[name], cells[name]) for name in columns}
    for name in _DROP_ORDER:
        if sum(floors[c] for c in columns) + _SEPARATION * (len(columns) - 1) <= target.width or len(columns) <= 2:
            break
        if name in columns:
            columns.remove(name)
    widths = _widths(columns, titles, cells, floors, target.width)
    spans = []  # each column's width with the two spaces after it (none after the last)
    header = []
    laid_out = {}
    for position, name in enumerate(columns):
        span = widths[name] + (0 if position == len(columns) - 1 else _GAP)
        title = [Styled(titles[name], "bold")]
        column = [_fit(cell, widths[name], name in _ONE_LINE) for cell in cells[name]]
        if name == "params":  # right-aligned
            title = _flush_right(title, widths[name])
            column = [_flush_right(cell, widths[name]) for cell in column]
        if name == "id":
            for cell in column:
                for line in cell:
                    line.stylize("cyan")
        spans.append(span)
        header.append(title)
        laid_out[name] = column
    lines = _joined(header, spans)
    lines.append(Styled("─" * min(sum(spans) + len(spans) - 1, target.width)))  # no wider than the terminal
    for row in zip(*(laid_out[name] for name in columns), strict=True):
        lines += _joined(row, spans)
    return TableLines(lines, target.width)


class TableLines(NamedTuple):
    """A table drawn as lines, for a terminal `width` cells wide."""

    lines: list[Styled]
    width: int

    def write(self, colour: bool) -> Iterator[str]:
        return write_lines(self.lines, self.width, colour)

    def __rich__(self) -> Any:
        from rich.text import Text

        return Text("\n", no_wrap=True, overflow="crop").join(line.__rich__() for line in self.lines)


def _joined(cells: Sequence[Sequence[Styled]], spans: Sequence[int]) -> list[Styled]:
    """The lines of one row: each cell's lines padded to its column's span, one space between
    columns, a row as tall as its tallest cell."""
    height = max(len(cell) for cell in cells)
    lines = []
    for index in range(height):
        line = Styled()
        for position, (cell, span) in enumerate(zip(cells, spans, strict=True)):
            if position:
                line.append(" ")
            part = cell[index].copy() if index < len(cell) else Styled()
            part.truncate(span, pad=True)
            line.append_styled(part)
        lines.append(line)
    return lines


_GAP = 2  # spaces a column's span keeps after its text
_SEPARATION = _GAP + 1  # cells between two columns' texts: the gap and the space that joins them


def _flush_right(cell: Sequence[Styled], width: int) -> list[Styled]:
    """The lines moved right to end at `width`; a base style (the heading's bold) stays on the
    text and the spaces before it, not on padding added later."""
    lines = [line.copy() for line in cell]
    for line in lines:
        line.pad_left(width - line.cells)
    return [Styled.join([line]) for line in lines]


def _fit(cell: Styled, width: int, one_line: bool) -> list[Styled]:
    """A cell's lines within a column width: folded onto more lines, or cut with '…' when one line."""
    if _longest_line(cell) <= width:
        return cell.lines()
    if one_line:
        cut = cell.copy()
        cut.truncate(width, ellipsis=True)
        return cut.lines()
    return Styled.join(cell.wrapped(width)).lines()


def _widths(
    columns: Sequence[str], titles: dict[str, str], cells: dict[str, list[Styled]], floors: dict[str, int], width: int
) -> dict[str, int]:
    """Column widths: the natural ones when they fit, else floors and then the room left, column by
    column in order of importance. When even the floors do not fit (the columns that are never
    dropped), the columns after the id give up cells, the last first, so that lines still fit."""
    natural = {c: max([cell_len(titles[c]), *(_longest_line(t) for t in cells[c])]) for c in columns}
    room = width - _SEPARATION * (len(columns) - 1)
    if sum(natural.values()) <= room:
        return natural
    widths = {c: min(floors[c], natural[c]) for c in columns}
    spare = room - sum(widths.values())
    for c in columns:
        extra = min(max(spare, 0), natural[c] - widths[c])
        widths[c] += extra
        spare -= extra
    for c in reversed(columns):
        if spare >= 0:
            break
        if c != "id":
            given = min(-spare, widths[c] - 1)
            widths[c] -= given
            spare += given
    return widths


def _longest_line(text: Styled) -> int:
    return max((cell_len(line) for line in text.plain.split("\n")), default=0)


def _floor(name: str, title: str, cells: Sequence[Styled]) -> int:
    """The narrowest readable width of a column: its longest word, within a cap (ids are never cut,
    nor the memory column's heading, which names the precision and context of its figures)."""
    cap = 10**6 if name == "id" else (20 if name == "name" else 12)
    longest = max((cell_len(word) for text in cells for word in text.plain.split()), default=0)
    if name == "memory":
        return max(cell_len(title), min(cap, longest))
    return min(cap, max(longest, min(len(title), cap)))


def _cell(entry: Mapping[str, Any], hit: Hit, name: str, target: Target) -> Styled:
    if name == "name" and entry["name_zh"]:
        return _text(f"{entry['name']}\n{entry['name_zh']}")
    if name == "languages":
        languages = matched_languages(entry, hit)
        if len(languages) > _MAX_LANGUAGES:
            return _text(f"{','.join(languages[:_MAX_LANGUAGES])} +{len(languages) - _MAX_LANGUAGES}")
        return _text(",".join(languages))
    if name == "license":
        text = Styled()
        shown: set[tuple[str, bool | None]] = set()
        model = is_model(entry)
        for license_ in matched_licenses(entry, hit):
            label = licenses.label(license_["code"], license_["weights"], model)
            commercial = license_["commercial_use"]
            if (label, commercial) in shown:
                continue  # the same name and answer, differing only in conditions or history
            if shown:
                text.append("\n")
            shown.add((label, commercial))
            text.append(_inert_cell(label))
            if commercial is not None:
                text.append(" ✓" if commercial else " ✗", style="green" if commercial else "red")
        return text
    return _text(FIELDS[name].text(entry, hit, target))


def _text(text: str) -> Styled:
    return Styled(_inert_cell(capped(text)))


def _inert_cell(text: str) -> str:
    """Catalog text for a table cell: inert, and a tab as one space (a cell's width is counted in
    characters laid out here, which a tab stop would move)."""
    return inert(text).replace("\t", " ")
