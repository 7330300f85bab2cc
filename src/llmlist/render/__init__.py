"""Rendering answers in every output format.

A command's answer is a `Result`: records for programs and the same rows as text for people, with
an optional view (the detail of one entry, a chart, a tree) that stands in for the plain table, and
an optional document that stands in for the JSON array. One class per format in `formats.py` turns
a Result into text, lines laid out for a terminal (the results table) or a Rich renderable (the
detail view); only the command line writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple

from llmlist.render.fields import CSV_DEFAULT, FIELDS, JSON_DEFAULT, default_fields, heading, parse_fields
from llmlist.render.target import Target

if TYPE_CHECKING:
    from llmlist.query import Hit
    from llmlist.render.json import Encoded

__all__ = [
    "FIELDS", "OutputFormat", "Result", "Target", "chunks", "hits_result", "parse_fields", "render", "render_entry",
    "render_result",
]  # fmt: skip


class OutputFormat(str, Enum):
    """Output formats, named as users type them."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    IDS = "ids"
    MARKDOWN = "markdown"


class Result(NamedTuple):
    """What a command answers, ready for any format. Each part is made only when a format asks."""

    columns: tuple[str, ...]  # keys of the records, and the header of CSV and TSV
    titles: tuple[str, ...]  # column headings for tables and Markdown
    records: Callable[[Target], Iterable[Mapping[str, Any] | Encoded]]  # one JSON object per row
    texts: Callable[[Target], Iterable[Sequence[str]]]  # the rows as text, column by column
    ids: Callable[[], Iterable[str]]  # for --format ids
    view: Callable[[Target], Any] | None = None  # what a table shows instead of plain rows
    document: Callable[[Target], Any] | None = None  # what JSON shows instead of the array of records
    headings: Callable[[Target], tuple[str, ...]] | None = None  # titles that depend on the target

    def titles_for(self, target: Target) -> tuple[str, ...]:
        """The column headings for this output (the memory column names its precision and context)."""
        return self.headings(target) if self.headings is not None else self.titles


def hits_result(hits: Sequence[Hit], fields: Sequence[str], *, view: bool = True) -> Result:
    """Search results with the chosen fields; `view` lays them out as the results table."""
    from llmlist.render.json import record

    def texts(target: Target) -> Iterator[list[str]]:
        for hit in hits:
            entry = hit.entry
            yield [FIELDS[name].text(entry, hit, target) for name in fields]

    def table(target: Target) -> Any:
        from llmlist.render.results import results_table

        return results_table(hits, fields, target)

    # A listing read from an index gives its ids without decoding each entry (index/answer.py).
    ids = getattr(hits, "ids", None) or (lambda: (hit.facts.id for hit in hits))
    return Result(
        tuple(fields), tuple(FIELDS[name].title for name in fields),
        lambda target: (record(hit, fields, target) for hit in hits), texts, ids,
        table if view else None, None, lambda target: tuple(heading(name, target) for name in fields),
    )  # fmt: skip


_TO_PROGRAM = Target()


def render_result(result: Result, fmt: OutputFormat, target: Target = _TO_PROGRAM) -> Any:
    """The result in `fmt`: for a table, its lines (`TableLines`) or a Rich renderable; else text in
    pieces, for writing as made."""
    from llmlist.render.formats import to_format

    return to_format(fmt).render(result, target)


def render(
    hits: Sequence[Hit], fmt: OutputFormat, fields: Sequence[str] | None = None, target: Target = _TO_PROGRAM
) -> Any:
    """The hits in `fmt`: the table's lines (`TableLines`, which Rich can print too), else the whole text."""
    out = chunks(hits, fmt, fields, target)
    return out if fmt is OutputFormat.TABLE else "".join(out)


def chunks(
    hits: Sequence[Hit], fmt: OutputFormat, fields: Sequence[str] | None = None, target: Target = _TO_PROGRAM
) -> Any:
    """The hits in `fmt`, text piece by piece (the table's lines for a table)."""
    return render_result(hits_result(hits, tuple(fields) if fields else default_fields(fmt)), fmt, target)


def entry_result(hit: Hit, fields: Sequence[str] | None = None) -> Result:
    """One entry in full: the detail view for people, one JSON object, or one row of the others."""
    from llmlist.render.json import record

    chosen = tuple(fields) if fields else JSON_DEFAULT
    rows = hits_result([hit], tuple(fields) if fields else CSV_DEFAULT, view=bool(fields))

    def detail(target: Target) -> Any:
        from llmlist.render.table import entry_view

        return entry_view(hit, target)

    return rows._replace(
        records=lambda target: [record(hit, chosen, target)],
        view=rows.view if fields else detail,
        document=lambda target: record(hit, chosen, target),
    )


def render_entry(hit: Hit, fmt: OutputFormat, fields: Sequence[str] | None = None, target: Target = _TO_PROGRAM) -> Any:
    """One entry in full: the detail view, a JSON object, or one row of the other formats."""
    out = render_result(entry_result(hit, fields), fmt, target)
    return out if fmt is OutputFormat.TABLE else "".join(out)
