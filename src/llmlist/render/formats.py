"""One class per output format, each turning a `Result` into text (or, for tables, lines laid out for a
terminal or a Rich renderable)."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NoReturn

from llmlist.render import OutputFormat, Result
from llmlist.render.inert import inert
from llmlist.render.target import Target


class TableFormat:
    """For people: the result's own view (a results table, one entry's detail, a chart), or its rows."""

    def render(self, result: Result, target: Target) -> Any:
        if result.view is not None:
            return result.view(target)
        from llmlist.render.table import rows_table

        return rows_table(result.titles_for(target), result.texts(target), target)


class JsonFormat:
    """An array of records, record by record (or the result's one document); indented for people."""

    def render(self, result: Result, target: Target) -> Iterator[str]:
        from llmlist.render.json import dumps, json_array

        if result.document is not None:
            yield dumps(result.document(target), target.ascii_only, 2 if target.pretty else None) + "\n"
            return
        yield from json_array(result.records(target), ascii_only=target.ascii_only, pretty=target.pretty)


class JsonlFormat:
    """One record per line."""

    def render(self, result: Result, target: Target) -> Iterator[str]:
        from llmlist.render.json import dumps

        for record in result.records(target):
            yield dumps(record, target.ascii_only, None) + "\n"


class CsvFormat:
    """RFC 4180: a header row, fields quoted where needed, lines ending in CRLF."""

    def render(self, result: Result, target: Target) -> Iterator[str]:
        out = io.StringIO()
        import csv  # only for CSV

        writer = csv.writer(out, lineterminator="\r\n")
        for row in _with_header(result.columns, result.texts(target)):
            writer.writerow(row)
            yield out.getvalue()
            out.seek(0)
            out.truncate()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class TsvFormat:
    """Tab-separated values, one record per line: backslash, tab and line breaks inside a value are
    escaped (\\\\, \\t, \\n), and other control characters written as \\x1b."""

    def render(self, result: Result, target: Target) -> Iterator[str]:
        for row in _with_header(result.columns, result.texts(target)):
            yield "\t".join(inert(text.translate(_TSV_ESCAPES)) for text in row) + "\n"


class IdsFormat:
    """Ids only, one per line: for `xargs` and shell loops."""

    def render(self, result: Result, target: Target) -> Iterator[str]:
        ids = iter(result.ids())
        while block := list(itertools.islice(ids, 1000)):  # a thousand lines a piece: long lists go faster
            yield inert("\n".join(block)) + "\n"


_MARKDOWN_ESCAPES = str.maketrans({"|": "\\|", "\n": "<br>", "\r": ""})


class MarkdownFormat:
    """A GitHub-flavoured Markdown table with the column titles as its header."""

    def render(self, result: Result, target: Target) -> Iterator[str]:
        titles = result.titles_for(target)
        yield "| " + " | ".join(titles) + " |\n"
        yield "|" + "---|" * len(titles) + "\n"
        for row in result.texts(target):
            yield "| " + " | ".join(inert(text.translate(_MARKDOWN_ESCAPES)) for text in row) + " |\n"


Format = TableFormat | JsonFormat | JsonlFormat | CsvFormat | TsvFormat | IdsFormat | MarkdownFormat


def to_format(fmt: OutputFormat) -> Format:
    """The class that renders `fmt`."""
    match fmt:
        case OutputFormat.TABLE:
            return TableFormat()
        case OutputFormat.JSON:
            return JsonFormat()
        case OutputFormat.JSONL:
            return JsonlFormat()
        case OutputFormat.CSV:
            return CsvFormat()
        case OutputFormat.TSV:
            return TsvFormat()
        case OutputFormat.IDS:
            return IdsFormat()
        case OutputFormat.MARKDOWN:
            return MarkdownFormat()
        case _:
            _never(fmt)


def _never(value: NoReturn) -> NoReturn:
    """mypy checks that every format is handled above; this runs only if one is not."""
    raise AssertionError(f"unhandled output format {value!r}")  # pragma: no cover


def _with_header(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[Sequence[str]]:
    yield columns
    yield from rows
