"""One catalog file's index: an SQLite database of its validated entries, built once and then read.

A database holds each entry's record and facts (packed by `marshal`, with a digest of the two),
for a file of up to JSON_MAX_BYTES the record as JSON for programs (with a digest of its own), and
beside them what queries look entries up by: each checkpoint's effective size, licence,
release month and commercial terms; languages and categories; casefolded and normalized names;
lineage links; and the text that query words are matched in, under a trigram full-text index
(FTS5) where SQLite has one. It also records what the cross-entry checks need (duplicate ids,
names shared within the file, references to ids the file lacks), so that they are not re-run.

A database is built while the file's entries are validated one at a time, so memory holds one
entry and the file's bytes, not the whole catalog. It is written under a temporary name and
renamed into place, and never changed after: readers open it read-only and immutable. A small
stamp file beside it records the catalog file's size, times and inode with the key, so that a
warm start need not hash the whole file; a stamp is written only for a file that had not changed
for a few seconds when it was read, and a file that changed since is hashed again.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from llmlist import __version__, cache, catalog, parsing
from llmlist.catalog import Facts, Record
from llmlist.errors import CatalogError, Problem

FORMAT = 3  # of the tables below: change it with them, and every index is rebuilt
_BATCH = 500  # rows per insert, and values per `IN (...)`
# The records' JSON for programs is kept for catalog files up to this size: it makes answers for
# programs quicker, but about doubles the index (and the time to build it), which for a file of
# 100,000 entries (95 MB) is 300 MB and 13 s more, with more memory for each answer held.
JSON_MAX_BYTES = 16 << 20
WITH_RECORDS = "entries JOIN records ON entry = pos"  # each entry with its packed facts and record
RECORD_COLUMNS = "facts, record, digest, json, json_digest"  # what `IndexedFile.unpacked` reads
_SETTLED_NS = 3 * 10**9  # a file modified this recently may change again within the same timestamp

_TABLES = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE entries(
    pos INTEGER PRIMARY KEY,    -- the entry's place in the file, from 0
    id TEXT NOT NULL, line INTEGER, kind TEXT NOT NULL,
    org TEXT NOT NULL,          -- organization, casefolded ('' when none)
    name TEXT NOT NULL,         -- name, casefolded: the order of names
    max_params INTEGER,         -- the largest checkpoint, for sorting by size
    released INTEGER);          -- the first release, as YYYYMM, for sorting by month
CREATE TABLE records(           -- apart, so that reading `entries` in full stays quick
    entry INTEGER PRIMARY KEY, facts BLOB NOT NULL, record BLOB NOT NULL, digest BLOB NOT NULL,
    json BLOB NOT NULL,         -- the record's keys as JSON for programs (render.json.record), UTF-8,
    json_digest BLOB NOT NULL); -- or empty for a file larger than JSON_MAX_BYTES
CREATE TABLE points(            -- each checkpoint, or the entry itself when it has none
    entry INTEGER NOT NULL, params INTEGER, active INTEGER, released TEXT, commercial INTEGER, context INTEGER,
    licence TEXT,               -- of the weights, else of the code
    code TEXT);                 -- of the code
CREATE TABLE langs(lang TEXT NOT NULL, entry INTEGER NOT NULL, PRIMARY KEY (lang, entry)) WITHOUT ROWID;
CREATE TABLE cats(cat TEXT NOT NULL, entry INTEGER NOT NULL, PRIMARY KEY (cat, entry)) WITHOUT ROWID;
CREATE TABLE names(            -- variant: 0 the entry's names, 1 its checkpoints', 2 their Hugging Face ids
    entry INTEGER NOT NULL, variant INTEGER NOT NULL, fold TEXT NOT NULL, norm TEXT NOT NULL);
CREATE TABLE parents(parent TEXT NOT NULL, entry INTEGER NOT NULL);
CREATE TABLE texts(entry INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE licences(kind TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (kind, name)) WITHOUT ROWID;
CREATE TABLE external(target TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE refs(target TEXT NOT NULL);
"""
_TABLE_NAMES = frozenset(re.findall(r"^CREATE TABLE (\w+)", _TABLES, re.MULTILINE))
_INDEXES = """
CREATE INDEX entries_id ON entries(id);
CREATE INDEX entries_name ON entries(name, pos, id);
CREATE INDEX entries_kind ON entries(kind);
CREATE INDEX entries_org ON entries(org, pos);
CREATE INDEX points_params ON points(params, entry);
CREATE INDEX points_active ON points(active, entry);
CREATE INDEX points_released ON points(released, entry);
CREATE INDEX names_norm ON names(norm, entry);
CREATE INDEX names_fold ON names(fold, variant, entry);
CREATE INDEX parents_parent ON parents(parent, entry);
INSERT INTO licences SELECT DISTINCT 'weights', licence FROM points WHERE licence IS NOT NULL;
INSERT INTO licences SELECT DISTINCT 'code', code FROM points WHERE code IS NOT NULL;
INSERT INTO external SELECT DISTINCT target FROM refs WHERE target NOT IN (SELECT id FROM entries);
"""
_WORDS = (
    "CREATE VIRTUAL TABLE words USING fts5(body, content='texts', content_rowid='entry', "
    "tokenize='trigram case_sensitive 1', detail='none');"
    "INSERT INTO words(words) VALUES ('rebuild');"
)


class Row(NamedTuple):
    """One entry as the index holds it."""

    pos: int
    id: str
    line: int | None
    facts: Facts
    stored: Packed  # the record, packed


class Packed(bytes):
    """A record packed by `marshal`, with the JSON text the index keeps of it, checked when read."""

    _json: bytes
    _digest: bytes
    _file: IndexedFile

    @classmethod
    def of(cls, record: bytes, text: bytes, digest: bytes, file: IndexedFile) -> Packed:
        """The packed record, with the JSON text (empty when the index keeps none) and its digest."""
        packed = cls(record)
        packed._json, packed._digest, packed._file = text, digest, file
        return packed

    def json_text(self) -> str | None:
        """The record's keys (render.fields.RECORD_KEYS) as `render.json.record` writes them for
        programs, if the index keeps them; CatalogError if it no longer holds what was written."""
        if not self._json and not self._digest:
            return None
        if _digest(self._json) != self._digest:
            raise self._file.damaged()
        return self._json.decode()


class IndexedFile:
    """One catalog file's index, open for reading."""

    def __init__(self, name: str, db: sqlite3.Connection, meta: dict[str, Any], path: Path | None) -> None:
        self.name = name
        self.count: int = meta["count"]
        self.fts = bool(meta["fts"])
        # The file alone repeats no id, and no name leads to two of its entries.
        self.clean = not meta["duplicates"] and not meta["conflicts"]
        self._db = db
        self._path = path  # the cache file, removed if it turns out damaged
        self.external = tuple(target for (target,) in self.query("SELECT target FROM external"))

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """The rows of a query, as tuples."""
        try:
            yield from self._db.execute(sql, params)
        except sqlite3.OperationalError as error:  # the disk, memory: not the database's content
            raise CatalogError([Problem(self.name, f"cannot read its index: {error}")]) from None
        except sqlite3.DatabaseError:  # malformed: not what was written
            raise self.damaged() from None

    def rows(self, where: str = "1", params: Sequence[Any] = (), order: str = "pos") -> Iterator[Row]:
        """The entries that meet an SQL condition on the `entries` table, decoded."""
        sql = f"SELECT pos, id, line, {RECORD_COLUMNS} FROM {WITH_RECORDS} WHERE {where} ORDER BY {order}"
        for pos, entry_id, line, *packed in self.query(sql, params):
            facts, stored = self.unpacked(packed)
            yield Row(pos, entry_id, line, facts, stored)

    def rows_at(self, positions: Iterable[int]) -> Iterator[Row]:
        """The entries at these positions, in file order."""
        ordered = sorted(set(positions))
        for start in range(0, len(ordered), _BATCH):
            batch = ordered[start : start + _BATCH]
            yield from self.rows(f"pos IN ({','.join('?' * len(batch))})", batch)

    def positions(self, sql: str, params: Sequence[Any] = ()) -> set[int]:
        """The first column of a query's rows, as a set."""
        return {row[0] for row in self.query(sql, params)}

    def positions_of(self, ids: Iterable[str]) -> dict[str, int]:
        """Where each of these ids is in the file (its last entry, for an id given twice)."""
        found: dict[str, int] = {}
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            sql = f"SELECT id, pos FROM entries WHERE id IN ({','.join('?' * len(batch))}) ORDER BY pos"
            found.update(self.query(sql, batch))
        return found

    def unpacked(self, columns: Sequence[bytes]) -> tuple[Facts, Packed]:
        """An entry's facts and its packed record, from the `RECORD_COLUMNS` of its row, checked
        against the digest written with them (the JSON text is checked when it is read)."""
        facts, record, digest, text, text_digest = columns
        if _digest(facts, record) != digest:
            raise self.damaged()
        try:
            return Facts.unpacked(marshal.loads(facts)), Packed.of(record, text, text_digest, self)
        except (ValueError, EOFError, TypeError, IndexError):
            raise self.damaged() from None

    def damaged(self) -> CatalogError:
        """The error for an index that fails to read back what was written; the cache file is
        removed, so the next run builds it again."""
        if self._path is not None:
            with contextlib.suppress(OSError):
                self._path.unlink()
        return CatalogError([Problem(self.name, "its index in the cache was damaged and has been removed; "
                                                "run the command again")])  # fmt: skip


def load(path: Path, use_cache: bool) -> IndexedFile:
    """The index of a catalog file: from the cache when it matches the file, else built (and, with
    `use_cache`, kept in the cache, built by one process at a time); CatalogError listing every
    problem if the file's entries do not validate."""
    name = str(path)
    target = cache.cache_path(path, ".sqlite")
    if not use_cache or not cache.trusted(target.parent):
        return _built(name, _Reading(path))
    stamp = cache.cache_path(path, ".stamp")
    key = _stamped_key(stamp, path)
    opened = _open(name, target, key) if key is not None else None
    if opened is not None:
        return opened
    reading = _Reading(path)
    if os.path.lexists(target):  # an index to check against the file's contents
        opened = _open(name, target, reading.hashed())
    if opened is None:
        with _building(target):
            if os.path.lexists(target):  # another process may have built it meanwhile
                opened = _open(name, target, reading.key or reading.hashed())
            if opened is None:
                opened = _built_in_cache(name, reading, target)
    if opened is None:
        return _built(name, _Reading(path))
    if reading.settled is not None:
        stamped = {"format": FORMAT, "versions": repr(_versions()), "key": reading.key, "file": reading.settled}
        cache.write_file(stamp, json.dumps(stamped).encode())
    return opened


def load_content(name: str, content: bytes) -> IndexedFile:
    """The index of catalog bytes read from a pipe: built in a temporary database."""
    return _built(name, _Reading(None, content))


def _versions() -> tuple[object, ...]:
    """What an index depends on besides the file's bytes: llmlist's version, the record and index
    layouts, and how names are normalized (the index stores normalized names)."""
    from llmlist.query import normalize

    rules = normalize("".join(map(chr, range(32, 127))) + "\u00a0\u3000·・（）ÄẞǅΣ")
    return __version__, catalog.LAYOUT, FORMAT, rules


def _file_stat(info: os.stat_result) -> list[int]:
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


class _Reading:
    """The readings of one catalog file (or of bytes from a pipe): its entries, and after each
    complete reading, the key of exactly the bytes read and the file's stat figures if it had
    settled (not modified for a few seconds, and not while it was read)."""

    def __init__(self, path: Path | None, content: bytes | None = None) -> None:
        self.path = path
        self.content = content
        self.name = str(path) if path is not None else ""
        self.key: str | None = None
        self.settled: list[int] | None = None

    def size(self) -> int:
        """The catalog's size in bytes, as far as can be told before reading it (0 if not)."""
        if self.content is not None:
            return len(self.content)
        try:
            return os.stat(self.path).st_size if self.path is not None else 0
        except OSError:
            return 0

    def hashed(self) -> str:
        """The key of the file's contents, read a block at a time."""
        for _ in self._blocks():
            pass
        assert self.key is not None
        return self.key

    def entries(self) -> Iterator[tuple[Record, int | None]]:
        """The validated entries, a block of the file at a time; parsing.Unstreamable if a block
        cannot place them (multi-line strings) or the file must be read as one document."""
        if self.content is not None:
            yield from self.entries_in_memory()
            return
        blocks = self._blocks()
        yield from parsing.stream_file_entries(lambda size: next(blocks, b""))

    def entries_in_memory(self) -> Iterator[tuple[Record, int | None]]:
        """The validated entries of the file's bytes held in memory (read whole, once); the same
        Unstreamable for what only reading it as one document tells."""
        if self.content is None:
            self.content = b"".join(self._blocks())
        else:
            self.key = cache.key_of(self.content, *_versions())
        return parsing.stream_entries(self.content)

    def whole_entries(self, name: str) -> Iterator[tuple[Record, int | None]]:
        """The validated entries of the file read as one document; CatalogError listing every
        problem."""
        if self.content is None:
            self.content = b"".join(self._blocks())
        entries, lines = parsing.parse_entries(name, self.content)
        return zip(entries, lines, strict=True)

    def _blocks(self) -> Iterator[bytes]:
        assert self.path is not None
        self.key = self.settled = None
        digest = cache.blake2b()
        try:
            before = os.stat(self.path)
            started = time.time_ns()
            with open(self.path, "rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
                    yield block
            after = os.stat(self.path)
        except FileNotFoundError:
            raise CatalogError([Problem(self.name, "no such catalog file")]) from None
        except OSError as error:
            raise CatalogError([Problem(self.name, f"cannot be read: {error.strerror or error}")]) from None
        self.key = cache.finished_key(digest, *_versions())
        figures = _file_stat(before)
        if figures == _file_stat(after) and max(before.st_mtime_ns, before.st_ctime_ns) < started - _SETTLED_NS:
            self.settled = figures


def _stamped_key(stamp: Path, path: Path) -> str | None:
    """The key a stamp gives for the file, if the file's stat figures are still those stamped and
    the stamp was written by this llmlist, for this record layout."""
    data = cache.read_file(stamp, 4096)
    try:
        found = json.loads(data) if data else None
        current = _file_stat(os.stat(path))
    except (ValueError, OSError, RecursionError):
        return None
    if not isinstance(found, dict) or found.get("format") != FORMAT or found.get("file") != current:
        return None
    if found.get("versions") != repr(_versions()):  # another llmlist or record layout: the key is not theirs
        return None
    key = found.get("key")
    return key if isinstance(key, str) else None


def _open(name: str, target: Path, key: str) -> IndexedFile | None:
    """The cached index at `target` if it is whole and was built for `key`, else None."""
    try:
        info = os.lstat(target)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None  # a link, a FIFO, a directory: never opened
    try:
        db = sqlite3.connect(target.absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        (pages,) = db.execute("PRAGMA page_count").fetchone()
        (page_size,) = db.execute("PRAGMA page_size").fetchone()
    except sqlite3.Error:
        db.close()
        return None
    if (
        meta.get("format") != FORMAT
        or meta.get("key") != key
        or not _TABLE_NAMES.issubset(tables)
        or pages * page_size != info.st_size
    ):
        db.close()  # another layout or file, or truncated or grown since it was written
        return None
    try:
        return IndexedFile(name, db, meta, target)
    except CatalogError:
        return None


@contextlib.contextmanager
def _building(target: Path) -> Iterator[None]:
    """Hold the lock on building `target`, where the system has file locks and the cache
    directory can be written: concurrent first runs then build it once and share it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    if not cache.usable(target.parent):
        yield
        return
    try:
        fd = os.open(target.with_suffix(".lock"), os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _built_in_cache(name: str, reading: _Reading, target: Path) -> IndexedFile | None:
    """Build the index into the cache, then open it; None if the cache directory cannot take it."""
    if not cache.usable(target.parent):
        return None
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".sqlite")
        os.close(fd)
    except OSError:
        return None
    try:
        db = sqlite3.connect(tmp)
        try:
            _fill(db, name, reading)
        finally:
            db.close()
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())  # whole on disk before it has its name
        os.replace(tmp, target)
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return None  # a full or read-only disk only costs speed: built in a temporary database
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    assert reading.key is not None
    return _open(name, target, reading.key)


def _built(name: str, reading: _Reading) -> IndexedFile:
    """The index built in a private temporary database, deleted when llmlist ends."""
    try:
        db = sqlite3.connect("")
        meta = _fill(db, name, reading)
        return IndexedFile(name, db, meta, None)
    except sqlite3.Error as error:
        raise CatalogError([Problem(name, f"cannot be indexed: {error}")]) from None


def _fill(db: sqlite3.Connection, name: str, reading: _Reading) -> dict[str, Any]:
    """Write a catalog file's entries and the tables beside them into an empty database; raise
    CatalogError listing every problem if the entries do not validate."""
    db.executescript(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; "
        "PRAGMA cache_size=-65536; PRAGMA temp_store=FILE;" + _TABLES
    )
    # A block at a time if the file allows, else from its bytes in memory, else read as one
    # document (which also reports every problem the file has).
    ways = [reading.entries] if reading.content is not None else [reading.entries, reading.entries_in_memory]
    keep_json = reading.size() <= JSON_MAX_BYTES
    for way in ways:
        try:
            _insert(db, way(), keep_json)
            break
        except parsing.Unstreamable:
            for table in ("entries", "records", "points", "langs", "cats", "names", "parents", "texts", "temp.refs"):
                db.execute(f"DELETE FROM {table}")
    else:
        _insert(db, reading.whole_entries(name), keep_json)
    db.executescript(_INDEXES)
    try:
        db.executescript(_WORDS)
        fts = 1
    except sqlite3.OperationalError:
        fts = 0  # an SQLite without FTS5 or its trigram tokenizer: query words scan the texts
    meta: dict[str, Any] = {"format": FORMAT, "key": reading.key, "fts": fts}
    counts = db.execute("SELECT count(*), count(*) - count(DISTINCT id) FROM entries").fetchone()
    meta["count"], meta["duplicates"] = counts
    (meta["conflicts"],) = db.execute(
        "SELECT count(*) FROM (SELECT fold FROM names WHERE variant = 0 GROUP BY fold HAVING count(*) > 1)"
    ).fetchone()
    db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    db.executescript("PRAGMA analysis_limit=1000; ANALYZE;")  # statistics for the query planner, from samples
    db.commit()
    return meta


def _digest(*parts: bytes) -> bytes:
    return cache.blake2b(b"".join(parts), digest_size=16).digest()


def _insert(db: sqlite3.Connection, entries: Iterable[tuple[Record, int | None]], keep_json: bool) -> None:
    from llmlist import lineage
    from llmlist.query import Hit, normalize, released
    from llmlist.render.json import json_text

    tables: dict[str, list[tuple[Any, ...]]] = {t: [] for t in ("entries", "records", "points", "langs", "cats",
                                                               "names", "parents", "texts", "refs")}  # fmt: skip
    sql = {
        "entries": "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        "records": "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)",
        "points": "INSERT INTO points VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        "langs": "INSERT OR IGNORE INTO langs VALUES (?, ?)",
        "cats": "INSERT OR IGNORE INTO cats VALUES (?, ?)",
        "names": "INSERT INTO names VALUES (?, ?, ?, ?)",
        "parents": "INSERT INTO parents VALUES (?, ?)",
        "texts": "INSERT INTO texts VALUES (?, ?)",
        "refs": "INSERT INTO refs VALUES (?)",
    }
    for pos, (entry, line) in enumerate(entries):
        facts = Facts.of(entry)
        packed_facts, packed = marshal.dumps(facts.packed()), marshal.dumps(entry)
        hit = Hit(facts, 0.0, tuple(v.name for v in facts.variants), packed)
        first = released(hit)
        tables["entries"].append((
            pos, facts.id, line, facts.kind, (facts.organization or "").casefold(), facts.name.casefold(),
            max(hit.matched_params, default=None), int(first[:4] + first[5:7]) if first else None,
        ))  # fmt: skip
        text = json_text(hit._replace(stored=entry)).encode() if keep_json else b""  # never empty when kept
        tables["records"].append((pos, packed_facts, packed, _digest(packed_facts, packed), text,
                                  _digest(text) if text else b""))  # fmt: skip
        points = facts.variants or (catalog.Checkpoint(facts.name, None, None, None, facts.released, facts.languages,
                                                       facts.license_code, facts.license_weights, facts.commercial_use,
                                                       None, False, None),)  # fmt: skip
        for point in points:
            commercial = None if point.commercial_use is None else int(point.commercial_use)
            tables["points"].append((pos, point.params, point.active_params or point.params, point.released, commercial,
                                     point.context, point.license_weights or point.license_code,
                                     point.license_code))  # fmt: skip
        languages = {*facts.languages, *(code for v in facts.variants for code in v.languages)}
        tables["langs"] += [(code, pos) for code in languages]
        tables["cats"] += [(category, pos) for category in facts.categories]
        names = {name.casefold(): name for name in facts.names}
        tables["names"] += [(pos, 0, fold, normalize(name)) for fold, name in names.items()]
        tables["names"] += [(pos, 1, v.name.casefold(), normalize(v.name)) for v in facts.variants]
        tables["names"] += [(pos, 2, v.huggingface.casefold(), normalize(v.huggingface))
                            for v in facts.variants if v.huggingface]  # fmt: skip
        tables["parents"] += [(parent, pos) for parent in lineage.parents(facts)]
        targets = {facts.base_model, facts.part_of, *(v.base_model for v in facts.variants)} - {None}
        tables["refs"] += [(target,) for target in targets]
        tables["texts"].append((pos, _text(facts, entry, normalize)))
        if len(tables["entries"]) >= _BATCH:
            _flush(db, tables, sql)
    _flush(db, tables, sql)


def _flush(db: sqlite3.Connection, tables: dict[str, list[tuple[Any, ...]]], sql: dict[str, str]) -> None:
    for table, rows in tables.items():
        db.executemany(sql[table], rows)
        rows.clear()


def _text(facts: Facts, entry: Record, normalize: Any) -> str:
    """Everything a query word is looked for in, one part a line: normalized names and checkpoint
    names, the checkpoints' Hugging Face ids, and the organization, licence and summaries casefolded
    (the summary in Chinese also as written)."""
    licence = " ".join(t for t in (facts.license_code, facts.license_weights) if t)
    summary = entry["summary"]
    parts = [*map(normalize, facts.names), *(normalize(v.name) for v in facts.variants),
             *(v.huggingface.casefold() for v in facts.variants if v.huggingface),
             (facts.organization or "").casefold(), licence.casefold(), summary["en"].casefold(),
             summary["zh"].casefold(), summary["zh"]]  # fmt: skip
    return "\n".join(parts)
