"""Lineage: which entries were trained from which, from `base_model` links of entries and checkpoints."""

from __future__ import annotations

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


def tree(catalog: Catalog, root: str, below: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The lineage below `root` as nested dicts: {"id", "name", "children": [...]}.

    `below` is `children(catalog)`, passed in when drawing many trees so it is built once.
    """
    below = children(catalog) if below is None else below

    def node(entry_id: str, path: frozenset[str]) -> dict[str, Any]:
        position = catalog.position(entry_id)
        name = catalog.facts[position].name if position is not None else entry_id
        kids = [node(child, path | {child}) for child in below.get(entry_id, []) if child not in path]
        return {"id": entry_id, "name": name, "children": kids}

    return node(root, frozenset({root}))
