"""JSON output: records as objects, an array written record by record, and safe encoding."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from llmlist.catalog import TERMINAL_ACTIVE
from llmlist.render.fields import FIELDS
from llmlist.render.target import Target

if TYPE_CHECKING:
    from llmlist.query import Hit


_TO_PROGRAM = Target()

# Characters JSON may carry raw but a terminal would act on (catalog.TERMINAL_ACTIVE). They only
# occur inside strings, where \uXXXX means the same.
_RAW_UNSAFE = re.compile(TERMINAL_ACTIVE)


class PlainRecord(dict[str, Any]):
    """A record whose texts hold no terminal-active character, so it is written without a scan."""


_encoders: dict[tuple[bool, int | None], json.JSONEncoder] = {}


def _encoder(ascii_only: bool, indent: int | None) -> json.JSONEncoder:
    """One encoder per setting, made once (records are trees, so no check for cycles)."""
    key = (ascii_only, indent)
    if key not in _encoders:
        _encoders[key] = json.JSONEncoder(ensure_ascii=ascii_only, indent=indent, allow_nan=False, check_circular=False)
    return _encoders[key]


def dumps(value: Any, ascii_only: bool, indent: int | None) -> str:
    """`value` as strict JSON (never NaN or Infinity), with terminal-active characters escaped."""
    try:
        text = _encoder(ascii_only, indent).encode(value)
    except RecursionError:  # nesting deeper than the interpreter's limit: a lineage thousands deep
        import sys

        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 100_000))
        try:
            text = _encoder(ascii_only, indent).encode(value)
        finally:
            sys.setrecursionlimit(limit)
    if isinstance(value, PlainRecord):
        return text  # its catalog texts were checked when the file was validated
    return _RAW_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def record(hit: Hit, fields: Sequence[str], target: Target = _TO_PROGRAM) -> dict[str, Any]:
    """The hit as a JSON object with the chosen keys, in order (memory at the target's context)."""
    entry = hit.entry
    values = {name: FIELDS[name].value(entry, hit, target) for name in fields}
    return PlainRecord(values) if hit.facts.plain else values


def json_array(records: Iterable[Mapping[str, Any]], *, ascii_only: bool = False, pretty: bool = True) -> Iterator[str]:
    """A JSON array, record by record; indented when `pretty` (for people), else on one line.

    Each record is encoded on its own, so a long result never holds every record at once; joined,
    the pieces are the same text as encoding the whole list.
    """
    opening, separator, closing = ("[\n  ", ",\n  ", "\n]\n") if pretty else ("[", ", ", "]\n")
    empty = True
    for position, value in enumerate(records):
        text = dumps(value, ascii_only, 2 if pretty else None)
        yield (separator if position else opening) + (text.replace("\n", "\n  ") if pretty else text)
        empty = False
    yield "[]\n" if empty else closing
