"""Lineage: which entries were trained from which, from `base_model` links of entries and checkpoints."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from llmlist.catalog import Catalog, Facts


def parents(facts: Facts) -> list[str]:
    """Ids this entry, or one of its checkpoints, was trained from (each once, in order)."""
    bases = [facts.base_model] + [v.base_model for v in facts.variants]
    return list(dict.fromkeys(base for base in bases if base and base != facts.id))


def children(catalog: Catalog) -> dict[str, list[str]]:
    """For each id, the ids of the entries trained from it, in catalog order."""
    below: dict[str, list[str]] = {}
    for facts in catalog.facts:
        for parent in parents(facts):
            below.setdefault(parent, []).append(facts.id)
    return below


def descendants(catalog: Catalog, root: str) -> set[str]:
    """Every id below `root`, at any depth (not `root` itself)."""
    below = children(catalog)
    found: set[str] = set()
    stack = list(below.get(root, []))
    while stack:
        entry_id = stack.pop()
        if entry_id not in found:
            found.add(entry_id)
            stack.extend(below.get(entry_id, []))
    return found


def roots(catalog: Catalog) -> list[str]:
    """Ids at the top of some lineage: entries others derive from that derive from none themselves."""
    below = children(catalog)
    known = {f.id for f in catalog.facts}
    return [f.id for f in catalog.facts if f.id in below and not [p for p in parents(f) if p in known]]


def tree(catalog: Catalog, root: str, below: dict[str, list[str]] | None = None,
         drawn: set[str] | None = None) -> dict[str, Any]:  # fmt: skip
    """The lineage below `root` as nested dicts: {"id", "name", "children": [...], "repeat"}.

    Built without recursion, so a lineage thousands deep is fine. An entry reached a second time
    (two parents share it, or a cycle) is given once in full and later with `repeat` true and no
    children. `below` is `children(catalog)`; `drawn`, shared between trees, draws each entry once
    across them all.
    """
    below = children(catalog) if below is None else below
    drawn = set() if drawn is None else drawn

    def node(entry_id: str) -> dict[str, Any]:
        position = catalog.position(entry_id)
        name = catalog.facts[position].name if position is not None else entry_id
        return {"id": entry_id, "name": name, "children": [], "repeat": entry_id in drawn}

    top = node(root)
    drawn.add(root)
    # Visited in drawing order (depth first, children in order), so the first drawing is the full one.
    stack = [] if top["repeat"] else [(top, child) for child in reversed(below.get(root, []))]
    while stack:
        parent, child_id = stack.pop()
        child = node(child_id)
        parent["children"].append(child)
        if not child["repeat"]:
            drawn.add(child_id)
            stack.extend((child, grandchild) for grandchild in reversed(below.get(child_id, [])))
    return top


def flatten(trees: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each node of the trees in drawing order: {"id", "name", "parent", "depth", "repeat"}."""
    stack: list[tuple[dict[str, Any], str | None, int]] = [(t, None, 0) for t in reversed(trees)]
    while stack:
        node, parent, depth = stack.pop()
        yield {"id": node["id"], "name": node["name"], "parent": parent, "depth": depth, "repeat": node["repeat"]}
        stack.extend((child, node["id"], depth + 1) for child in reversed(node["children"]))
