"""Editing a catalog file in place (`add` and `remove` write through it): the rest of the file kept
byte for byte, atomic writes, and nothing written when the catalog would break."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmlist.catalog_file import CatalogFile, remove_entry
from llmlist.cli import app
from llmlist.errors import CatalogError, NotInFile, WriteFailed
from tests.conftest import entry_toml

HAND_MADE = (
    "# kept by hand\nschema_version = 1\n"
    + entry_toml("first", "First")
    + "# ---- a section ----\n"
    + entry_toml("second", "Second", extra='aliases = ["Zweite"]  # a comment\nbase_model = "first"')
    + entry_toml("third", "Third")
    + "\n# the end\n"
)


def record(entry_id: str) -> dict[str, object]:
    return {"id": entry_id, "name": entry_id.upper(), "kind": "language-model",
            "summary": {"en": "e", "zh": "中"}, "notes": ["a note"],
            "variants": [{"name": "V", "params": 7_000_000_000}],
            "sources": [{"url": "https://example.org", "supports": ["name", "params", "variants"]}]}  # fmt: skip


def test_put_appends_and_replaces_without_touching_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HAND_MADE, encoding="utf-8")
    file = CatalogFile.open(path)
    file.put(record("fourth"))
    added = file.content().decode()
    assert added.startswith(HAND_MADE) and added.endswith("\n") and "params = 7_000_000_000\n" in added
    file.save(file.content())
    again = CatalogFile.open(path)
    again.put({**record("second"), "name": "Second, again"}, replacing="second")
    replaced = again.content().decode()
    head, tail = HAND_MADE.split(entry_toml("second", "Second", extra='aliases = ["Zweite"]  # a comment\n'
                                                                      'base_model = "first"'))  # fmt: skip
    assert replaced.startswith(head + '\n[[entries]]\nid = "second"\nname = "Second, again"')
    assert replaced.endswith(tail + added[len(HAND_MADE) :])  # the rest, with the comments, as it was
    assert [r["id"] for r in again.records()] == ["first", "second", "third", "fourth"]


@pytest.mark.parametrize("entry_id", ["first", "third", "fourth"])
def test_remove_keeps_every_other_byte(tmp_path: Path, entry_id: str) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HAND_MADE, encoding="utf-8")
    if entry_id == "fourth":  # one `add` wrote: removing it gives the file back as it was
        file = CatalogFile.open(path)
        file.put(record("fourth"))
        file.save(file.content())
    elif entry_id == "first":
        path.write_text(HAND_MADE.replace('base_model = "first"', ""), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert remove_entry(path, entry_id, bundled=False) == entry_id
    after = path.read_text(encoding="utf-8")
    if entry_id == "fourth":
        assert after == HAND_MADE
    elif entry_id == "first":  # the comment above the next entry stays
        assert after == before.replace(entry_toml("first", "First"), "\n")
        assert '\n\n# ---- a section ----\n\n[[entries]]\nid = "second"' in after
    else:  # the last entry: the comment after it stays
        assert after == before.replace(entry_toml("third", "Third") + "\n", "\n")
        assert after.endswith('supports = ["name"]\n\n# the end\n')


def test_remove_refuses_what_would_break_the_catalog_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HAND_MADE, encoding="utf-8")
    with pytest.raises(CatalogError, match="'first' is not the id of any entry"):
        remove_entry(path, "first", bundled=False)
    assert path.read_text(encoding="utf-8") == HAND_MADE


def test_remove_mends_a_catalog_that_is_already_broken(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HAND_MADE + entry_toml("orphan", extra='base_model = "gone"'), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["--catalog", str(path), "list"]).exit_code == 3
    assert remove_entry(path, "third", [path], bundled=False) == "third"  # unrelated to the problem: allowed
    assert remove_entry(path, "orphan", [path], bundled=False) == "orphan"
    assert runner.invoke(app, ["--catalog", str(path), "list"]).exit_code == 0


def test_remove_of_an_unknown_entry_names_the_file_s_entries(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HAND_MADE, encoding="utf-8")
    with pytest.raises(NotInFile, match=r"no entry 'fifth' in .*mine.toml; its entries: first, second, third$"):
        remove_entry(path, "fifth", bundled=False)


def test_entries_written_inline_are_not_edited(tmp_path: Path) -> None:
    path = tmp_path / "inline.toml"
    path.write_text('schema_version = 1\nentries = [{ id = "a" }]\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"not \[\[entries\]\] tables"):
        CatalogFile.open(path).put(record("b"))


def test_a_file_changed_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HAND_MADE, encoding="utf-8")
    file = CatalogFile.open(path)
    file.put(record("fourth"))
    path.write_text(HAND_MADE + "# someone else's edit\n", encoding="utf-8")
    with pytest.raises(WriteFailed, match="changed while llmlist was editing it; nothing was written"):
        file.save(file.content())
    assert path.read_text(encoding="utf-8").endswith("# someone else's edit\n")


def test_a_write_keeps_the_mode_follows_links_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text(HAND_MADE, encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    file = CatalogFile.open(link)
    file.put(record("fourth"))
    file.save(file.content())
    assert link.is_symlink() and "fourth" in real.read_text(encoding="utf-8")
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.toml", "real.toml"]


def test_a_new_file_starts_with_a_header(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "catalog.toml"
    file = CatalogFile.open(path)
    file.put(record("only"))
    file.save(file.content())
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# An llmlist catalog") and "schema_version = 1\n\n[[entries]]\n" in text
    assert remove_entry(path, "only", bundled=False) == "only"
    assert path.read_text(encoding="utf-8").endswith("schema_version = 1\n")
