"""How near llmlist's memory estimates land to the figures sources state, beside llmfit's.

    python benchmarks/memory_accuracy.py               # every stated figure, then llmfit side by side
    python benchmarks/memory_accuracy.py --no-llmfit   # llmlist's errors only
    python benchmarks/memory_accuracy.py --fit         # fit the runtime and the assumed KV sharing anew
    python benchmarks/memory_accuracy.py --catalog my.toml --no-bundled

Every inference figure a catalog states for a checkpoint with a parameter count is compared with
the estimate (`hardware.estimate`, which never looks at stated figures) at the same precision and
the context the figure holds: the one its source names (the requirement's `context`), else the
default, 4096 tokens; within the checkpoint's window either way. The error is
estimate / stated - 1. Per checkpoint the median and the worst error are printed, then the median
and worst absolute error over all figures.

llmfit (`pip install llmfit`) is asked about the same checkpoints by their Hugging Face ids:
`llmfit info ID --json` says whether it knows the model under exactly that name, and
`llmfit plan ID --context N --quant Q --json` gives its memory at the same context and the
nearest of its quantizations (F32, F16, BF16, Q8_0 for int8, Q4_0 for int4; its `info` picks a
quantization for the machine it runs on, so `plan` is what compares at one precision). Its
`minimum.vram_gb` is taken. Both models' errors are then summed up over the figures llmfit knows.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from llmlist import hardware
from llmlist.catalog import Checkpoint, load_catalog, unpack

_LLMFIT_QUANT = {"fp32": "F32", "fp16": "F16", "bf16": "BF16", "int8": "Q8_0", "int4": "Q4_0", "fp8": "FP8",
                 "q8_0": "Q8_0", "q6_k": "Q6_K", "q5_k_m": "Q5_K_M", "q4_k_m": "Q4_K_M", "q3_k_m": "Q3_K_M",
                 "q2_k": "Q2_K"}  # fmt: skip


class Figure(NamedTuple):
    """One stated inference figure and the checkpoint it is for."""

    entry: str
    checkpoint: Checkpoint
    huggingface: str | None
    precision: str
    stated_gb: float
    stated_context: int | None  # tokens the figure holds, where its source says

    def estimated(self, fit: hardware.Fit = hardware.FITTED) -> float:
        found = hardware.estimate(self.checkpoint, self.precision, self.context, fit)
        assert found is not None  # figures are kept only for checkpoints with a parameter count
        return found.gb

    @property
    def context(self) -> int:
        """The context the figure holds (its source's, else the default), within the checkpoint's window."""
        return hardware.held_context(self.checkpoint, self.stated_context or hardware.DEFAULT_CONTEXT)


def stated_figures(paths: Sequence[Path], bundled: bool) -> Iterator[Figure]:
    catalog = load_catalog(list(paths), bundled=bundled, use_cache=False)
    for facts, stored in zip(catalog.facts, catalog.stored, strict=True):
        if not facts.requirements:
            continue
        hf_ids = {v["name"]: v["huggingface"] for v in unpack(stored)["variants"]}
        by_name = {c.name: c for c in facts.variants}
        for variant, precision, task, gb, context in facts.requirements:
            name = variant if variant is not None else (facts.variants[0].name if len(facts.variants) == 1 else None)
            checkpoint = by_name.get(name or "")
            if task == "inference" and gb is not None and checkpoint is not None and checkpoint.params:
                yield Figure(facts.id, checkpoint, hf_ids.get(checkpoint.name), precision, gb, context)


def error(estimated: float, stated: float) -> float:
    return estimated / stated - 1


def percent(value: float) -> str:
    return f"{value:+.0%}"


def report(figures: Sequence[Figure]) -> list[float]:
    """Print each checkpoint's figures and errors; return the errors, figure by figure."""
    print(f"llmlist's estimates at the context each source names (else {hardware.DEFAULT_CONTEXT} tokens; within "
          f"the checkpoint's window) against every stated inference figure\n")  # fmt: skip
    print(f"{'checkpoint':34} {'figures (precision stated -> estimated)':58} {'median':>7} {'worst':>6}")
    errors: list[float] = []
    by_checkpoint: dict[tuple[str, str], list[Figure]] = {}
    for figure in figures:
        by_checkpoint.setdefault((figure.entry, figure.checkpoint.name), []).append(figure)
    for (_, name), group in by_checkpoint.items():
        own = [error(f.estimated(), f.stated_gb) for f in group]
        errors += own
        shown = ", ".join(f"{f.precision} {f.stated_gb:g}->{f.estimated():.1f}" for f in group)
        worst = max(own, key=abs)
        print(f"{name[:34]:34} {shown[:58]:58} {percent(statistics.median(own)):>7} {percent(worst):>6}")
    absolute = [abs(e) for e in errors]
    print(f"\n{len(errors)} figures for {len(by_checkpoint)} checkpoints: median absolute error "
          f"{statistics.median(absolute):.1%}, worst {max(absolute):.0%}")  # fmt: skip
    return errors


def llmfit_available() -> str | None:
    """Why llmfit cannot be asked, or None when it can."""
    if shutil.which("llmfit") is None:
        return "llmfit is not installed (pip install llmfit)"
    try:
        probe = subprocess.run(["llmfit", "--version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as problem:
        return f"llmfit does not run: {problem}"
    if probe.returncode != 0:
        return f"llmfit does not run: exit {probe.returncode}: {probe.stderr.strip()[:200]}"
    return None


def _llmfit_json(*args: str) -> dict[str, object] | None:
    try:
        done = subprocess.run(["llmfit", *args, "--json"], capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    try:
        answer = json.loads(done.stdout)
    except json.JSONDecodeError:
        return None
    return answer if isinstance(answer, dict) else None


def llmfit_gb(figure: Figure, known: dict[str, bool]) -> float | None:
    """llmfit's memory for the figure's checkpoint, precision and context; None where it does not
    know the checkpoint by its exact Hugging Face id."""
    model, quant = figure.huggingface, _LLMFIT_QUANT.get(figure.precision)
    if model is None or quant is None:
        return None
    if model not in known:
        info = _llmfit_json("info", model)
        models = info.get("models") if info else None
        name = models[0].get("name") if isinstance(models, list) and models and isinstance(models[0], dict) else None
        known[model] = isinstance(name, str) and name.casefold() == model.casefold()
    if not known[model]:
        return None
    plan = _llmfit_json("plan", model, "--context", str(figure.context), "--quant", quant)
    minimum = plan.get("minimum") if plan else None
    gb = minimum.get("vram_gb") if isinstance(minimum, dict) else None
    return float(gb) if isinstance(gb, int | float) else None


def compare_llmfit(figures: Sequence[Figure]) -> None:
    print("\nSide by side with llmfit, on the figures of the checkpoints llmfit knows by their Hugging Face id\n")
    why_not = llmfit_available()
    if why_not is not None:
        print(f"llmfit: not compared: {why_not}")
        return
    known: dict[str, bool] = {}
    print(f"{'checkpoint':34} {'precision':9} {'stated':>7} {'llmlist':>8} {'llmfit':>8} {'error':>7} {'llmfit':>7}")
    ours, theirs = [], []
    for figure in figures:
        gb = llmfit_gb(figure, known)
        if gb is None:
            continue
        estimated = figure.estimated()
        ours.append(error(estimated, figure.stated_gb))
        theirs.append(error(gb, figure.stated_gb))
        print(f"{figure.checkpoint.name[:34]:34} {figure.precision:9} {figure.stated_gb:7g} {estimated:8.1f} "
              f"{gb:8.1f} {percent(ours[-1]):>7} {percent(theirs[-1]):>7}")  # fmt: skip
    unknown = sorted(model for model, found in known.items() if not found)
    if not ours:
        print("llmfit knows none of these checkpoints")
        return
    print(f"\n{len(ours)} figures: median absolute error llmlist {statistics.median(map(abs, ours)):.1%} "
          f"(worst {max(map(abs, ours)):.0%}), llmfit {statistics.median(map(abs, theirs)):.1%} "
          f"(worst {max(map(abs, theirs)):.0%})")  # fmt: skip
    print(f"llmfit does not know {len(unknown)} of the ids asked: {', '.join(unknown)}")


def fit(figures: Sequence[Figure]) -> None:
    """Search the runtime's fixed GB (0 to 3, by 0.1) and fraction of the weights (0 to 0.3, by 0.01),
    and the KV sharing assumed without an architecture (1, 2, 4 or 8), for the least median absolute
    error (to a tenth of a percent; the goal is stated as a median, which a few figures that name a
    whole server rather than a need cannot pull), then the least mean absolute log error; print the
    best and the one in use."""

    def score(candidate: hardware.Fit) -> tuple[float, float, float]:
        errors = [error(f.estimated(candidate), f.stated_gb) for f in figures]
        logs = statistics.fmean(abs(math.log1p(e)) for e in errors)
        return round(statistics.median(map(abs, errors)), 3), logs, max(map(abs, errors))

    candidates = [
        hardware.Fit(gb / 10, fraction / 100, sharing)
        for gb in range(0, 31)
        for fraction in range(0, 31)
        for sharing in (1, 2, 4, 8)
    ]
    best = min(candidates, key=score)
    for label, chosen in (("best", best), ("in use", hardware.FITTED)):
        median, logs, worst = score(chosen)
        print(f"{label:7} {chosen}: mean |log error| {logs:.4f}, median absolute error {median:.1%}, worst {worst:.0%}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", action="append", default=[], type=Path, help="Also read this catalog file.")
    parser.add_argument("--no-bundled", action="store_true", help="Leave out the bundled catalog.")
    parser.add_argument("--no-llmfit", action="store_true", help="Do not ask llmfit.")
    parser.add_argument("--fit", action="store_true", help="Fit the runtime and the assumed KV sharing anew.")
    args = parser.parse_args(argv)
    figures = list(stated_figures(args.catalog, not args.no_bundled))
    if not figures:
        sys.exit("memory_accuracy: no stated inference figure for a checkpoint with a parameter count")
    if args.fit:
        fit(figures)
        return
    report(figures)
    if not args.no_llmfit:
        compare_llmfit(figures)


if __name__ == "__main__":
    main()
