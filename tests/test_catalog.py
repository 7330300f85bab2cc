from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from llmlist import cache
from llmlist.catalog import bundled_path, load_catalog, user_catalog_path, user_paths, validate_files
from llmlist.errors import CatalogError, ExitCode
from tests.conftest import SMALL_CATALOG, WriteCatalog, entry_toml


def entry(id: str, name: str | None = None, extra: str = "") -> str:
    return entry_toml(id, name, extra)


def problems_of(path: Path) -> list[str]:
    with pytest.raises(CatalogError) as error:
        load_catalog([path], bundled=False, use_cache=False)
    assert error.value.exit_code == ExitCode.CATALOG
    return [str(p) for p in error.value.problems]


def test_loads_entries_in_file_order(small_catalog_file: Path) -> None:
    catalog = load_catalog([small_catalog_file], bundled=False)
    assert [e["id"] for e in catalog.entries] == ["alpha-6b", "beta", "gamma-med", "delta-kit"]
    assert catalog["beta"]["variants"][2]["params"] == 65_200_000_000


def test_user_entry_with_new_id_is_added_and_same_id_replaces(
    small_catalog_file: Path, write_catalog: WriteCatalog
) -> None:
    user = write_catalog(entry("beta", "Beta Prime", 'base_model = "alpha-6b"') + entry("epsilon"))
    catalog = load_catalog([small_catalog_file, user], bundled=False)
    assert catalog["beta"]["name"] == "Beta Prime"
    assert catalog.get("epsilon") is not None
    assert len(catalog) == 5
    assert catalog.origins["beta"] == str(user)


def test_bundled_catalog_is_loaded_by_default() -> None:
    catalog = load_catalog()
    assert catalog.get("chatglm-6b") is not None
    assert bundled_path().name == "models.toml"


def test_catalog_paths_come_from_environment_then_options(tmp_path: Path) -> None:
    env = {"LLMLIST_CATALOG": os.pathsep.join(["a.toml", "", "b.toml"]), "XDG_DATA_HOME": str(tmp_path)}
    assert user_paths(["c.toml"], env) == [Path("a.toml"), Path("b.toml"), Path("c.toml")]


@pytest.mark.skipif(sys.platform in ("darwin", "win32", "cygwin"), reason="platformdirs decides there")
def test_the_user_catalog_follows_xdg_and_comes_first_when_it_exists(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path), "LLMLIST_CATALOG": "a.toml"}
    own = tmp_path / "llmlist" / "catalog.toml"
    assert user_catalog_path(env) == own
    assert user_paths([], env) == [Path("a.toml")]  # no file yet: nothing to load
    own.parent.mkdir()
    own.write_text("schema_version = 1\n", encoding="utf-8")
    assert user_paths(["b.toml"], env) == [own, Path("a.toml"), Path("b.toml")]
    relative = {"XDG_DATA_HOME": "relative/dir"}  # the XDG rule ignores it
    assert user_catalog_path(relative) == Path.home() / ".local" / "share" / "llmlist" / "catalog.toml"


def test_a_file_with_a_schema_version_and_no_entries_is_an_empty_catalog(write_catalog: WriteCatalog) -> None:
    path = write_catalog("# nothing yet\nschema_version = 1\n")
    assert len(load_catalog([path], bundled=False, use_cache=False)) == 0
    assert validate_files([path]) == []


def test_check_replacement_reads_new_content_in_the_file_s_place(
    write_catalog: WriteCatalog, small_catalog_file: Path
) -> None:
    from llmlist.catalog import check_replacement

    paths = [small_catalog_file, write_catalog(entry("later", extra='base_model = "alpha-6b"'))]
    mine = ("schema_version = 1\n" + entry("mine")).encode()
    assert check_replacement(paths[1], mine, paths, bundled=False) == []
    # in the small catalog's place, `mine` would leave the later file's base model 'alpha-6b' undefined
    (gone,) = check_replacement(small_catalog_file, mine, paths, bundled=False)
    assert gone.file == str(paths[1]) and "'alpha-6b' is not the id of any entry" in gone.message
    broken = ("schema_version = 1\n" + entry("x", extra='base_model = "nope"')).encode()
    (problem,) = check_replacement(paths[1], broken, paths, bundled=False)
    assert problem.file == str(paths[1]) and "'nope' is not the id of any entry" in problem.message


def test_toml_syntax_error_reports_line_and_column(write_catalog: WriteCatalog) -> None:
    path = write_catalog('schema_version = 1\n\n[[entries]]\nid = "x"\nname = \n')
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:5:")
    assert "TOML error" in problem


def test_schema_error_names_file_line_entry_and_field(write_catalog: WriteCatalog) -> None:
    text = entry("ok-one") + entry(
        "bad-one", extra='released = "2023-13"\n[[entries.variants]]\nname = "B"\nparams = 0'
    )
    path = write_catalog(text)
    found = problems_of(path)
    assert any("entry 'bad-one'" in p and "field 'released'" in p and "2023-13" in p for p in found)
    assert any("field 'variants[0].params'" in p and "greater than 0" in p for p in found)
    line = text.splitlines().index('id = "bad-one"')  # the [[entries]] header is the line before
    assert all(p.startswith(f"{path}:{line}:") for p in found)


def test_unknown_key_is_reported_by_name(write_catalog: WriteCatalog) -> None:
    (problem,) = problems_of(write_catalog(entry("x", extra="parameters = 7")))
    assert "field 'parameters'" in problem and "unknown key" in problem


def test_wrong_type_is_reported(write_catalog: WriteCatalog) -> None:
    (problem,) = problems_of(write_catalog(entry("x", extra='languages = "zh"')))
    assert "field 'languages'" in problem


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (entry("x") + entry("x"), "duplicate id"),
        (entry("x", "Same") + entry("y", "same"), "already used by entry 'x'"),
        (entry("x", extra='aliases = ["Y"]') + entry("y"), "already used"),
        (entry("x", extra='base_model = "nowhere"'), "'nowhere' is not the id of any entry"),
        (entry("x", extra='part_of = "nowhere"'), "is not the id of any entry"),
    ],
)
def test_cross_entry_problems(write_catalog: WriteCatalog, text: str, message: str) -> None:
    assert any(message in p for p in problems_of(write_catalog(text)))


def test_every_problem_is_reported_at_once(write_catalog: WriteCatalog) -> None:
    text = entry("a", extra='released = "2023-13"') + entry("b", extra='kind = "x"\nlanguages = ["xx"]')
    assert len(problems_of(write_catalog(text.replace('kind = "language-model"\nkind', "kind")))) >= 3


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "no such catalog file"),
        ("directory", "is a directory"),
        ("empty", "has no entries"),
        ("latin1", "is not UTF-8"),
    ],
)
def test_unreadable_files_are_one_problem(tmp_path: Path, setup: str, message: str) -> None:
    path = tmp_path / "c.toml"
    if setup == "directory":
        path.mkdir()
    elif setup == "empty":
        path.write_text("")
    elif setup == "latin1":
        path.write_bytes(entry("x").encode() + "# caf\xe9\n".encode("latin-1"))
    (problem,) = problems_of(path)
    assert message in problem and problem.startswith(str(path))
    if setup == "latin1":
        assert problem.startswith(f"{path}:{entry('x').count(chr(10)) + 1}:")


def test_validate_files_checks_against_the_bundled_catalog(write_catalog: WriteCatalog) -> None:
    good = write_catalog(entry("my-llama", extra='base_model = "llama"'))
    assert validate_files([good]) == []
    bad = write_catalog(entry("my-thing", extra='base_model = "no-such-model"'))
    assert [p.entry for p in validate_files([bad])] == ["my-thing"]


def test_loading_never_writes_to_the_catalog_file(small_catalog_file: Path) -> None:
    before = (small_catalog_file.read_bytes(), small_catalog_file.stat().st_mtime_ns)
    load_catalog([small_catalog_file], bundled=False)
    load_catalog([small_catalog_file], bundled=False)
    assert (small_catalog_file.read_bytes(), small_catalog_file.stat().st_mtime_ns) == before


def _cache_files() -> list[Path]:
    return sorted(cache.cache_dir().glob("catalog-*.cache"))


def test_cache_is_written_and_used(small_catalog_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_catalog([small_catalog_file], bundled=False)
    (cached,) = _cache_files()
    assert isinstance(json.loads(cached.read_bytes().partition(b"\n")[0])["format"], int)
    # A second load must not validate again.
    import llmlist.catalog as module

    monkeypatch.setattr(module, "parse_entries", lambda *a: pytest.fail("validated again"))
    assert load_catalog([small_catalog_file], bundled=False).get("beta") is not None


def test_changed_catalog_is_never_answered_from_a_stale_cache(small_catalog_file: Path) -> None:
    load_catalog([small_catalog_file], bundled=False)
    small_catalog_file.write_text(SMALL_CATALOG.replace('name = "Beta"', 'name = "Beta Two"'), encoding="utf-8")
    assert load_catalog([small_catalog_file], bundled=False)["beta"]["name"] == "Beta Two"


@pytest.mark.parametrize("damage", [b"", b"{", b"not json\n[]", b'{"format": 1, "key": "x", "digest": "y"}\n[]'])
def test_corrupt_cache_is_ignored_and_rebuilt(small_catalog_file: Path, damage: bytes) -> None:
    load_catalog([small_catalog_file], bundled=False)
    (cached,) = _cache_files()
    cached.write_bytes(damage)
    assert load_catalog([small_catalog_file], bundled=False).get("alpha-6b") is not None
    assert cached.read_bytes().startswith(b'{"format"')


def test_truncated_cache_is_not_trusted(small_catalog_file: Path) -> None:
    load_catalog([small_catalog_file], bundled=False)
    (cached,) = _cache_files()
    cached.write_bytes(cached.read_bytes()[:-10])
    assert len(load_catalog([small_catalog_file], bundled=False)) == 4


def test_read_only_cache_directory_is_harmless(
    small_catalog_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    monkeypatch.setenv("LLMLIST_CACHE_DIR", str(blocked / "cache"))
    assert len(load_catalog([small_catalog_file], bundled=False)) == 4


def test_cache_directory_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LLMLIST_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "llmlist"


def test_a_search_imports_nothing_that_add_needs(small_catalog_file: Path) -> None:
    code = (
        "import sys; from llmlist.cli import app; from typer.testing import CliRunner; "
        f"CliRunner().invoke(app, ['--catalog', {str(small_catalog_file)!r}, 'search', 'chinese', '--json']); "
        "print(sorted(m for m in ('huggingface_hub', 'tomlkit', 'platformdirs', 'llmlist.hub') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_cache_hit_imports_neither_pydantic_nor_tomli(small_catalog_file: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from llmlist.catalog import load_catalog; "
        f"load_catalog([Path({str(small_catalog_file)!r})]); "
        "print(sorted(m for m in ('pydantic', 'tomli') if m in sys.modules))"
    )
    env = {**os.environ}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)  # fills the cache
    out = subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_record_layout_matches_the_schema() -> None:
    from llmlist import catalog, schema

    models = {name: getattr(schema, name) for name in catalog.RECORD_LAYOUT}
    assert {name: tuple(model.model_fields) for name, model in models.items()} == catalog.RECORD_LAYOUT
    nested = {a.__name__ for m in models.values() for f in m.model_fields.values() for a in _classes(f.annotation)}
    assert nested - {"str", "int", "float", "bool", "NoneType"} <= set(catalog.RECORD_LAYOUT)


def _classes(annotation: object) -> list[type]:
    from typing import get_args

    found = [annotation] if isinstance(annotation, type) else []
    return found + [c for arg in get_args(annotation) for c in _classes(arg)]


def test_a_new_record_layout_never_reads_an_old_cache(
    small_catalog_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from llmlist import catalog

    load_catalog([small_catalog_file], bundled=False)
    parsed: list[str] = []
    from llmlist.parsing import parse_entries as real

    def parsing(*args: Any) -> Any:
        parsed.append("parsed")
        return real(*args)

    monkeypatch.setattr(catalog, "parse_entries", parsing)
    load_catalog([small_catalog_file], bundled=False)
    assert parsed == []  # warm: answered from the cache
    monkeypatch.setattr(catalog, "LAYOUT", catalog.LAYOUT + "+a field")
    loaded = load_catalog([small_catalog_file], bundled=False)
    assert parsed == ["parsed"]  # the layout changed: the file was read and validated again
    assert loaded.get("beta") is not None


def test_an_unchanged_file_is_answered_from_the_cache_without_reading_it(
    small_catalog_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from llmlist import catalog

    load_catalog([small_catalog_file], bundled=False)
    real = Path.read_bytes
    with monkeypatch.context() as patched:
        patched.setattr(Path, "read_bytes", lambda p: pytest.fail(f"read {p}") if p == small_catalog_file else real(p))
        assert load_catalog([small_catalog_file], bundled=False).get("beta") is not None
    # Touched but the same bytes: read and hashed again, not parsed again.
    os.utime(small_catalog_file, None)
    monkeypatch.setattr(catalog, "parse_entries", lambda *a: pytest.fail("parsed again"))
    assert load_catalog([small_catalog_file], bundled=False).get("beta") is not None


def test_the_typed_record_has_the_schemas_keys() -> None:
    from llmlist import records
    from llmlist.catalog import RECORD_LAYOUT

    typed = {"Entry": records.EntryRecord, "Variant": records.VariantRecord, "License": records.LicenseRecord,
             "Links": records.LinksRecord, "Requirement": records.RequirementRecord, "Source": records.SourceRecord,
             "Summary": records.SummaryRecord}  # fmt: skip
    assert {name: records.fields_of(record) for name, record in typed.items()} == RECORD_LAYOUT
