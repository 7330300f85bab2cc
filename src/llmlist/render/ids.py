"""Ids only, one per line: for `xargs` and shell loops."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llmlist.query import Hit


def ids_chunks(hits: Sequence[Hit]) -> Iterator[str]:
    for hit in hits:
        yield hit.facts.id + "\n"
