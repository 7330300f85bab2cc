"""Loading the catalog: read TOML files, validate them, lay user files over the bundled one.

Validated entries are plain dicts in the JSON shape of `schema.Entry` (a `Record`). A file whose
validated form is in the cache is neither parsed nor validated again, so the common path imports
neither the TOML parser nor pydantic.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmlist import __version__, cache
from llmlist.errors import CatalogError, Problem

Record = dict[str, Any]

SCHEMA_VERSION = 1  # keep equal to schema.SCHEMA_VERSION (checked by a test)
ENV_VAR = "LLMLIST_CATALOG"
_ENTRY_HEADER = re.compile(rb"^[ \t]*\[\[[ \t]*entries[ \t]*\]\]", re.MULTILINE)


def bundled_path() -> Path:
    """The catalog that ships with llmlist."""
    packaged = Path(__file__).parent / "data" / "models.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "models.toml"  # a source checkout


def user_paths(cli_paths: Sequence[str] = (), environ: Mapping[str, str] = os.environ) -> list[Path]:
    """Catalog files from $LLMLIST_CATALOG (separated as PATH is), then from --catalog."""
    from_env = [p for p in environ.get(ENV_VAR, "").split(os.pathsep) if p]
    return [Path(p) for p in [*from_env, *cli_paths]]


@dataclass(frozen=True)
class _FileEntries:
    """The validated entries of one file, with the line where each begins."""

    name: str
    entries: list[Record]
    lines: list[int | None]


@dataclass
class Catalog:
    """The merged catalog: entries in file order, later files replacing entries by id."""

    entries: list[Record]
    origins: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_id = {entry["id"]: entry for entry in self.entries}

    def get(self, entry_id: str) -> Record | None:
        return self._by_id.get(entry_id)

    def __len__(self) -> int:
        return len(self.entries)


def load_catalog(paths: Sequence[Path] = (), *, bundled: bool = True, use_cache: bool = True) -> Catalog:
    """Load the bundled catalog and then each of `paths`; raise CatalogError listing every problem."""
    files, problems = _read_all([*([bundled_path()] if bundled else []), *paths], use_cache)
    catalog, cross = _merge(files)
    problems += cross
    if problems:
        raise CatalogError(problems)
    return catalog


def validate_files(paths: Sequence[Path] = (), *, use_cache: bool = False) -> list[Problem]:
    """Every problem in `paths` (checked against the bundled catalog), or in the bundled catalog."""
    bundled = bundled_path()
    targets = list(paths) or [bundled]
    context = [] if bundled in targets else [bundled]
    files, problems = _read_all([*context, *targets], use_cache)
    _, cross = _merge(files)
    checked = {_display(path) for path in targets}
    return problems + [problem for problem in cross if problem.file in checked]


def _read_all(paths: Iterable[Path], use_cache: bool) -> tuple[list[_FileEntries], list[Problem]]:
    files: list[_FileEntries] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            files.append(_read_file(path, use_cache))
        except CatalogError as error:
            problems += error.problems
    return files, problems


def _display(path: Path) -> str:
    return str(path)


def _read_file(path: Path, use_cache: bool) -> _FileEntries:
    name = _display(path)
    try:
        content = path.read_bytes()
    except IsADirectoryError:
        raise CatalogError([Problem(name, "is a directory, not a catalog file")]) from None
    except FileNotFoundError:
        raise CatalogError([Problem(name, "no such catalog file")]) from None
    except OSError as error:
        raise CatalogError([Problem(name, f"cannot be read: {error.strerror or error}")]) from None
    key = cache.cache_key(content, __version__, SCHEMA_VERSION)
    if use_cache:
        cached = _checked(cache.read(path, key))
        if cached is not None:
            return _FileEntries(name, *cached)
    entries, lines = _parse_and_validate(name, content)
    if use_cache:
        cache.write(path, key, {"entries": entries, "lines": lines})
    return _FileEntries(name, entries, lines)


def _checked(payload: Any) -> tuple[list[Record], list[int | None]] | None:
    """The entries and lines of a cached payload, or None if it does not have the shape written."""
    if not isinstance(payload, dict):
        return None
    entries, lines = payload.get("entries"), payload.get("lines")
    if not isinstance(entries, list) or not isinstance(lines, list) or len(entries) != len(lines):
        return None
    if not all(isinstance(e, dict) and isinstance(e.get("id"), str) for e in entries):
        return None
    return entries, lines


def _parse_and_validate(name: str, content: bytes) -> tuple[list[Record], list[int | None]]:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise CatalogError([Problem(name, "is not UTF-8 text", line=line)]) from None
    starts = _entry_lines(content)

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
        if not data.get("entries"):
            raise CatalogError([Problem(name, "has no entries (add [[entries]] tables)", line=1)])
        try:
            parsed = CatalogFile.model_validate(data)
        except ValidationError as error:
            raise CatalogError(_schema_problems(name, data, starts, error.errors())) from None
        entries = [entry.model_dump(mode="json") for entry in parsed.entries]
    finally:
        if gc_was_enabled:
            gc.enable()
    lines: list[int | None] = list(starts) if len(starts) == len(entries) else [None] * len(entries)
    return entries, lines


def _entry_lines(content: bytes) -> list[int]:
    """The line number of each `[[entries]]` header, counting newlines once through the file."""
    lines, line, position = [], 1, 0
    for match in _ENTRY_HEADER.finditer(content):
        line += content.count(b"\n", position, match.start())
        position = match.start()
        lines.append(line)
    return lines


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


def _merge(files: Sequence[_FileEntries]) -> tuple[Catalog, list[Problem]]:
    problems: list[Problem] = []
    merged: dict[str, tuple[Record, str, int | None]] = {}
    for file in files:
        seen: set[str] = set()
        for entry, line in zip(file.entries, file.lines, strict=True):
            if entry["id"] in seen:
                problems.append(Problem(file.name, "duplicate id in this file", line=line, entry=entry["id"]))
            seen.add(entry["id"])
            merged[entry["id"]] = (entry, file.name, line)
    problems += _check_names(merged) + _check_references(merged)
    catalog = Catalog([entry for entry, _, _ in merged.values()], {i: f for i, (_, f, _) in merged.items()})
    return catalog, problems


def _check_names(merged: Mapping[str, tuple[Record, str, int | None]]) -> list[Problem]:
    """Ids, names and aliases must each lead to one entry, ignoring case."""
    owner: dict[str, str] = {}
    problems = []
    for entry_id, (entry, file, line) in merged.items():
        names = {entry_id, entry["name"], *([entry["name_zh"]] if entry["name_zh"] else []), *entry["aliases"]}
        for name in sorted(names):
            key = name.casefold()
            other = owner.setdefault(key, entry_id)
            if other != entry_id:
                problems.append(
                    Problem(file, f"name {name!r} is already used by entry {other!r}", line=line, entry=entry_id,
                            field="aliases")
                )  # fmt: skip
    return problems


def _check_references(merged: Mapping[str, tuple[Record, str, int | None]]) -> list[Problem]:
    problems = []
    for entry_id, (entry, file, line) in merged.items():
        refs = [("base_model", entry["base_model"]), ("part_of", entry["part_of"])]
        refs += [(f"variants[{i}].base_model", v["base_model"]) for i, v in enumerate(entry["variants"])]
        for path, target in refs:
            if target is not None and target not in merged:
                problems.append(Problem(file, f"{target!r} is not the id of any entry", line=line,
                                        entry=entry_id, field=path))  # fmt: skip
    return problems
