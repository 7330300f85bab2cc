from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from llmlist import catalog, schema


def _entry(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "x-1",
        "name": "X",
        "kind": "language-model",
        "summary": {"en": "text", "zh": "文本"},
        "sources": [{"url": "https://example.org/x", "supports": ["params"]}],
    }
    entry.update(changes)
    return entry


def _error(**changes: Any) -> str:
    with pytest.raises(ValidationError) as error:
        schema.Entry.model_validate(_entry(**changes))
    return str(error.value)


def test_minimal_entry_is_valid_and_dumps_every_key() -> None:
    dumped = schema.Entry.model_validate(_entry()).model_dump(mode="json")
    assert dumped["license"]["commercial_use"] is None
    assert dumped["variants"] == []
    assert set(dumped) >= {"id", "name", "aliases", "kind", "languages", "license", "links", "summary", "sources"}


def test_unknown_key_is_an_error() -> None:
    assert "Extra inputs" in _error(paramz=7)


@pytest.mark.parametrize("bad", ["Chat-GLM", "a b", "-x", "x-", "Ünï"])
def test_id_must_be_a_lowercase_slug(bad: str) -> None:
    assert "id" in _error(id=bad)


@pytest.mark.parametrize("month", ["2023-13", "2023-00", "23-01", "2023", "March 2023"])
def test_released_must_be_a_month(month: str) -> None:
    assert "released" in _error(released=month)


def test_languages_are_iso_639_1_codes() -> None:
    assert "ISO 639-1" in _error(languages=["chinese"])
    assert "twice" in _error(languages=["zh", "zh"])


def test_categories_and_kinds_come_from_the_vocabulary() -> None:
    assert "unknown category" in _error(categories=["cooking"])
    assert "unknown kind" in _error(kind="model")


@pytest.mark.parametrize("params", [0, -5])
def test_parameter_counts_are_positive(params: int) -> None:
    assert "greater than 0" in _error(variants=[{"name": "X-1", "params": params}])


def test_active_params_cannot_exceed_total() -> None:
    assert "active_params" in _error(variants=[{"name": "X-8x7B", "params": 10, "active_params": 20}])


def test_sources_are_required_and_name_known_facts() -> None:
    assert "sources" in _error(sources=[])
    assert "unknown fact" in _error(sources=[{"url": "https://example.org", "supports": ["vibes"]}])


def test_summary_needs_both_languages() -> None:
    assert "zh" in _error(summary={"en": "only English"})


def test_links_must_be_web_addresses() -> None:
    assert "homepage" in _error(links={"homepage": "javascript:alert(1)"})


def test_schema_versions_agree() -> None:
    assert catalog.SCHEMA_VERSION == schema.SCHEMA_VERSION
