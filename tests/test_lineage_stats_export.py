"""Lineage, counting, Markdown export and hardware fit, on the small catalog."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmlist import export, hardware, lineage, stats
from llmlist.catalog import Catalog, Checkpoint, Stated
from llmlist.query import Filters, search


def ids(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(h.facts.id for h in hits)


def test_lineage_follows_entry_and_checkpoint_bases(small_catalog: Catalog) -> None:
    assert lineage.children(small_catalog) == {"beta": ["gamma-med"]}
    assert lineage.descendants(small_catalog, "beta") == {"gamma-med"}
    assert lineage.roots(small_catalog) == ["beta"]
    assert lineage.tree(small_catalog, "beta") == {
        "id": "beta", "name": "Beta", "repeat": False,
        "children": [{"id": "gamma-med", "name": "GammaMed", "children": [], "repeat": False}],
    }  # fmt: skip


def test_base_filter_keeps_descendants_only(small_catalog: Catalog) -> None:
    assert ids(search(small_catalog, [], Filters(base="beta"))) == ["gamma-med"]
    assert search(small_catalog, [], Filters(base="gamma-med")) == []


@pytest.mark.parametrize("by", stats.GROUPINGS)
def test_counts_add_up_to_the_catalog(small_catalog: Catalog, by: str) -> None:
    counts = stats.counts(small_catalog, by)
    assert sum(c.entries for c in counts) == len(small_catalog)
    if by == "year":
        assert [c.key for c in counts] == ["2022", "2023"]
    else:
        assert [c.entries for c in counts] == sorted((c.entries for c in counts), reverse=True)


def test_counts_use_names_in_the_locale(small_catalog: Catalog) -> None:
    assert {c.label for c in stats.counts(small_catalog, "category", "zh")} == {"对话", "基座模型", "医疗", "应用构建"}
    assert ("(unknown)", 2) in [(c.label, c.entries) for c in stats.counts(small_catalog, "country")]


def test_size_histogram_counts_checkpoints(small_catalog: Catalog) -> None:
    bins = {b.label: b.checkpoints for b in stats.size_histogram(small_catalog)}
    assert bins == {"<1B": 0, "1B-3B": 0, "3B-8B": 3, "8B-15B": 1, "15B-35B": 0, "35B-80B": 1, "80B-200B": 0,
                    "≥200B": 0}  # fmt: skip


def test_markdown_export_lists_every_entry_in_sections(small_catalog: Catalog) -> None:
    text = export.markdown(small_catalog, "en")
    for entry_id in ("alpha-6b", "beta", "gamma-med", "delta-kit"):
        assert f"(`{entry_id}`)" in text
    chinese, open_llms, tools = (text.index(h) for h in ("### Chinese LLMs", "### Open LLMs", "### LLM tools"))
    assert chinese < text.index("`alpha-6b`") < open_llms < text.index("`beta`") < tools < text.index("`delta-kit`")
    assert "| **Beta** (`beta`) | Beta Institute | 6.7B, 13B, 65.2B | Beta Research License |" in text
    zh = export.markdown(small_catalog, "zh")
    assert "### 开源中文 LLM" in zh and "**阿尔法 (Alpha-6B)**" in zh


def test_markdown_cells_cannot_break_the_table() -> None:
    assert export._cell("a | b\nc") == "a \\| b c"


@pytest.mark.parametrize(
    ("text", "gb"), [("6gb", 6.0), ("24GB", 24.0), ("80g", 80.0), ("512mb", 0.512), ("1.5tb", 1500.0), ("16", 16.0)]
)
def test_parse_memory(text: str, gb: float) -> None:
    assert hardware.parse_memory(text) == pytest.approx(gb)


@pytest.mark.parametrize("text", ["", "gb", "-4gb", "0gb", "24 GB RAM", "1e3gb", "lots"])
def test_parse_memory_rejects_other_text(text: str) -> None:
    with pytest.raises(hardware.AmountError, match="amount of memory"):
        hardware.parse_memory(text)


@given(st.text(max_size=40))
def test_parse_memory_raises_only_its_own_error(text: str) -> None:
    with contextlib.suppress(hardware.AmountError):
        assert hardware.parse_memory(text) > 0


def test_stated_requirement_wins_over_estimate() -> None:
    def checkpoint(name: str, params: int | None) -> Checkpoint:
        return Checkpoint(name, params, None, None, None, (), None, None, None, 2048, False, None)

    stated = (Stated("Alpha-6B", "int4", "inference", 6.0, None), Stated(None, "fp16", "inference", 20.0, None))
    alpha = checkpoint("Alpha-6B", 6_200_000_000)
    stated_int4 = hardware.need(alpha, "int4", stated)
    assert stated_int4 is not None and (stated_int4.gb, stated_int4.stated_gb) == (6.0, 6.0)
    assert stated_int4.estimated_gb == pytest.approx(5.15, abs=0.01)
    other = hardware.need(checkpoint("Other", 6_200_000_000), "fp16", stated)
    assert other is not None and (other.gb, other.stated_gb) == (20.0, 20.0)
    # 6.2e9 x 1 byte + 0.13 GB of KV cache for 2048 tokens (the assumed shape: 31.6 layers of 506
    # key and 506 value values a token) + 1.8 GB of runtime
    estimate = hardware.need(alpha, "int8", stated)
    assert estimate is not None and estimate.stated_gb is None
    assert estimate.gb == pytest.approx(8.13, abs=0.01) and estimate.estimated_gb == pytest.approx(8.13, abs=0.01)
    assert hardware.need(checkpoint("NoSize", None), "int8", ()) is None


def test_fits_filter_uses_stated_needs_and_estimates(small_catalog: Catalog) -> None:
    assert ids(search(small_catalog, [], Filters(fits_gb=6, quant="int4"))) == ["alpha-6b", "beta", "gamma-med"]
    beta = search(small_catalog, ["beta"], Filters(fits_gb=16, quant="int8"))[0]
    assert beta.matched_variants == ("Beta-7B", "Beta-13B")  # 8.8 and 15.2 GB; 65.2B needs 68 GB
    # Alpha states 6 GB at int4 (its estimate would be 5.2); GammaMed's 7B is estimated at 5.7 GB.
    assert ids(search(small_catalog, [], Filters(fits_gb=5.8, quant="int4"))) == ["beta", "gamma-med"]
