"""The results table is written without Rich's console; what it writes must be what Rich would print
for the same styled lines, in colour and without, at any width."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from llmlist.catalog import load_catalog
from llmlist.query import search
from llmlist.render import OutputFormat
from llmlist.render.fields import default_fields
from llmlist.render.results import results_table
from llmlist.render.styled import Styled, write_lines
from llmlist.render.target import Target


def through_rich(renderable: object, width: int, colour: bool) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=colour, color_system="standard" if colour else None,
                      highlight=False, markup=False, emoji=False, soft_wrap=False)  # fmt: skip
    console.print(renderable, crop=False)
    return out.getvalue()


@pytest.fixture(scope="module")
def bundled_hits():  # type: ignore[no-untyped-def]
    return list(search(load_catalog()))


FIELD_SETS = [
    default_fields(OutputFormat.TABLE),
    ("id", "name", "summary", "license", "languages", "params", "memory", "released", "conditions", "categories"),
    ("id", "params"),
]


@pytest.mark.parametrize("fields", FIELD_SETS)
@pytest.mark.parametrize("width", [12, 33, 57, 80, 120, 200])
def test_bundled_tables_are_written_as_rich_prints_them(bundled_hits, fields, width) -> None:  # type: ignore[no-untyped-def]
    for hits in (bundled_hits, bundled_hits[100:130]):
        table = results_table(hits, fields, Target(width=width))
        for colour in (False, True):
            assert "".join(table.write(colour)) == through_rich(table, width, colour)


def test_colour_styles_ids_headings_and_licence_marks(bundled_hits) -> None:  # type: ignore[no-untyped-def]
    written = "".join(results_table(bundled_hits[:5], ("id", "license"), Target(width=100)).write(True))
    assert written.startswith("\x1b[1mID")  # headings bold
    assert f"\x1b[36m{bundled_hits[0].facts.id}\x1b[0m" in written  # ids cyan
    assert "\x1b[32m ✓\x1b[0m" in written or "\x1b[31m ✗\x1b[0m" in written
    plain = "".join(results_table(bundled_hits[:5], ("id", "license"), Target(width=100)).write(False))
    assert "\x1b" not in plain


styles = st.sampled_from(["", "bold", "cyan", "green", "dim"])


@st.composite
def styled_texts(draw: st.DrawFn, characters: str = "ab中文é \n-") -> Styled:
    words = st.text(st.sampled_from(characters), max_size=40)
    text = Styled(draw(words), draw(styles))
    for _ in range(draw(st.integers(0, 3))):
        text.append(draw(words), draw(styles))
    return text


def as_rich(text: Styled) -> Text:
    rich = Text(text.plain, style=text.base)
    for start, end, style in text.spans:
        rich.stylize(style, start, end)
    return rich


@settings(max_examples=300, deadline=None)
@given(styled_texts(), st.integers(1, 30))
def test_wrapping_matches_rich(text: Styled, width: int) -> None:
    expected = as_rich(text).wrap(Console(width=80), width, overflow="fold")
    got = text.wrapped(width)
    assert [line.plain for line in got] == [line.plain for line in expected]
    for mine, theirs in zip(got, expected, strict=True):
        written = through_rich(Text("").join([as_rich(mine)]), 200, True)
        assert written == through_rich(Text("").join([theirs]), 200, True)


@settings(max_examples=300, deadline=None)
@given(styled_texts("ab中文é -"), st.integers(0, 4), st.integers(1, 30), st.booleans(), st.booleans())
def test_padding_cutting_and_stripping_match_rich(
    text: Styled, left: int, width: int, ellipsis: bool, pad: bool
) -> None:
    rich = as_rich(text)
    rich.pad_left(left)
    text.pad_left(left)
    assert text.ansi(True) + "\n" == through_rich(rich, 500, True)
    stripped, rich_stripped = text.copy(), rich.copy()
    stripped._strip_end(width)
    rich_stripped.rstrip_end(width)
    assert stripped.ansi(True) + "\n" == through_rich(rich_stripped, 500, True)
    rich.truncate(width, overflow="ellipsis" if ellipsis else "crop", pad=pad)
    text.truncate(width, ellipsis=ellipsis, pad=pad)
    assert text.plain == rich.plain
    assert text.ansi(True) + "\n" == through_rich(rich, 500, True)


@settings(max_examples=200, deadline=None)
@given(styled_texts(), st.integers(20, 60), st.booleans())
def test_any_line_is_written_as_rich_prints_it(text: Styled, width: int, colour: bool) -> None:
    lines = [Styled.join([line]) for line in text.lines()] or [Styled()]
    joined = Text("\n", no_wrap=True, overflow="crop").join(line.__rich__() for line in lines)
    assert "".join(write_lines(lines, width, colour)) == through_rich(joined, width, colour)


def _columns(line: str, starts: list[int]) -> list[str]:
    """The text of `line` in each column, the columns starting at these cell offsets."""
    from rich.cells import cell_len

    parts = [""] * len(starts)
    position = 0
    for char in line:
        column = max(i for i, start in enumerate(starts) if start <= position) if position >= starts[0] else 0
        parts[column] += char
        position += cell_len(char)
    return [part.strip() for part in parts]


@pytest.mark.parametrize("width", [40, 57, 80])
def test_folded_cells_keep_every_word(bundled_hits, width) -> None:  # type: ignore[no-untyped-def]
    """However narrow the table, a cell folded onto several lines still holds every word of its text
    (only the one-line columns, such as the organization, end in '…')."""
    from rich.cells import cell_len

    fields = ("id", "name", "license", "released")  # left-aligned columns, which start at their headings
    hits = bundled_hits[:60]
    table = results_table(hits, fields, Target(width=width))
    lines = "".join(table.write(False)).splitlines()
    header = lines[0]
    titles = header.split()
    starts = [cell_len(header[: header.index(title)]) for title in titles]
    rows: list[list[str]] = []
    assert set(lines[1]) == {"─"} and len(lines[1]) <= width
    for line in lines[2:]:
        if not line.startswith(" "):
            rows.append([""] * len(starts))
        for index, text in enumerate(_columns(line, starts)):
            rows[-1][index] = f"{rows[-1][index]} {text}".strip()
    assert len(rows) == len(hits)
    for hit, row in zip(hits, rows, strict=True):
        shown = dict(zip([t.lower() for t in titles], row, strict=True))
        assert shown["id"] == hit.facts.id
        name = hit.entry["name"] + (f" {hit.entry['name_zh']}" if hit.entry["name_zh"] else "")
        assert shown["name"].replace(" ", "") == name.replace(" ", "")
