"""Which of an entry's set facts no source supports: the rule `llmlist validate --strict` applies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

_ARCHITECTURE = ("layers", "hidden_size", "attention_heads", "kv_heads", "head_dim", "attention_layers",
                 "sliding_layers", "sliding_window", "full_kv_width", "kv_lora_rank", "rope_head_dim",
                 "precision")  # fmt: skip


def set_facts(entry: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(fact, field path) for every fact the entry sets, in the words sources use in `supports`."""
    yield "name", "name"
    for key in ("aliases", "organization", "country", "released", "languages", "categories", "base_model",
                "part_of", "requirements"):  # fmt: skip
        if entry.get(key):
            yield key, key
    license_ = entry.get("license") or {}
    if any(license_.get(key) for key in ("code", "weights", "conditions", "url")):
        yield "license", "license"
    if license_.get("commercial_use") is not None:
        yield "commercial_use", "license.commercial_use"
    if entry.get("variants"):
        yield "variants", "variants"
    for i, variant in enumerate(entry.get("variants") or ()):
        where = f"variants[{i}]"
        if variant.get("params") is not None or variant.get("active_params") is not None:
            yield "params", f"{where}.params"
        if variant.get("context") is not None:
            yield "context", f"{where}.context"
        for key in ("released", "languages", "base_model"):
            if variant.get(key):
                yield key, f"{where}.{key}"
        variant_license = variant.get("license")
        if variant_license:
            yield "license", f"{where}.license"
            if variant_license.get("commercial_use") is not None:
                yield "commercial_use", f"{where}.license.commercial_use"
        if any(variant.get(key) is not None for key in _ARCHITECTURE):
            yield "architecture", f"{where}.architecture"


def unsupported(entry: dict[str, Any]) -> list[tuple[str, str]]:
    """(fact, field path) for each set fact that no source names in its `supports`, first place only."""
    supported = {fact for source in entry.get("sources") or () for fact in source.get("supports") or ()}
    missing: dict[str, str] = {}
    for fact, path in set_facts(entry):
        if fact not in supported:
            missing.setdefault(fact, path)
    return list(missing.items())
