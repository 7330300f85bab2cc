"""Time whole `llmlist` processes and print the figures.

    python benchmarks/bench.py                 # both parts, 15 runs each in part 1
    python benchmarks/bench.py --runs 25 --sizes 1000 10000
    python benchmarks/bench.py --llmlist /path/to/venv/bin/llmlist --peer 'llm models list'

Part 1 times the installed `llmlist` on the bundled catalog (warm cache) against two floors,
`python -c pass` and `python -c "import typer"`, using the Python that runs llmlist, and prints
each median as a ratio to `python -c pass`. Part 2 writes synthetic catalogs (make_catalog.py)
and times a search over each: the first run with an empty cache (cold), the median of repeated
runs (warm), the growth from size to size, and `jq` filtering the same entries as JSON when jq is
installed. Peak memory is each process's maximum resident set size. Times are wall-clock medians
after one warm-up run; part 1 runs its commands in rounds, one of each per round, so that the
machine's other load moves them alike and the ratios stay fair.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from make_catalog import generate

QUERY = ["search", "chinese", "--max-params", "13b"]


def run_once(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one process, its output discarded."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv)} exited {process.returncode}")
    peak = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return elapsed, peak


def measure(argv: Sequence[str], env: dict[str, str], runs: int, warmup: int = 1) -> tuple[float, float]:
    """Median wall milliseconds and largest peak MiB over `runs` runs after `warmup` runs."""
    for _ in range(warmup):
        run_once(argv, env)
    results = [run_once(argv, env) for _ in range(runs)]
    return statistics.median(r[0] for r in results) * 1000, max(r[1] for r in results)


def interpreter_of(script: str) -> str:
    """The Python that runs a console script (from its #! line), else this one."""
    try:
        first = Path(script).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    except (OSError, IndexError):
        return sys.executable
    return first[2:].strip() if first.startswith("#!") and "python" in first else sys.executable


def part_one(llmlist: str, python: str, env: dict[str, str], runs: int, peers: Sequence[str]) -> None:
    print(f"Part 1: bundled catalog, warm cache, median of {runs} rounds after a warm-up")
    commands = {
        "python -c pass": [python, "-c", "pass"],
        'python -c "import typer"': [python, "-c", "import typer"],
        "llmlist search chinese --max-params 13b --json": [llmlist, *QUERY, "--json"],
        "llmlist search chinese --max-params 13b (table)": [llmlist, *QUERY, "--format", "table"],
        "llmlist show chatglm-6b": [llmlist, "show", "chatglm-6b"],
        "llmlist --help": [llmlist, "--help"],
        **{peer: shlex.split(peer) for peer in peers},
    }
    run_once([llmlist, "list", "--json"], env)  # fills the cache
    for argv in commands.values():  # warm-up
        run_once(argv, env)
    # Round-robin: every command is run once per round, so a slow spell of the machine hits all
    # of them alike and the ratios stay fair.
    results: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, argv in commands.items():
            results[label].append(run_once(argv, env))
    floor = statistics.median(r[0] for r in results["python -c pass"]) * 1000
    print(f"  {'command':<50} {'median ms':>10} {'x floor':>8} {'peak MiB':>9}")
    for label, runs_of in results.items():
        ms = statistics.median(r[0] for r in runs_of) * 1000
        print(f"  {label:<50} {ms:>10.1f} {ms / floor:>8.2f} {max(r[1] for r in runs_of):>9.1f}")


def part_two(llmlist: str, env: dict[str, str], sizes: Sequence[int], runs: int, workdir: Path) -> None:
    print(f"\nPart 2: synthetic catalogs, `llmlist --catalog FILE {' '.join(QUERY)} --json`")
    jq = shutil.which("jq")
    print(f"  {'entries':>8} {'MB':>6} {'cold ms':>9} {'warm ms':>9} {'growth':>7} {'peak MiB':>9} {'jq ms':>8}")
    previous = None
    for size in sizes:
        toml = workdir / f"catalog-{size}.toml"
        toml.write_text(generate(size, seed=1), encoding="utf-8")
        argv = [llmlist, "--no-bundled", "--catalog", str(toml), *QUERY, "--json"]
        cache = workdir / f"cache-{size}"
        env_size = {**env, "LLMLIST_CACHE_DIR": str(cache)}
        shutil.rmtree(cache, ignore_errors=True)
        cold_s, _ = run_once(argv, env_size)
        warm_ms, peak = measure(argv, env_size, runs if size <= 10_000 else max(3, runs // 5))
        growth = f"{warm_ms / previous:.1f}x" if previous else "-"
        previous = warm_ms
        jq_ms = "-"
        if jq:
            data = workdir / f"catalog-{size}.json"
            with data.open("wb") as out:
                subprocess.run([llmlist, "--no-bundled", "--catalog", str(toml), "list", "--json"], stdout=out,
                               env=env_size, check=True)  # fmt: skip
            expr = '.[] | select((.languages | index("zh")) and any(.variants[]; .params <= 13000000000)) | .id'
            jq_ms = f"{measure(['sh', '-c', f'{jq} -c {expr!r} {data} > /dev/null'], env, 5)[0]:.1f}"
        mb = toml.stat().st_size / 1e6
        print(f"  {size:>8} {mb:>6.1f} {cold_s * 1000:>9.0f} {warm_ms:>9.1f} {growth:>7} {peak:>9.1f} {jq_ms:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llmlist", default=shutil.which("llmlist"), help="the llmlist script to time")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command in part 1 (at least 15)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--peer", action="append", default=[], metavar="COMMAND",
                        help="another command to time in part 1, e.g. 'llm models list' (repeatable)")  # fmt: skip
    args = parser.parse_args()
    if not args.llmlist:
        raise SystemExit("bench: no llmlist on PATH; install it (pip install .) or pass --llmlist")
    with tempfile.TemporaryDirectory(prefix="llmlist-bench-") as tmp:
        workdir = Path(tmp)
        # An empty XDG_DATA_HOME: the figures are the bundled catalog's, not those of the user's own catalog.
        env = {**os.environ, "LLMLIST_CACHE_DIR": str(workdir / "cache"), "XDG_DATA_HOME": str(workdir / "data"),
               "COLUMNS": "120"}  # fmt: skip
        for name in ("LLMLIST_CATALOG", "NO_COLOR", "FORCE_COLOR"):
            env.pop(name, None)
        part_one(args.llmlist, interpreter_of(args.llmlist), env, max(args.runs, 15), args.peer)
        if args.sizes:
            part_two(args.llmlist, env, args.sizes, args.runs, workdir)


if __name__ == "__main__":
    main()
