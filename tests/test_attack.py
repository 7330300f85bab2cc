"""The failures an attack on the tool found, each reproduced, and the attack's classes as properties."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from llmlist import cache
from llmlist.catalog import load_catalog, validate_files
from llmlist.cli import app
from llmlist.errors import CatalogError
from tests.conftest import WriteCatalog, entry_toml

PYTHON = [sys.executable, "-m", "llmlist"]

# A catalog whose every text tries to act on a terminal: clear the screen, set the title, write the
# clipboard (OSC 52), ring the bell, reverse the text.
EVIL = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\u202e"
HOSTILE = f"""schema_version = 1

[[entries]]
id = "evil"
name = "Evil {EVIL}"
kind = "language-model"
organization = "Org {EVIL}"
released = "2024-01"
summary = {{ en = "Summary {EVIL}", zh = "简介 {EVIL}" }}
notes = ["Note {EVIL}"]

[[entries.variants]]
name = "Evil-7B {EVIL}"
params = 7_000_000_000

[[entries.sources]]
url = "https://example.org/evil"
supports = ["name"]

[[entries]]
id = "child"
name = "Child {EVIL}"
kind = "language-model"
base_model = "evil"
summary = {{ en = "A child.", zh = "子。" }}

[[entries.sources]]
url = "https://example.org/child"
supports = ["name"]
"""


def toml_escaped(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F else c for c in text)


@pytest.fixture
def hostile(write_catalog) -> Path:  # type: ignore[no-untyped-def]
    path: Path = write_catalog(toml_escaped(HOSTILE).replace("\\u000a", "\n"))
    return path


def on_a_terminal(args: list[str], env: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, bytes]:
    """Run llmlist with stdout and stderr on a pseudo-terminal; its exit status and all it wrote."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*PYTHON, *args], stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, close_fds=True,
        env={**os.environ, "COLUMNS": "120", **(env or {})},
    )  # fmt: skip
    os.close(follower)
    out = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    return process.wait(timeout=timeout), out


def escape_sequences_other_than_colour(out: bytes) -> list[bytes]:
    import re

    without_sgr = re.sub(rb"\x1b\[[0-9;]*m", b"", out)
    found = re.findall(rb"\x1b.{0,3}|\x07|\xe2\x80\xae", without_sgr)
    return found


COMMANDS = [
    ["search", "evil"], ["list"], ["list", "--format", "csv"], ["list", "--format", "json"],
    ["list", "--format", "markdown"], ["list", "--format", "ids"], ["show", "evil"], ["show", "evil", "--sources"],
    ["compare", "evil", "child"], ["tree", "evil"], ["tree"], ["stats", "--by", "organization"], ["export"],
    ["validate"],
]  # fmt: skip


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_catalog_text_acts_on_a_terminal(hostile: Path, args: list[str]) -> None:
    status, out = on_a_terminal(["--no-bundled", "--catalog", str(hostile), *args], env={"FORCE_COLOR": "1"})
    assert status == 0, out
    assert escape_sequences_other_than_colour(out) == []
    assert b"Traceback" not in out


def test_tree_title_is_inert(hostile: Path) -> None:
    status, out = on_a_terminal(["--no-bundled", "--catalog", str(hostile), "tree", "evil"])
    assert status == 0
    assert b"Lineage of Evil \\x1b[2J" in out


@pytest.mark.parametrize("redirect", ["> /dev/full", ">&-"])
def test_write_errors_are_one_line_and_non_zero(redirect: str) -> None:
    if redirect == "> /dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    result = subprocess.run(["bash", "-c", f"{' '.join(PYTHON)} list {redirect}"], capture_output=True, text=True)
    assert result.returncode == 4
    assert result.stderr.startswith("llmlist: cannot write the output") and result.stderr.count("\n") == 1


def test_usage_errors_exit_2_with_stderr_closed() -> None:
    result = subprocess.run(["bash", "-c", f"{' '.join(PYTHON)} search --max-params 13x 2>&-"], capture_output=True)
    assert result.returncode == 2


def test_a_catalog_from_a_pipe_is_read(small_catalog_file: Path) -> None:
    command = f"{' '.join(PYTHON)} --no-bundled --catalog /dev/stdin list --format ids < {small_catalog_file}"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["alpha-6b", "beta", "delta-kit", "gamma-med"]
    command = f"{' '.join(PYTHON)} --no-bundled --catalog <(cat {small_catalog_file}) list --format ids"
    substituted = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    assert substituted.stdout.split() == ["alpha-6b", "beta", "delta-kit", "gamma-med"]


def test_the_file_is_read_once_so_the_cache_matches_what_was_parsed(
    small_catalog_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Path] = []
    real = Path.read_bytes

    def counting(path: Path) -> bytes:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    load_catalog([small_catalog_file], bundled=False)
    assert reads.count(small_catalog_file) == 1
    # A change after reading can't be cached under the old bytes' key: the next load sees it.
    small_catalog_file.write_text(small_catalog_file.read_text().replace('name = "Beta"', 'name = "Beta 2"'))
    assert load_catalog([small_catalog_file], bundled=False)["beta"]["name"] == "Beta 2"


def chain(count: int) -> str:
    parts = ["schema_version = 1\n", entry_toml("e0")]
    parts += [entry_toml(f"e{i}", extra=f'base_model = "e{i - 1}"') for i in range(1, count)]
    return "".join(parts)


def test_tree_of_a_3000_long_lineage(write_catalog: WriteCatalog) -> None:
    path = write_catalog(chain(3000))
    result = CliRunner().invoke(app, ["--no-bundled", "--catalog", str(path), "tree", "e0", "-f", "table"])
    assert result.exit_code == 0, result.stderr
    assert "(e2999)" in result.stdout and result.stdout.count("\n") == 3001
    as_json = CliRunner().invoke(app, ["--no-bundled", "--catalog", str(path), "tree", "--json"])
    assert as_json.exit_code == 0, as_json.stderr
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)  # the reader needs room for 3,000 levels too
    try:
        data = json.loads(as_json.stdout)
    finally:
        sys.setrecursionlimit(limit)
    depth, node = 0, data[0]
    while node["children"]:
        node, depth = node["children"][0], depth + 1
    assert depth == 2999


def test_tree_draws_a_shared_subtree_once(write_catalog: WriteCatalog) -> None:
    # 49 entries in diamonds: each level's two entries both derive from both entries above.
    parts = ["schema_version = 1\n", entry_toml("d0")]
    for level in range(1, 25):
        above = [f"d{level - 1}a", f"d{level - 1}b"] if level > 1 else ["d0"]
        for side in "ab":
            variant = f'[[entries.variants]]\nname = "v"\nbase_model = "{above[-1]}"\n'
            parts.append(entry_toml(f"d{level}{side}", extra=f'base_model = "{above[0]}"') + variant)
    started = time.monotonic()
    result = CliRunner().invoke(app, ["--no-bundled", "--catalog", str(write_catalog("".join(parts))), "tree"])
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 10
    assert result.stdout.count("(d24a)") == 2 and result.stdout.count("(shown above)") >= 24


def test_deeply_nested_toml_is_a_catalog_error(write_catalog: WriteCatalog) -> None:
    path = write_catalog("schema_version = 1\nx = " + "[" * 500 + "]" * 500 + "\n")
    result = CliRunner().invoke(app, ["--no-bundled", "--catalog", str(path), "list"])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"llmlist: {path}:2: TOML error") and "nested too deeply" in result.stderr


def test_show_of_a_ten_megabyte_summary_is_quick(write_catalog: WriteCatalog) -> None:
    text = "word " * 2_000_000
    path = write_catalog("schema_version = 1\n" + entry_toml("big").replace('en = "e"', f'en = "{text}"'))
    started = time.monotonic()
    result = CliRunner().invoke(app, ["--no-bundled", "--catalog", str(path), "show", "big"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert time.monotonic() - started < 10
    assert "more characters; see --json" in result.stdout
    whole = json.loads(
        CliRunner().invoke(app, ["--no-bundled", "--catalog", str(path), "show", "big", "--json"]).stdout
    )
    assert whole["summary"]["en"] == text.strip()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[[entries.variants]]\nname = 'v'\nparams = 1" + "0" * 400, "less than or equal to 1000000000000000"),
        ("[[entries.variants]]\nname = 'v'\nparams = 10_000_000_000_000_000", "less than or equal to"),
        ("[[entries.requirements]]\nprecision = 'fp16'\nmemory_gb = inf\nsource = 'https://x.org'", "finite"),
        ("[[entries.requirements]]\nprecision = 'fp16'\nmemory_gb = nan\nsource = 'https://x.org'", "finite"),
        ('released = "２０２３-03"', "is not a month"),
        ('[entries.links]\nhomepage = "https://x.org/\\u001b[2J"', "should match pattern"),
        ('[entries.links]\nhomepage = "https://x.org/\\u0007"', "should match pattern"),
        ('[entries.links]\nhomepage = "https://x.org/\\u007f"', "should match pattern"),
        ('[entries.links]\nhomepage = "https://x.org/\\u0000"', "should match pattern"),
    ],
)
def test_validate_rejects_numbers_and_text_that_would_break_output(
    write_catalog: WriteCatalog, extra: str, message: str
) -> None:
    table = extra.startswith("[")  # a table goes after the entry's keys
    text = entry_toml("x", extra="" if table else extra) + (extra + "\n" if table else "")
    problems = validate_files([write_catalog("schema_version = 1\n" + text)], bundled=False)
    assert len(problems) == 1 and message in problems[0].message, problems


def test_json_output_is_never_infinity_or_nan() -> None:
    from llmlist.render.json import dumps

    with pytest.raises(ValueError):
        dumps({"gb": float("inf")}, False, None)


@pytest.mark.parametrize("content", ["fifo", "dev-zero", "nested-header", "huge-size", "short"])
def test_odd_cache_files_are_ignored(small_catalog_file: Path, content: str) -> None:
    load_catalog([small_catalog_file], bundled=False)
    (target,) = cache.cache_dir().glob("catalog-*.cache")
    target.unlink()
    if content == "fifo":
        os.mkfifo(target)
    elif content == "dev-zero":
        target.symlink_to("/dev/zero")
    elif content == "nested-header":
        target.write_bytes(b"[" * 100_000 + b"\n")
    elif content == "huge-size":
        target.write_bytes(b'{"format": 6, "key": "k", "size": 999999999999, "digest": "d"}\n' + b"x" * 100)
    else:
        target.write_bytes(b'{"format": 6')
    started = time.monotonic()
    assert load_catalog([small_catalog_file], bundled=False).get("beta") is not None
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("encoding", ["latin-1", "euc-jp", "ascii"])
def test_narrow_stdout_encodings_degrade_instead_of_crashing(encoding: str) -> None:
    for args in (["search", "--help"], ["--help"], ["search", "医疗", "-f", "table"], ["show", "chatglm-6b"]):
        result = subprocess.run([*PYTHON, *args], capture_output=True, env={**os.environ, "PYTHONIOENCODING": encoding})
        assert result.returncode == 0, (args, result.stderr)
        assert b"Traceback" not in result.stderr


def test_validate_reports_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    name = os.fsencode(tmp_path) + b"/bad-\xff.toml"
    with open(name, "wb") as handle:
        handle.write(b"schema_version = 1\n[[entries]]\nid = 'x'\n")
    result = subprocess.run([*PYTHON, "validate", name], capture_output=True)
    assert result.returncode == 3
    assert b"Traceback" not in result.stderr and b"bad-" in result.stdout


@pytest.mark.parametrize("args", [["--since", "２０２３"], ["--max-params", "１３b"], ["--fits", "２４gb"]])
def test_full_width_digits_are_a_usage_error(args: list[str]) -> None:
    result = CliRunner().invoke(app, ["search", *args])
    assert result.exit_code == 2 and result.stderr.startswith(f"llmlist: {args[0]}: ")


def test_problems_in_an_inline_array_of_entries_have_lines(write_catalog: WriteCatalog) -> None:
    text = 'schema_version = 1\nentries = [\n  { id = "a", name = "A" },\n  { id = "b", name = "B", kind = 5 },\n]\n'
    problems = validate_files([write_catalog(text)], bundled=False)
    assert {p.line for p in problems} == {3, 4}


def test_an_entries_header_inside_a_multiline_string_does_not_shift_lines(write_catalog: WriteCatalog) -> None:
    text = "schema_version = 1\n" + entry_toml("a").replace('name = "A"', 'name = """A\n[[entries]]\n"""')
    text += entry_toml("b", extra="languages = 7")
    problems = validate_files([write_catalog(text)], bundled=False)
    (problem,) = problems
    assert problem.entry == "b" and problem.line == text.splitlines().index("[[entries]]", 10) + 1


def test_ctrl_c_at_any_moment_is_one_line_and_130() -> None:
    """Once llmlist's code runs, Ctrl-C is one line and 130; before (the interpreter starting),
    Python's own handling applies, and its traceback holds no llmlist frame."""
    for delay in (0.0, 0.02, 0.05, 0.1, 0.2):
        process = subprocess.Popen([*PYTHON, "list"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
        if process.returncode == 0:
            continue  # finished before the signal
        if b"Traceback" in err:  # only while the interpreter starts, before llmlist's own code runs
            frames = [line for line in err.splitlines() if line.strip().startswith(b"File ")]
            ours = [line for line in frames if b"/llmlist/" in line and b"llmlist/__init__.py" not in line]
            assert ours == [], (delay, err)
            continue
        if process.returncode == -signal.SIGINT:
            assert err == b""  # the interpreter had not started llmlist yet: it died of the signal, quietly
        else:
            assert process.returncode == 130 and b"llmlist: interrupted" in err, (delay, err)


def test_stale_temporary_cache_files_are_cleaned(small_catalog_file: Path) -> None:
    directory = cache.cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    old, fresh = directory / ".tmp-old.cache", directory / ".tmp-fresh.cache"
    old.write_bytes(b"x" * 100)
    fresh.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    load_catalog([small_catalog_file], bundled=False)
    assert not old.exists() and fresh.exists()  # another process may still be writing the fresh one


def test_validate_stops_printing_after_a_thousand_problems(write_catalog: WriteCatalog) -> None:
    bad = "".join(entry_toml(f"e{i}", extra="languages = 7") for i in range(2500))
    started = time.monotonic()
    result = CliRunner().invoke(app, ["--no-bundled", "validate", str(write_catalog("schema_version = 1\n" + bad))])
    assert time.monotonic() - started < 10
    assert result.exit_code == 3
    assert result.stdout.count("\n") == 1000
    assert result.stderr == "llmlist: 2500 problems found, 1500 more not shown\n"


@pytest.mark.parametrize("mode", [0o777, 0o775])
def test_a_cache_directory_others_can_write_is_not_trusted(
    small_catalog_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, mode: int
) -> None:
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(mode)
    monkeypatch.setenv("LLMLIST_CACHE_DIR", str(shared))
    cache._warned.clear()
    load_catalog([small_catalog_file], bundled=False)
    load_catalog([small_catalog_file], bundled=False)
    assert list(shared.iterdir()) == []  # nothing written, nothing read
    assert capsys.readouterr().err.count("not using the cache directory") == 1


def test_a_private_cache_directory_is_used(
    small_catalog_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    monkeypatch.setenv("LLMLIST_CACHE_DIR", str(private))
    load_catalog([small_catalog_file], bundled=False)
    assert len(list(private.glob("catalog-*.cache"))) == 1


# ---- the attack's classes as properties


_WORDS = st.sampled_from([
    "search", "list", "show", "compare", "tree", "stats", "export", "validate", "--json", "--format", "csv",
    "--fields", "id", "--max-params", "13b", "--min-params", "--fits", "24gb", "--quant", "int4", "--since",
    "2023", "--until", "--lang", "zh", "--license", "apache", "--sort", "released", "--limit", "0", "-1", "--base",
    "llama", "--by", "year", "--all", "--sources", "chatglm-6b", "qwen", "--", "-", "", "\x00", "\u202e", "中文",
    "130亿", "--catalog", "/nonexistent", "--no-bundled", "--locale", "xx",
])  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS | st.text(max_size=12), max_size=7))
def test_any_arguments_end_in_a_documented_exit_code(argv: list[str]) -> None:
    result = CliRunner().invoke(app, argv)
    assert result.exit_code in (0, 1, 2, 3), (argv, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (argv, result)
    if result.exit_code:
        assert result.stderr.count("\n") <= 1 or result.stderr.startswith("Usage"), (argv, result.stderr)


def _mutations(text: str) -> st.SearchStrategy[str]:
    position = st.integers(0, len(text))
    insert = st.tuples(position, st.sampled_from(['"', "[", "]", "=", "\n", "\x00", "{", "#", "9e999", "'''"]))
    delete = st.tuples(position, st.integers(1, 20))
    return st.one_of(
        insert.map(lambda p: text[: p[0]] + p[1] + text[p[0] :]),
        delete.map(lambda p: text[: p[0]] + text[p[0] + p[1] :]),
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_a_mutated_catalog_validates_or_reports_problems(tmp_path: Path, data: st.DataObject) -> None:
    from tests.conftest import SMALL_CATALOG

    mutated = data.draw(_mutations(SMALL_CATALOG))
    path = tmp_path / "mutated.toml"
    path.write_bytes(mutated.encode("utf-8", "surrogatepass"))
    problems = validate_files([path], bundled=False)
    for problem in problems:
        assert problem.file == str(path) and "\n" not in problem.message
    if not problems:
        load_catalog([path], bundled=False, use_cache=False)
    else:
        with pytest.raises(CatalogError):
            load_catalog([path], bundled=False, use_cache=False)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(max_codepoint=0x3000), min_size=1, max_size=30))
def test_hostile_names_stay_inert_in_every_command(tmp_path: Path, name: str) -> None:
    path = tmp_path / "named.toml"
    entry = entry_toml("x").replace('name = "X"', f"name = {json.dumps(name)}")  # JSON escapes are TOML's
    path.write_text("schema_version = 1\n" + entry, encoding="utf-8")
    for args in (["show", "x"], ["list", "-f", "table"], ["tree"], ["compare", "x", "x"]):
        result = CliRunner().invoke(app, ["--no-bundled", "--catalog", str(path), *args], env={"FORCE_COLOR": "1"})
        if result.exit_code == 3:
            return  # a name the catalog format refuses (empty after stripping)
        assert result.exit_code == 0, (args, result.stderr)
        assert escape_sequences_other_than_colour(result.stdout.encode()) == [], (args, result.stdout)
