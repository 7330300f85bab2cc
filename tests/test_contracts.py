"""Behaviour pinned exactly, so that breaking any of it fails a test: the cache digest, the shape of
`show --sources` JSON, the empty-result message, memory rounding, which columns a narrow table
keeps, checkpoint references, escaping on a terminal, and the place of a TOML error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from llmlist import cache, hardware
from llmlist.catalog import Catalog, load_catalog, validate_files
from llmlist.cli import app
from llmlist.query import Filters, search
from llmlist.render import OutputFormat, Target, render
from tests.conftest import SMALL_CATALOG, WriteCatalog, entry_toml


def small(path: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["--no-bundled", "--catalog", str(path), *args], env=env)


def test_a_cache_whose_payload_was_changed_is_not_trusted(small_catalog_file: Path) -> None:
    load_catalog([small_catalog_file], bundled=False)
    (cached,) = cache.cache_dir().glob("catalog-*.cache")
    raw = cached.read_bytes()
    assert b"Gamma University" in raw
    cached.write_bytes(raw.replace(b"Gamma University", b"Gamma Universitz"))  # same size, same header
    assert load_catalog([small_catalog_file], bundled=False)["gamma-med"]["organization"] == "Gamma University"


def test_show_sources_json_is_the_id_and_the_sources(small_catalog_file: Path) -> None:
    data = json.loads(small(small_catalog_file, "show", "alpha-6b", "--sources", "--json").stdout)
    assert data == {
        "id": "alpha-6b",
        "sources": [{"url": "https://github.com/alpha/alpha", "supports": ["params", "license", "requirements"],
                     "note": None}],
    }  # fmt: skip
    rows = small(small_catalog_file, "show", "alpha-6b", "--sources", "-f", "tsv").stdout.splitlines()
    assert rows == ["url\tsupports\tnote", "https://github.com/alpha/alpha\tparams, license, requirements\t"]


def test_an_empty_result_says_so_on_stderr_only_for_people(small_catalog_file: Path) -> None:
    table = small(small_catalog_file, "search", "nothing-like-this", "-f", "table")
    assert (table.exit_code, table.stdout, table.stderr) == (0, "", "No entries match.\n")
    piped = small(small_catalog_file, "search", "nothing-like-this", "--json")
    assert (piped.exit_code, piped.stdout, piped.stderr) == (0, "[]\n", "")


def test_memory_json_is_rounded_to_hundredths(small_catalog: Catalog) -> None:
    hits = search(small_catalog, ["beta"], Filters(max_params=7_000_000_000))
    (beta,) = [hit for hit in hits if hit.facts.id == "beta"]
    (memory,) = json.loads(render([beta], OutputFormat.JSON, ("memory",)))[0]["memory"]
    assert memory["variant"] == "Beta-7B"
    for precision in ("fp16", "int4"):
        exact = hardware.estimate(beta.matched_checkpoints[0], precision, 4096)
        assert exact is not None and round(exact.gb, 2) != exact.gb  # so the rounding shows
        rounded = round(exact.gb, 2)
        assert memory[precision] == {"gb": rounded, "stated_gb": None, "estimated_gb": rounded, "stated": False}


@pytest.mark.parametrize(
    ("width", "header"),
    [
        (120, ["ID", "Name", "Params", "Lang", "License", "Released", "Organization"]),
        (70, ["ID", "Name", "Params", "Lang", "License", "Released"]),
        (50, ["ID", "Name", "Params", "Lang", "Released"]),  # the licence goes before the month
        (30, ["ID", "Name", "Params"]),
    ],
)
def test_narrow_tables_drop_columns_in_a_fixed_order(small_catalog: Catalog, width: int, header: list[str]) -> None:
    console = Console(width=width, record=True, color_system=None)
    console.print(render(search(small_catalog), OutputFormat.TABLE, target=Target(width=width)))
    assert console.export_text().splitlines()[0].split() == header


def test_a_checkpoint_base_model_must_name_an_entry(write_catalog: WriteCatalog) -> None:
    text = "schema_version = 1\n" + entry_toml("x") + '[[entries.variants]]\nname = "X-7B"\nbase_model = "nowhere"\n'
    (problem,) = validate_files([write_catalog(text)], bundled=False)
    assert (problem.entry, problem.field, problem.message) == (
        "x",
        "variants[0].base_model",
        "'nowhere' is not the id of any entry",
    )


def test_text_written_to_a_terminal_is_escaped(small_catalog_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from llmlist.cli import terminal

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen, pipe = Tty(), io.StringIO()
    for stream in (screen, pipe):
        monkeypatch.setattr(sys, "stdout", stream)
        terminal.emit("name\x1b]0;title\x07 \u202eevil\n")
    assert screen.getvalue() == "name\\x1b]0;title\\x07 \\u202eevil\n"
    assert pipe.getvalue() == "name\x1b]0;title\x07 \u202eevil\n"  # a program gets the text as it is


def test_a_toml_error_names_its_line_and_column(write_catalog: WriteCatalog) -> None:
    path = write_catalog('schema_version = 1\n\n[[entries]]\nid = "x"\nname = \n')
    (problem,) = validate_files([path], bundled=False)
    assert (problem.line, problem.column) == (5, 8)
    assert str(problem).startswith(f"{path}:5:8: TOML error: ")


def test_small_catalog_is_what_these_tests_assume() -> None:
    assert SMALL_CATALOG.count("[[entries]]") == 4
