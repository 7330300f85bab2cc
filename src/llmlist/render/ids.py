"""Ids only, one per line: for `xargs` and shell loops."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llmlist.query import Hit


def render_ids(hits: Sequence[Hit]) -> str:
    return "".join(hit.entry["id"] + "\n" for hit in hits)
