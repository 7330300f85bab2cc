"""Loading the catalog: read catalog files (parsed and validated by `parsing`), lay user files over the bundled one.

Validated entries are plain dicts in the JSON shape of `schema.Entry` (a `Record`). For every
entry the catalog also keeps its `Facts`: the few fields that searching and the cross-entry checks
read. A file whose validated form is in the cache is neither parsed nor validated again (so the
common path imports neither the TOML parser nor pydantic), and its records stay packed until a
command asks for one. A large file is not loaded at all but indexed (see `index/` and
INDEX_MIN_BYTES): the merged catalog then answers searches from the index.
"""

from __future__ import annotations

import marshal
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from llmlist import __version__, cache
from llmlist.errors import CatalogError, Problem
from llmlist.parsing import ENTRY_HEADER, compiled, parse_entries

if TYPE_CHECKING:
    from llmlist.index.store import IndexedFile

Record = dict[str, Any]  # a validated entry (its keys, typed: records.EntryRecord)

SCHEMA_VERSION = 1  # keep equal to schema.SCHEMA_VERSION (checked by a test)
ENV_VAR = "LLMLIST_CATALOG"
# Catalog files at least this large are indexed (see index/): a query then reads few entries, and
# the first load validates one entry at a time. Smaller files load whole, which was as quick at
# 0.5 MB (2% quicker than the index, measured) and spares importing sqlite3; from about 1 MB the
# index was quicker (by 1-6% for the 1.4 MB bundled catalog, 10-20% for 1,000 synthetic entries).
INDEX_MIN_BYTES = 1_000_000


def bundled_path() -> Path:
    """The catalog that ships with llmlist."""
    packaged = Path(__file__).parent / "data" / "models.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "models.toml"  # a source checkout


_UPDATED = rb'^updated = "([0-9]{4}-[0-9]{2}-[0-9]{2})"'


def catalog_summary() -> str:
    """'catalog 2026-12-01, 312 entries': the bundled catalog's date and size, read without parsing."""
    content = bundled_path().read_bytes()
    found = compiled(_UPDATED).search(content, 0, 4096)
    count = len(compiled(ENTRY_HEADER).findall(content))
    return f"catalog {found[1].decode() if found else 'undated'}, {count} entries"


def user_catalog_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The user's own catalog, where `llmlist add` writes: catalog.toml in the user data directory
    ($XDG_DATA_HOME/llmlist or ~/.local/share/llmlist on Linux and other Unix systems; the platform's
    own place on macOS and Windows, from platformdirs)."""
    if sys.platform in ("darwin", "win32", "cygwin"):
        import platformdirs  # ~6 ms to import: only where the answer differs from the XDG rule below

        return Path(platformdirs.user_data_dir("llmlist", appauthor=False)) / "catalog.toml"
    base = environ.get("XDG_DATA_HOME", "").strip()
    if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "llmlist" / "catalog.toml"


def user_paths(cli_paths: Sequence[str] = (), environ: Mapping[str, str] = os.environ) -> list[Path]:
    """Catalog files to load after the bundled one: the user's own catalog (when it exists), then
    files from $LLMLIST_CATALOG (separated as PATH is), then from --catalog."""
    own = user_catalog_path(environ)
    from_env = [p for p in environ.get(ENV_VAR, "").split(os.pathsep) if p]
    return [*([own] if own.is_file() else []), *(Path(p) for p in [*from_env, *cli_paths])]


class Checkpoint(NamedTuple):
    """One checkpoint's facts as searching reads them: its own value, else the entry's (effective)."""

    name: str
    params: int | None
    active_params: int | None
    base_model: str | None  # the checkpoint's own only; the entry's is Facts.base_model
    released: str | None
    languages: tuple[str, ...]
    license_code: str | None
    license_weights: str | None
    commercial_use: bool | None
    context: int | None
    nominal: bool
    huggingface: str | None
    # What memory estimates read: the format the weights ship in, and the architecture.
    precision: str | None = None
    layers: int | None = None
    hidden_size: int | None = None
    attention_heads: int | None = None
    kv_heads: int | None = None
    head_dim: int | None = None
    vocab_size: int | None = None
    attention_layers: int | None = None  # layers with a KV cache of the whole context, where not all (0: recurrent)
    sliding_layers: int | None = None  # layers that keep only the last `sliding_window` tokens
    sliding_window: int | None = None
    full_kv_width: int | None = None  # a full-context layer's values per token, where they differ
    kv_lora_rank: int | None = None  # multi-head latent attention: the latent and RoPE key cached per token
    rope_head_dim: int | None = None

    @classmethod
    def of(cls, variant: Record, entry: Record) -> Checkpoint:
        license_ = variant["license"] or entry["license"]
        languages = variant["languages"] if variant["languages"] is not None else entry["languages"]
        return cls(
            variant["name"], variant["params"], variant["active_params"], variant["base_model"],
            variant["released"] or entry["released"], tuple(languages), license_["code"], license_["weights"],
            license_["commercial_use"], variant["context"], variant["nominal"], variant["huggingface"],
            **{key: variant[key] for key in _MEMORY_FACTS},
        )  # fmt: skip


# The checkpoint's own fields that memory estimates read, under the same names in the record.
_MEMORY_FACTS = Checkpoint._fields[Checkpoint._fields.index("precision") :]


class Stated(NamedTuple):
    """A memory figure a source states (a `requirements` row), as memory answers read it."""

    variant: str | None  # the checkpoint's name; None in an entry with one checkpoint
    precision: str
    task: str
    memory_gb: float | None
    context: int | None  # tokens the figure holds, where the source says


class Facts(NamedTuple):
    """What searching and the cross-entry checks read of an entry, kept unpacked for every entry."""

    id: str
    name: str
    name_zh: str | None
    aliases: tuple[str, ...]
    kind: str
    organization: str | None
    country: str | None
    released: str | None
    languages: tuple[str, ...]
    categories: tuple[str, ...]
    license_code: str | None
    license_weights: str | None
    commercial_use: bool | None
    base_model: str | None
    part_of: str | None
    variants: tuple[Checkpoint, ...]
    requirements: tuple[Stated, ...]
    plain: bool = False  # no text of the entry holds a character a terminal acts on (see TERMINAL_ACTIVE)

    @classmethod
    def of(cls, entry: Record) -> Facts:
        license_ = entry["license"]
        return cls(
            entry["id"], entry["name"], entry["name_zh"], tuple(entry["aliases"]), entry["kind"],
            entry["organization"], entry["country"], entry["released"], tuple(entry["languages"]),
            tuple(entry["categories"]),
            license_["code"], license_["weights"], license_["commercial_use"], entry["base_model"],
            entry["part_of"],
            tuple(Checkpoint.of(v, entry) for v in entry["variants"]),
            tuple(Stated(r["variant"], r["precision"], r["task"], r["memory_gb"], r["context"])
                  for r in entry["requirements"]),
            not _has_active_text(entry),
        )  # fmt: skip

    def packed(self) -> tuple[Any, ...]:
        """Plain tuples, as `marshal` stores them."""
        return (*self[:15], tuple(tuple(v) for v in self.variants), tuple(tuple(r) for r in self.requirements),
                *self[17:])  # fmt: skip

    @classmethod
    def unpacked(cls, row: Sequence[Any]) -> Facts:
        """Facts from the plain tuples the cache holds."""
        fields = list(row)
        fields[15] = tuple(Checkpoint(*v) for v in fields[15])
        fields[16] = tuple(Stated(*r) for r in fields[16])
        return cls(*fields)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the entry answers to: id, name, Chinese name and aliases."""
        names = (self.id, self.name, *self.aliases)
        return (*names, self.name_zh) if self.name_zh else names


# Characters JSON may carry raw but a terminal would act on: DEL, C1 controls, direction marks and
# overrides, line and paragraph separators. Output escapes them; entries known to hold none are
# written without looking (`Facts.plain`, worked out once when the file is validated).
TERMINAL_ACTIVE = "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def _has_active_text(value: Any) -> bool:
    if isinstance(value, str):
        return re.search(TERMINAL_ACTIVE, value) is not None
    if isinstance(value, dict):
        return any(_has_active_text(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_active_text(v) for v in value)
    return False


def effective_variant(variant: Mapping[str, Any], entry: Mapping[str, Any]) -> Record:
    """The checkpoint's record with its effective released, languages, license and base model."""
    return {
        **variant,
        "released": variant["released"] or entry["released"],
        "languages": variant["languages"] if variant["languages"] is not None else entry["languages"],
        "license": variant["license"] or entry["license"],
        "base_model": variant["base_model"] or entry["base_model"],
    }


# The keys of each part of a record, as schema.py defines them (a test keeps the two equal), so
# a warm start can key the cache by the record's layout without importing pydantic.
RECORD_LAYOUT = {
    "Entry": (
        "id",
        "name",
        "name_zh",
        "aliases",
        "kind",
        "organization",
        "country",
        "released",
        "languages",
        "categories",
        "base_model",
        "part_of",
        "variants",
        "license",
        "links",
        "requirements",
        "summary",
        "notes",
        "sources",
    ),
    "Variant": (
        "name",
        "params",
        "active_params",
        "context",
        "dimensions",
        "vocab_size",
        "training_tokens",
        "nominal",
        "huggingface",
        "released",
        "base_model",
        "languages",
        "license",
        "precision",
        "layers",
        "hidden_size",
        "attention_heads",
        "kv_heads",
        "head_dim",
        "attention_layers",
        "sliding_layers",
        "sliding_window",
        "full_kv_width",
        "kv_lora_rank",
        "rope_head_dim",
        "note",
    ),
    "License": ("code", "weights", "commercial_use", "conditions", "history", "url"),
    "Links": ("homepage", "repository", "paper", "docs", "huggingface"),
    "Requirement": ("variant", "precision", "task", "memory_gb", "context", "hardware", "source"),
    "Source": ("url", "supports", "note"),
    "Summary": ("en", "zh"),
}

# What a cached file's layout depends on: change any of these and every cache is rebuilt.
LAYOUT = repr((Facts._fields, Checkpoint._fields, Stated._fields, sorted(RECORD_LAYOUT.items()), SCHEMA_VERSION))


# An entry as stored: its record, or the record packed by `marshal` until someone reads it.
Stored = Record | bytes


def unpack(stored: Stored) -> Record:
    record: Record = marshal.loads(stored) if isinstance(stored, bytes) else stored
    return record


class _FileEntries(NamedTuple):
    """The validated entries of one file, with their facts and the line where each begins."""

    name: str
    facts: list[Facts]
    entries: list[Stored]
    lines: list[int | None]


class Records(Sequence[Record]):
    """The catalog's records in order, each unpacked when it is read (and not kept)."""

    def __init__(self, stored: list[Stored]) -> None:
        self._stored = stored

    def __len__(self) -> int:
        return len(self._stored)

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return [unpack(s) for s in self._stored[index]]
        return unpack(self._stored[index])

    def __iter__(self) -> Iterator[Record]:
        return map(unpack, self._stored)


class Catalog:
    """The merged catalog: entries in file order, later files replacing entries by id."""

    indexed = False  # True for a catalog that answers queries from indexed files (index.merged)

    def __init__(self, facts: list[Facts], stored: list[Stored], origins: dict[str, str] | None = None) -> None:
        self.facts = facts
        self.stored = stored
        self.entries = Records(stored)
        self.origins = origins or {}
        self._position = {f.id: i for i, f in enumerate(facts)}

    def position(self, entry_id: str) -> int | None:
        """Where the entry with this id is, in `facts`, `stored` and `entries`."""
        return self._position.get(entry_id)

    def get(self, entry_id: str) -> Record | None:
        position = self._position.get(entry_id)
        return None if position is None else unpack(self.stored[position])

    def __getitem__(self, entry_id: str) -> Record:
        """The record with this id; KeyError if there is none."""
        record = self.get(entry_id)
        if record is None:
            raise KeyError(entry_id)
        return record

    def __len__(self) -> int:
        return len(self.facts)


def load_catalog(paths: Sequence[Path] = (), *, bundled: bool = True, use_cache: bool = True) -> Catalog:
    """Load the bundled catalog and then each of `paths`; raise CatalogError listing every problem."""
    files, problems = _read_all([*([bundled_path()] if bundled else []), *paths], use_cache)
    catalog, cross = _merge(files)
    problems += cross
    if problems:
        raise CatalogError(problems)
    return catalog


def validate_files(paths: Sequence[Path] = (), *, use_cache: bool = False, strict: bool = False,
                   bundled: bool = True) -> list[Problem]:  # fmt: skip
    """Every problem in `paths`, checked together with the bundled catalog (unless `bundled` is
    False); with no paths, every problem in the bundled catalog.

    `strict` adds the sourcing rules: every set fact is named by some source's `supports`, and
    every language or multimodal model has a release month.
    """
    bundled_file = bundled_path()
    targets = list(paths) or ([bundled_file] if bundled else [])
    context = [] if bundled_file in targets or not bundled else [bundled_file]
    files, problems = _read_all([*context, *targets], use_cache)
    _, cross = _merge(files)
    checked = {str(path) for path in targets}
    problems += [problem for problem in cross if problem.file in checked]
    if strict:
        for file in files:
            if file.name in checked:
                problems += _sourcing_problems(file)
    return problems


def check_replacement(target: Path, content: bytes, paths: Sequence[Path], *, bundled: bool = True) -> list[Problem]:
    """Every problem the catalog would have if `target` held `content`: the bundled catalog (unless
    `bundled` is False) and `paths` are read as they are, with `content` in the place of `target`
    (after them when `target` is not one of them)."""
    try:
        entries, lines = parse_entries(str(target), content)
    except CatalogError as error:
        return error.problems
    replacement = _FileEntries(str(target), [Facts.of(entry) for entry in entries], list(entries), lines)
    same = target.resolve()
    ordered = [*([bundled_path()] if bundled else []), *paths]
    if all(path.resolve() != same for path in ordered):
        ordered.append(target)
    files: list[_FileEntries | IndexedFile] = []
    problems: list[Problem] = []
    for path in ordered:
        if path.resolve() == same:
            files.append(replacement)
            continue
        try:
            files.append(_read_file(path, use_cache=True))
        except CatalogError as error:
            problems += error.problems
    _, cross = _merge(files)
    return problems + cross


def _sourcing_problems(file: _FileEntries | IndexedFile) -> list[Problem]:
    from llmlist.sourcing import unsupported

    problems = []
    for facts, stored, line in _rows(file):
        entry = unpack(stored)
        for fact, path in unsupported(entry):
            problems.append(Problem(file.name, f"no source supports {fact!r} (add it to a source's `supports`)",
                                    line=line, entry=facts.id, field=path))  # fmt: skip
        if (
            facts.kind in ("language-model", "multimodal-model")
            and not facts.released
            and not (entry["variants"] and all(v["released"] for v in entry["variants"]))
            and not any(note.startswith("Release month: unknown, ") for note in entry["notes"])
        ):
            problems.append(Problem(file.name, "a model needs a release month (see the README's dating policy)",
                                    line=line, entry=facts.id, field="released"))  # fmt: skip
        if facts.released and not any(note.startswith("Release month: rule ") for note in entry["notes"]):
            problems.append(Problem(file.name, "say which dating rule gave the release month in a note "
                                    "('Release month: rule N, ...'; see the README's dating policy)",
                                    line=line, entry=facts.id, field="notes"))  # fmt: skip
    return problems


def _rows(file: _FileEntries | IndexedFile) -> Iterable[tuple[Facts, Stored, int | None]]:
    """Each entry of a file with its facts and line, in file order."""
    if isinstance(file, _FileEntries):
        return zip(file.facts, file.entries, file.lines, strict=True)
    return ((row.facts, row.stored, row.line) for row in file.rows())


def _read_all(paths: Iterable[Path], use_cache: bool) -> tuple[list[_FileEntries | IndexedFile], list[Problem]]:
    files: list[_FileEntries | IndexedFile] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            files.append(_read_file(path, use_cache))
        except CatalogError as error:
            problems += error.problems
    return files, problems


def _read_file(path: Path, use_cache: bool) -> _FileEntries | IndexedFile:
    """The file's validated entries, or for a large file its index (see INDEX_MIN_BYTES). A cache
    whose stamp (size, times, inode) matches the file is used without reading the file. Otherwise
    the bytes are read once, then keyed and parsed from that copy, so a file that changes meanwhile
    can never leave a cache that does not match what was parsed; the stamp recorded is the one taken
    before reading."""
    name = str(path)
    stamp = None
    regular = False
    try:
        info = path.stat()
        regular = stat.S_ISREG(info.st_mode)  # no cache for a pipe (`--catalog /dev/stdin`)
        if regular and info.st_size >= INDEX_MIN_BYTES:
            from llmlist.index import store

            return store.load(path, use_cache)
        if use_cache and regular:
            stamp = cache.stamp_of(info, __version__, LAYOUT)
            cached = _checked(cache.read(path, stamp=stamp))
            if cached is not None:
                return _FileEntries(name, *cached)
        content = path.read_bytes()
    except IsADirectoryError:
        raise CatalogError([Problem(name, "is a directory, not a catalog file")]) from None
    except FileNotFoundError:
        raise CatalogError([Problem(name, "no such catalog file")]) from None
    except OSError as error:
        raise CatalogError([Problem(name, f"cannot be read: {error.strerror or error}")]) from None
    except ValueError:  # a NUL in the name
        raise CatalogError([Problem(name, "is not a usable file name")]) from None
    if not regular and len(content) >= INDEX_MIN_BYTES:  # a large catalog from a pipe
        from llmlist.index import store

        return store.load_content(name, content)
    key = cache.key_of(content, __version__, LAYOUT)
    if stamp is not None:
        cached = _checked(cache.read(path, key=key))  # the same bytes under a new stamp (a `touch`)
        if cached is not None:
            cache.write(path, key, _payload(*cached), stamp)
            return _FileEntries(name, *cached)
    entries, lines = parse_entries(name, content)
    facts = [Facts.of(entry) for entry in entries]
    if stamp is not None:
        cache.write(path, key, _payload(facts, [marshal.dumps(entry) for entry in entries], lines), stamp)
    return _FileEntries(name, facts, list(entries), lines)


def _payload(facts: list[Facts], packed: list[Stored], lines: list[int | None]) -> dict[str, Any]:
    return {"facts": [f.packed() for f in facts], "entries": packed, "lines": lines}


def _checked(payload: Any) -> tuple[list[Facts], list[Stored], list[int | None]] | None:
    """Facts, packed entries and lines of a cached payload, or None if it lacks the shape written."""
    if not isinstance(payload, dict):
        return None
    facts, entries, lines = payload.get("facts"), payload.get("entries"), payload.get("lines")
    if not (isinstance(facts, list) and isinstance(entries, list) and isinstance(lines, list)):
        return None
    if not len(facts) == len(entries) == len(lines) or not all(isinstance(e, bytes) for e in entries):
        return None
    try:
        return [Facts.unpacked(f) for f in facts], entries, lines
    except (TypeError, IndexError):
        return None


def _merge(files: Sequence[_FileEntries | IndexedFile]) -> tuple[Catalog, list[Problem]]:
    in_memory = [file for file in files if isinstance(file, _FileEntries)]
    if len(in_memory) < len(files):
        from llmlist.index import merged

        found = merged.merge(files)
        if found is not None:
            return found
        # Some problem may cross the files: load every entry and check them all, so that each
        # problem is reported as it is for files held in memory.
        in_memory = [file if isinstance(file, _FileEntries) else _in_memory(file) for file in files]
    return _merge_in_memory(in_memory)


def _in_memory(file: IndexedFile) -> _FileEntries:
    rows = list(file.rows())
    return _FileEntries(file.name, [r.facts for r in rows], [r.stored for r in rows], [r.line for r in rows])


def _merge_in_memory(files: Sequence[_FileEntries]) -> tuple[Catalog, list[Problem]]:
    problems: list[Problem] = []
    merged: dict[str, tuple[Facts, Stored, str, int | None]] = {}
    for file in files:
        seen: set[str] = set()
        for facts, stored, line in zip(file.facts, file.entries, file.lines, strict=True):
            if facts.id in seen:
                problems.append(Problem(file.name, "duplicate id in this file", line=line, entry=facts.id))
            seen.add(facts.id)
            merged[facts.id] = (facts, stored, file.name, line)
    problems += _check_names(merged) + _check_references(merged)
    catalog = Catalog(
        [facts for facts, _, _, _ in merged.values()],
        [stored for _, stored, _, _ in merged.values()],
        {entry_id: file for entry_id, (_, _, file, _) in merged.items()},
    )
    return catalog, problems


_Merged = Mapping[str, tuple[Facts, Stored, str, "int | None"]]


def _check_names(merged: _Merged) -> list[Problem]:
    """Ids, names and aliases must each lead to one entry, ignoring case."""
    owner: dict[str, str] = {}
    problems = []
    for entry_id, (facts, _, file, line) in merged.items():
        for name in sorted(set(facts.names)):
            other = owner.setdefault(name.casefold(), entry_id)
            if other != entry_id:
                problems.append(
                    Problem(file, f"name {name!r} is already used by entry {other!r}", line=line, entry=entry_id,
                            field="aliases")
                )  # fmt: skip
    return problems


def _check_references(merged: _Merged) -> list[Problem]:
    problems = []
    for entry_id, (facts, _, file, line) in merged.items():
        refs = [("base_model", facts.base_model), ("part_of", facts.part_of)]
        refs += [(f"variants[{i}].base_model", v.base_model) for i, v in enumerate(facts.variants)]
        for path, target in refs:
            if target is not None and target not in merged:
                problems.append(Problem(file, f"{target!r} is not the id of any entry", line=line,
                                        entry=entry_id, field=path))  # fmt: skip
    return problems
