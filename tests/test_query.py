from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmlist.catalog import Catalog
from llmlist.errors import EntryNotFound, UsageError
from llmlist.query import Filters, SortKey, find, normalize, resolve_category, resolve_language, search
from tests.conftest import build_small_catalog


def ids(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.entry["id"] for h in hits]


@pytest.mark.parametrize("word", ["zh", "chinese", "Chinese", "中文", "汉语"])
def test_language_words_name_chinese(word: str) -> None:
    assert resolve_language(word) == "zh"


@pytest.mark.parametrize(("word", "key"), [("medical", "medical"), ("Medical", "medical"), ("医疗", "medical"),
                                           ("法律", "legal"), ("code", "code"), ("cooking", None)])  # fmt: skip
def test_category_words_in_both_languages(word: str, key: str | None) -> None:
    assert resolve_category(word) == key


def test_normalize_ignores_case_and_separators() -> None:
    assert normalize("ChatGLM-6B") == normalize("chatglm 6b") == normalize("chatglm6b") == "chatglm6b"


def test_empty_query_returns_everything(small_catalog: Catalog) -> None:
    assert len(search(small_catalog)) == 4


def test_language_word_matches_by_language_in_both_scripts(small_catalog: Catalog) -> None:
    assert set(ids(search(small_catalog, ["chinese"]))) == {"alpha-6b", "gamma-med"}
    assert ids(search(small_catalog, ["中文"])) == ids(search(small_catalog, ["zh"]))


def test_category_word_matches_in_both_languages(small_catalog: Catalog) -> None:
    assert ids(search(small_catalog, ["医疗"])) == ids(search(small_catalog, ["medical"])) == ["gamma-med"]


def test_query_words_are_anded(small_catalog: Catalog) -> None:
    assert ids(search(small_catalog, ["chinese", "medical"])) == ["gamma-med"]
    assert ids(search(small_catalog, ["chinese medical"])) == ["gamma-med"]
    assert search(small_catalog, ["chinese", "framework"]) == []


def test_names_match_with_typos(small_catalog: Catalog) -> None:
    assert ids(search(small_catalog, ["gammamde"]))[:1] == ["gamma-med"]
    assert ids(search(small_catalog, ["alphachat"])) == ["alpha-6b"]
    assert ids(search(small_catalog, ["伽马"])) == ["gamma-med"]


def test_organization_license_and_summary_words_match(small_catalog: Catalog) -> None:
    assert ids(search(small_catalog, ["institute"])) == ["beta"]
    assert ids(search(small_catalog, ["apache"])) == ["alpha-6b"]
    assert ids(search(small_catalog, ["dialogues"])) == ["gamma-med"]
    assert ids(search(small_catalog, ["问答"])) == ["alpha-6b"]


def test_name_hit_ranks_above_summary_hit(small_catalog: Catalog) -> None:
    # "beta" is Beta's name and appears only in GammaMed's summary.
    hits = search(small_catalog, ["beta"])
    assert ids(hits) == ["beta", "gamma-med"]
    assert hits[0].score > hits[1].score


def test_params_filter_keeps_families_with_a_fitting_checkpoint(small_catalog: Catalog) -> None:
    hits = search(small_catalog, [], Filters(max_params=13_000_000_000))
    by_id = {h.entry["id"]: h for h in hits}
    assert set(by_id) == {"alpha-6b", "beta", "gamma-med"}  # the framework has no checkpoints
    assert by_id["beta"].matched_variants == ("Beta-7B", "Beta-13B")
    assert ids(search(small_catalog, [], Filters(min_params=20_000_000_000))) == ["beta"]


def test_filters_combine(small_catalog: Catalog) -> None:
    assert ids(search(small_catalog, [], Filters(languages=("zh",), commercial=True))) == ["alpha-6b"]
    assert ids(search(small_catalog, [], Filters(licenses=("gpl",)))) == []  # beta's weights are not GPL
    assert ids(search(small_catalog, [], Filters(code_licenses=("gpl",)))) == ["beta"]
    assert ids(search(small_catalog, [], Filters(kinds=("framework",)))) == ["delta-kit"]
    assert ids(search(small_catalog, [], Filters(organizations=("gamma",)))) == ["gamma-med"]
    assert ids(search(small_catalog, [], Filters(categories=("chat",)), sort=SortKey.NAME)) == ["alpha-6b", "gamma-med"]
    assert ids(search(small_catalog, [], Filters(since="2023-03", until="2023-04"))) == ["alpha-6b"]


def test_contradictory_filters_are_a_usage_error(small_catalog: Catalog) -> None:
    with pytest.raises(UsageError, match="min_params"):
        search(small_catalog, [], Filters(min_params=10, max_params=5))
    with pytest.raises(UsageError, match="since"):
        search(small_catalog, [], Filters(since="2024-01", until="2023-01"))


def test_sorting_and_limit(small_catalog: Catalog) -> None:
    assert ids(search(small_catalog, sort=SortKey.PARAMS)) == ["beta", "gamma-med", "alpha-6b", "delta-kit"]
    assert ids(search(small_catalog, sort=SortKey.PARAMS, reverse=True))[:3] == ["alpha-6b", "gamma-med", "beta"]
    assert ids(search(small_catalog, sort=SortKey.RELEASED)) == ["gamma-med", "alpha-6b", "beta", "delta-kit"]
    assert ids(search(small_catalog, sort=SortKey.NAME)) == ["alpha-6b", "beta", "delta-kit", "gamma-med"]
    assert ids(search(small_catalog, sort=SortKey.NAME, limit=2)) == ["alpha-6b", "beta"]
    with pytest.raises(UsageError, match="limit"):
        search(small_catalog, limit=0)


@pytest.mark.parametrize("name", ["alpha-6b", "Alpha-6B", "ALPHA 6B", "alpha6b", "AlphaChat", "阿尔法"])
def test_find_by_id_name_alias_in_any_case(small_catalog: Catalog, name: str) -> None:
    hit = find(small_catalog, name)
    assert hit.entry["id"] == "alpha-6b" and hit.score == 100


def test_find_takes_a_clear_near_miss(small_catalog: Catalog) -> None:
    hit = find(small_catalog, "gammamedd")
    assert hit.entry["id"] == "gamma-med" and hit.score < 100


def test_find_unknown_name_suggests_closest(small_catalog: Catalog) -> None:
    with pytest.raises(EntryNotFound) as error:
        find(small_catalog, "alpa-7b")
    assert error.value.suggestions[0] == "alpha-6b"
    assert error.value.exit_code == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=4))
def test_any_query_never_raises(words: list[str]) -> None:
    hits = search(build_small_catalog(), words)
    assert all(h.score >= 0 for h in hits)
    assert len(ids(hits)) == len(set(ids(hits)))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_any_name_is_found_or_not_found(name: str) -> None:
    try:
        assert find(build_small_catalog(), name).entry["id"]
    except EntryNotFound as error:
        assert len(error.suggestions) <= 3


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["alpha-6b", "beta", "gamma-med", "delta-kit"]), st.sampled_from(["upper", "lower", "spaced"]))
def test_every_id_is_found_however_written(entry_id: str, style: str) -> None:
    small_catalog = build_small_catalog()
    name = {"upper": entry_id.upper(), "lower": entry_id, "spaced": entry_id.replace("-", " ")}[style]
    assert find(small_catalog, name).entry["id"] == entry_id
    assert entry_id in ids(search(small_catalog, [name]))
