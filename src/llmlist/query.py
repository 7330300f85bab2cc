"""Searching the catalog: filters, word matching and ranking, sorting, and finding one entry by name."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from llmlist import licenses, lineage, vocab
from llmlist.catalog import Checkpoint, Facts, Stored, unpack
from llmlist.errors import EntryNotFound, UsageError
from llmlist.sizes import DEFAULT_CONTEXT

if TYPE_CHECKING:
    from llmlist.catalog import Catalog, Record
    from llmlist.records import EntryRecord


class SortKey(str, Enum):
    """Orders for results; each has a natural direction that --reverse flips."""

    RELEVANCE = "relevance"  # best match first
    PARAMS = "params"  # largest checkpoint first
    RELEASED = "released"  # newest first
    NAME = "name"  # A to Z


class Filters(NamedTuple):
    """Conditions an entry must meet. Values within one filter are alternatives (OR);
    different filters must all hold (AND)."""

    languages: tuple[str, ...] = ()  # ISO 639-1 codes
    min_params: int | None = None
    max_params: int | None = None
    licenses: tuple[str, ...] = ()  # in the weights licence (the code's where the weights have none), any spelling
    code_licenses: tuple[str, ...] = ()  # in the code licence, any spelling
    commercial: bool = False
    categories: tuple[str, ...] = ()  # category keys
    kinds: tuple[str, ...] = ()  # kind keys
    organizations: tuple[str, ...] = ()  # substrings, any case
    since: str | None = None  # YYYY-MM, inclusive
    until: str | None = None  # YYYY-MM, inclusive
    fits_gb: float | None = None  # a checkpoint must fit in this much memory ...
    quant: str = "fp16"  # ... at this precision
    context: int = DEFAULT_CONTEXT  # ... with a KV cache of this many tokens
    base: str | None = None  # the name of an entry: only entries derived from it, at any depth
    active: bool = False  # size filters compare active, not total, parameters of mixture-of-experts
    min_context: int | None = None  # a checkpoint's context window holds at least this many tokens

    def check(self) -> None:
        """Raise UsageError when the filters contradict each other, so nothing could match."""
        if self.min_params is not None and self.max_params is not None and self.min_params > self.max_params:
            raise UsageError("min_params", "is larger than the maximum size, so nothing can match")
        if self.since is not None and self.until is not None and self.since > self.until:
            raise UsageError("since", "is later than the end of the period, so nothing can match")

    @property
    def filters_params(self) -> bool:
        """Whether checkpoints are filtered (by size or by memory)."""
        return self.min_params is not None or self.max_params is not None or self.fits_gb is not None

    @property
    def filters_checkpoints(self) -> bool:
        """Whether any filter reads a fact a checkpoint may hold for itself."""
        return self.filters_params or bool(
            self.languages
            or self.licenses
            or self.code_licenses
            or self.commercial
            or self.since
            or self.until
            or self.min_context
        )


class Hit(NamedTuple):
    """An entry that answered a query: how well, and which checkpoints met the size filters.

    The record itself stays packed until `entry` is read; read it once per use and let it go.
    """

    facts: Facts
    score: float
    matched_variants: tuple[str, ...]
    stored: Stored

    @classmethod
    def of(cls, entry: Record, score: float = 0.0, matched_variants: tuple[str, ...] | None = None) -> Hit:
        """A hit for a record in memory (all its checkpoints matched unless said otherwise)."""
        matched = tuple(v["name"] for v in entry["variants"]) if matched_variants is None else matched_variants
        return cls(Facts.of(entry), score, matched, entry)

    @property
    def entry(self) -> EntryRecord:
        """The hit's record, unpacked now (read it once per use and let it go)."""
        record: EntryRecord = unpack(self.stored)  # type: ignore[assignment]  # validated: the shape holds
        return record

    @property
    def matched_params(self) -> tuple[int, ...]:
        names = set(self.matched_variants)
        return tuple(v.params for v in self.facts.variants if v.name in names and v.params)

    @property
    def matched_checkpoints(self) -> tuple[Checkpoint, ...]:
        names = set(self.matched_variants)
        return tuple(v for v in self.facts.variants if v.name in names)


# Scores for where a query word was found; an entry's score is the sum over the words.
_EXACT, _CHECKPOINT, _PREFIX, _PART, _VARIANT, _FUZZY_FLOOR = 100.0, 95.0, 90.0, 85.0, 80.0, 60.0
_VOCAB, _ORG, _LICENSE, _SUMMARY = 70.0, 60.0, 55.0, 40.0
# Separators dropped when comparing names: whitespace, punctuation people write between words.
_SEPARATORS = str.maketrans(dict.fromkeys(" \t\n\r\f\v\u00a0\u3000-_.·・()（）/+", None))


def normalize(text: str) -> str:
    """Fold case and drop separators, so 'ChatGLM-6B', 'chatglm 6b' and 'chatglm6b' agree."""
    return text.casefold().translate(_SEPARATORS)


def resolve_language(word: str) -> str | None:
    """The ISO 639-1 code a word names ('zh', 'chinese', '中文'), if any."""
    folded = word.strip().casefold()
    if folded in vocab.LANGUAGES or (len(folded) == 2 and folded in vocab.ISO_639_1):
        return folded
    for code, term in vocab.LANGUAGES.items():
        if folded in (term.en.casefold(), term.zh) or folded == term.zh.removesuffix("语"):
            return code
    return vocab.LANGUAGE_WORDS.get(folded)


def _resolve_term(word: str, terms: dict[str, vocab.Term]) -> str | None:
    folded = word.strip().casefold()
    for key, term in terms.items():
        if folded in (key, term.en.casefold(), term.zh):
            return key
    return None


def resolve_category(word: str) -> str | None:
    """The category key a word names ('medical', 'Medical', '医疗', 'medicine', '医学'), if any."""
    return _resolve_term(word, vocab.CATEGORIES) or vocab.CATEGORY_WORDS.get(word.strip().casefold())


def resolve_kind(word: str) -> str | None:
    """The kind key a word names ('framework', '开发框架'), if any."""
    return _resolve_term(word, vocab.KINDS)


def search(
    catalog: Catalog,
    words: Sequence[str] = (),
    filters: Filters = Filters(),  # noqa: B008 - an immutable tuple is a safe default
    *,
    sort: SortKey = SortKey.RELEVANCE,
    reverse: bool = False,
    limit: int | None = None,
) -> Sequence[Hit]:
    """Entries that meet `filters` and match every query word, ranked and sorted."""
    if catalog.indexed:  # answered from the indexes of large files, with the same results
        from llmlist.index import answer

        return answer.search(catalog, words, filters, sort=sort, reverse=reverse, limit=limit)
    filters.check()
    terms = [w for word in words for w in word.split()]
    if limit is not None and limit < 1:
        raise UsageError("limit", f"{limit} is not a positive number of results")
    below = lineage.descendants(catalog, find(catalog, filters.base).facts.id) if filters.base is not None else None
    matched: dict[int, tuple[str, ...]] = {}  # the checkpoints that met the size filters, found once
    for i, facts in enumerate(catalog.facts):
        if (below is None or facts.id in below) and _passes(facts, filters):
            if facts.variants:
                variants = _matching_variants(facts, filters)
                if variants or not filters.filters_checkpoints:
                    matched[i] = variants
            elif not filters.filters_params and _checkpoint_passes(_entry_as_checkpoint(facts), filters):
                matched[i] = ()
    positions = list(matched)
    scores = dict.fromkeys(positions, 0.0)
    terms = [_size_word(term) for term in terms]
    for term in terms:
        word_scores = _score_word(term, catalog, positions)
        positions = [i for i, score in zip(positions, word_scores, strict=True) if score > 0]
        for i, score in zip(positions, (s for s in word_scores if s > 0), strict=True):
            scores[i] += score
    if len(terms) > 1:
        _add_phrase(terms, catalog, positions, scores)
    for term in terms:  # a word that names a checkpoint exactly (or its Hugging Face id) narrows to it
        for i in positions:
            named = _checkpoints_named(term, catalog.facts[i])
            if named and set(named) & set(matched[i]):
                matched[i] = tuple(name for name in matched[i] if name in named)
    hits = [Hit(catalog.facts[i], scores[i], matched[i], catalog.stored[i]) for i in positions]
    hits = _sorted(hits, sort, reverse)
    return hits[:limit] if limit is not None else hits


def _passes(facts: Facts, filters: Filters) -> bool:
    """Whether the entry meets the filters on the fields only a whole entry has."""
    if filters.categories and not set(filters.categories) & set(facts.categories):
        return False
    if filters.kinds and facts.kind not in filters.kinds:
        return False
    if filters.organizations:
        org = (facts.organization or "").casefold()
        if not any(wanted.casefold() in org for wanted in filters.organizations):
            return False
    return True


def _entry_as_checkpoint(facts: Facts) -> Checkpoint:
    """The entry's own values, for an entry without checkpoints (a tool)."""
    return Checkpoint(facts.name, None, None, None, facts.released, facts.languages, facts.license_code,
                      facts.license_weights, facts.commercial_use, None, False, None)  # fmt: skip


def _checkpoint_passes(checkpoint: Checkpoint, filters: Filters) -> bool:
    """Whether one checkpoint meets the filters on the facts it may hold for itself."""
    if filters.languages and not set(filters.languages) & set(checkpoint.languages):
        return False
    if filters.commercial and checkpoint.commercial_use is not True:
        return False
    if filters.licenses:
        name = checkpoint.license_weights or checkpoint.license_code
        if not any(licenses.matches(wanted, name) for wanted in filters.licenses):
            return False
    if filters.code_licenses and not any(
        licenses.matches(wanted, checkpoint.license_code) for wanted in filters.code_licenses
    ):
        return False
    if filters.min_context is not None and (checkpoint.context is None or checkpoint.context < filters.min_context):
        return False
    if filters.since is not None or filters.until is not None:
        released = checkpoint.released
        if released is None:
            return False
        if (filters.since and released < filters.since) or (filters.until and released > filters.until):
            return False
    return True


def _matching_variants(facts: Facts, filters: Filters) -> tuple[str, ...]:
    if not filters.filters_checkpoints:
        return tuple(v.name for v in facts.variants)
    low = filters.min_params if filters.min_params is not None else 0
    high = filters.max_params if filters.max_params is not None else float("inf")
    sized = filters.min_params is not None or filters.max_params is not None
    matched = []
    for checkpoint in facts.variants:
        if not _checkpoint_passes(checkpoint, filters):
            continue
        total = checkpoint.params
        params = (checkpoint.active_params or total) if filters.active else total
        if sized and not (params is not None and low <= params <= high):
            continue
        if filters.fits_gb is not None:
            # every expert counts: the checkpoint's total parameters
            from llmlist import hardware  # only --fits reads memory

            needed = hardware.need(checkpoint, filters.quant, facts.requirements, filters.context)
            if needed is None or needed.gb > filters.fits_gb:
                continue
        matched.append(checkpoint.name)
    return tuple(matched)


def _score_word(word: str, catalog: Catalog, positions: Sequence[int]) -> list[float]:
    """The best score of `word` in each entry at `positions`; 0 where it is not found."""
    key = normalize(word)
    if not key:
        return [0.0] * len(positions)
    facts = [catalog.facts[i] for i in positions]
    names = [[normalize(name) for name in f.names] for f in facts]
    scores = [_name_score(key, entry_keys, f.names) for entry_keys, f in zip(names, facts, strict=True)]
    language, category, kind = resolve_language(word), resolve_category(word), resolve_kind(word)
    vocabulary_word = language or category or kind
    if not vocabulary_word and not any(scores):
        _add_fuzzy(key, names, scores)  # typo tolerance, only for a word that names nothing as written
    folded = word.casefold()
    organizations = vocab.ORGANIZATION_WORDS.get(folded.strip(), (folded,))
    pattern = None if _has_cjk(folded) else re.compile(r"(?<!\w)" + re.escape(folded))
    for i, f in enumerate(facts):
        if scores[i] >= _VOCAB:
            continue
        variant_keys = [normalize(v.name) for v in f.variants]  # once per entry: both tests below read them
        if key in variant_keys or any(v.huggingface is not None and v.huggingface.casefold() == folded
                                      for v in f.variants):  # fmt: skip
            scores[i] = _CHECKPOINT  # the word names a checkpoint exactly (as `_checkpoints_named`)
            continue
        if len(key) >= 2 and any(_contains(key, k, v.name) for k, v in zip(variant_keys, f.variants, strict=True)):
            scores[i] = max(scores[i], _VARIANT)
        if vocabulary_word:
            if (
                (language and (language in f.languages or any(language in v.languages for v in f.variants)))
                or (category and category in f.categories)
                or (kind and f.kind == kind)
            ):
                scores[i] = max(scores[i], _VOCAB)
            continue  # a language, category or kind word is not looked for in free text
        organization = (f.organization or "").casefold()
        if len(key) >= 2 and any(name in organization for name in organizations):
            scores[i] = max(scores[i], _ORG)
        license_names = " ".join(t for t in (f.license_code, f.license_weights) if t).casefold()
        if len(key) >= 2 and folded in license_names:
            scores[i] = max(scores[i], _LICENSE)
        if scores[i] == 0 and _in_summary(folded, pattern, unpack(catalog.stored[positions[i]])):
            scores[i] = _SUMMARY
    return scores


def _size_word(word: str) -> str:
    """A size written with Chinese units ('130亿') as the checkpoint names write it ('13b')."""
    if not _has_cjk(word) or not word[:1].isascii():
        return word
    from llmlist.sizes import SizeError, format_size, parse_size

    try:
        return format_size(parse_size(word)).lower()
    except SizeError:
        return word


def _add_phrase(terms: Sequence[str], catalog: Catalog, positions: Sequence[int], scores: dict[int, float]) -> None:
    """Rank first the entries whose name holds the words together ('qwen 2.5' is 'qwen2.5'), then
    those whose name holds them all in order."""
    keys = [normalize(term) for term in terms]
    phrase = "".join(keys)
    for i in positions:
        facts = catalog.facts[i]
        names = [normalize(name) for name in facts.names]
        together = _name_score(phrase, names, facts.names)
        if together:
            scores[i] += 2 * together
        elif any(_in_order(keys, name) for name in names):
            scores[i] += _SUMMARY


def _in_order(keys: Sequence[str], name: str) -> bool:
    position = 0
    for key in keys:
        found = name.find(key, position)
        if found < 0:
            return False
        position = found + len(key)
    return True


def _checkpoints_named(word: str, facts: Facts) -> tuple[str, ...]:
    """The checkpoints `word` names exactly: by name in any case and spacing, or by Hugging Face id."""
    folded, key = word.casefold(), normalize(word)
    return tuple(
        v.name for v in facts.variants
        if normalize(v.name) == key or (v.huggingface is not None and v.huggingface.casefold() == folded)
    )  # fmt: skip


def _has_cjk(text: str) -> bool:
    # A loop, not a regex: compiling a character class of these ranges costs ~2 ms at start-up.
    return any("\u3000" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in text)


def _name_score(key: str, entry_keys: Sequence[str], originals: Sequence[str] = ()) -> float:
    best = 0.0
    for position, name in enumerate(entry_keys):
        if key == name:
            return _EXACT
        original = originals[position] if position < len(originals) else name
        if len(key) >= 2 and name.startswith(key):
            best = max(best, _PREFIX)
        elif len(key) >= 3 and _contains(key, name, original):
            best = max(best, _PART)
    return best


def _contains(key: str, name: str, original: str) -> bool:
    """Whether normalized `name` holds `key`; a key of three characters or fewer must start at a
    word boundary of the original name (after a separator, or where letters turn into digits), so
    'r1' finds DeepSeek-R1 but not 'deepseek-coder-1.3b'."""
    if key not in name:
        return False
    return len(key) > 3 or bool(_boundaries(original) & _starts(key, name))


def _starts(key: str, name: str) -> set[int]:
    found, position = set(), name.find(key)
    while position >= 0:
        found.add(position)
        position = name.find(key, position + 1)
    return found


@functools.lru_cache(maxsize=8192)
def _boundaries(original: str) -> frozenset[int]:
    """Positions in the normalized name where a word starts: the first character, one after a
    separator, a change between letters and digits, and every CJK character."""
    starts, position, previous, separated = set(), 0, "", True
    for char in original.casefold():
        if normalize(char) == "":
            separated = True
            continue
        if separated or (previous and previous.isdigit() != char.isdigit()) or _has_cjk(char):
            starts.add(position)
        previous, separated, position = char, False, position + len(char)
    return frozenset(starts)


def _add_fuzzy(key: str, names: Sequence[Sequence[str]], scores: list[float]) -> None:
    """Raise scores where an entry's name is a near miss of `key` (typos such as 'falcn')."""
    if len(key) < 4:
        return
    from rapidfuzz import fuzz, process

    flat = [(i, name) for i, entry_keys in enumerate(names) if scores[i] < _PART for name in entry_keys]
    if not flat:
        return
    matches = process.extract(key, [name for _, name in flat], scorer=fuzz.ratio, score_cutoff=80, limit=None)
    for _, similarity, position in matches:
        i = flat[position][0]
        scores[i] = max(scores[i], _FUZZY_FLOOR + (similarity - 80) / 20 * (_VARIANT - _FUZZY_FLOOR))


def _in_summary(folded: str, pattern: re.Pattern[str] | None, entry: Record) -> bool:
    summary = entry["summary"]
    if pattern is None:
        return folded in summary["zh"] or folded in summary["en"].casefold()
    return bool(pattern.search(summary["en"].casefold()) or pattern.search(summary["zh"].casefold()))


def _sorted(hits: list[Hit], sort: SortKey, reverse: bool) -> list[Hit]:
    by_name = sorted(hits, key=lambda h: h.facts.name.casefold())
    if sort is SortKey.NAME:
        return by_name[::-1] if reverse else by_name

    def value(hit: Hit) -> float | str | None:
        if sort is SortKey.RELEVANCE:
            return hit.score
        if sort is SortKey.PARAMS:
            params = hit.matched_params
            return max(params) if params else None
        return released(hit)

    known = [h for h in by_name if value(h) is not None]
    unknown = [h for h in by_name if value(h) is None]  # entries without the value always come last
    known.sort(key=value, reverse=not reverse)  # type: ignore[arg-type]
    return known + unknown


def released(hit: Hit) -> str | None:
    """When the hit's matched checkpoints were first released (the entry's month for a tool)."""
    months = [v.released for v in hit.matched_checkpoints if v.released]
    if months:
        return min(months)
    return hit.facts.released if not hit.facts.variants or not hit.matched_variants else None


def find(catalog: Catalog, name: str) -> Hit:
    """The entry `name` refers to: an id, name or alias in any case or spacing; a checkpoint's name
    or Hugging Face id (the hit then matches that checkpoint only); or a clear near miss.

    Raise EntryNotFound with the closest names when there is no such entry.
    """
    if catalog.indexed:  # answered from the indexes of large files, with the same results
        from llmlist.index import answer

        return answer.find(catalog, name)
    position = catalog.position(name)
    key = normalize(name)
    index = (
        [(normalize(n), i) for i, facts in enumerate(catalog.facts) for n in facts.names] if position is None else []
    )
    if position is None:
        position = next((i for candidate, i in index if key and candidate == key), None)
    if position is not None:
        return _whole_hit(catalog, position, _EXACT)
    for i, facts in enumerate(catalog.facts):
        named = _checkpoints_named(name, facts)
        if named:
            return Hit(facts, _EXACT, named, catalog.stored[i])
    # best first; names as near as each other go by id, so that every way of loading answers alike
    ranked = sorted(_closest(key, index), key=lambda pair: (-pair[1], catalog.facts[pair[0]].id))
    if ranked and ranked[0][1] >= 90 and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= 10):
        return _whole_hit(catalog, ranked[0][0], ranked[0][1])
    raise EntryNotFound(name, [catalog.facts[i].id for i, score in ranked[:3] if score >= 70])


def _whole_hit(catalog: Catalog, position: int, score: float) -> Hit:
    facts = catalog.facts[position]
    return Hit(facts, score, tuple(v.name for v in facts.variants), catalog.stored[position])


def _closest(key: str, index: Sequence[tuple[str, int]]) -> list[tuple[int, float]]:
    """Positions of the entries whose names are nearest `key`, best first, with their similarity.

    Whole-name similarity counts fully; a match inside a longer name (an alias such as
    'Linly-Chinese-LLaMA' for 'llama') counts at 80%, so 'lamma' suggests LLaMA first.
    """
    if not key or not index:
        return []
    from rapidfuzz import fuzz, process

    names = [n for n, _ in index]
    best: dict[int, float] = {}
    for scorer, weight in ((fuzz.ratio, 1.0), (fuzz.partial_ratio, 0.8)):
        for _, score, at in process.extract(key, names, scorer=scorer, limit=30):
            position = index[at][1]
            best[position] = max(best.get(position, 0.0), score * weight)
    return sorted(best.items(), key=lambda pair: -pair[1])
