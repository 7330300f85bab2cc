"""Counting the catalog: entries by category, organization, license, language, country, year or
kind, and checkpoints by parameter count."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from llmlist import licenses, vocab

if TYPE_CHECKING:
    from llmlist.catalog import Catalog, Facts

GROUPINGS = ("category", "organization", "license", "language", "country", "year", "kind")
NONE_KEY = "(none)"

# Bounds of the size histogram, in parameters: a checkpoint of 7B falls in 3B-8B.
_BOUNDS = (0, 10**9, 3 * 10**9, 8 * 10**9, 15 * 10**9, 35 * 10**9, 80 * 10**9, 200 * 10**9, None)


class Count(NamedTuple):
    key: str
    label: str
    entries: int


class SizeBin(NamedTuple):
    label: str
    low: int
    high: int | None  # exclusive; None for the last, open-ended bin
    checkpoints: int


def _key(facts: Facts, by: str) -> str | None:
    """The one value an entry is counted under: its first category or language when it has several."""
    if by == "category":
        return facts.categories[0] if facts.categories else None
    if by == "language":
        return facts.languages[0] if facts.languages else None
    if by == "license":
        return licenses.label(facts.license_code, facts.license_weights, facts.kind in vocab.MODEL_KINDS) or None
    if by == "year":
        return facts.released[:4] if facts.released else None
    value: str | None = getattr(facts, by)  # organization, country, kind
    return value


def _label(key: str, by: str, locale: str) -> str:
    terms = {"category": vocab.CATEGORIES, "language": vocab.LANGUAGES, "country": vocab.COUNTRIES,
             "kind": vocab.KINDS}.get(by, {})  # fmt: skip
    term = terms.get(key)
    if key == NONE_KEY:
        return "（未知）" if locale == "zh" else "(unknown)"
    return (term.zh if locale == "zh" else term.en) if term else key


def counts(catalog: Catalog, by: str, locale: str = "en") -> list[Count]:
    """Entries per value of `by`, most first (years in order); each entry is counted once, so the
    counts add up to the catalog's size."""
    if by not in GROUPINGS:
        raise ValueError(f"cannot count by {by!r}")
    tally: dict[str, int] = {}
    for facts in catalog.facts:
        key = _key(facts, by) or NONE_KEY
        tally[key] = tally.get(key, 0) + 1
    if by == "year":  # years read best in order
        ordered = sorted(tally.items(), key=lambda item: (item[0] == NONE_KEY, item[0]))
    else:
        ordered = sorted(tally.items(), key=lambda item: (-item[1], item[0] == NONE_KEY, item[0]))
    return [Count(key, _label(key, by, locale), n) for key, n in ordered]


def size_histogram(catalog: Catalog) -> list[SizeBin]:
    """Checkpoints (with a known parameter count) per size range."""
    bins = []
    params = [v.params for facts in catalog.facts for v in facts.variants if v.params]
    for low, high in zip(_BOUNDS, _BOUNDS[1:], strict=False):
        assert low is not None
        count = sum(1 for p in params if p >= low and (high is None or p < high))
        bins.append(SizeBin(_range_label(low, high), low, high, count))
    return bins


def _range_label(low: int, high: int | None) -> str:
    def b(n: int) -> str:
        return f"{n // 10**9}B"

    if low == 0:
        return f"<{b(high or 0)}"
    return f"≥{b(low)}" if high is None else f"{b(low)}-{b(high)}"
