"""Memory a checkpoint needs: what sources state, else an estimate from its parameter count.

An estimate is the weights at the chosen precision plus a fixed overhead for activations, the
KV cache and the runtime: params x bytes per parameter x 1.2. Sizes are in GB of 10^9 bytes, as
sources and model cards write them. A mixture-of-experts model counts every expert's weights.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from llmlist.vocab import PRECISIONS

OVERHEAD = 1.2
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


class Need(NamedTuple):
    """Memory one checkpoint needs at one precision, and whether a source states it."""

    gb: float
    stated: bool


def estimate_gb(params: int, precision: str) -> float:
    """Weights at `precision` plus the overhead, in GB."""
    return params * PRECISIONS[precision] * OVERHEAD / 1e9


def need(
    variant: str,
    params: int | None,
    precision: str,
    stated: Iterable[tuple[str | None, str, str, float | None]],
) -> Need | None:
    """What `variant` needs for inference at `precision`: a figure a source states for this
    checkpoint wins over an estimate; None if neither is known.

    `stated` holds the entry's requirements as (variant, precision, task, memory_gb). A figure
    without a checkpoint belongs to the entry's only checkpoint (the schema allows it only then).
    bf16 and fp16 take the same bytes per parameter, so a figure stated for one serves the other.
    """
    same = _SAME_BYTES.get(precision, (precision,))
    figures = [
        (at == precision, gb)
        for for_variant, at, task, gb in stated
        if at in same and task == "inference" and gb is not None and for_variant in (None, variant)
    ]
    if figures:
        return Need(max(figures)[1], True)  # a figure stated at this very precision first
    return None if params is None else Need(estimate_gb(params, precision), False)


_SAME_BYTES = {"fp16": ("fp16", "bf16"), "bf16": ("bf16", "fp16")}


def format_gb(amount: float) -> str:
    return f"{amount:.1f} GB" if amount < 100 else f"{amount:.0f} GB"
