"""Reading catalog TOML: parse, validate each entry against the schema, and say where a problem is.

A problem is reported as file:line (the TOML parser's line, or the line of the entry's `[[entries]]`
header) with the entry's id and the path of the field. A large file can be read a block at a time
(`stream_file_entries`): each entry is parsed and validated on its own, so a file of a million
entries never has to be held whole; layouts that cannot be split that way (multi-line strings,
entries written inline) raise `Unstreamable`, and the file is then read whole.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from llmlist.errors import CatalogError, Problem

Record = dict[str, Any]  # a validated entry (its keys, typed: records.EntryRecord)
ENTRY_HEADER = rb"^[ \t]*\[\[[ \t]*entries[ \t]*\]\]"  # compiled on first use (cold paths only)


def compiled(pattern: bytes) -> re.Pattern[bytes]:
    """`pattern` compiled, multi-line (re caches compiled patterns, so this is cheap after once)."""
    return re.compile(pattern, re.MULTILINE)


def parse_entries(name: str, content: bytes) -> tuple[list[Record], list[int | None]]:
    """Every validated entry of a catalog file's bytes, with the line where each begins, read as one
    document; raise CatalogError listing every problem."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise CatalogError([Problem(name, "is not UTF-8 text", line=line)]) from None
    starts = entry_lines(content)

    import tomli
    from pydantic import ValidationError

    from llmlist.schema import CatalogFile

    gc_was_enabled = gc.isenabled()
    gc.disable()  # bulk validation of a large file is several times faster without cyclic GC
    try:
        try:
            data = tomli.loads(text)
        except tomli.TOMLDecodeError as error:
            message = str(getattr(error, "msg", error))
            at_line: int | None = getattr(error, "lineno", None)
            at_column: int | None = getattr(error, "colno", None)
            raise CatalogError([Problem(name, f"TOML error: {message}", line=at_line, column=at_column)]) from None
        except RecursionError:
            raise CatalogError([Problem(name, "TOML error: arrays or tables nested too deeply",
                                        line=_deep_line(text))]) from None  # fmt: skip
        if not data.get("entries") and "schema_version" not in data:  # with it, an empty catalog
            raise CatalogError([Problem(name, "has no entries (add [[entries]] tables)", line=1)])
        try:
            parsed = CatalogFile.model_validate(data)
        except RecursionError:
            raise CatalogError([Problem(name, "values nested too deeply", line=_deep_line(text))]) from None
        except ValidationError as error:
            raise CatalogError(_schema_problems(name, data, starts, error.errors())) from None
        entries = [entry.model_dump(mode="json") for entry in parsed.entries]
    finally:
        if gc_was_enabled:
            gc.enable()
    lines: list[int | None] = list(starts) if len(starts) == len(entries) else [None] * len(entries)
    return entries, lines


class Unstreamable(Exception):
    """The file must be read as one document: its layout leaves an entry's extent unclear, or a
    problem in it must be reported as reading the whole file reports it."""


def stream_entries(content: bytes) -> Iterator[tuple[Record, int]]:
    """The validated entries of a catalog file's bytes, one at a time with the line where each
    begins, so that memory holds one entry and not the whole catalog.

    Each `[[entries]]` table is parsed and validated on its own, which gives what reading the whole
    file gives as long as every table has that shape. Where it might not (entries written as an
    inline array, anything else beside them) and at the first problem, raise Unstreamable: then
    `parse_entries` reads the file whole and reports its problems exactly.
    """
    if _has_inline_entries(content):
        raise Unstreamable
    starts = _entry_starts(content)
    ends = [offset for _, offset in starts[1:]] + [len(content)] * bool(starts)
    preamble = content[: starts[0][1]] if starts else content
    pieces = [(line, content[start:end]) for (line, start), end in zip(starts, ends, strict=True)]
    return _validated(preamble, iter(pieces))


def stream_file_entries(read: Callable[[int], bytes]) -> Iterator[tuple[Record, int]]:
    """The same as `stream_entries`, reading the file a block at a time with `read(size)`, so that
    memory holds neither the whole file nor the whole catalog. A file with multi-line strings is
    Unstreamable too (a block alone cannot tell a header in such a string from a real one)."""
    pieces = _file_pieces(read)
    return _validated(next(pieces)[1], pieces)


def _file_pieces(read: Callable[[int], bytes]) -> Iterator[tuple[int, bytes]]:
    """(line, bytes) of what precedes the first `[[entries]]` header, then of each entry."""
    pending: list[bytes] = []  # the piece being read, in parts
    pending_line, line, carry = 1, 1, b""  # `line` is where `carry`, a partial line, begins
    while True:
        block = read(1 << 20)
        buffer = carry + block
        if b'"""' in buffer or b"'''" in buffer or _has_inline_entries(buffer):
            raise Unstreamable
        cut = buffer.rfind(b"\n") + 1 if block else len(buffer)  # whole lines, until the end
        lines, carry = buffer[:cut], buffer[cut:]
        if len(carry) > 1 << 24:
            raise Unstreamable  # a line of many megabytes: read whole rather than copied block by block
        done = 0
        for match in compiled(ENTRY_HEADER).finditer(lines):
            pending.append(lines[done : match.start()])
            line += lines.count(b"\n", done, match.start())
            yield pending_line, b"".join(pending)
            pending, pending_line, done = [], line, match.start()
        pending.append(lines[done:])
        line += lines.count(b"\n", done)
        if not block:
            yield pending_line, b"".join(pending)
            return


def _validated(preamble: bytes, pieces: Iterator[tuple[int, bytes]]) -> Iterator[tuple[Record, int]]:
    """The entries of each piece, parsed and validated; Unstreamable at anything unexpected."""
    from pydantic import ValidationError

    from llmlist.schema import CatalogFile, Entry

    top = _toml_part(preamble)
    if "entries" in top:
        raise Unstreamable
    try:
        CatalogFile.model_validate(top)
    except (ValidationError, RecursionError):
        raise Unstreamable from None
    count = 0
    for line, piece in pieces:
        found = _toml_part(piece).get("entries")
        if not (isinstance(found, list) and len(found) == 1 and isinstance(found[0], dict)):
            raise Unstreamable
        try:
            entry = Entry.model_validate(found[0])
        except (ValidationError, RecursionError):
            raise Unstreamable from None
        count += 1
        yield entry.model_dump(mode="json"), line
    if not count:
        raise Unstreamable  # a file without entries: reading it whole says so


def _toml_part(piece: bytes) -> dict[str, Any]:
    """A piece of TOML parsed; Unstreamable if it is not UTF-8 text or not TOML."""
    import tomli

    try:
        return tomli.loads(piece.decode("utf-8"))
    except (UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError):
        raise Unstreamable from None


def entry_lines(content: bytes) -> list[int]:
    """The line (from 1) where each entry of a catalog file's content begins: each `[[entries]]`
    header outside multi-line strings, or, for entries written as an inline array
    (`entries = [{...}, ...]`), the line of each `{` that opens one."""
    return [line for line, _ in _entry_starts(content)]


def _entry_starts(content: bytes) -> list[tuple[int, int]]:
    """The line and the byte offset where each entry begins (as `entry_lines` says)."""
    if b'"""' not in content and b"'''" not in content and not _has_inline_entries(content):
        return _header_starts(content)  # the common case: a regex pass, no tokenizing
    starts: list[tuple[int, int]] = []
    in_string: bytes | None = None  # the delimiter of the multi-line string the scan is inside
    inline_depth = 0  # > 0 inside `entries = [ ... ]`: the bracket depth there
    offset = 0  # where the next line begins
    for number, line in enumerate(content.split(b"\n"), start=1):
        line_start, offset = offset, offset + len(line) + 1
        position = 0
        if in_string is None and inline_depth == 0:
            if compiled(ENTRY_HEADER).match(line):
                starts.append((number, line_start))
                continue
            inline = compiled(_INLINE_ENTRIES).match(line)
            if inline:
                inline_depth, position = 1, inline.end()
        while position < len(line):
            if in_string is not None:
                end = line.find(in_string, position)
                if end < 0:
                    break
                in_string, position = None, end + 3
                continue
            token = compiled(_TOKEN).search(line, position)
            if token is None:
                break
            text, position = token[0], token.end()
            if text in (b'"""', b"'''"):
                in_string = text
            elif text == b"#":
                break
            elif text in (b'"', b"'"):  # a one-line string: skip to its end
                end = line.find(text, position)
                while end > 0 and text == b'"' and line[end - 1 : end] == b"\\":
                    end = line.find(text, end + 1)
                position = len(line) if end < 0 else end + 1
            elif inline_depth:
                if text in (b"[", b"{"):
                    if text == b"{" and inline_depth == 1:
                        starts.append((number, line_start + token.start()))
                    inline_depth += 1
                else:
                    inline_depth -= 1
    return starts


_TOKEN = rb'"""|\'\'\'|["\'#\[\]{}]'


def _header_starts(content: bytes) -> list[tuple[int, int]]:
    """The line and offset of each `[[entries]]` header, counting newlines once through the file."""
    starts, line, position = [], 1, 0
    for match in compiled(ENTRY_HEADER).finditer(content):
        line += content.count(b"\n", position, match.start())
        position = match.start()
        starts.append((line, position))
    return starts


def _has_inline_entries(content: bytes) -> bool:
    """Whether entries are written as an inline array (`entries = [{...}, ...]`)."""
    for match in compiled(_ASSIGNED).finditer(content):  # a literal search, then a check of the line: quicker
        if compiled(_INLINE_ENTRIES).match(content, content.rfind(b"\n", 0, match.start()) + 1):
            return True
    return False


_ASSIGNED = rb"entries[ \t]*=[ \t]*\["


_INLINE_ENTRIES = rb"^[ \t]*entries[ \t]*=[ \t]*\["


def _deep_line(text: str, limit: int = 100) -> int | None:
    """The line where brackets first nest deeper than `limit` (strings ignored roughly)."""
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        for char in line:
            if char in "[{":
                depth += 1
                if depth > limit:
                    return number
            elif char in "]}":
                depth -= 1
    return None


def _schema_problems(
    name: str, data: dict[str, Any], starts: list[int], errors: Iterable[Mapping[str, Any]]
) -> list[Problem]:
    found = data.get("entries")
    raw_entries: list[Any] = found if isinstance(found, list) else []
    problems = []
    for error in errors:
        loc = list(error["loc"])
        entry_id = line = None
        if len(loc) >= 2 and loc[0] == "entries" and isinstance(loc[1], int):
            index = loc[1]
            raw = raw_entries[index] if index < len(raw_entries) else None
            entry_id = str(raw.get("id")) if isinstance(raw, dict) and "id" in raw else f"#{index + 1}"
            line = starts[index] if len(starts) == len(raw_entries) else None
            loc = loc[2:]
        problems.append(Problem(name, _schema_message(error), line=line, entry=entry_id, field=_field_path(loc)))
    return problems


def _field_path(loc: Sequence[Any]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _schema_message(error: Mapping[str, Any]) -> str:
    kind, message = error["type"], str(error["msg"])
    if kind == "extra_forbidden":
        return "unknown key (not part of the catalog format; see the README's catalog format)"
    if kind == "missing":
        return "missing required key"
    return message.removeprefix("Value error, ")
