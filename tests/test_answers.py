"""The answers a user expects: ranking, lookup by any name, completion, Chinese words, readable output."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmlist.catalog import Catalog, load_catalog
from llmlist.cli import app
from llmlist.query import Filters, find, search


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog()


def first(catalog, *words: str) -> str:  # type: ignore[no-untyped-def]
    return search(catalog, words)[0].facts.id


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("deepseek", "r1"), "deepseek-r1"), (("qwen", "2.5"), "qwen2.5"), (("qwen2.5",), "qwen2.5"),
        (("llama", "3"), "llama-3"), (("llama", "3.1"), "llama-3.1"), (("glm", "4"), "glm-4"),
        (("r1",), "deepseek-r1"), (("falcn",), "falcon"),
    ],
)  # fmt: skip
def test_names_spelled_across_words_rank_first(catalog: Catalog, words: tuple[str, ...], expected: str) -> None:
    assert first(catalog, *words) == expected


def test_a_short_word_does_not_match_inside_another_word(catalog: Catalog) -> None:
    assert "deepseek-coder" not in [hit.facts.id for hit in search(catalog, ["r1"])]


@pytest.mark.parametrize(
    ("name", "family", "checkpoint"),
    [("Qwen/Qwen2.5-7B-Instruct", "qwen2.5", "Qwen2.5-7B-Instruct"),
     ("Llama-3.1-8B-Instruct", "llama-3.1", "Llama-3.1-8B-Instruct"),
     ("llama-3.1-8b-instruct", "llama-3.1", "Llama-3.1-8B-Instruct")],
)  # fmt: skip
def test_a_checkpoint_name_or_hugging_face_id_finds_its_family(
    catalog: Catalog, name: str, family: str, checkpoint: str
) -> None:
    hit = find(catalog, name)
    assert (hit.facts.id, hit.matched_variants) == (family, (checkpoint,))
    (searched,) = search(catalog, [name])
    assert (searched.facts.id, searched.matched_variants) == (family, (checkpoint,))


def test_show_marks_the_checkpoint_asked_for() -> None:
    result = CliRunner().invoke(app, ["show", "Qwen/Qwen2.5-7B-Instruct"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "llmlist: 'Qwen/Qwen2.5-7B-Instruct' is a checkpoint of 'qwen2.5'" in result.stderr
    assert "Checkpoint" in result.stdout and "Qwen2.5-7B-Instruct" in result.stdout
    data = json.loads(CliRunner().invoke(app, ["show", "Qwen/Qwen2.5-7B-Instruct", "--json"]).stdout)
    assert data["id"] == "qwen2.5" and data["matched_variants"] == ["Qwen2.5-7B-Instruct"]
    compared = CliRunner().invoke(app, ["compare", "Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct", "--json"])
    assert [r["matched_variants"] for r in json.loads(compared.stdout)] == [["Llama-3.1-8B-Instruct"],
                                                                            ["Qwen2.5-7B-Instruct"]]  # fmt: skip


@pytest.mark.parametrize(
    ("word", "member"),
    [("130亿", "baichuan-13b"), ("清华", "chatglm-6b"), ("医学", "huatuogpt"), ("medicine", "huatuogpt"),
     ("金融", "xuanyuan"), ("法律", "chatlaw"), ("阿里", "qwen2.5")],
)  # fmt: skip
def test_chinese_words_and_synonyms(catalog: Catalog, word: str, member: str) -> None:
    assert member in [hit.facts.id for hit in search(catalog, [word])]


def test_the_chinese_size_word_matches_like_its_latin_form(catalog: Catalog) -> None:
    assert [h.facts.id for h in search(catalog, ["130亿"])] == [h.facts.id for h in search(catalog, ["13b"])]


def complete(line: str) -> list[str]:
    words = line.split(" ")
    env = {**os.environ, "_LLMLIST_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    script = Path(sys.executable).with_name("llmlist")  # completion is keyed by the program's name
    result = subprocess.run([str(script)], capture_output=True, text=True, env=env, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("llmlist show qwen2.", {"qwen2.5", "qwen2.5-coder", "qwen2.5-vl"}),
        ("llmlist compare chatglm-6b chatglm2", {"chatglm2-6b"}), ("llmlist tree lla", {"llama", "llama-2"}),
        ("llmlist search --base lla", {"llama"}), ("llmlist search --category med", {"medical"}),
        ("llmlist list --kind fr", {"framework"}), ("llmlist list --lang z", {"zh"}),
        ("llmlist list --license Apa", {"Apache-2.0"}), ("llmlist list --quant in", {"int8", "int4"}),
        ("llmlist list --fields id,na", {"id,name", "id,name_zh"}),
    ],
)  # fmt: skip
def test_completion_offers_ids_and_values(line: str, expected: set[str]) -> None:
    assert expected <= set(complete(line))


def test_completion_of_ids_does_not_import_pydantic() -> None:
    code = ("import os, sys; os.environ.update(_LLMLIST_COMPLETE='complete_bash', COMP_WORDS='llmlist show qw', "
            "COMP_CWORD='2'); sys.argv=['llmlist']\nfrom llmlist.cli.main import main\ntry: main()\n"
            "except SystemExit: pass\nprint('pydantic' in sys.modules, file=sys.stderr)")  # fmt: skip
    subprocess.run([sys.executable, "-m", "llmlist", "list"], capture_output=True)  # a warm cache
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert result.stderr.strip().endswith("False"), result.stderr


def test_context_is_a_field_in_tables_csv_and_compare() -> None:
    rows = list(csv.reader(io.StringIO(CliRunner().invoke(app, ["show", "llama-3.1", "-f", "csv",
                                                                "--fields", "id,context"]).stdout)))  # fmt: skip
    assert rows == [["id", "context"], ["llama-3.1", "128k"]]
    compared = CliRunner().invoke(app, ["compare", "llama", "llama-3.1"], env={"COLUMNS": "120"}).stdout
    assert "Context" in compared and "128k" in compared
    data = json.loads(CliRunner().invoke(app, ["search", "llama-3.1", "--json", "--fields", "id,context"]).stdout)
    assert data[0]["context"] == [131072]


def test_commercial_tables_keep_name_params_lang_and_released() -> None:
    result = CliRunner().invoke(app, ["search", "qwen", "--commercial", "-f", "table"], env={"COLUMNS": "220"})
    header = result.stdout.splitlines()[0].split()
    assert header[:6] == ["ID", "Name", "Params", "Lang", "License", "Released"] and "Conditions" in header


@pytest.mark.parametrize(
    "args", [["show", "qwen2.5"], ["compare", "qwen2", "qwen2.5"], ["show", "qwen2.5", "--sources"]]
)
def test_addresses_are_never_broken(catalog: Catalog, args: list[str]) -> None:
    import re

    out = CliRunner().invoke(app, args, env={"COLUMNS": "60"}).stdout
    known = set()
    for entry in (catalog["qwen2"], catalog["qwen2.5"]):
        known |= {value for value in entry["links"].values() if isinstance(value, str)}
        known |= {source["url"] for source in entry["sources"]} | {entry["license"]["url"]}
    printed = re.findall(r"https?://\S+", out)
    assert printed and all(address in known for address in printed), set(printed) - known


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "--max-params", "13"], "--max-params: '13' would mean 13 parameters; did you mean 13b?"),
        (["search", "--min-params", "7"], "did you mean 7b?"),
        (["compare", "llama"], "compare needs two or more entries"),
        (["list", "--format", "ids", "--fields", "id,name"], "--fields: does not apply to --format ids"),
        (["export", "--format", "csv"], "export writes markdown only"),
    ],
)  # fmt: skip
def test_footguns_are_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1


def test_license_spelled_as_people_write_it(catalog: Catalog) -> None:
    assert search(catalog, [], Filters(licenses=("Apache 2.0",))) == search(catalog, [], Filters(licenses=("apache",)))
    assert len(search(catalog, [], Filters(licenses=("Apache 2.0",)))) > 20


def test_force_color_zero_forces_colour_as_force_color_org_says() -> None:
    result = CliRunner().invoke(app, ["search", "chatglm", "-f", "table"], env={"FORCE_COLOR": "0"})
    assert "\x1b[" in result.stdout


@pytest.mark.parametrize("command", [["tree", "llama", "--json"], ["stats", "--json"], ["show", "llama", "--json"]])
def test_json_is_compact_when_piped(command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "llmlist", *command], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.count("\n") == 1
    json.loads(result.stdout)


def test_csv_lines_end_in_crlf_and_summary_stays_english() -> None:
    out = CliRunner().invoke(app, ["show", "chatglm-6b", "-f", "csv", "--fields", "id,summary"],
                             env={"LANG": "zh_CN.UTF-8"}).stdout_bytes.decode()  # fmt: skip
    assert out.count("\r\n") == 2 and out.count("\n") == 2
    assert "bilingual" in out


def test_show_and_compare_print_their_view_when_piped() -> None:
    shown = subprocess.run([sys.executable, "-m", "llmlist", "show", "chatglm-6b"], capture_output=True, text=True)
    assert shown.stdout.startswith("ChatGLM-6B") and "\t" not in shown.stdout


def test_min_context_keeps_checkpoints_with_a_window_that_large(catalog: Catalog) -> None:
    hits = search(catalog, [], Filters(min_context=131_072))
    assert hits and all(v.context is not None and v.context >= 131_072 for hit in hits for v in hit.matched_checkpoints)
    assert "llama-3.1" in [hit.facts.id for hit in hits] and "llama" not in [hit.facts.id for hit in hits]
    result = CliRunner().invoke(app, ["search", "--min-context", "32万", "--format", "ids"])
    assert result.exit_code == 0 and "qwen2.5-1m" in result.stdout.split()
    bad = CliRunner().invoke(app, ["search", "--min-context", "lots"])
    assert bad.exit_code == 2 and bad.stderr.startswith("llmlist: --min-context: ")
