"""The catalog when some of its files are indexed: files laid over each other as `catalog` lays
them (entries in file order, a later file's entry replacing an earlier one with the same id, in
its place), worked out from the few ids the files share, without loading the indexed files.

The cross-entry checks are not run again over every entry either: an indexed file records
whether it repeats an id, shares a name between two of its entries, or names ids it lacks, and
only what the files share is looked up. When anything might be wrong, every entry is loaded and
checked as usual, so each problem is reported exactly as for files held in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from llmlist.catalog import Catalog, Facts, Records, Stored, unpack
from llmlist.index.store import IndexedFile, Row

if TYPE_CHECKING:
    from llmlist.catalog import Record
    from llmlist.errors import Problem

# Where an entry sits in the merged catalog: the first file that has its id, and its place there.
Place = tuple[int, int]


class MemoryFile(Protocol):
    """A file whose validated entries are held in memory (`catalog._FileEntries`)."""

    @property
    def name(self) -> str: ...
    @property
    def facts(self) -> list[Facts]: ...
    @property
    def entries(self) -> list[Stored]: ...
    @property
    def lines(self) -> list[int | None]: ...


File = MemoryFile | IndexedFile


class Candidate(NamedTuple):
    place: Place
    facts: Facts
    stored: Stored


class IndexedCatalog(Catalog):
    """The merged catalog over files some of which are indexed. Searching and finding ask the
    indexes (see `answer`); reading `facts`, `stored`, `entries` or `origins` loads every entry."""

    indexed = True

    def __init__(self, files: Sequence[File]) -> None:
        # Not Catalog.__init__: the merged lists are made by `_loaded`, when first read.
        self.files = list(files)
        self._whole: Catalog | None = None
        # For ids that more than one file has: which files' entries are replaced by a later one's
        # (`hidden`), and which surviving entries take the place of an earlier file's (`moved`).
        self.hidden: list[set[str]] = [set() for _ in self.files]
        self.moved: list[dict[str, Place]] = [{} for _ in self.files]
        places: dict[str, list[Place]] = {}
        for entry_id, place in self._shared_ids():
            places.setdefault(entry_id, []).append(place)
        for entry_id, shared in places.items():
            found = sorted(set(shared))
            last = found[-1][0]
            for file, _ in found[:-1]:
                if file != last:
                    self.hidden[file].add(entry_id)
            if found[0][0] != last:
                self.moved[last][entry_id] = found[0]

    def _shared_ids(self) -> Iterator[tuple[str, Place]]:
        """(id, place) for the places of each id that two or more files have."""
        in_memory = {f: {facts.id: i for i, facts in enumerate(file.facts)}
                     for f, file in enumerate(self.files) if not isinstance(file, IndexedFile)}  # fmt: skip
        for f in range(len(self.files)):
            for g in range(f):
                yield from self._shared(g, f, in_memory)

    def _shared(self, g: int, f: int, in_memory: dict[int, dict[str, int]]) -> Iterator[tuple[str, Place]]:
        first, second = self.files[g], self.files[f]
        if isinstance(first, IndexedFile) and isinstance(second, IndexedFile):
            small, large = (g, f) if first.count <= second.count else (f, g)
            ids = dict(self._indexed(small).query("SELECT id, pos FROM entries"))
            found = self._indexed(large).positions_of(ids)
            mine = {entry_id: ids[entry_id] for entry_id in found}
        elif isinstance(first, IndexedFile) or isinstance(second, IndexedFile):
            small, large = (f, g) if isinstance(first, IndexedFile) else (g, f)
            mine = in_memory[small]
            found = self._indexed(large).positions_of(mine)
        else:
            small, large = g, f
            mine, theirs = in_memory[g], in_memory[f]
            found = {entry_id: theirs[entry_id] for entry_id in mine.keys() & theirs.keys()}
        for entry_id, position in found.items():
            yield entry_id, (large, position)
            yield entry_id, (small, mine[entry_id])

    def _indexed(self, f: int) -> IndexedFile:
        file = self.files[f]
        assert isinstance(file, IndexedFile)
        return file

    # ---- the merged entries, loaded whole only when asked for

    def _loaded(self) -> Catalog:
        if self._whole is None:
            rows = sorted(self._every(), key=lambda pair: pair[0].place)
            self._whole = Catalog([c.facts for c, _ in rows], [c.stored for c, _ in rows],
                                  {c.facts.id: name for c, name in rows})  # fmt: skip
        return self._whole

    def _every(self) -> Iterator[tuple[Candidate, str]]:
        for f, file in enumerate(self.files):
            for candidate in self.candidates(f, file.rows() if isinstance(file, IndexedFile) else None):
                yield candidate, file.name

    @property
    def facts(self) -> list[Facts]:  # type: ignore[override]
        return self._loaded().facts

    @property
    def stored(self) -> list[Stored]:  # type: ignore[override]
        return self._loaded().stored

    @property
    def entries(self) -> Records:  # type: ignore[override]
        return self._loaded().entries

    @property
    def origins(self) -> dict[str, str]:  # type: ignore[override]
        return self._loaded().origins

    def position(self, entry_id: str) -> int | None:
        return self._loaded().position(entry_id)

    def get(self, entry_id: str) -> Record | None:
        for file in reversed(self.files):
            if isinstance(file, IndexedFile):
                found = list(file.rows("id = ?", [entry_id]))
                if found:
                    return unpack(found[-1].stored)
            else:
                for facts, stored in zip(reversed(file.facts), reversed(file.entries), strict=True):
                    if facts.id == entry_id:
                        return unpack(stored)
        return None

    def __len__(self) -> int:
        counts = (file.count if isinstance(file, IndexedFile) else len(file.facts) for file in self.files)
        return sum(counts) - sum(len(hidden) for hidden in self.hidden)

    # ---- what searching reads

    def candidates(self, f: int, rows: Iterable[Row] | None = None) -> Iterator[Candidate]:
        """The surviving entries of file `f` with their places: every one of a file in memory, or
        those of `rows` for an indexed file."""
        file, hidden, moved = self.files[f], self.hidden[f], self.moved[f]
        if isinstance(file, IndexedFile):
            for row in rows or ():
                if row.id not in hidden:
                    yield Candidate(moved.get(row.id, (f, row.pos)), row.facts, row.stored)
            return
        for i, (facts, stored) in enumerate(zip(file.facts, file.entries, strict=True)):
            if facts.id not in hidden:
                yield Candidate(moved.get(facts.id, (f, i)), facts, stored)

    def reduced(self, rows: Mapping[int, Iterable[Row]], below: set[str] | None = None) -> Catalog:
        """A catalog in memory of every entry of the files in memory and the given rows of the
        indexed files (only those whose ids are in `below`, if given), in the merged order."""
        found = [c for f in range(len(self.files)) for c in self.candidates(f, rows.get(f))]
        if below is not None:
            found = [c for c in found if c.facts.id in below]
        found.sort(key=lambda c: c.place)
        return Catalog([c.facts for c in found], [c.stored for c in found])

    def children(self, entry_id: str) -> list[str]:
        """Ids of the surviving entries trained from `entry_id`."""
        from llmlist.lineage import parents

        found = []
        for f, file in enumerate(self.files):
            if isinstance(file, IndexedFile):
                sql = "SELECT e.id FROM parents p JOIN entries e ON e.pos = p.entry WHERE p.parent = ?"
                found += [i for (i,) in file.query(sql, [entry_id]) if i not in self.hidden[f]]
            else:
                found += [c.facts.id for c in self.candidates(f) if entry_id in parents(c.facts)]
        return found

    def descendants(self, root: str) -> set[str]:
        """Every id below `root`, at any depth (as `lineage.descendants`)."""
        found: set[str] = set()
        stack = self.children(root)
        while stack:
            entry_id = stack.pop()
            if entry_id not in found:
                found.add(entry_id)
                stack.extend(self.children(entry_id))
        return found

    # ---- the cross-entry checks

    def clean(self) -> bool:
        """Whether the merged files surely have no cross-entry problem: no file repeats an id, no
        name leads to two surviving entries, and every reference names an id some file has. False
        means only that every entry must be checked."""
        memory = [(f, file) for f, file in enumerate(self.files) if not isinstance(file, IndexedFile)]
        indexed = [(f, file) for f, file in enumerate(self.files) if isinstance(file, IndexedFile)]
        if any(not file.clean for _, file in indexed):
            return False
        if any(len({facts.id for facts in file.facts}) != len(file.facts) for _, file in memory):
            return False
        owner: dict[str, str] = {}
        for f, _ in memory:
            for candidate in self.candidates(f):
                for name in candidate.facts.names:
                    if owner.setdefault(name.casefold(), candidate.facts.id) != candidate.facts.id:
                        return False
        folds = list(owner)
        for f, file in indexed:
            for start in range(0, len(folds), 500):
                batch = folds[start : start + 500]
                sql = (f"SELECT n.fold, e.id FROM names n JOIN entries e ON e.pos = n.entry "
                       f"WHERE n.variant = 0 AND n.fold IN ({','.join('?' * len(batch))})")  # fmt: skip
                if any(owner[fold] != i and i not in self.hidden[f] for fold, i in file.query(sql, batch)):
                    return False
        for pair in ((a, b) for i, a in enumerate(indexed) for b in indexed[i + 1 :]):
            (f, file), (g, other) = sorted(pair, key=lambda indexed_file: indexed_file[1].count)  # the smaller first
            if _share_names(file, other, (self.hidden[f], self.hidden[g])):
                return False
        known = {facts.id for _, file in memory for facts in file.facts}
        wanted = {target for f, _ in memory for c in self.candidates(f) for target in _references(c.facts)}
        wanted |= {target for _, file in indexed for target in file.external}
        wanted -= known
        for _, file in indexed:
            wanted -= set(file.positions_of(wanted))
        return not wanted


def _references(facts: Facts) -> Iterator[str]:
    for target in (facts.base_model, facts.part_of, *(v.base_model for v in facts.variants)):
        if target is not None:
            yield target


def _share_names(first: IndexedFile, second: IndexedFile, hidden: tuple[set[str], set[str]]) -> bool:
    """Whether a name leads to a surviving entry of each indexed file, with different ids (the
    names of the first are looked up in the second)."""
    sql = "SELECT n.fold, e.id FROM names n JOIN entries e ON e.pos = n.entry WHERE n.variant = 0"
    owners = {fold: entry_id for fold, entry_id in first.query(sql) if entry_id not in hidden[0]}
    folds = list(owners)
    for start in range(0, len(folds), 500):
        batch = folds[start : start + 500]
        for fold, entry_id in second.query(f"{sql} AND n.fold IN ({','.join('?' * len(batch))})", batch):
            if entry_id not in hidden[1] and owners[fold] != entry_id:
                return True
    return False


def merge(files: Sequence[File]) -> tuple[Catalog, list[Problem]] | None:
    """The merged catalog with no problems, or None when the files may have cross-entry problems
    (then every entry is to be loaded and checked)."""
    merged = IndexedCatalog(files)
    return (merged, []) if merged.clean() else None
