"""Time whole `llmlist` processes and print the figures.

    python benchmarks/bench.py                 # all three parts, 15 rounds each in parts 1 and 3
    python benchmarks/bench.py --runs 25 --sizes 1000 10000 --parts 1 2
    python benchmarks/bench.py --parts 3 --lookup-sizes 1000 10000 100000 1000000
    python benchmarks/bench.py --llmlist /path/to/venv/bin/llmlist --peer 'llm models list'

Part 1 times the installed `llmlist` on the bundled catalog (warm cache) against two floors,
`python -c pass` and `python -c "import typer"`, using the Python that runs llmlist. Part 2 writes
synthetic catalogs (make_catalog.py) and times a broad search over each (half the entries match):
the first run with an empty cache (cold), the median of repeated runs (warm), the growth from
size to size, and `jq` filtering the same entries as JSON when jq is installed. Part 3 times what
an index makes cheap on the same catalogs: showing one entry, a search that finds one entry, and
listing every id, after the first run (cold) that builds the index.

Parts 1 and 3 run their commands in rounds, one of each per round with `python -c pass` among
them, and give each command's time as the median over the rounds of its ratio to `python -c pass`
in the same round: the machine's other load moves a round's commands alike, so the ratios stay
fair. Times are wall-clock medians after one warm-up run; peak memory is each process's maximum
resident set size.
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

from make_catalog import write

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


def in_rounds(commands: dict[str, list[str]], env: dict[str, str], rounds: int) -> dict[str, list[tuple[float, float]]]:
    """(wall seconds, peak MiB) of every command in each of `rounds` rounds, after a warm-up run
    of each. Round-robin: a slow spell of the machine hits all of a round's commands alike."""
    for argv in commands.values():
        run_once(argv, env)
    results: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for _ in range(rounds):
        for label, argv in commands.items():
            results[label].append(run_once(argv, env))
    return results


def ratios(results: dict[str, list[tuple[float, float]]], floor: str) -> dict[str, float]:
    """Each command's median over the rounds of its time divided by the floor's in that round."""
    return {label: statistics.median(r[0] / f[0] for r, f in zip(runs_of, results[floor], strict=True))
            for label, runs_of in results.items()}  # fmt: skip


def part_one(llmlist: str, python: str, env: dict[str, str], runs: int, peers: Sequence[str]) -> None:
    print(f"Part 1: bundled catalog, warm cache, {runs} rounds after a warm-up")
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
    results = in_rounds(commands, env, runs)
    times = ratios(results, "python -c pass")
    print(f"  {'command':<50} {'median ms':>10} {'x floor':>8} {'peak MiB':>9}")
    for label, runs_of in results.items():
        ms = statistics.median(r[0] for r in runs_of) * 1000
        print(f"  {label:<50} {ms:>10.1f} {times[label]:>8.2f} {max(r[1] for r in runs_of):>9.1f}")


def part_two(llmlist: str, env: dict[str, str], sizes: Sequence[int], runs: int, workdir: Path) -> None:
    print(f"\nPart 2: synthetic catalogs, `llmlist --catalog FILE {' '.join(QUERY)} --json`")
    jq = shutil.which("jq")
    print(f"  {'entries':>8} {'MB':>6} {'cold ms':>9} {'warm ms':>9} {'growth':>7} {'peak MiB':>9} {'jq ms':>8}")
    previous = None
    for size in sizes:
        toml = catalog_file(workdir, size)
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


def catalog_file(workdir: Path, size: int) -> Path:
    """The synthetic catalog of `size` entries (seed 1), written once per run of the benchmark."""
    toml = workdir / f"catalog-{size}.toml"
    if not toml.exists():
        write(size, toml, seed=1)
    return toml


def part_three(llmlist: str, python: str, env: dict[str, str], sizes: Sequence[int], runs: int,
               workdir: Path) -> None:  # fmt: skip
    print(f"\nPart 3: synthetic catalogs, `llmlist --no-bundled --catalog FILE ...`, warm cache, {runs} rounds")
    print("  show ID (the detail view), search ID (finds one entry; TSV), list --format ids; each x python -c pass")
    print(f"  {'entries':>9} {'TOML MB':>8} {'index MB':>9} {'cold s':>7} {'cold peak MiB':>14} {'show':>6} "
          f"{'search':>7} {'list ids':>9} {'floor ms':>9} {'warm peak MiB':>14}")  # fmt: skip
    for size in sizes:
        toml = catalog_file(workdir, size)
        cache = workdir / f"lookup-cache-{size}"
        shutil.rmtree(cache, ignore_errors=True)
        env_size = {**env, "LLMLIST_CACHE_DIR": str(cache)}
        wanted = f"synthetic-{size * 54321 // 100_000:06d}"
        base = [llmlist, "--no-bundled", "--catalog", str(toml)]
        cold_s, cold_peak = run_once([*base, "show", wanted], env_size)
        commands = {
            "floor": [python, "-c", "pass"],
            "show": [*base, "show", wanted],
            "search": [*base, "search", wanted],
            "list ids": [*base, "list", "--format", "ids"],
        }
        results = in_rounds(commands, env_size, runs)
        times = ratios(results, "floor")
        floor_ms = statistics.median(r[0] for r in results["floor"]) * 1000
        warm_peak = max(r[1] for label, runs_of in results.items() if label != "floor" for r in runs_of)
        index_mb = sum(f.stat().st_size for f in cache.iterdir()) / 1e6
        print(f"  {size:>9} {toml.stat().st_size / 1e6:>8.1f} {index_mb:>9.1f} {cold_s:>7.1f} {cold_peak:>14.1f} "
              f"{times['show']:>6.2f} {times['search']:>7.2f} {times['list ids']:>9.2f} {floor_ms:>9.1f} "
              f"{warm_peak:>14.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llmlist", default=shutil.which("llmlist"), help="the llmlist script to time")
    parser.add_argument("--runs", type=int, default=15, help="rounds in parts 1 and 3 (at least 15)")
    parser.add_argument("--parts", type=int, nargs="*", choices=[1, 2, 3], default=[1, 2, 3])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000], help="entries, part 2")
    parser.add_argument("--lookup-sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000],
                        help="entries, part 3 (1000000 takes a few minutes and 1 GB of disk)")  # fmt: skip
    parser.add_argument("--peer", action="append", default=[], metavar="COMMAND",
                        help="another command to time in part 1, e.g. 'llm models list' (repeatable)")  # fmt: skip
    args = parser.parse_args()
    if not args.llmlist:
        raise SystemExit("bench: no llmlist on PATH; install it (pip install .) or pass --llmlist")
    for peer in args.peer:
        program = (shlex.split(peer) or [""])[0]
        if shutil.which(program) is None:
            raise SystemExit(f"bench: --peer {peer!r}: {program!r} is not on PATH")
    with tempfile.TemporaryDirectory(prefix="llmlist-bench-") as tmp:
        workdir = Path(tmp)
        # An empty XDG_DATA_HOME: the figures are the bundled catalog's, not those of the user's own catalog.
        env = {**os.environ, "LLMLIST_CACHE_DIR": str(workdir / "cache"), "XDG_DATA_HOME": str(workdir / "data"),
               "COLUMNS": "120"}  # fmt: skip
        for name in ("LLMLIST_CATALOG", "NO_COLOR", "FORCE_COLOR"):
            env.pop(name, None)
        python = interpreter_of(args.llmlist)
        if 1 in args.parts:
            part_one(args.llmlist, python, env, max(args.runs, 15), args.peer)
        if 2 in args.parts and args.sizes:
            part_two(args.llmlist, env, args.sizes, args.runs, workdir)
        if 3 in args.parts and args.lookup_sizes:
            part_three(args.llmlist, python, env, args.lookup_sizes, max(args.runs, 15), workdir)


if __name__ == "__main__":
    main()
