from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmlist import __version__
from llmlist.cli import app
from tests.conftest import WriteCatalog

ANSI = re.compile(r"\x1b\[")


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=env)


def small(runner: CliRunner, path: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run(runner, "--no-bundled", "--catalog", str(path), *args, env=env)


def test_search_json_is_valid_and_uncoloured(runner: CliRunner, small_catalog_file: Path) -> None:
    result = small(runner, small_catalog_file, "search", "chinese", "--max-params", "13b", "--json",
                   env={"FORCE_COLOR": "1"})  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert not ANSI.search(result.stdout)
    assert [r["id"] for r in json.loads(result.stdout)] == ["alpha-6b", "gamma-med"]
    assert result.stderr == ""


def test_piped_default_output_is_tsv_with_header(runner: CliRunner, small_catalog_file: Path) -> None:
    result = small(runner, small_catalog_file, "list")
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["id", "name", "name_zh"]
    assert [line.split("\t")[0] for line in lines[1:]] == ["alpha-6b", "beta", "delta-kit", "gamma-med"]


def test_format_options(runner: CliRunner, small_catalog_file: Path) -> None:
    ids = small(runner, small_catalog_file, "list", "--format", "ids", "--kind", "framework")
    assert ids.stdout == "delta-kit\n"
    fields = small(runner, small_catalog_file, "list", "-f", "csv", "--fields", "id,params", "--lang", "英文")
    assert fields.stdout.splitlines() == ["id,params", "alpha-6b,6.2B", 'beta,"6.7B, 13B, 65.2B"']
    table = small(runner, small_catalog_file, "search", "beta", "-f", "table")
    assert "Beta-13B" not in table.stdout and "65.2B" in table.stdout


def test_commercial_shows_conditions(runner: CliRunner, small_catalog_file: Path) -> None:
    result = small(runner, small_catalog_file, "search", "--commercial", "-f", "table", env={"COLUMNS": "120"})
    assert "Register through a form first." in result.stdout
    assert "beta" not in result.stdout


def test_show_finds_near_miss_and_says_so(runner: CliRunner, small_catalog_file: Path) -> None:
    exact = small(runner, small_catalog_file, "show", "alpha6b")
    assert exact.exit_code == 0 and "Alpha-6B" in exact.stdout and exact.stderr == ""
    near = small(runner, small_catalog_file, "show", "gammamedd")
    assert near.exit_code == 0 and "GammaMed" in near.stdout
    assert "closest match" in near.stderr


def test_show_unknown_name_exits_1_with_suggestions(runner: CliRunner, small_catalog_file: Path) -> None:
    result = small(runner, small_catalog_file, "show", "alpa-7b")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "llmlist: no entry named 'alpa-7b' (did you mean: alpha-6b?)\n"


def test_show_json_and_sources(runner: CliRunner, small_catalog_file: Path) -> None:
    data = json.loads(small(runner, small_catalog_file, "show", "beta", "--json").stdout)
    assert data["id"] == "beta" and data["variants"][0]["params"] == 6_700_000_000
    sources = small(runner, small_catalog_file, "show", "alpha-6b", "--sources").stdout
    assert re.search(r"params\s+https://github.com/alpha/alpha", sources)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "--max-params", "13x"], "--max-params: '13x' is not a size (use a count such as 13b"),
        (["search", "--min-params", "-5b"], "--min-params: '-5b' is not a size"),
        (["search", "--min-params", "20b", "--max-params", "13b"], "--min-params: is larger than the maximum size"),
        (["search", "--since", "2023-13"], "--since: '2023-13' has no month 13"),
        (["search", "--until", "yesterday"], "--until: 'yesterday' is not a year or month"),
        (["search", "--sort", "size"], "'size' is not one of 'relevance', 'params', 'released', 'name'"),
        (["search", "--format", "yaml"], "'yaml' is not one of"),
        (["search", "--fields", "id,size"], "--fields: unknown field 'size'"),
        (["search", "--limit", "0"], "--limit: 0 is not a positive number"),
        (["search", "--limit", "-3"], "--limit: -3 is not a positive number"),
        (["search", "--lang", "klingon"], "--lang: 'klingon' is not known"),
        (["search", "--category", "cooking"], "--category: 'cooking' is not known (use base, chat"),
        (["search", "--json", "--format", "csv"], "--json: conflicts with --format csv"),
        (["search", "--no-such-option"], "No such option"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(runner: CliRunner, args: list[str], message: str) -> None:
    result = run(runner, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("llmlist: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("query", ["", "x" * 10_000, "\x00\x1b[31m\x07", "[bold]", "(", "*", "🙂"])
def test_odd_queries_do_not_fail(runner: CliRunner, small_catalog_file: Path, query: str) -> None:
    result = small(runner, small_catalog_file, "search", query, "--json")
    assert result.exit_code == 0
    json.loads(result.stdout)


def test_broken_catalog_exits_3_with_location(runner: CliRunner, write_catalog: WriteCatalog) -> None:
    path = write_catalog('[[entries]]\nid = "x"\nname = \n')
    result = run(runner, "--catalog", str(path), "list")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"llmlist: {path}:3:") and result.stderr.count("\n") == 1


def test_catalog_from_environment(runner: CliRunner, small_catalog_file: Path) -> None:
    result = run(runner, "list", "-f", "ids", env={"LLMLIST_CATALOG": str(small_catalog_file)})
    assert "gamma-med" in result.stdout.split() and "chatglm-6b" in result.stdout.split()


def test_validate_reports_every_problem(
    runner: CliRunner, write_catalog: WriteCatalog, small_catalog_file: Path
) -> None:
    bad = write_catalog('[[entries]]\nid = "x"\nname = "X"\nkind = "robot"\nreleased = "2023-13"\n'
                        'summary = { en = "e", zh = "z" }\n[[entries.sources]]\nurl = "https://a.org"\n'
                        'supports = ["name"]\n')  # fmt: skip
    result = run(runner, "validate", str(bad))
    assert result.exit_code == 3
    assert len(result.stdout.splitlines()) == 2
    assert "field 'kind'" in result.stdout and "field 'released'" in result.stdout
    assert run(runner, "validate", str(small_catalog_file)).exit_code == 0


def test_version_and_help(runner: CliRunner) -> None:
    from llmlist.catalog import load_catalog

    version = run(runner, "--version").stdout
    assert re.fullmatch(rf"llmlist {re.escape(__version__)} \(catalog (\d{{4}}-\d{{2}}-\d{{2}}|undated), (\d+) "
                        r"entries\)\n", version), version  # fmt: skip
    assert version.endswith(f", {len(load_catalog())} entries)\n")
    assert "Examples" in run(runner, "--help").stdout
    no_args = run(runner)
    assert no_args.exit_code == 0 and "Usage" in no_args.stdout


@pytest.mark.parametrize("command", [command.name for command in app.registered_commands])
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = run(runner, command, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout and f"llmlist {command}" in result.stdout


def test_no_color_and_dumb_terminals_get_no_escape_codes(runner: CliRunner, small_catalog_file: Path) -> None:
    for env in ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, {"TERM": "dumb"}):
        result = small(runner, small_catalog_file, "show", "alpha-6b", env=env)
        assert not ANSI.search(result.stdout)


class _FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_slow_load_shows_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from llmlist.cli.terminal import progress as _progress

    terminal = _FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with _progress("loading catalogs", delay=0.01):
        deadline = time.monotonic() + 10  # slow work: wait for the spinner, however busy the machine
        while "loading catalogs..." not in terminal.getvalue() and time.monotonic() < deadline:
            time.sleep(0.02)
    assert "llmlist: loading catalogs..." in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\x1b[K")
    quick = _FakeTerminal()
    monkeypatch.setattr("sys.stderr", quick)
    with _progress("loading catalogs", delay=5):
        pass
    assert quick.getvalue() == ""
    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    with _progress("loading catalogs", delay=0.0):
        time.sleep(0.2)
    assert piped.getvalue() == ""


def test_help_and_version_do_not_load_catalogs(runner: CliRunner, write_catalog: WriteCatalog) -> None:
    broken = write_catalog("this is not toml")
    env = {"LLMLIST_CATALOG": str(broken)}
    assert run(runner, "--help", env=env).exit_code == 0
    assert run(runner, "search", "--help", env=env).exit_code == 0
    assert run(runner, "--version", env=env).exit_code == 0
    assert run(runner, "list", env=env).exit_code == 3


def test_no_cache_neither_reads_nor_writes_the_cache(runner: CliRunner, small_catalog_file: Path) -> None:
    from llmlist import cache

    assert small(runner, small_catalog_file, "list").exit_code == 0
    (cached,) = cache.cache_dir().glob("catalog-*.cache")
    stamp = cached.stat().st_mtime_ns
    small_catalog_file.write_text(small_catalog_file.read_text().replace('"Beta"', '"Beta Changed"'))
    result = run(runner, "--no-cache", "--no-bundled", "--catalog", str(small_catalog_file), "show", "beta", "--json")
    assert json.loads(result.stdout)["name"] == "Beta Changed"
    assert cached.stat().st_mtime_ns == stamp


def test_compare_shows_differing_fields_side_by_side(runner: CliRunner, small_catalog_file: Path) -> None:
    result = small(runner, small_catalog_file, "compare", "alpha-6b", "beta", env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["alpha-6b", "beta"]
    assert any(line.startswith("Organization") and "Alpha Lab" in line and "Beta Institute" in line for line in lines)
    assert not any(line.startswith("Kind ") for line in lines)  # the same for both
    assert any(line.startswith("Kind ") for line in small(runner, small_catalog_file, "compare", "alpha-6b", "beta",
                                                            "--all").stdout.splitlines())  # fmt: skip
    data = json.loads(small(runner, small_catalog_file, "compare", "alpha-6b", "beta", "--json").stdout)
    assert [r["id"] for r in data] == ["alpha-6b", "beta"]


def test_tree_draws_lineage_and_gives_nested_json(runner: CliRunner, small_catalog_file: Path) -> None:
    drawn = small(runner, small_catalog_file, "tree", "beta").stdout
    assert drawn.index("Beta (beta)") < drawn.index("GammaMed (gamma-med)")
    assert json.loads(small(runner, small_catalog_file, "tree", "--json").stdout) == [
        {
            "id": "beta",
            "name": "Beta",
            "children": [{"id": "gamma-med", "name": "GammaMed", "children": [], "repeat": False}],
            "repeat": False,
        }
    ]
    assert small(runner, small_catalog_file, "search", "--base", "Beta", "-f", "ids").stdout == "gamma-med\n"


def test_stats_draws_bars_and_json_sums_to_size(runner: CliRunner, small_catalog_file: Path) -> None:
    drawn = small(runner, small_catalog_file, "stats", "--by", "kind").stdout
    assert "Entries by kind (4 in all)" in drawn and "█" in drawn
    data = json.loads(small(runner, small_catalog_file, "stats", "--by", "category", "--json").stdout)
    assert sum(c["entries"] for c in data["counts"]) == data["total"] == 4
    assert small(runner, small_catalog_file, "stats", "--by", "colour").exit_code == 2


def test_export_markdown(runner: CliRunner, small_catalog_file: Path) -> None:
    text = small(runner, small_catalog_file, "export", "--format", "markdown").stdout
    assert text.startswith("## Open LLMs and LLM tools") and "`delta-kit`" in text
    assert "## 开源大语言模型与工具" in small(runner, small_catalog_file, "--locale", "zh", "export").stdout


def test_fits_option(runner: CliRunner, small_catalog_file: Path) -> None:
    result = small(runner, small_catalog_file, "search", "--fits", "16gb", "--quant", "int8", "--json")
    beta = next(r for r in json.loads(result.stdout) if r["id"] == "beta")
    assert beta["matched_variants"] == ["Beta-7B", "Beta-13B"]
    table = small(runner, small_catalog_file, "search", "beta", "--fits", "16gb", "--quant", "int8", "-f", "table")
    assert "≈8.78, ≈15.2" in table.stdout and "Memory GB (int8, 4k)" in table.stdout
    bad = small(runner, small_catalog_file, "search", "--fits", "lots")
    assert bad.exit_code == 2 and "--fits: 'lots' is not an amount of memory" in bad.stderr
    assert small(runner, small_catalog_file, "search", "--quant", "fp7").exit_code == 2


@pytest.mark.parametrize(("args", "env"), [(["--locale", "zh"], {}), ([], {"LANG": "zh_CN.UTF-8"})])
def test_chinese_display(runner: CliRunner, small_catalog_file: Path, args: list[str], env: dict[str, str]) -> None:
    shown = run(runner, *args, "--no-bundled", "--catalog", str(small_catalog_file), "show", "alpha-6b", env=env)
    assert "中英双语对话模型" in shown.stdout and "bilingual chat model" not in shown.stdout
    assert "对话" in shown.stdout


def test_locale_defaults_to_english(runner: CliRunner, small_catalog_file: Path) -> None:
    shown = small(runner, small_catalog_file, "show", "alpha-6b", env={"LANG": "C.UTF-8"})
    assert "bilingual chat model" in shown.stdout


def test_tables_show_total_and_active_parameters(runner: CliRunner) -> None:
    result = run(runner, "search", "mixtral-8x7b", "--active", "--max-params", "13b", "-f", "table",
                 env={"COLUMNS": "160"})  # fmt: skip
    assert "46.7B (12.9B active)" in result.stdout


@pytest.mark.skipif(os.environ.get("LLMLIST_SKIP_TYPER_FLOOR") == "1", reason="asked to skip")
def test_the_lowest_supported_typer_runs_every_command(tmp_path: Path) -> None:
    """The suite runs on the newest allowed Typer; this runs the commands on the lowest one."""
    import subprocess
    import sys

    floor = tmp_path / "floor"  # typer 0.26.0 alone, put ahead of the installed one on the path
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(floor),
                                "typer==0.26.0"], capture_output=True, text=True, timeout=300)  # fmt: skip
    if installed.returncode != 0:
        pytest.skip(f"typer 0.26.0 could not be installed here: {installed.stderr.strip()[-200:]}")
    env = {**os.environ, "PYTHONPATH": str(floor)}
    python = sys.executable
    version = subprocess.run([python, "-c", "import typer; print(typer.__version__)"], capture_output=True, text=True,
                             env=env)  # fmt: skip
    assert version.stdout.strip() == "0.26.0", version.stderr
    for args in (["search", "chinese", "--max-params", "13b", "--json"], ["show", "chatglm-6b"], ["--help"],
                 ["list", "--format", "ids"], ["tree", "llama"], ["stats"], ["compare", "llama", "alpaca"],
                 ["search", "--max-params", "13x"]):  # fmt: skip
        result = subprocess.run([python, "-m", "llmlist", *args], capture_output=True, text=True, timeout=120, env=env)
        assert result.returncode == (2 if "13x" in args else 0), (args, result.stderr)


def test_only_the_command_asked_for_is_built_whatever_global_options_come_first() -> None:
    """`command_asked` skips the root's options to find the command; the options that take a value
    are written down there, so they must be exactly those the root callback declares."""
    import typer

    from llmlist.cli.main import _GLOBAL_VALUES, build, command_asked

    root = typer.main.get_command(build(only=()))
    taking_value = {name for param in root.params if not getattr(param, "is_flag", False) for name in param.opts}
    assert taking_value == _GLOBAL_VALUES
    for value_option in sorted(taking_value):
        assert command_asked([value_option, "show", "search", "x"]) == "search"
    assert command_asked(["--no-cache", "--no-bundled", "show", "x"]) == "show"
    assert command_asked(["--help"]) is None and command_asked(["nonsense"]) is None
