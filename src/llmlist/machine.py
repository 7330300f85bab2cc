"""The memory this machine offers a model: NVIDIA GPUs, Apple silicon's unified memory, else RAM.

Read only for `--fits auto`, so start-up never imports subprocess.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from typing import NamedTuple

from llmlist.errors import UsageError

NVIDIA_QUERY = ("nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits")
_TIMEOUT = 10  # seconds; nvidia-smi can be slow while a driver wakes, but a hang must not hang llmlist


class Memory(NamedTuple):
    """What was found: `kind` is 'nvidia', 'apple' or 'ram'; `mib` the memory counted (the largest
    GPU's, or every GPU's added up); `devices` the GPUs seen (0 for RAM)."""

    kind: str
    mib: int
    devices: int = 0
    summed: bool = False

    @property
    def gb(self) -> float:
        return self.mib * 2**20 / 1e9


def detect(multi_gpu: bool = False) -> Memory:
    """This machine's memory for inference: NVIDIA GPUs through nvidia-smi (the largest, or all added
    up with `multi_gpu`), else Apple silicon's unified memory through sysctl, else system RAM.

    Raise UsageError (naming the `fits` parameter) when none can be read.
    """
    gpus = _nvidia_mib()
    if gpus:
        return Memory("nvidia", sum(gpus) if multi_gpu else max(gpus), len(gpus), multi_gpu and len(gpus) > 1)
    unified = _apple_silicon_mib()
    if unified:
        return Memory("apple", unified)
    ram = _ram_mib()
    if ram:
        return Memory("ram", ram)
    raise UsageError(
        "fits",
        "auto: no memory could be read (no NVIDIA GPU through nvidia-smi, no Apple silicon through sysctl, "
        "no system RAM); give an amount such as 24gb",
    )


def _run(argv: Sequence[str]) -> str | None:
    """The standard output of a command that succeeded; None if it is missing, fails or hangs."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return done.stdout if done.returncode == 0 else None


def _nvidia_mib() -> list[int]:
    """Total MiB of each NVIDIA GPU, one line each (lines such as '[N/A]' are skipped)."""
    out = _run(NVIDIA_QUERY)
    if out is None:
        return []
    return [int(line.strip()) for line in out.splitlines() if line.strip().isdigit() and int(line.strip()) > 0]


def _apple_silicon_mib() -> int | None:
    """Unified memory in MiB on Apple silicon (sysctl hw.optional.arm64 is 1), else None."""
    arm = _run(("sysctl", "-n", "hw.optional.arm64"))
    if arm is None or arm.strip() != "1":
        return None
    size = _run(("sysctl", "-n", "hw.memsize"))
    if size is None or not size.strip().isdigit():
        return None
    return int(size.strip()) // 2**20 or None


def _ram_mib() -> int | None:
    """System RAM in MiB: pages x page size, where the system tells (Linux, macOS, the BSDs)."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None
    return total // 2**20 if total > 0 else None
