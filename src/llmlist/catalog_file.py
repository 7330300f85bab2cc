"""Editing one catalog file in place: an entry put in, replaced or taken out while every other line
of the file, comments included, stays byte for byte as it was; the new content replaces the file
atomically (a temporary file in the same folder, then a rename).

An entry is written by tomlkit, and spans the lines from its `[[entries]]` header to its last
key: comments and blank lines after it belong to what follows. Each edit is checked by parsing
the result: every other entry must read exactly as before.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from llmlist.catalog import Record, check_replacement
from llmlist.errors import CatalogError, NotInFile, Problem, WriteFailed
from llmlist.parsing import entry_lines

NEW_FILE = """\
# An llmlist catalog, loaded after the bundled one. `llmlist add ORG/REPO` puts models from the Hugging
# Face Hub here and `llmlist remove ID` takes them out; check it with `llmlist validate FILE --strict`.
schema_version = 1
"""
# Keys of a record that are written as tables of their own, after the entry's plain keys.
_TABLES = ("variants", "license", "links", "requirements", "sources")


class CatalogFile:
    """A catalog file's text, as read (`original` is None for a file that does not exist yet) and as
    edited."""

    def __init__(self, path: Path, original: bytes | None, text: str) -> None:
        self.path = path
        self.original = original
        self.text = text

    @classmethod
    def open(cls, path: Path) -> CatalogFile:
        """The file at `path`, or a new one when there is none. CatalogError when it is not TOML, or
        its entries are not `[[entries]]` tables."""
        try:
            original: bytes | None = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):  # a new file (whether it can be written is seen later)
            original = None
        except OSError as error:
            raise CatalogError([Problem(str(path), f"cannot be read: {error.strerror or error}")]) from None
        try:
            text = original.decode("utf-8") if original is not None else NEW_FILE
        except UnicodeDecodeError as error:
            line = (original or b"").count(b"\n", 0, error.start) + 1
            raise CatalogError([Problem(str(path), "is not UTF-8 text", line=line)]) from None
        file = cls(path, original, text)
        file.records()  # parses it: a file that is not TOML is not edited
        return file

    def records(self) -> list[Record]:
        """The file's entries as plain data, as written (not validated)."""
        return _entries(self.path, self.text)

    def put(self, record: Record, replacing: str | None = None) -> None:
        """Write `record` in the place of the entry with id `replacing`, or after the last entry."""
        import tomlkit

        document = tomlkit.document()
        document.append("entries", tomlkit.aot())
        document["entries"].append(_table(record))
        written = tomlkit.dumps(document)
        before = self.records()
        if replacing is None:
            base = self.text if self.text.endswith("\n") or not self.text else self.text + "\n"
            self._edit(base + "\n" + written, [*before, record])
            return
        position = next(i for i, r in enumerate(before) if r.get("id") == replacing)
        start, end = self._span(position)
        lines = self.text.splitlines(keepends=True)
        text = "".join([*lines[:start], written, *lines[end:]])
        self._edit(text, [*before[:position], record, *before[position + 1 :]])

    def remove(self, key: str) -> str:
        """Take out the entry with id `key` (or whose checkpoint is the Hub repository `key`) and return
        its id. NotInFile when there is none."""
        records = self.records()
        folded = key.casefold()
        position = next((i for i, r in enumerate(records) if r.get("id") == key), None)
        if position is None:
            position = next((i for i, r in enumerate(records) if any(
                isinstance(v, dict) and str(v.get("huggingface", "")).casefold() == folded
                for v in r.get("variants") or ())), None)  # fmt: skip
        if position is None:
            ids = [str(r.get("id")) for r in records]
            known = f"its entries: {', '.join(ids[:8])}{', ...' if len(ids) > 8 else ''}" if ids else "it has none"
            state = "" if self.original is not None else " (the file does not exist)"
            raise NotInFile(f"no entry {key!r} in {self.path}{state}; {known}")
        lines = self.text.splitlines(keepends=True)
        start, end = self._span(position)
        while end < len(lines) and not lines[end].strip():  # the blank lines that separated it from the next
            end += 1
        if end == len(lines) and start > 0 and not lines[start - 1].strip():
            start -= 1  # the last entry: the blank line `add` put before it
        self._edit("".join([*lines[:start], *lines[end:]]), records[:position] + records[position + 1 :])
        return str(records[position].get("id"))

    def content(self) -> bytes:
        """The file's bytes as edited."""
        return self.text.encode("utf-8")

    def save(self, content: bytes) -> None:
        """Replace the file with `content` atomically, keeping its permissions; WriteFailed when it
        cannot be written or was changed by someone else since it was read."""
        target = Path(os.path.realpath(self.path))  # a symbolic link stays one; its target is replaced
        try:
            now: bytes | None = target.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            now = None
        except OSError as error:
            raise WriteFailed(f"cannot write {self.path}: {error.strerror or error}") from None
        if now != self.original:
            raise WriteFailed(f"{self.path} changed while llmlist was editing it; nothing was written (run the "
                              "command again)")  # fmt: skip
        blocking = next((p for p in (target.parent, *target.parent.parents) if p.exists()), None)
        if blocking is not None and not blocking.is_dir():
            raise WriteFailed(f"cannot write {self.path}: {blocking} is a file, not a folder")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            mode = target.stat().st_mode & 0o7777 if now is not None else 0o666 & ~_umask()
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(content)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(temporary, mode)
                os.replace(temporary, target)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError as error:
            raise WriteFailed(f"cannot write {self.path}: {error.strerror or error}") from None

    def _span(self, position: int) -> tuple[int, int]:
        """The lines (0-based, end excluded) of the entry at `position`: from its header to its last
        line that is neither blank nor a comment."""
        headers = entry_lines(self.text.encode("utf-8"))
        lines = self.text.splitlines(keepends=True)
        start = headers[position] - 1
        end = headers[position + 1] - 1 if position + 1 < len(headers) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        return start, end

    def _edit(self, text: str, expected: list[Record]) -> None:
        """Take `text` as the file's new text once it reads as `expected`, every other key unchanged."""
        if _entries(self.path, text) != expected or _rest(text) != _rest(self.text):
            raise CatalogError([Problem(str(self.path), "could not be edited without changing other lines (edit "
                                        "it by hand, or write it anew)")])  # fmt: skip
        self.text = text


def remove_entry(path: Path, key: str, paths: Sequence[Path] = (), *, bundled: bool = True) -> str:
    """Take the entry with id `key` (or whose checkpoint is the Hub repository `key`) out of the
    catalog file at `path` and return its id. Nothing is written when there is no such entry
    (NotInFile) or when the catalog would not load without it (CatalogError: another entry names it
    as its base model, say); `paths` and `bundled` say what else llmlist loads."""
    file = CatalogFile.open(path)
    removed = file.remove(key)
    content = file.content()
    problems = check_replacement(path, content, paths, bundled=bundled)
    if problems:  # only those the removal makes: a catalog already broken can still be mended this way
        before = {_key(p) for p in check_replacement(path, file.original or b"", paths, bundled=bundled)}
        problems = [p for p in problems if _key(p) not in before]
    if problems:
        raise CatalogError(problems)
    file.save(content)
    return removed


def _key(problem: Problem) -> tuple[str, str | None, str | None, str]:
    return problem.file, problem.entry, problem.field, problem.message  # lines move when an entry goes


def _entries(path: Path, text: str) -> list[Record]:
    """The entries of a catalog file's text, as plain data; CatalogError when it is not TOML, or its
    entries are not `[[entries]]` tables (one header each)."""
    import tomlkit
    from tomlkit.exceptions import ParseError
    from tomlkit.items import AoT

    try:
        document = tomlkit.parse(text)
    except ParseError as error:
        raise CatalogError([Problem(str(path), f"TOML error: {error}", line=error.line, column=error.col)]) from None
    entries = document.get("entries")
    if entries is None:
        return []
    if not isinstance(entries, AoT) or len(entry_lines(text.encode("utf-8"))) != len(entries):
        raise CatalogError([Problem(str(path), "its entries are not [[entries]] tables (an inline array, say), "
                                    "which llmlist cannot edit; write them as [[entries]] tables")])  # fmt: skip
    return [table.unwrap() for table in entries]


def _rest(text: str) -> dict[str, Any]:
    """Everything in a catalog file's text but its entries."""
    import tomlkit

    rest: dict[str, Any] = tomlkit.parse(text).unwrap()
    rest.pop("entries", None)
    return rest


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _table(record: Record) -> Any:
    """A tomlkit table for one entry, laid out as the bundled catalog is: plain keys first (the summary
    inline, the notes one a line), then the checkpoints, licence, links and sources as tables."""
    import tomlkit

    table = tomlkit.table()
    for key, value in record.items():
        if key not in _TABLES:
            table.add(key, _value(key, value))
    for key in _TABLES:
        value = record.get(key)
        if isinstance(value, list) and value:
            array = tomlkit.aot()
            for item in value:
                array.append(_plain_table(item))
            table.add(key, array)
        elif isinstance(value, dict) and value:
            table.add(key, _plain_table(value))
    return table


def _plain_table(record: Record) -> Any:
    import tomlkit

    table = tomlkit.table()
    for key, value in record.items():
        table.add(key, _plain_table(value) if isinstance(value, dict) else _value(key, value))
    return table


def _value(key: str, value: Any) -> Any:
    import tomlkit

    if isinstance(value, bool):
        return value
    if isinstance(value, int):  # parameter counts grouped by thousands, as the bundled catalog writes them
        return tomlkit.integer(f"{value:_}") if value >= 1_000_000 else value
    if isinstance(value, dict):
        inline = tomlkit.inline_table()
        inline.update(value)
        return inline
    if isinstance(value, list):
        array = tomlkit.array()
        array.extend(value)
        if key == "notes":
            array.multiline(True)
        return array
    return value
