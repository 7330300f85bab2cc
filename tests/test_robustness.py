"""Bad input, odd terminals and hostile catalog text: never a traceback, never fooled."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from llmlist.catalog import effective_variant, load_catalog
from llmlist.cli import app
from llmlist.query import Filters, Hit, search
from llmlist.render import OutputFormat, Target, render, render_entry
from llmlist.render.fields import RECORD_KEYS
from llmlist.schema import Entry
from tests.conftest import WriteCatalog, entry_toml

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b")


def valid(entry_id: str = "m1", extra: str = "") -> str:
    return entry_toml(entry_id, f"Model {entry_id}", extra)


BROKEN_CATALOGS = {
    "empty": ("", "has no entries"),
    "toml-syntax": ('[[entries]]\nid = "x"\nname = = 3\n', "TOML error"),
    "wrong-type": (valid(extra="languages = 7"), "field 'languages'"),
    "unknown-key": (valid(extra="parameters = 7"), "unknown key"),
    "duplicate-id": (valid("a") + valid("a"), "duplicate id"),
    "duplicate-alias": (valid("a", 'aliases = ["Same"]') + valid("b", 'aliases = ["same"]'), "already used"),
    "base-model-nowhere": (valid(extra='base_model = "nowhere"'), "'nowhere' is not the id of any entry"),
    "params-zero": (valid(extra="[[entries.variants]]\nname = 'v'\nparams = 0"), "greater than 0"),
    "params-negative": (valid(extra="[[entries.variants]]\nname = 'v'\nparams = -7"), "greater than 0"),
    "date-2023-13": (valid(extra='released = "2023-13"'), "'2023-13' is not a month"),
}


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env)


def assert_one_line_error(result: Any, code: int, *expected: str) -> None:
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("llmlist: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr


@pytest.mark.parametrize("case", BROKEN_CATALOGS)
def test_broken_catalog_file_exits_3_with_one_line(write_catalog: WriteCatalog, case: str) -> None:
    text, message = BROKEN_CATALOGS[case]
    path = write_catalog(text)
    assert_one_line_error(run("--catalog", str(path), "list"), 3, str(path), message)


@pytest.mark.parametrize("case", ["missing", "directory", "not-utf8"])
def test_unreadable_catalog_file_exits_3(tmp_path: Path, case: str) -> None:
    path = tmp_path / "c.toml"
    if case == "directory":
        path.mkdir()
    elif case == "not-utf8":
        path.write_bytes(b'[[entries]]\nid = "x"\nname = "\xff"\n')
    expected = {"missing": "no such catalog file", "directory": "is a directory", "not-utf8": "is not UTF-8"}[case]
    assert_one_line_error(run("--catalog", str(path), "list"), 3, str(path), expected)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-params", "13x"], "'13x' is not a size"),
        (["--max-params", "-5b"], "'-5b' is not a size"),
        (["--max-params", "b"], "'b' is not a size"),
        (["--max-params", "1e400"], "'1e400' is not a size"),
        (["--max-params", "13 b"], "'13 b' is not a size"),
        (["--since", "2023-13"], "has no month 13"),
        (["--since", "yesterday"], "'yesterday' is not a year or month"),
        (["--sort", "popularity"], "'popularity' is not one of"),
        (["--format", "xml"], "'xml' is not one of"),
        (["--fields", "id,bogus"], "unknown field 'bogus'"),
        (["--limit", "0"], "--limit: 0 is not a positive number"),
        (["--limit", "-1"], "--limit: -1 is not a positive number"),
        (["--min-params", "70b", "--max-params", "7b"], "--min-params: is larger than the maximum size"),
    ],
)
def test_bad_argument_exits_2_with_one_line(args: list[str], message: str) -> None:
    assert_one_line_error(run("search", *args), 2, message)


@pytest.mark.parametrize("query", ["", "   ", "x" * 10_000, "\x00\x01\x1b[2J\x07", "\u202etxet", "[/]", "\\", "'\""])
def test_odd_queries_answer_normally(query: str) -> None:
    result = run("search", query, "--json")
    assert result.exit_code == 0 and result.stderr == ""
    assert isinstance(json.loads(result.stdout), list)


def test_empty_query_lists_everything() -> None:
    assert len(json.loads(run("search", "", "--json").stdout)) == len(json.loads(run("list", "--json").stdout))


def test_ten_megabyte_catalog_loads_and_answers(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from make_catalog import generate  # type: ignore[import-not-found]  # benchmarks/, on sys.path here
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    path = tmp_path / "big.toml"
    path.write_text(generate(11_000, seed=7), encoding="utf-8")
    assert path.stat().st_size > 10_000_000
    catalog = load_catalog([path], bundled=False, use_cache=False)
    assert len(catalog) == 11_000
    assert search(catalog, ["synthetic-010999"])[0].entry["id"] == "synthetic-010999"
    small = search(catalog, [], Filters(max_params=1_300_000_000))
    expected = [e for e in catalog.entries if any(v["params"] <= 1_300_000_000 for v in e["variants"])]
    assert len(small) == len(expected) > 0


def _shell(command: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env}
    encoding = env.get("PYTHONIOENCODING", "utf-8")
    return subprocess.run(["bash", "-c", command], capture_output=True, encoding=encoding, env=full_env, timeout=60)


LLMLIST = f"{sys.executable} -m llmlist"


PIPED = ["list --json | head -c 100", "list | head -1", "list -f table | head -2", "show llama | head -1"]


@pytest.mark.parametrize("command", [f"{LLMLIST} {piped}" for piped in PIPED])
def test_closed_pipe_is_quiet(command: str) -> None:
    result = _shell(command)
    assert result.stderr == ""
    assert result.stdout


@pytest.mark.parametrize(
    "env", [{"PYTHONIOENCODING": "ascii"}, {"LANG": "C", "LC_ALL": "C"}, {"PYTHONIOENCODING": "latin-1"}]
)
def test_narrow_encodings_do_not_crash(env: dict[str, str]) -> None:
    for args in ("show chatglm-6b", "search 医疗 -f table", "list --json", "list -f csv"):
        result = _shell(f"{LLMLIST} {args}", **env)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stderr == "" and "ChatGLM" in _shell(f"{LLMLIST} show chatglm-6b", **env).stdout
    data = json.loads(_shell(f"{LLMLIST} show chatglm-6b --json", **env).stdout)
    assert data["summary"]["zh"] == load_catalog()["chatglm-6b"]["summary"]["zh"]


def test_forty_columns_keep_ids_whole() -> None:
    result = run("list", "-f", "table", env={"COLUMNS": "40"})
    lines = result.stdout.splitlines()
    assert all(len(line) <= 40 for line in lines)
    ids = {line.split()[0] for line in lines[2:] if line and not line.startswith(" ")}
    assert {"chinese-llama-alpaca", "wudao-transformer-xl", "code-as-policies"} <= ids


@pytest.mark.parametrize(
    ("env", "styled"),
    [({}, False), ({"FORCE_COLOR": "1"}, True), ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
     ({"TERM": "dumb"}, False), ({"NO_COLOR": ""}, False)],
)  # fmt: skip
def test_colour_follows_the_environment(env: dict[str, str], styled: bool) -> None:
    result = run("search", "chatglm", "-f", "table", env=env)
    assert bool(ANSI.search(result.stdout)) is styled


@pytest.mark.parametrize("tty", [False, True])
@pytest.mark.parametrize(
    "env",
    [{}, {"FORCE_COLOR": "1"}, {"FORCE_COLOR": "0"}, {"FORCE_COLOR": ""}, {"NO_COLOR": "1"}, {"NO_COLOR": ""},
     {"TERM": "dumb"}, {"TERM": "dumb", "FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
     {"TTY_COMPATIBLE": "1"}, {"COLUMNS": "57"}, {"COLUMNS": "x"}, {"TERM": "unknown", "COLUMNS": "90"}],
)  # fmt: skip
def test_tables_decide_colour_and_width_as_rich_does(
    env: dict[str, str], tty: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The results table is written without Rich's console; it must take the terminal as the detail
    view (through Rich) takes it."""
    from rich.console import Console

    from llmlist.cli import terminal

    class Stdout(io.StringIO):
        def isatty(self) -> bool:
            return tty

    for name in ("FORCE_COLOR", "NO_COLOR", "TERM", "TTY_COMPATIBLE", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdout", Stdout())
    rich = Console(highlight=False, markup=False, emoji=False, soft_wrap=False,
                   color_system=None if os.environ.get("NO_COLOR") else "auto")  # fmt: skip
    assert terminal.colour() is (rich.color_system is not None)
    assert terminal.width() == rich.width


HOSTILE = """
[[entries]]
id = "hostile"
name = "[bold red]Loud[/bold red] \x1b[31mRed"
aliases = ["\u202eevil"]
kind = "framework"
organization = "Org \x1b]0;new title\x07"
summary = { en = "[link=file:///etc/passwd]click[/link] \x1b[2J", zh = "安全\u202e\u2066" }
[entries.links]
homepage = "https://example.org/[link=file:///etc/passwd]x[/link]"
[[entries.sources]]
url = "https://example.org/a"
supports = ["name"]
"""


@pytest.fixture
def hostile(write_catalog) -> Path:  # type: ignore[no-untyped-def]
    path: Path = write_catalog(HOSTILE.replace("\x1b", "\\u001b").replace("\x07", "\\u0007"))
    return path


def _ours(out: str) -> str:
    """`out` without the SGR colour codes llmlist itself adds under FORCE_COLOR."""
    return re.sub(r"\x1b\[[0-9;]*m", "", out)


@pytest.mark.parametrize(
    "args", [["search", "hostile", "-f", "table"], ["show", "hostile"], ["show", "hostile", "--sources"]]
)
def test_hostile_text_is_literal_and_inert_on_screen(hostile: Path, args: list[str]) -> None:
    result = run("--no-bundled", "--catalog", str(hostile), *args, env={"FORCE_COLOR": "1", "COLUMNS": "300"})
    assert result.exit_code == 0, result.stderr
    screen = _ours(result.stdout)
    assert "\x1b" not in screen and "\x07" not in screen and "\u202e" not in screen and "\u2066" not in screen
    if args[0] == "show" and len(args) == 2:
        for literal in ("[bold red]Loud[/bold red]", "\\x1b[31mRed", "[link=file:///etc/passwd]click[/link]",
                        "\\x1b]0;new title\\x07", "\\u202e"):  # fmt: skip
            assert literal in screen


def test_hostile_text_survives_json_and_csv_unchanged(hostile: Path) -> None:
    expected = load_catalog([hostile], bundled=False, use_cache=False).get("hostile")
    data = json.loads(run("--no-bundled", "--catalog", str(hostile), "list", "--json").stdout)
    assert {k: data[0][k] for k in RECORD_KEYS} == expected
    raw_json = run("--no-bundled", "--catalog", str(hostile), "list", "--json").stdout
    assert "\x1b" not in raw_json and "\u202e" not in raw_json
    out = run("--no-bundled", "--catalog", str(hostile), "list", "-f", "csv", "--fields", "id,name,summary").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[1] == ["hostile", expected["name"], expected["summary"]["en"]]
    tsv = run("--no-bundled", "--catalog", str(hostile), "list", "-f", "tsv", "--fields", "id,name").stdout
    assert tsv.splitlines()[1] == "hostile\t[bold red]Loud[/bold red] \\x1b[31mRed"


# Any valid record: built from the schema's own types, then checked to render in every format.
_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=30).filter(str.strip)
_entries: st.SearchStrategy[dict[str, Any]] = st.builds(
    dict,
    id=st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True),
    name=_text,
    name_zh=st.none() | _text,
    kind=st.sampled_from(["language-model", "framework", "word-vectors"]),
    organization=st.none() | _text,
    released=st.none() | st.from_regex(r"20[0-2][0-9]-(0[1-9]|1[0-2])", fullmatch=True),
    languages=st.lists(st.sampled_from(["zh", "en", "fr", "ru"]), unique=True),
    categories=st.lists(st.sampled_from(["chat", "code", "medical"]), unique=True),
    variants=st.lists(
        st.builds(
            dict, name=st.from_regex(r"V[0-9]{1,4}", fullmatch=True), params=st.none() | st.integers(1, 10**13)
        ),  # fmt: skip
        max_size=3,
        unique_by=lambda v: v["name"],
    ),
    license=st.builds(
        dict, code=st.none() | _text, commercial_use=st.none() | st.booleans(), conditions=st.none() | _text
    ),  # fmt: skip
    summary=st.builds(dict, en=_text, zh=_text),
    notes=st.lists(_text, max_size=2),
    sources=st.just([{"url": "https://example.org/s", "supports": ["name"]}]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_entries)
def test_any_valid_record_renders_in_every_format_and_json_round_trips(raw: dict[str, Any]) -> None:
    record = Entry.model_validate(raw).model_dump(mode="json")
    hit = Hit.of(record)
    for fmt in OutputFormat:
        for output in (render([hit], fmt, target=Target(width=60)), render_entry(hit, fmt)):
            assert output is not None
    back = json.loads(render([hit], OutputFormat.JSON))[0]
    effective = {**record, "variants": [effective_variant(v, record) for v in record["variants"]]}
    assert {k: back[k] for k in RECORD_KEYS} == effective
    shown = json.loads(render_entry(hit, OutputFormat.JSON))
    assert {k: shown[k] for k in RECORD_KEYS} == effective and shown["matched_variants"] == list(hit.matched_variants)
