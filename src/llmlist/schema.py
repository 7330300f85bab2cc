"""The catalog's records: Entry and its parts, validated with pydantic.

Each field's description documents the TOML catalog format. Rules about a single entry are
validators here; rules across entries (unique ids, resolvable references) live in catalog.py.
"""

from __future__ import annotations

import re
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from llmlist import vocab

SCHEMA_VERSION: Final = 1

_ID = r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$"
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")

Id = Annotated[str, StringConstraints(pattern=_ID, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# No whitespace or control characters (ESC, BEL, DEL, NUL, C1) anywhere in an address.
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/$.?#\x00-\x1f\x7f-\x9f][^\s\x00-\x1f\x7f-\x9f]*$")]
HfRepo = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+$")]
Count = Annotated[int, Field(gt=0, le=10**15)]
# Precisions a source may state memory for (every one of vocab.PRECISIONS; a test keeps them equal),
# and those weights may be published in (the first seven).
Precision = Literal[
    "fp32", "fp16", "bf16", "fp8", "int8", "int4", "mxfp4", "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q3_k_m", "q2_k"
]

# Names a source may say it supports: the entry's fields, plus a few finer-grained facts.
SOURCE_FACTS = frozenset(
    {
        "name", "aliases", "kind", "organization", "country", "released", "languages",
        "categories", "variants", "params", "context", "license", "commercial_use",
        "links", "base_model", "part_of", "summary", "requirements", "notes", "architecture",
    }
)  # fmt: skip


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_languages(value: list[str]) -> list[str]:
    for code in value:
        if code not in vocab.ISO_639_1:
            raise ValueError(f"{code!r} is not an ISO 639-1 language code (use e.g. zh, en)")
    return _unique(value, "language")


def _check_month(value: str) -> str:
    match = _MONTH.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise ValueError(f"{value!r} is not a month (use YYYY-MM, such as 2023-03)")
    return value


class Summary(_Record):
    """One text in Chinese and in English."""

    en: Text = Field(description="English text.")
    zh: Text = Field(description="Chinese text.")


class License(_Record):
    """The terms under which code and weights are offered."""

    code: Text | None = Field(None, description="License of the code: an SPDX id, or the license's own name.")
    weights: Text | None = Field(None, description="License of the weights, when it differs from the code's.")
    commercial_use: bool | None = Field(None, description="Whether commercial use is allowed; unset if no source says.")
    conditions: Text | None = Field(None, description="Conditions on use, in words (registration, user thresholds).")
    history: Text | None = Field(None, description="How the terms changed over time, with months.")
    url: Url | None = Field(None, description="Address of the license text.")


class Variant(_Record):
    """One released checkpoint (or, for word vectors, one published vector set)."""

    name: Text = Field(description="The checkpoint's name as its publisher writes it, e.g. 'LLaMA-13B'.")
    params: Count | None = Field(None, description="Exact parameter count (total, for mixture-of-experts).")
    active_params: Count | None = Field(None, description="Parameters active per token (mixture-of-experts).")
    context: Count | None = Field(None, description="Context length in tokens, where a source gives it.")
    dimensions: Count | None = Field(None, description="Vector dimensions (word vectors).")
    vocab_size: Count | None = Field(None, description="Vocabulary size (config.json vocab_size; word vectors).")
    training_tokens: Count | None = Field(None, description="Tokens trained on, where a source gives it.")
    nominal: bool = Field(False, description="True when `params` is only the size in the checkpoint's name.")
    huggingface: HfRepo | None = Field(None, description="Hugging Face repository id, 'owner/name'.")
    released: str | None = Field(None, description="Month the weights became public, YYYY-MM; unset: the entry's.")
    base_model: Id | None = Field(None, description="Id of the entry this checkpoint was trained from.")
    languages: list[str] | None = Field(None, description="ISO 639-1 codes, when they differ from the entry's.")
    license: License | None = Field(
        None, description="The checkpoint's own terms, replacing the entry's whole license."
    )
    precision: Precision | None = Field(None, description="Precision the weights are published in (fp8, mxfp4).")
    layers: Count | None = Field(None, description="Transformer layers (config.json num_hidden_layers).")
    hidden_size: Count | None = Field(None, description="Hidden size (config.json hidden_size).")
    attention_heads: Count | None = Field(None, description="Query heads (config.json num_attention_heads).")
    kv_heads: Count | None = Field(None, description="Key/value heads (config.json num_key_value_heads).")
    head_dim: Count | None = Field(None, description="Size of one attention head (config.json head_dim).")
    attention_layers: Annotated[int, Field(ge=0, le=1_000_000)] | None = Field(
        None,
        description="Layers that keep a KV cache for the whole context, where not every layer does: 0 for a "
        "recurrent model (Mamba, RWKV), the attention layers of a hybrid.",
    )
    sliding_layers: Annotated[int, Field(ge=0, le=1_000_000)] | None = Field(
        None, description="Layers that attend only within a window of recent tokens (Gemma 3: 5 of every 6)."
    )
    sliding_window: Count | None = Field(
        None, description="Tokens a sliding-window (or chunked) attention layer keeps (config.json sliding_window)."
    )
    full_kv_width: Count | None = Field(
        None,
        description="Values a full-context attention layer caches per token, keys and values together, "
        "where it differs from the other layers' (Gemma 4's global layers: 4 heads of 512, keys as values).",
    )
    kv_lora_rank: Count | None = Field(
        None,
        description="Width of the compressed key/value latent a multi-head latent attention (MLA) layer "
        "caches per token (config.json kv_lora_rank).",
    )
    rope_head_dim: Count | None = Field(
        None, description="Width of the RoPE key an MLA layer caches beside its latent (config.json qk_rope_head_dim)."
    )
    note: Text | None = Field(None, description="Anything a reader should know about this checkpoint.")

    _released = field_validator("released")(lambda v: v if v is None else _check_month(v))
    _languages = field_validator("languages")(lambda v: v if v is None else _check_languages(v))

    @model_validator(mode="after")
    def _active_within_total(self) -> Variant:
        if self.active_params is not None and (self.params is None or self.active_params > self.params):
            raise ValueError("active_params needs params and cannot exceed it")
        if (self.sliding_layers is None) != (self.sliding_window is None):
            raise ValueError("sliding_layers and sliding_window go together")
        if (self.kv_lora_rank is None) != (self.rope_head_dim is None):
            raise ValueError("kv_lora_rank and rope_head_dim go together")
        kept = (self.attention_layers or 0) + (self.sliding_layers or 0)
        if self.layers is not None and kept > self.layers:
            raise ValueError("attention_layers and sliding_layers cannot add up to more than layers")
        return self


class Links(_Record):
    """Where to find the entry."""

    homepage: Url | None = None
    repository: Url | None = None
    paper: Url | None = None
    docs: Url | None = None
    huggingface: list[HfRepo] = Field(default_factory=list, description="Hugging Face ids, 'owner/name'.")


class Requirement(_Record):
    """A hardware requirement stated by a source."""

    variant: Text | None = Field(
        None, description="Name of the checkpoint the figure is for; may be unset only when there is one."
    )
    precision: Precision
    task: Literal["inference", "fine-tuning", "training"] = "inference"
    memory_gb: Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False)] | None = Field(
        None, description="Memory needed, in GB."
    )
    context: Annotated[int, Field(gt=0, le=100_000_000)] | None = Field(
        None, description="Tokens of context the figure holds, where the source says (e.g. 2048 generated tokens)."
    )
    hardware: Text | None = Field(None, description="The hardware the source names, in words.")
    source: Url = Field(description="Address that states this requirement.")


class Source(_Record):
    """An address the entry's facts were read from."""

    url: Url
    supports: list[str] = Field(min_length=1, description=f"Facts it supports: {', '.join(sorted(SOURCE_FACTS))}.")
    note: Text | None = None

    @field_validator("supports")
    @classmethod
    def _known_facts(cls, value: list[str]) -> list[str]:
        unknown = [fact for fact in value if fact not in SOURCE_FACTS]
        if unknown:
            raise ValueError(f"unknown fact {unknown[0]!r} (use {', '.join(sorted(SOURCE_FACTS))})")
        return value


class Entry(_Record):
    """One model, model family or tool."""

    id: Id = Field(description="Lowercase slug, unique across the catalog, e.g. 'chatglm-6b'.")
    name: Text = Field(description="Usual name, e.g. 'ChatGLM-6B'.")
    name_zh: Text | None = Field(None, description="Chinese name, where one is used, e.g. '伶荔'.")
    aliases: list[Text] = Field(default_factory=list, description="Other names it is known by.")
    kind: str = Field(description=f"One of: {', '.join(vocab.KINDS)}.")
    organization: Text | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code of the organization's country.")
    released: str | None = Field(None, description="Month of first release, YYYY-MM.")
    languages: list[str] = Field(default_factory=list, description="ISO 639-1 codes of natural languages.")
    categories: list[str] = Field(default_factory=list, description=f"Any of: {', '.join(vocab.CATEGORIES)}.")
    base_model: Id | None = Field(None, description="Id of the entry this one was trained from.")
    part_of: Id | None = Field(None, description="Id of the collection this entry belongs to.")
    variants: list[Variant] = Field(default_factory=list)
    license: License = Field(default_factory=License)
    links: Links = Field(default_factory=Links)
    requirements: list[Requirement] = Field(default_factory=list)
    summary: Summary
    notes: list[Text] = Field(default_factory=list, description="Corrections and caveats, e.g. where sources differ.")
    sources: list[Source] = Field(min_length=1)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in vocab.KINDS:
            raise ValueError(f"unknown kind {value!r} (use {', '.join(vocab.KINDS)})")
        return value

    @field_validator("country")
    @classmethod
    def _country_code(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 code (use e.g. CN, US)")
        return value

    @field_validator("released")
    @classmethod
    def _month(cls, value: str | None) -> str | None:
        return value if value is None else _check_month(value)

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, value: list[str]) -> list[str]:
        return _check_languages(value)

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in vocab.CATEGORIES:
                raise ValueError(f"unknown category {name!r} (use {', '.join(vocab.CATEGORIES)})")
        return _unique(value, "category")

    @model_validator(mode="after")
    def _variants_unique(self) -> Entry:
        _unique([v.name.casefold() for v in self.variants], "variant name")
        names = {v.name for v in self.variants}
        for requirement in self.requirements:
            if requirement.variant is None and len(self.variants) > 1:
                raise ValueError("every requirement must name its checkpoint (`variant`) when there are several")
            if requirement.variant is not None and names and requirement.variant not in names:
                raise ValueError(f"requirement names {requirement.variant!r}, which is not one of the variants")
        if self.base_model == self.id or self.part_of == self.id:
            raise ValueError("an entry cannot be its own base_model or part_of")
        return self

    @property
    def max_params(self) -> int | None:
        counts = [v.params for v in self.variants if v.params is not None]
        return max(counts) if counts else None

    @property
    def min_params(self) -> int | None:
        counts = [v.params for v in self.variants if v.params is not None]
        return min(counts) if counts else None


class CatalogFile(_Record):
    """The top level of a catalog file."""

    schema_version: Literal[1] = SCHEMA_VERSION
    updated: str | None = Field(None, description="The day the catalog's sources were last checked, YYYY-MM-DD.")
    entries: list[Entry] = Field(default_factory=list)


def _unique(values: list[str], what: str) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is listed twice")
        seen.add(value)
    return values
