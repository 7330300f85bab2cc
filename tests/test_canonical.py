"""The catalog file's canonical form: any catalog round-trips through it unchanged in meaning."""

from __future__ import annotations

import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from llmlist.canonical import WIDTH, dumps
from tests.conftest import SMALL_CATALOG

_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400)
_ids = st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True)


def _entry(entry_id: str, name: str, summary: str, notes: list[str], params: int, note: str) -> dict:  # type: ignore[type-arg]
    return {
        "id": entry_id, "name": name, "kind": "language-model", "notes": notes,
        "summary": {"en": summary, "zh": summary[::-1] or "中"},
        "variants": [{"name": name, "params": params, "note": note, "license": {"code": "MIT"}}],
        "sources": [{"url": "https://example.org/x", "supports": ["name"]}],
    }  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.builds(_entry, _ids, _text, _text, st.lists(_text, max_size=3), st.integers(1, 10**15), _text),
                max_size=4, unique_by=lambda e: e["id"]))  # fmt: skip
def test_any_catalog_round_trips_through_the_canonical_form(entries: list[dict]) -> None:  # type: ignore[type-arg]
    document = {"schema_version": 1, "entries": entries}
    text = dumps(document)
    back = tomli.loads(text)
    assert back.get("entries", []) == sorted(entries, key=lambda e: e["id"])
    assert dumps(back) == text  # canonical: writing it again changes nothing


def test_long_text_is_folded_and_keys_follow_the_schema() -> None:
    text = dumps(tomli.loads(SMALL_CATALOG))
    assert [line for line in text.splitlines() if len(line) > WIDTH + 30] == []
    alpha = text[text.index('id = "alpha-6b"') :]
    assert alpha.index("name =") < alpha.index("kind =") < alpha.index("[entries.summary]")
    assert alpha.index("[[entries.variants]]") < alpha.index("[entries.license]") < alpha.index("[[entries.sources]]")
    assert "params = 6_200_000_000" in text
