"""Entries side by side for `compare`: one column per entry, a row per field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from llmlist.render.fields import FIELDS, heading
from llmlist.render.inert import capped, inert
from llmlist.render.table import unbroken

if TYPE_CHECKING:
    from llmlist.query import Hit
    from llmlist.render.target import Target

# The rows compare shows, in order.
ROWS = (
    "name", "name_zh", "kind", "organization", "country", "released", "languages", "categories",
    "base_model", "variants", "context", "memory", "license", "commercial_use", "conditions", "links", "summary",
)  # fmt: skip


def comparison(hits: Sequence[Hit], fields: Sequence[str] | None, everything: bool, target: Target) -> Group:
    """A table of the chosen fields (default: `ROWS`), keeping only rows where the entries differ
    unless `everything`; addresses follow the table, each on a line of its own so none is broken."""
    entries = [hit.entry for hit in hits]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("", style="bold", no_wrap=True)
    for hit in hits:
        table.add_column(inert(hit.facts.id), overflow="fold", ratio=1)
    links: list[Text] = []
    for name in fields or ROWS:
        shown = "summary_zh" if name == "summary" and target.locale == "zh" else name
        texts = [FIELDS[shown].text(entry, hit, target) for entry, hit in zip(entries, hits, strict=True)]
        if not (everything or fields or len(set(texts)) > 1):
            continue
        if name == "links":
            width = max(len(hit.facts.id) for hit in hits) + 2
            links = [unbroken(f"{hit.facts.id:<{width}}", text) for hit, text in zip(hits, texts, strict=True) if text]
            continue
        table.add_row(heading(name, target), *(Text(inert(capped(t))) for t in texts))
    table.expand = True
    return Group(table, *([Text("\nLinks", style="bold"), *links] if links else []))
