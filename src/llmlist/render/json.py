"""JSON output: an array of records (or one object), and JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from llmlist.render.fields import FIELDS

if TYPE_CHECKING:
    from llmlist.query import Hit


def record(hit: Hit, fields: Sequence[str]) -> dict[str, Any]:
    """The hit as a JSON object with the chosen keys, in order."""
    return {name: FIELDS[name].value(hit) for name in fields}


def render_json(hits: Sequence[Hit], fields: Sequence[str], *, ascii_only: bool = False) -> str:
    return json.dumps([record(h, fields) for h in hits], ensure_ascii=ascii_only, indent=2) + "\n"


def render_object(hit: Hit, fields: Sequence[str], *, ascii_only: bool = False) -> str:
    return json.dumps(record(hit, fields), ensure_ascii=ascii_only, indent=2) + "\n"


def render_jsonl(hits: Sequence[Hit], fields: Sequence[str], *, ascii_only: bool = False) -> str:
    return "".join(json.dumps(record(h, fields), ensure_ascii=ascii_only) + "\n" for h in hits)
