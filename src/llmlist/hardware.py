"""Memory a checkpoint needs for inference: what a source states, else an estimate.

estimate = weights + KV cache + runtime

- weights: parameters x bits per weight at the precision (`vocab.PRECISIONS`); where the vocabulary
  and hidden size are known, the token embeddings and output head (2 x vocab x hidden parameters)
  count at the bits the precision keeps them in;
- KV cache: 2 (keys and values) x layers x KV heads x head dim x 2 bytes (an fp16 cache) x context
  (for multi-head latent attention, the latent and RoPE key in place of keys and values),
  for the context asked, within the checkpoint's own; only the layers that keep one count (a
  hybrid's attention layers; none in a recurrent model such as Mamba or RWKV), and a sliding-window
  layer keeps at most its window; without the architecture, a dense model's shape is assumed
  (`_assumed_shape`);
- runtime: a fixed overhead plus a fraction of the weights, fitted once to the catalog's stated
  figures (`FITTED`; `python benchmarks/memory_accuracy.py --fit` fits them again).

Sizes are GB of 10^9 bytes, as sources and model cards write them. A mixture-of-experts model
counts every expert's weights.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from llmlist.sizes import DEFAULT_CONTEXT as DEFAULT_CONTEXT  # the default context, defined with its parser
from llmlist.vocab import PRECISIONS

if TYPE_CHECKING:
    from llmlist.catalog import Checkpoint, Stated
KV_BYTES = 2  # an fp16 (or bf16) KV cache, the default of llama.cpp, vLLM and transformers


class Fit(NamedTuple):
    """The fitted part of the model: the runtime's fixed GB and fraction of the weights, and how
    many query heads are taken to share one key/value head where the architecture is unknown."""

    runtime_gb: float
    runtime_fraction: float
    kv_sharing: int


# Fitted to the bundled catalog's 109 stated inference figures (least median absolute error, then least mean
# absolute log error) by `python benchmarks/memory_accuracy.py --fit`; the README gives the figures.
FITTED = Fit(runtime_gb=1.8, runtime_fraction=0.0, kv_sharing=8)

ACCEPTED = "use an amount such as 6gb, 24GB, 80g, 512mb or 1.5tb"
_MEMORY = re.compile(r"([0-9]+(?:\.[0-9]+)?|\.[0-9]+) ?(tb|t|gb|g|gib|mb|m|mib)?", re.IGNORECASE)
_UNIT_GB = {"t": 1000.0, "tb": 1000.0, "g": 1.0, "gb": 1.0, "gib": 1.073741824, "m": 0.001, "mb": 0.001,
            "mib": 0.001048576}  # fmt: skip


class AmountError(ValueError):
    """The text is not an amount of memory."""


def parse_memory(text: str) -> float:
    """GB in `text` ('24GB', '80g', '512mb'); a bare number is GB. Raise AmountError otherwise."""
    match = _MEMORY.fullmatch(text.strip()) if len(text) <= 30 else None
    if match is None:
        raise AmountError(f"{text!r} is not an amount of memory ({ACCEPTED})")
    amount = float(match[1]) * _UNIT_GB[(match[2] or "gb").lower()]
    if amount <= 0:
        raise AmountError(f"{text!r} is not an amount of memory: it must be greater than zero")
    return amount


class Estimate(NamedTuple):
    """What the model says one checkpoint needs, part by part, in GB, and the context it holds."""

    weights_gb: float
    kv_cache_gb: float
    runtime_gb: float
    context: int

    @property
    def gb(self) -> float:
        return self.weights_gb + self.kv_cache_gb + self.runtime_gb


def held_context(checkpoint: Checkpoint, context: int) -> int:
    """The tokens a KV cache holds when `context` is asked: no more than the checkpoint's window."""
    return min(context, checkpoint.context) if checkpoint.context else context


def weights_gb(checkpoint: Checkpoint, precision: str) -> float | None:
    """GB of the weights at `precision`; None without a parameter count."""
    params = checkpoint.params
    if params is None:
        return None
    bits = PRECISIONS[precision]
    vocab, hidden = checkpoint.vocab_size, checkpoint.hidden_size
    embedding = min(2 * vocab * hidden, params) if vocab and hidden else 0  # input embeddings and output head
    return ((params - embedding) * bits.weight + embedding * bits.embedding) / 8 / 1e9


def kv_cache_gb(checkpoint: Checkpoint, context: int, fit: Fit = FITTED) -> float:
    """GB of an fp16 KV cache holding `context` tokens (within the checkpoint's window): every
    layer that attends to the whole context keeps them all (`attention_layers` where set: none in a
    recurrent model, a hybrid's attention layers; else every layer not sliding), a sliding-window
    layer at most its window; 0 when neither the architecture nor the size is known."""
    per_token = _kv_per_token(checkpoint)
    if per_token is not None and checkpoint.layers:
        layers: float = checkpoint.layers
    else:
        assumed = _assumed_shape(checkpoint, fit.kv_sharing)
        if assumed is None:
            return 0.0
        layers, width = assumed
        per_token = 2 * width
    held = held_context(checkpoint, context)
    sliding = checkpoint.sliding_layers or 0
    full = checkpoint.attention_layers if checkpoint.attention_layers is not None else max(layers - sliding, 0)
    windowed = min(held, checkpoint.sliding_window or held)
    full_width = checkpoint.full_kv_width or per_token  # the full-context layers' own width, where it differs
    return KV_BYTES * (full * full_width * held + sliding * per_token * windowed) / 1e9


def cache_gb(checkpoint: Checkpoint, context: int) -> float | None:
    """The KV cache part of every estimate at `context`; None without a parameter count, as for the
    estimate itself."""
    return None if checkpoint.params is None else kv_cache_gb(checkpoint, context)


def _kv_per_token(checkpoint: Checkpoint) -> float | None:
    """Values one layer caches per token: its keys and values (KV heads x head dim each; KV heads
    default to the attention heads, the head dim to hidden size / attention heads), or for
    multi-head latent attention the compressed latent and the RoPE key."""
    if checkpoint.kv_lora_rank and checkpoint.rope_head_dim:
        return float(checkpoint.kv_lora_rank + checkpoint.rope_head_dim)
    heads, hidden = checkpoint.attention_heads, checkpoint.hidden_size
    head_dim = checkpoint.head_dim or (hidden / heads if hidden and heads else None)
    kv_heads = checkpoint.kv_heads or heads
    if head_dim and kv_heads:
        return 2.0 * kv_heads * head_dim
    return 2.0 * hidden if hidden else None  # every head keeps its keys and values


def _assumed_shape(checkpoint: Checkpoint, kv_sharing: int) -> tuple[float, float] | None:
    """Layers and KV width of a dense model of the checkpoint's size (its active parameters, for a
    mixture of experts): params = 12 x layers x hidden^2 with hidden = 128 x layers, the shape of
    LLaMA-7B and -13B (32 x 4096, 40 x 5120), and `kv_sharing` query heads per key/value head."""
    size = checkpoint.active_params or checkpoint.params
    if not size:
        return None
    layers = (size / (12 * 128**2)) ** (1 / 3)
    return layers, 128 * layers / kv_sharing


def estimate(
    checkpoint: Checkpoint, precision: str, context: int = DEFAULT_CONTEXT, fit: Fit = FITTED
) -> Estimate | None:
    """What the model says `checkpoint` needs at `precision` and `context`; None without a
    parameter count."""
    weights = weights_gb(checkpoint, precision)
    if weights is None:
        return None
    runtime = fit.runtime_gb + fit.runtime_fraction * weights
    return Estimate(weights, kv_cache_gb(checkpoint, context, fit), runtime, held_context(checkpoint, context))


class Need(NamedTuple):
    """Memory one checkpoint needs at one precision and context: the answer (`gb`), the figure a
    source states (or None) and what the model estimates (None without a parameter count)."""

    gb: float
    stated_gb: float | None
    estimated_gb: float | None

    @property
    def stated(self) -> bool:
        """Whether the answer rests on a figure a source states."""
        return self.stated_gb is not None

    @property
    def exact(self) -> bool:
        """Whether the answer is the stated figure itself (not an estimate, nor one lengthened)."""
        return self.stated_gb is not None and self.gb == self.stated_gb


def need(
    checkpoint: Checkpoint, precision: str, stated: Iterable[Stated], context: int = DEFAULT_CONTEXT
) -> Need | None:
    """What `checkpoint` needs for inference at `precision` with `context` tokens: a figure a source
    states for this checkpoint wins over the estimate; None if neither is known.

    `stated` holds the entry's requirements. A figure without a checkpoint belongs to the entry's
    only checkpoint (the schema allows it only then). bf16 and fp16 take the same bytes per
    parameter, so a figure stated for one serves the other. A stated figure holds the context its
    source says, else taken as DEFAULT_CONTEXT tokens; for a longer context, the KV cache of the
    extra tokens is added to it (for a shorter one it stays, an upper bound).
    """
    same = _SAME_BYTES.get(precision, (precision,))
    figures = [
        (figure.precision == precision, figure.memory_gb, figure.context or DEFAULT_CONTEXT)
        for figure in stated
        if figure.precision in same
        and figure.task == "inference"
        and figure.memory_gb is not None
        and figure.variant in (None, checkpoint.name)
    ]
    estimated = estimate(checkpoint, precision, context)
    estimated_gb = None if estimated is None else estimated.gb
    if figures:
        _, stated_gb, holds = max(figures)  # a figure stated at this very precision first
        longer = 0.0
        if context > holds:
            longer = max(0.0, kv_cache_gb(checkpoint, context) - kv_cache_gb(checkpoint, holds))
        return Need(stated_gb + longer, stated_gb, estimated_gb)
    return None if estimated_gb is None else Need(estimated_gb, None, estimated_gb)


_SAME_BYTES = {"fp16": ("fp16", "bf16"), "bf16": ("bf16", "fp16")}


def format_gb(amount: float) -> str:
    return f"{amount:.1f} GB" if amount < 100 else f"{amount:.0f} GB"
