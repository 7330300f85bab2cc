"""JSON output: records as objects, an array written record by record, and safe encoding."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from llmlist.catalog import TERMINAL_ACTIVE
from llmlist.render.fields import FIELDS, RECORD_KEYS
from llmlist.render.target import Target

if TYPE_CHECKING:
    from llmlist.query import Hit


_TO_PROGRAM = Target()
_COMPACT = Target(pretty=False)

# Characters JSON may carry raw but a terminal would act on (catalog.TERMINAL_ACTIVE). They only
# occur inside strings, where \uXXXX means the same.
_RAW_UNSAFE = re.compile(TERMINAL_ACTIVE)


class PlainRecord(dict[str, Any]):
    """A record whose texts hold no terminal-active character, so it is written without a scan."""


class Encoded(str):
    """A record already written as JSON for programs: on one line, not limited to ASCII, with
    terminal-active characters escaped."""


_encoders: dict[tuple[bool, int | None], json.JSONEncoder] = {}


def _encoder(ascii_only: bool, indent: int | None) -> json.JSONEncoder:
    """One encoder per setting, made once (records are trees, so no check for cycles)."""
    key = (ascii_only, indent)
    if key not in _encoders:
        _encoders[key] = json.JSONEncoder(ensure_ascii=ascii_only, indent=indent, allow_nan=False, check_circular=False)
    return _encoders[key]


def dumps(value: Any, ascii_only: bool, indent: int | None) -> str:
    """`value` as strict JSON (never NaN or Infinity), with terminal-active characters escaped."""
    if isinstance(value, Encoded):
        if not ascii_only and indent is None:
            return str(value)
        value = json.loads(value)
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


def record(hit: Hit, fields: Sequence[str], target: Target = _TO_PROGRAM) -> Mapping[str, Any] | Encoded:
    """The hit as a JSON object with the chosen keys, in order (memory at the target's context).

    For programs, a hit read from an index that keeps JSON (index.store.JSON_MAX_BYTES) comes with its
    record keys already written; when the chosen keys begin with them (as by default), the other
    keys' values are written after them.
    """
    kept = getattr(hit.stored, "json_text", None)
    for_programs = not target.pretty and not target.ascii_only and tuple(fields[: len(RECORD_KEYS)]) == RECORD_KEYS
    text = kept() if kept is not None and for_programs else None
    if text is None:
        entry = hit.entry
        values = {name: FIELDS[name].value(entry, hit, target) for name in fields}
        return PlainRecord(values) if hit.facts.plain else values
    rest = [name for name in dict.fromkeys(fields[len(RECORD_KEYS) :]) if name not in _RECORD_KEYS]  # once each
    if not rest:
        return Encoded(text)
    unpacked: Mapping[str, Any] = hit.entry if set(rest) - _WITHOUT_RECORD else {}
    values = {name: FIELDS[name].value(unpacked, hit, target) for name in rest}
    more = dumps(PlainRecord(values) if hit.facts.plain else values, False, None)
    return Encoded(f"{text[:-1]}, {more[1:]}")


_RECORD_KEYS = frozenset(RECORD_KEYS)
# Fields whose value is read from the hit alone, not from its record.
_WITHOUT_RECORD = frozenset({"matched_variants", "params", "context", "memory"})


def json_text(hit: Hit) -> str:
    """The hit's record keys (RECORD_KEYS) as `record` writes them for programs, for an index to keep."""
    return dumps(record(hit, RECORD_KEYS, _COMPACT), False, None)


def json_array(
    records: Iterable[Mapping[str, Any] | Encoded], *, ascii_only: bool = False, pretty: bool = True
) -> Iterator[str]:
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
