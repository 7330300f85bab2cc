"""The shape of a validated record as programs see it (the JSON of `schema.Entry`), typed for
readers of `Hit.entry` without importing pydantic."""

from __future__ import annotations

from typing import Any, TypedDict


class LicenseRecord(TypedDict):
    code: str | None
    weights: str | None
    commercial_use: bool | None
    conditions: str | None
    history: str | None
    url: str | None


class VariantRecord(TypedDict):
    name: str
    params: int | None
    active_params: int | None
    context: int | None
    dimensions: int | None
    vocab_size: int | None
    training_tokens: int | None
    nominal: bool
    huggingface: str | None
    released: str | None
    base_model: str | None
    languages: list[str] | None
    license: LicenseRecord | None
    precision: str | None
    layers: int | None
    hidden_size: int | None
    attention_heads: int | None
    kv_heads: int | None
    head_dim: int | None
    attention_layers: int | None
    sliding_layers: int | None
    sliding_window: int | None
    full_kv_width: int | None
    kv_lora_rank: int | None
    rope_head_dim: int | None
    note: str | None


class LinksRecord(TypedDict):
    homepage: str | None
    repository: str | None
    paper: str | None
    docs: str | None
    huggingface: list[str]


class RequirementRecord(TypedDict):
    variant: str | None
    precision: str
    task: str
    memory_gb: float | None
    context: int | None
    hardware: str | None
    source: str


class SourceRecord(TypedDict):
    url: str
    supports: list[str]
    note: str | None


class SummaryRecord(TypedDict):
    en: str
    zh: str


class EntryRecord(TypedDict):
    """One entry, every key always present (unknown values are None or empty)."""

    id: str
    name: str
    name_zh: str | None
    aliases: list[str]
    kind: str
    organization: str | None
    country: str | None
    released: str | None
    languages: list[str]
    categories: list[str]
    base_model: str | None
    part_of: str | None
    variants: list[VariantRecord]
    license: LicenseRecord
    links: LinksRecord
    requirements: list[RequirementRecord]
    summary: SummaryRecord
    notes: list[str]
    sources: list[SourceRecord]


def fields_of(record: type[Any]) -> tuple[str, ...]:
    """The keys of a record type, in order."""
    return tuple(record.__annotations__)
