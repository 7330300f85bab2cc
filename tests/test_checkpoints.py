"""Facts that belong to one checkpoint: licence, languages, release month, stated memory, nominal sizes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmlist.catalog import Catalog, load_catalog, validate_files
from llmlist.cli import app
from llmlist.query import Filters, search
from llmlist.render import OutputFormat, Target, render, render_entry
from tests.conftest import WriteCatalog, entry_toml

# A family shaped like Qwen's: the small and the big checkpoints have their own licences, the
# small one its own languages and month; a memory figure is stated for the 7B only.
FAMILY = """
schema_version = 1

[[entries]]
id = "kappa"
name = "Kappa"
kind = "language-model"
released = "2023-08"
languages = ["zh", "en"]
summary = { en = "A family.", zh = "一个系列。" }

[[entries.variants]]
name = "Kappa-1.8B"
params = 1_800_000_000
nominal = true
released = "2023-11"
languages = ["zh"]
[entries.variants.license]
code = "Apache-2.0"
weights = "Kappa Research License"
commercial_use = false

[[entries.variants]]
name = "Kappa-7B"
params = 7_721_324_544

[[entries.variants]]
name = "Kappa-33B"
params = 32_500_000_000

[[entries.variants]]
name = "Kappa-72B"
params = 72_700_000_000
[entries.variants.license]
weights = "Kappa License"
commercial_use = true
conditions = "A separate licence above 100 million monthly users."

[entries.license]
code = "Apache-2.0"
weights = "Apache-2.0"
commercial_use = true

[[entries.requirements]]
variant = "Kappa-7B"
precision = "fp16"
memory_gb = 13
source = "https://example.org/kappa"

[[entries.sources]]
url = "https://example.org/kappa"
supports = ["name", "released", "languages", "params", "license", "commercial_use", "requirements", "variants"]
"""


@pytest.fixture
def family(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "kappa.toml"
    path.write_text(FAMILY, encoding="utf-8")
    return load_catalog([path], bundled=False, use_cache=False)


def matched(catalog, filters: Filters) -> list[str]:  # type: ignore[no-untyped-def]
    return [name for hit in search(catalog, [], filters) for name in hit.matched_variants]


def test_commercial_leaves_out_a_checkpoint_under_a_research_licence(family: Catalog) -> None:
    assert matched(family, Filters(commercial=True, max_params=4_000_000_000)) == []
    assert matched(family, Filters(commercial=True, max_params=8_000_000_000)) == ["Kappa-7B"]


def test_license_filter_reads_each_checkpoints_own_licence(family: Catalog) -> None:
    assert matched(family, Filters(licenses=("apache",), min_params=60_000_000_000)) == []
    assert matched(family, Filters(licenses=("kappa research",))) == ["Kappa-1.8B"]
    assert matched(family, Filters(licenses=("kappa",))) == ["Kappa-1.8B", "Kappa-72B"]


def test_license_filter_reads_weights_before_code(small_catalog: Catalog) -> None:
    # alpha's code is Apache-2.0 but its weights have their own licence
    assert [h.facts.id for h in search(small_catalog, [], Filters(licenses=("apache",)))] == []
    assert [h.facts.id for h in search(small_catalog, [], Filters(code_licenses=("apache",)))] == ["alpha-6b"]


def test_license_filter_accepts_other_spellings_of_an_spdx_id(family: Catalog) -> None:
    for spelling in ("Apache 2.0", "apache-2.0", "Apache License, Version 2.0", "APACHE2"):
        assert matched(family, Filters(licenses=(spelling,))) == ["Kappa-7B", "Kappa-33B"], spelling


def test_language_and_month_are_the_checkpoints_own(family: Catalog) -> None:
    assert matched(family, Filters(languages=("en",))) == ["Kappa-7B", "Kappa-33B", "Kappa-72B"]
    assert matched(family, Filters(since="2023-10")) == ["Kappa-1.8B"]
    assert matched(family, Filters(until="2023-09")) == ["Kappa-7B", "Kappa-33B", "Kappa-72B"]


def test_a_stated_figure_never_applies_to_another_checkpoint(family: Catalog) -> None:
    hits = search(family, [], Filters(fits_gb=14, min_params=30_000_000_000))
    assert hits == []  # 13 GB is stated for the 7B; the 33B is estimated far above 14 GB
    memory = json.loads(render(search(family, [], Filters(fits_gb=14)), OutputFormat.JSON, ("memory",)))
    by_name = {row["variant"]: row for row in memory[0]["memory"]}
    stated = by_name["Kappa-7B"]["fp16"]
    assert stated["gb"] == stated["stated_gb"] == 13.0 and stated["stated"] is True
    assert stated["estimated_gb"] > 13  # the estimate is given too, whatever the source says
    estimated = by_name["Kappa-1.8B"]["fp16"]
    assert estimated["stated"] is False and estimated["stated_gb"] is None
    assert estimated["gb"] == estimated["estimated_gb"]


def test_bf16_reuses_a_stated_fp16_figure(family: Catalog) -> None:
    hits = search(family, [], Filters(fits_gb=13, quant="bf16"))
    assert "Kappa-7B" in hits[0].matched_variants
    memory = json.loads(render(hits, OutputFormat.JSON, ("memory",)))[0]["memory"]
    cell = {row["variant"]: row["bf16"] for row in memory}["Kappa-7B"]
    assert (cell["gb"], cell["stated_gb"], cell["stated"]) == (13.0, 13.0, True)


def test_json_checkpoints_carry_their_effective_values(family: Catalog) -> None:
    record = json.loads(render(search(family), OutputFormat.JSON))[0]
    small, seven, _, big = record["variants"]
    assert small["license"]["weights"] == "Kappa Research License" and small["license"]["commercial_use"] is False
    assert small["languages"] == ["zh"] and small["released"] == "2023-11"
    assert seven["license"] == record["license"] and seven["languages"] == ["zh", "en"]
    assert seven["released"] == "2023-08"
    assert big["license"]["weights"] == "Kappa License"


def test_tables_show_the_matched_checkpoints_licences(family: Catalog) -> None:
    hits = search(family, [], Filters(max_params=4_000_000_000))
    row = render(hits, OutputFormat.TSV, ("id", "params", "languages", "license", "commercial_use", "released"))
    assert row.splitlines()[1].split("\t") == [
        "kappa", "≈1.8B", "zh", "code Apache-2.0; weights Kappa Research License", "no", "2023-11",
    ]  # fmt: skip
    everything = render(search(family), OutputFormat.TSV, ("id", "commercial_use"))
    assert everything.splitlines()[1] == "kappa\tvaries"


def test_show_marks_a_nominal_size(family: Catalog) -> None:
    from rich.console import Console

    console = Console(width=160, record=True, color_system=None)
    console.print(render_entry(search(family)[0], OutputFormat.TABLE, target=Target(width=160)))
    text = console.export_text()
    assert "≈1.8B (nominal)" in text
    assert "7.72B (7,721,324,544)" in text
    assert "Kappa Research License ✗" in text


def test_validate_rejects_a_requirement_without_its_checkpoint(write_catalog: WriteCatalog) -> None:
    text = FAMILY.replace('variant = "Kappa-7B"\n', "")
    problems = validate_files([write_catalog(text)], bundled=False)
    assert [p.message for p in problems] == [
        "every requirement must name its checkpoint (`variant`) when there are several"
    ]
    unknown = validate_files([write_catalog(FAMILY.replace('variant = "Kappa-7B"', 'variant = "Kappa-8B"'))],
                             bundled=False)  # fmt: skip
    assert "'Kappa-8B', which is not one of the variants" in unknown[0].message


def test_strict_names_each_fact_no_source_supports(write_catalog: WriteCatalog) -> None:
    problems = validate_files([write_catalog(FAMILY)], bundled=False, strict=True)
    assert [(p.field, p.message.split(" (")[0]) for p in problems] == [
        ("notes", "say which dating rule gave the release month in a note")
    ]
    bare = entry_toml("lone", extra='organization = "Lab"\ncountry = "CN"\nreleased = "2024-01"\n'
                      'notes = ["Release month: rule 3, first upload."]')  # fmt: skip
    problems = validate_files([write_catalog("schema_version = 1\n" + bare)], bundled=False, strict=True)
    assert [(p.entry, p.field, p.message) for p in problems] == [
        ("lone", "organization", "no source supports 'organization' (add it to a source's `supports`)"),
        ("lone", "country", "no source supports 'country' (add it to a source's `supports`)"),
        ("lone", "released", "no source supports 'released' (add it to a source's `supports`)"),
    ]


def test_strict_wants_a_release_month_for_every_model(write_catalog: WriteCatalog) -> None:
    problems = validate_files([write_catalog("schema_version = 1\n" + entry_toml("undated"))], bundled=False,
                              strict=True)  # fmt: skip
    assert [(p.field, p.message.split(" (")[0]) for p in problems] == [("released", "a model needs a release month")]


def test_validate_checks_the_catalogs_the_other_commands_load(write_catalog: WriteCatalog) -> None:
    bad = write_catalog("schema_version = 1\n" + entry_toml("bad", extra='released = "2023-13"'))
    result = CliRunner().invoke(app, ["--catalog", str(bad), "validate"])
    assert result.exit_code == 3
    assert "is not a month" in result.stdout
    strict = CliRunner().invoke(app, ["--no-bundled", "--catalog", str(write_catalog(FAMILY)), "validate", "--strict"])
    assert strict.exit_code == 3 and "dating rule" in strict.stdout


def test_a_figure_s_context_is_shown_and_read_by_the_estimate(write_catalog: WriteCatalog) -> None:
    text = FAMILY.replace("memory_gb = 13\n", "memory_gb = 13\ncontext = 32768\n")
    path = write_catalog(text)
    shown = CliRunner().invoke(app, ["--no-bundled", "--catalog", str(path), "show", "kappa"], env={"COLUMNS": "140"})
    header = next(line for line in shown.stdout.splitlines() if "Precision" in line and "Memory" in line)
    assert "Context" in header and "32k" in shown.stdout
    found = CliRunner().invoke(app, ["--no-bundled", "--catalog", str(path), "show", "kappa", "--json",
                                     "--context", "32k", "--fields", "memory"])  # fmt: skip
    cells = [cell for row in json.loads(found.stdout)["memory"] for cell in row.values() if isinstance(cell, dict)]
    assert any(cell["stated_gb"] == 13 and cell["gb"] == 13 for cell in cells)  # held at 32k: nothing added
    plain = CliRunner().invoke(app, ["--no-bundled", "--catalog", str(write_catalog(FAMILY)), "show", "kappa"],
                               env={"COLUMNS": "140"})  # fmt: skip
    assert not any("Context" in line and "Precision" in line for line in plain.stdout.splitlines())


CODE_ONLY = """
schema_version = 1

[[entries]]
id = "mu"
name = "Mu"
kind = "language-model"
summary = { en = "A model whose weights' licence is not known.", zh = "权重许可未知的模型。" }
[[entries.variants]]
name = "Mu-7B"
params = 7_000_000_000
[entries.license]
code = "Apache-2.0"
[[entries.sources]]
url = "https://example.org/mu"
supports = ["name", "variants", "license"]

[[entries]]
id = "nu"
name = "Nu"
kind = "framework"
summary = { en = "A tool.", zh = "一个工具。" }
[entries.license]
code = "Apache-2.0"
[[entries.sources]]
url = "https://example.org/nu"
supports = ["name", "license"]
"""


def test_a_model_licensed_by_its_code_alone_says_so(write_catalog: WriteCatalog) -> None:
    """A model whose weights have no licence on record shows its code's licence as the code's, in
    every view; a tool's licence is its code's, so it is shown plainly."""
    from llmlist.export import markdown
    from llmlist.stats import counts

    found = load_catalog([write_catalog(CODE_ONLY)], bundled=False)
    rows = render(search(found), OutputFormat.TSV, ("id", "license")).splitlines()[1:]
    assert rows == ["mu\tcode Apache-2.0", "nu\tApache-2.0"]
    table = "".join(render(search(found), OutputFormat.TABLE, ("id", "license"), Target(width=80)).write(False))
    assert "code Apache-2.0" in table and table.count("Apache-2.0") == 2
    from rich.console import Console

    console = Console(width=120, record=True, color_system=None)
    console.print(render_entry(search(found, ["mu"])[0], OutputFormat.TABLE, target=Target(width=120)))
    assert "License  code Apache-2.0" in console.export_text()
    assert {c.key for c in counts(found, "license")} == {"code Apache-2.0", "Apache-2.0"}
    assert "| code Apache-2.0 |" in markdown(found)
