"""Delimited output: CSV (RFC 4180) and TSV with one record per line."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from llmlist.render.fields import FIELDS
from llmlist.render.inert import inert

if TYPE_CHECKING:
    from llmlist.query import Hit


def render_csv(hits: Sequence[Hit], fields: Sequence[str], *, header: bool = True) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(fields)
    writer.writerows([FIELDS[name].text(hit) for name in fields] for hit in hits)
    return out.getvalue()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def render_tsv(hits: Sequence[Hit], fields: Sequence[str], *, header: bool = True) -> str:
    """Tab-separated values, one record per line: backslash, tab and line breaks inside a value are
    escaped (\\\\, \\t, \\n), and other control characters written as \\x1b."""
    rows = [list(fields)] if header else []
    rows += [[inert(FIELDS[name].text(hit).translate(_TSV_ESCAPES)) for name in fields] for hit in hits]
    return "".join("\t".join(row) + "\n" for row in rows)
