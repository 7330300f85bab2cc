"""Delimited output: CSV (RFC 4180) and TSV with one record per line."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from llmlist.render.fields import FIELDS
from llmlist.render.inert import inert

if TYPE_CHECKING:
    from llmlist.query import Hit
    from llmlist.render.target import Target


def csv_chunks(hits: Sequence[Hit], fields: Sequence[str], target: Target, *, header: bool = True) -> Iterator[str]:
    """RFC 4180 CSV, a line at a time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    rows = (_texts(hit, fields, target) for hit in hits)
    for row in itertools.chain([list(fields)] if header else [], rows):
        writer.writerow(row)
        yield out.getvalue()
        out.seek(0)
        out.truncate()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_chunks(hits: Sequence[Hit], fields: Sequence[str], target: Target, *, header: bool = True) -> Iterator[str]:
    """Tab-separated values, one record per line: backslash, tab and line breaks inside a value are
    escaped (\\\\, \\t, \\n), and other control characters written as \\x1b."""
    if header:
        yield "\t".join(fields) + "\n"
    for hit in hits:
        yield "\t".join(inert(text.translate(_TSV_ESCAPES)) for text in _texts(hit, fields, target)) + "\n"


def _texts(hit: Hit, fields: Sequence[str], target: Target) -> list[str]:
    entry = hit.entry
    return [FIELDS[name].text(entry, hit, target) for name in fields]
