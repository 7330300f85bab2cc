"""Rendering hits in each output format. Renderers return text or a Rich renderable; only the CLI writes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from llmlist.render.fields import CSV_DEFAULT, FIELDS, JSON_DEFAULT, RECORD_KEYS, TABLE_DEFAULT, parse_fields
from llmlist.render.target import Target

if TYPE_CHECKING:
    from llmlist.query import Hit

__all__ = ["FIELDS", "OutputFormat", "Target", "chunks", "parse_fields", "render", "render_entry"]


class OutputFormat(str, Enum):
    """Output formats, named as users type them."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    IDS = "ids"


def default_fields(fmt: OutputFormat) -> tuple[str, ...]:
    if fmt in (OutputFormat.JSON, OutputFormat.JSONL):
        return JSON_DEFAULT
    if fmt is OutputFormat.TABLE:
        return TABLE_DEFAULT
    return CSV_DEFAULT if fmt in (OutputFormat.CSV, OutputFormat.TSV) else ("id",)


_TO_PROGRAM = Target()


def render(
    hits: Sequence[Hit], fmt: OutputFormat, fields: Sequence[str] | None = None, target: Target = _TO_PROGRAM
) -> Any:
    """The hits in `fmt`: a Rich renderable for the table, else the whole text."""
    if fmt is OutputFormat.TABLE:
        from llmlist.render.table import results_table

        return results_table(hits, tuple(fields) if fields else default_fields(fmt), target)
    return "".join(chunks(hits, fmt, fields, target))


def chunks(
    hits: Sequence[Hit], fmt: OutputFormat, fields: Sequence[str] | None = None, target: Target = _TO_PROGRAM
) -> Iterator[str]:
    """The text of a non-table format, piece by piece, for writing as it is made."""
    chosen = tuple(fields) if fields else default_fields(fmt)
    if fmt is OutputFormat.JSON:
        from llmlist.render.json import json_chunks

        return json_chunks(hits, chosen, ascii_only=target.ascii_only, pretty=target.pretty)
    if fmt is OutputFormat.JSONL:
        from llmlist.render.json import jsonl_chunks

        return jsonl_chunks(hits, chosen, ascii_only=target.ascii_only)
    if fmt is OutputFormat.CSV:
        from llmlist.render.csv import csv_chunks

        return csv_chunks(hits, chosen, target)
    if fmt is OutputFormat.TSV:
        from llmlist.render.csv import tsv_chunks

        return tsv_chunks(hits, chosen, target)
    if fmt is OutputFormat.IDS:
        from llmlist.render.ids import ids_chunks

        return ids_chunks(hits)
    if fmt is OutputFormat.TABLE:
        raise ValueError("a table is a renderable, not text: use render()")
    _never(fmt)


def render_entry(hit: Hit, fmt: OutputFormat, fields: Sequence[str] | None = None, target: Target = _TO_PROGRAM) -> Any:
    """One entry in full: the detail view, a JSON object, or one row of the other formats."""
    if fmt is OutputFormat.TABLE and not fields:
        from llmlist.render.table import entry_view

        return entry_view(hit, target)
    if fmt is OutputFormat.JSON:
        from llmlist.render.json import render_object

        chosen = tuple(fields) if fields else RECORD_KEYS
        return render_object(hit, chosen, ascii_only=target.ascii_only, pretty=target.pretty)
    return render([hit], fmt, fields or (RECORD_KEYS if fmt is OutputFormat.JSONL else None), target)


def _never(value: object) -> Any:
    raise AssertionError(f"unhandled output format {value!r}")  # pragma: no cover
