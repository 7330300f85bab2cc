"""Searching and finding entries when some catalog files are indexed, with the very results of the
in-memory search.

The indexes narrow each file to candidates: the entries that could meet the filters and match
every query word (looked up by what the index keeps per checkpoint, and by the words' text in the
trigram index). The candidates, with every entry of the files held in memory, form a small catalog
in the merged order, which `query.search` and `query.find` then answer as usual. Narrowing never
drops an entry the search would return, and the search decides what does match, so the answer is
the same, at a cost that grows with the number of candidates rather than the catalog.

Two things the search decides from all the entries are handled here. A word found in no entry's
name is matched loosely against every name (typo tolerance): when the candidates' answer does not
show that some name matched each such word, the entries whose names are near it are added and the
search is run again. Finding a name that no entry has exactly ranks the nearest names of all: the
index supplies every entry with a name among the nearest of each file.

A listing (no query word, no per-checkpoint filter) is not loaded at all: the index yields its
entries in order as they are written out.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from llmlist import licenses, query, vocab
from llmlist.catalog import Catalog
from llmlist.errors import EntryNotFound
from llmlist.index.merged import IndexedCatalog, Place
from llmlist.index.store import RECORD_COLUMNS, WITH_RECORDS, IndexedFile
from llmlist.query import Filters, Hit, SortKey, normalize, resolve_category, resolve_kind, resolve_language

if TYPE_CHECKING:
    from llmlist.index.store import Row

_LOOSE_LENGTH = 4  # the search matches names loosely only for words this long (query._add_fuzzy)
_NEAREST = 30  # names ranked per way of comparing them when a name is not found (query._closest)
_LISTED_EXCEPTIONS = 400  # ids a listing leaves out or moves, at most (one query takes up to 999 values)


def search(catalog: Catalog, words: Sequence[str], filters: Filters, *, sort: SortKey, reverse: bool,
           limit: int | None) -> Sequence[Hit]:  # fmt: skip
    """What `query.search` answers for the catalog, from its indexes."""
    assert isinstance(catalog, IndexedCatalog)
    plain = filters._replace(base=None)
    query.search(Catalog([], []), words, plain, sort=sort, reverse=reverse, limit=limit)  # the same usage errors
    below = catalog.descendants(find(catalog, filters.base).facts.id) if filters.base is not None else None
    terms = [query._size_word(w) for word in words for w in word.split()]  # as the search reads them
    if not terms and _by_entry_only(plain) and below is None:
        listing = Listing.of(catalog, plain, sort, reverse, limit)
        if listing is not None:
            return listing
    sets = {f: _entry_positions(file, plain) for f, file in _indexed(catalog)}
    if below is not None:
        sets = {f: _within(sets[f], set(file.positions_of(below).values())) for f, file in _indexed(catalog)}
    words_at = {f: [_word_positions(file, term) for term in terms] for f, file in _indexed(catalog)}
    chosen = {f: _within(sets[f], *words_at[f]) for f, _ in _indexed(catalog)}
    hits = _answer(catalog, chosen, below, words, plain, sort, reverse)
    loose = [term for term in terms if _loose(term)]
    if not all(_named(term, hits) for term in loose):
        # Some word may be matched loosely: add the entries with a near name, and the entries a
        # word before it leaves that match it by name (they decide whether it is matched loosely).
        near = {f: [_near(file, term) if _loose(term) else set() for term in terms] for f, file in _indexed(catalog)}
        for f, _ in _indexed(catalog):
            reach: set[int] | None = None
            wider: set[int] = set()
            for word, close in zip(words_at[f], near[f], strict=True):
                wider |= _within(reach, word) or set()
                reach = _within(reach, word | close)
            chosen[f] = _within(sets[f], wider | (reach or set()))
        hits = _answer(catalog, chosen, below, words, plain, sort, reverse)
    return hits[:limit] if limit is not None else hits


def find(catalog: Catalog, name: str) -> Hit:
    """What `query.find` answers for the catalog, from its indexes."""
    assert isinstance(catalog, IndexedCatalog)
    key = normalize(name)
    sql = ("SELECT pos FROM entries WHERE id = ? UNION SELECT entry FROM names WHERE norm = ? "
           "UNION SELECT entry FROM names WHERE variant = 2 AND fold = ?")  # fmt: skip
    exact = {f: file.positions(sql, (name, key, name.casefold())) for f, file in _indexed(catalog)}
    try:
        hit = query.find(catalog.reduced({f: file.rows_at(exact[f]) for f, file in _indexed(catalog)}), name)
        if hit.score >= 100:  # an exact match; a near one is judged against every name below
            return hit
    except EntryNotFound:
        pass
    near = {f: exact[f] | _nearest(catalog, f, file, key) for f, file in _indexed(catalog)}
    return query.find(catalog.reduced({f: file.rows_at(near[f]) for f, file in _indexed(catalog)}), name)


def _indexed(catalog: IndexedCatalog) -> Iterator[tuple[int, IndexedFile]]:
    return ((f, file) for f, file in enumerate(catalog.files) if isinstance(file, IndexedFile))


def _answer(catalog: IndexedCatalog, chosen: dict[int, set[int] | None], below: set[str] | None,
            words: Sequence[str], filters: Filters, sort: SortKey, reverse: bool) -> Sequence[Hit]:  # fmt: skip
    rows: dict[int, Iterable[Row]] = {}
    for f, file in _indexed(catalog):
        positions = chosen[f]
        rows[f] = file.rows() if positions is None else file.rows_at(positions)
    return query.search(catalog.reduced(rows, below), words, filters, sort=sort, reverse=reverse)


def _within(first: set[int] | None, *others: set[int] | None) -> set[int] | None:
    """The intersection of position sets, None standing for every position."""
    found = first
    for other in others:
        if other is not None:
            found = set(other) if found is None else found & other
    return found


def _entry_positions(file: IndexedFile, filters: Filters) -> set[int] | None:
    """Positions of the entries that may meet the filters (None: any entry may)."""
    found: list[set[int]] = []

    def some(sql: str, params: Sequence[Any]) -> None:
        found.append(file.positions(sql, params))

    if filters.kinds:
        some(f"SELECT pos FROM entries WHERE kind IN ({_marks(filters.kinds)})", filters.kinds)
    if filters.categories:
        some(f"SELECT entry FROM cats WHERE cat IN ({_marks(filters.categories)})", filters.categories)
    if filters.organizations:
        some(f"SELECT pos FROM entries WHERE {_organization(filters)}", [w.casefold() for w in filters.organizations])
    if filters.filters_checkpoints:  # else the search reads no checkpoint fact (but for tools): no narrowing
        if filters.languages:
            some(f"SELECT entry FROM langs WHERE lang IN ({_marks(filters.languages)})", filters.languages)
        point, params = _point_condition(file, filters)
        if point:
            some(f"SELECT entry FROM points WHERE {point}", params)
    return _within(None, *found)


def _by_entry_only(filters: Filters) -> bool:
    """Whether the filters read only what a whole entry has (kinds, categories, organizations):
    then every checkpoint of an entry that meets them matches, and the index can list them in order."""
    entry_level = Filters(kinds=filters.kinds, categories=filters.categories, organizations=filters.organizations)
    return filters._replace(quant=entry_level.quant, context=entry_level.context, active=False) == entry_level


def _organization(filters: Filters) -> str:
    """The SQL condition of the organization filter (its values casefolded), read from the index
    on organizations."""
    return "(" + " OR ".join(["instr(org, ?) > 0"] * len(filters.organizations)) + ")"


def _point_condition(file: IndexedFile, filters: Filters) -> tuple[str, list[Any]]:
    """An SQL condition some checkpoint (a row of `points`) of every matching entry meets."""
    conditions: list[str] = []
    params: list[Any] = []
    size = "active" if filters.active else "params"
    if filters.min_params is not None:
        conditions.append(f"{size} >= ?")
        params.append(_int64(filters.min_params))
    if filters.max_params is not None:
        conditions.append(f"{size} <= ?")
        params.append(_int64(filters.max_params))
    if filters.commercial:
        conditions.append("commercial = 1")
    for column, kind, wanted in (("licence", "weights", filters.licenses), ("code", "code", filters.code_licenses)):
        if wanted:
            names = [name for (name,) in file.query("SELECT name FROM licences WHERE kind = ?", [kind])
                     if any(licenses.matches(w, name) for w in wanted)]  # fmt: skip
            if len(names) <= _LISTED_EXCEPTIONS:  # else left to the search, which checks every candidate
                conditions.append(f"{column} IN ({_marks(names)})")
                params += names
    if filters.since is not None:
        conditions.append("released >= ?")
        params.append(filters.since)
    if filters.until is not None:
        conditions.append("released <= ?")
        params.append(filters.until)
    if filters.min_context is not None:
        conditions.append("context >= ?")
        params.append(_int64(filters.min_context))
    return " AND ".join(conditions), params


def _int64(value: int) -> int:
    """A bound as SQLite holds integers: beyond them, the same answer as the bound itself."""
    return max(min(value, 2**63 - 1), -(2**63))


def _word_positions(file: IndexedFile, word: str) -> set[int]:
    """Positions of the entries a query word may match: by name or checkpoint name (normalized),
    Hugging Face id, organization (or an organization it stands for), licence or summary
    (casefolded), or as a language, category or kind. `word` is as the search scores it (a size in
    Chinese units already written as checkpoint names write it)."""
    key = normalize(word)
    if not key:
        return set()
    found: set[int] = set()
    folded = word.casefold()
    for text in dict.fromkeys((key, folded, *vocab.ORGANIZATION_WORDS.get(folded.strip(), ()))):
        if file.fts and len(text) >= 3 and not any(char in text for char in "*?[]"):
            found |= file.positions("SELECT rowid FROM words WHERE body GLOB ?", [f"*{text}*"])
        else:  # too short for trigrams, or a character GLOB would read as a pattern
            found |= file.positions("SELECT entry FROM texts WHERE instr(body, ?) > 0", [text])
    language, category, kind = resolve_language(word), resolve_category(word), resolve_kind(word)
    if language:
        found |= file.positions("SELECT entry FROM langs WHERE lang = ?", [language])
    if category:
        found |= file.positions("SELECT entry FROM cats WHERE cat = ?", [category])
    if kind:
        found |= file.positions("SELECT pos FROM entries WHERE kind = ?", [kind])
    return found


def _loose(word: str) -> bool:
    """Whether the search may match `word` loosely: not a language, category or kind, and long enough."""
    vocabulary = resolve_language(word) or resolve_category(word) or resolve_kind(word)
    return not vocabulary and len(normalize(word)) >= _LOOSE_LENGTH


def _named(word: str, hits: Sequence[Hit]) -> bool:
    """Whether some hit has a name that is `word`, starts with it or contains it (as the search
    scores names); then the search did not match the word loosely."""
    key = normalize(word)
    for hit in hits:
        for name in map(normalize, hit.facts.names):
            if key == name or name.startswith(key) or key in name:
                return True
    return False


def _near(file: IndexedFile, word: str) -> set[int]:
    """Positions of the entries with a name near `word`, as the search's loose matching finds them."""
    from rapidfuzz import fuzz, process

    rows = list(file.query("SELECT entry, norm FROM names WHERE variant = 0"))
    matches = process.extract(normalize(word), [norm for _, norm in rows], scorer=fuzz.ratio, score_cutoff=80,
                              limit=None)  # fmt: skip
    return {rows[at][0] for _, _, at in matches}


def _nearest(catalog: IndexedCatalog, f: int, file: IndexedFile, key: str) -> set[int]:
    """Positions of the entries with a name among the nearest to `key` in the file, each way
    `query.find` compares names, ties included."""
    if not key:
        return set()
    from rapidfuzz import fuzz, process

    rows = list(file.query("SELECT entry, norm FROM names WHERE variant = 0"))
    if catalog.hidden[f]:  # replaced by a later file's entries: not among the names compared
        gone = set(file.positions_of(catalog.hidden[f]).values())
        rows = [row for row in rows if row[0] not in gone]
    names = [norm for _, norm in rows]
    found: set[int] = set()
    for scorer in (fuzz.ratio, fuzz.partial_ratio):
        best = process.extract(key, names, scorer=scorer, limit=_NEAREST)
        floor = best[-1][1] if len(best) == _NEAREST else 0
        tied = process.extract(key, names, scorer=scorer, score_cutoff=floor, limit=None)
        found |= {rows[at][0] for _, _, at in tied}
    return found


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values)) or "NULL"


class Listing(Sequence[Hit]):
    """The entries of a listing (no query words, no per-checkpoint filters) in order, read from the
    indexes while they are written out: the index orders each file's entries as the search orders
    them, and the few entries of files in memory (and those shared between files) are merged in."""

    @classmethod
    def of(cls, catalog: IndexedCatalog, filters: Filters, sort: SortKey, reverse: bool,
           limit: int | None) -> Listing | None:  # fmt: skip
        """The listing, or None when files share too many ids for the indexes to order them."""
        streams = []
        for f, file in _indexed(catalog):
            left_out = [*catalog.hidden[f], *catalog.moved[f]]
            if len(left_out) > _LISTED_EXCEPTIONS:
                return None
            where, params = _entry_condition(file, filters)
            where += f" AND id NOT IN ({_marks(left_out)})" if left_out else ""
            streams.append((f, file, where, [*params, *left_out]))
        # The entries held in memory, and the indexed entries that take an earlier file's place.
        rows = {f: list(file.rows(f"id IN ({_marks(list(catalog.moved[f]))})", list(catalog.moved[f])))
                for f, file in _indexed(catalog) if catalog.moved[f]}  # fmt: skip
        small = catalog.reduced(rows)
        places: dict[str, Place] = {}
        for f in range(len(catalog.files)):
            places.update((c.facts.id, c.place) for c in catalog.candidates(f, rows.get(f)))
        hits = query.search(small, (), filters, sort=sort, reverse=reverse)
        front = [(_key(hit, places[hit.facts.id], sort, reverse), hit) for hit in hits]
        return cls(front, streams, sort, reverse, limit)

    def __init__(self, front: list[tuple[tuple[Any, ...], Hit]], streams: list[tuple[int, IndexedFile, str, list[Any]]],
                 sort: SortKey, reverse: bool, limit: int | None) -> None:  # fmt: skip
        self._front = front
        self._streams = streams
        self._descending = sort is SortKey.NAME and reverse
        self._order = _ORDERS[sort, reverse if sort is not SortKey.RELEVANCE else False]
        self._limit = limit
        self._hits: list[Hit] | None = None

    def __iter__(self) -> Iterator[Hit]:
        def decoder(file: IndexedFile) -> Callable[[tuple[Any, ...]], Hit]:
            def hit_of(row: tuple[Any, ...]) -> Hit:
                facts, stored = file.unpacked(row[-5:])
                return Hit(facts, 0.0, tuple(v.name for v in facts.variants), stored)

            return hit_of

        return self._limited(self._merged(RECORD_COLUMNS, decoder, lambda hit: hit))

    def ids(self) -> Iterator[str]:
        """The entries' ids, in order, without decoding the entries."""
        return self._limited(self._merged("id", lambda file: operator.itemgetter(-1), lambda hit: hit.facts.id))

    def _limited(self, values: Iterator[Any]) -> Iterator[Any]:
        return values if self._limit is None else itertools.islice(values, self._limit)

    def _merged(self, columns: str, decoder: Any, front_value: Callable[[Hit], Any]) -> Iterator[Any]:
        """The values made of the indexed rows (`decoder(file)` makes one of a row ending with
        `columns`) and of the hits in memory (`front_value`), in order."""
        front = [(key, front_value(hit)) for key, hit in self._front]
        if len(self._streams) == 1 and self._order.by_name:
            return self._by_ranges(front, columns, decoder)
        sources: list[Iterator[tuple[Any, Any]]] = [iter(front)]
        for f, file, where, params in self._streams:
            sql = (f"SELECT {self._order.columns}, pos, {columns} FROM {_table(columns)} WHERE {where} "
                   f"ORDER BY {self._order.sql}")  # fmt: skip
            sources.append(self._keyed(f, file.query(sql, params), decoder(file)))
        return (value for _, value in _merge(sources, self._descending))

    def _keyed(self, f: int, rows: Iterator[tuple[Any, ...]], make: Callable[[tuple[Any, ...]], Any]) -> Iterator[
            tuple[Any, Any]]:  # fmt: skip
        width, key = self._order.width, self._order.key
        for row in rows:
            yield (*key(row[:width]), (f, row[width])), make(row)

    def _by_ranges(self, front: list[tuple[Any, Any]], columns: str, decoder: Any) -> Iterator[Any]:
        """In name order, with one indexed file: the rows between two entries held in memory are
        read as one range of the index on names, so that no row needs a key of its own."""
        f, file, where, params = self._streams[0]
        direction = "DESC" if self._descending else "ASC"
        order = f"name {direction}, pos {direction}"
        sql = f"SELECT {columns} FROM {_table(columns)} WHERE {where} AND {{}} ORDER BY {order}"
        make = decoder(file)
        after: str = "1"
        after_params: list[str] = []
        for (name, place), value in front:
            # Rows with the same name come first if their file comes first (last, in reverse).
            same_first = (f < place[0]) != self._descending
            upto = {(False, False): "<", (False, True): "<=", (True, False): ">", (True, True): ">="}
            operator_ = upto[self._descending, same_first]
            yield from map(
                make, file.query(sql.format(f"{after} AND name {operator_} ?"), [*params, *after_params, name])
            )
            yield value
            after, after_params = f"name {_BEYOND[operator_]} ?", [name]
        yield from map(make, file.query(sql.format(after), [*params, *after_params]))

    def __len__(self) -> int:
        total = len(self._front)
        for _, file, where, params in self._streams:
            total += next(file.query(f"SELECT count(*) FROM entries WHERE {where}", params))[0]
        return total if self._limit is None else min(total, self._limit)

    def __bool__(self) -> bool:
        return next(iter(self.ids()), None) is not None

    @overload
    def __getitem__(self, index: int) -> Hit: ...
    @overload
    def __getitem__(self, index: slice) -> list[Hit]: ...
    def __getitem__(self, index: int | slice) -> Hit | list[Hit]:
        if self._hits is None:
            self._hits = list(self)
        return self._hits[index]


def _table(columns: str) -> str:
    return WITH_RECORDS if "record" in columns else "entries"


_BEYOND = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def _entry_condition(file: IndexedFile, filters: Filters) -> tuple[str, list[Any]]:
    """An SQL condition on `entries` that the entry-level filters (kinds, categories, organizations)
    give exactly."""
    conditions: list[str] = ["1"]
    params: list[Any] = []
    if filters.kinds:
        conditions.append(f"kind IN ({_marks(filters.kinds)})")
        params += filters.kinds
    if filters.categories:
        conditions.append(f"pos IN (SELECT entry FROM cats WHERE cat IN ({_marks(filters.categories)}))")
        params += filters.categories
    if filters.organizations:
        conditions.append(_organization(filters))
        params += [w.casefold() for w in filters.organizations]
    return " AND ".join(conditions), params


class _Order:
    """How the index orders a listing as the search sorts it: the SQL, and the same order as a key."""

    def __init__(self, value: str | None, descending_value: bool, reverse_names: bool) -> None:
        direction = "DESC" if reverse_names else "ASC"
        self.columns = "name" if value is None else f"{value}, name"
        self.width = 1 if value is None else 2
        by_value = "" if value is None else f"{value} IS NULL, {value} {'DESC' if descending_value else 'ASC'}, "
        self.sql = f"{by_value}name {direction}, pos {direction}"
        self._value = value is not None
        self.by_name = value is None
        self._sign = -1 if descending_value else 1

    def key(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """The sort key of (value, name) or (name,), before the entry's place."""
        if not self._value:
            return (row[0],)
        value, name = row
        return (value is None, 0 if value is None else self._sign * value, name)


_ORDERS = {
    (SortKey.NAME, False): _Order(None, False, False),
    (SortKey.NAME, True): _Order(None, False, True),
    (SortKey.RELEVANCE, False): _Order(None, False, False),  # with no words, every score is 0: by name
    (SortKey.PARAMS, False): _Order("max_params", True, False),
    (SortKey.PARAMS, True): _Order("max_params", False, False),
    (SortKey.RELEASED, False): _Order("released", True, False),
    (SortKey.RELEASED, True): _Order("released", False, False),
}


def _key(hit: Hit, place: Place, sort: SortKey, reverse: bool) -> tuple[Any, ...]:
    """The key `_Order` gives an indexed entry, for an entry held in memory."""
    name = hit.facts.name.casefold()
    if sort in (SortKey.NAME, SortKey.RELEVANCE):
        return (name, place)
    if sort is SortKey.PARAMS:
        value = max(hit.matched_params, default=None)
    else:
        month = query.released(hit)
        value = int(month[:4] + month[5:7]) if month else None
    sign = 1 if reverse else -1
    return (value is None, 0 if value is None else sign * value, name, place)


def _merge(sources: list[Iterator[tuple[tuple[Any, ...], Any]]], descending: bool) -> Iterator[tuple[Any, Any]]:
    """Sorted streams merged by key; two streams (the usual case) without a heap."""
    if len(sources) == 2:
        front, rest = sources
        waiting = next(front, None)
        for item in rest:
            while waiting is not None and ((waiting[0] > item[0]) if descending else (waiting[0] < item[0])):
                yield waiting
                waiting = next(front, None)
            yield item
        if waiting is not None:
            yield waiting
        yield from front
        return
    import heapq

    yield from heapq.merge(*sources, key=lambda item: item[0], reverse=descending)
