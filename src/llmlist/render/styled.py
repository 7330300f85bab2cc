"""Styled text for the results table, written to a terminal without Rich's console.

A `Styled` is text with a style over the whole of it (`base`, which padding takes too) and styles
over ranges of characters (`spans`), each a style name: bold, dim or a colour. Its operations keep
the meaning Rich gives the same operations on its `Text` (padding takes the base style, a split
line keeps it, joined parts carry it as a span), so a table looks the same written here or through
Rich (`__rich__`, used on Windows and by code that holds a Rich console). Writing here spares a
search shown as a table the import of Rich's console, a fifth of its run time.

Widths are terminal cells (`rich.cells`: CJK characters take two).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from rich.cells import cell_len, chop_cells, set_cell_size

# SGR parameters of the styles a table uses (ECMA-48; the eight basic colours look the same on
# every terminal that shows colour).
_SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "cyan": "36"}
_ATTRIBUTES = frozenset({"bold", "dim"})
_WORD = re.compile(r"\s*\S+\s*")  # a word with the spaces around it
_TRAILING_SPACE = re.compile(r"\s*$")


class Span(NamedTuple):
    start: int
    end: int
    style: str


class Styled:
    """Text with a base style and styled ranges (see the module's docstring)."""

    __slots__ = ("base", "plain", "spans")

    def __init__(self, plain: str = "", base: str = "", spans: Iterable[Span] = ()) -> None:
        self.plain = plain
        self.base = base
        self.spans = list(spans)

    def __repr__(self) -> str:
        return f"Styled({self.plain!r}, {self.base!r}, {self.spans!r})"

    @property
    def cells(self) -> int:
        return cell_len(self.plain)

    def copy(self) -> Styled:
        return Styled(self.plain, self.base, self.spans)

    def append(self, text: str, style: str = "") -> Styled:
        if text:
            if style:
                self.spans.append(Span(len(self.plain), len(self.plain) + len(text), style))
            self.plain += text
        return self

    def append_styled(self, other: Styled) -> Styled:
        """Add `other` at the end; its base style becomes a span over it."""
        offset = len(self.plain)
        if other.base:
            self.spans.append(Span(offset, offset + len(other.plain), other.base))
        self.spans += [Span(start + offset, end + offset, style) for start, end, style in other.spans]
        self.plain += other.plain
        return self

    def stylize(self, style: str) -> None:
        """Give the text as it is now (not padding added later) `style`."""
        if self.plain:
            self.spans.append(Span(0, len(self.plain), style))

    def slice(self, start: int, end: int) -> Styled:
        """Characters `start` to `end`, with the base style and the spans over them."""
        spans = [
            Span(max(s, start) - start, min(e, end) - start, style)
            for s, e, style in self.spans
            if min(e, end) > max(s, start)
        ]
        return Styled(self.plain[start:end], self.base, spans)

    def lines(self, *, blank_last: bool = False) -> list[Styled]:
        """The text split at newlines (a newline at the very end makes an empty last line only
        with `blank_last`)."""
        if "\n" not in self.plain:
            return [self.copy()]
        bounds = [0]
        for match in re.finditer("\n", self.plain):
            bounds += [match.start(), match.end()]
        bounds.append(len(self.plain))
        lines = [self.slice(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
        if self.plain.endswith("\n") and not blank_last:
            lines.pop()
        return lines

    @staticmethod
    def join(parts: Iterable[Styled], separator: str = "\n") -> Styled:
        """The parts one after another with `separator` between them, each base style kept as a span."""
        joined = Styled()
        for index, part in enumerate(parts):
            if index:
                joined.plain += separator
            joined.append_styled(part)
        return joined

    def _set_plain(self, plain: str) -> None:
        """Replace the characters, cutting spans that run past the new end."""
        if len(plain) < len(self.plain):
            end = len(plain)
            self.spans = [Span(s, min(e, end), style) for s, e, style in self.spans if s < end]
        self.plain = plain

    def pad_left(self, count: int) -> None:
        if count > 0:
            self.plain = " " * count + self.plain
            self.spans = [Span(s + count, e + count, style) for s, e, style in self.spans]

    def truncate(self, width: int, *, ellipsis: bool = False, pad: bool = False) -> None:
        """Cut to `width` cells (ending in '…' with `ellipsis`); with `pad`, fill a shorter text
        with spaces to `width`."""
        length = self.cells
        if length > width:
            self._set_plain(
                set_cell_size(self.plain, width - 1) + "…" if ellipsis else set_cell_size(self.plain, width)
            )
        if pad and length < width:
            self.plain += " " * (width - length)

    def wrapped(self, width: int) -> list[Styled]:
        """The text's lines broken between words to fit `width` cells, a word longer than the
        width folded across lines."""
        result = []
        for line in self.lines(blank_last=True):
            offsets = _breaks(line.plain, width)
            bounds = [0, *offsets, len(line.plain)]
            for start, end in zip(bounds, bounds[1:], strict=False):
                part = line.slice(start, end)
                part._strip_end(width)
                part.truncate(width)
                result.append(part)
        return result

    def _strip_end(self, size: int) -> None:
        """Drop trailing whitespace, but only as much as makes the text longer than `size` characters."""
        excess = len(self.plain) - size
        if excess > 0:
            trailing = len(_TRAILING_SPACE.search(self.plain)[0])  # type: ignore[index]
            if trailing:
                self._set_plain(self.plain[: len(self.plain) - min(trailing, excess)])

    def ansi(self, colour: bool) -> str:
        """One line for a terminal: with `colour`, each styled run between SGR codes."""
        if not colour or not (self.base or self.spans):
            return self.plain
        out = []
        for start, end, styles in self._runs():
            text = self.plain[start:end]
            codes = _codes(styles)
            out.append(f"\x1b[{codes}m{text}\x1b[0m" if codes and text else text)
        return "".join(out)

    def _runs(self) -> Iterator[tuple[int, int, tuple[str, ...]]]:
        """Runs of characters that share their styles: (start, end, styles in the order applied)."""
        cuts = sorted({0, len(self.plain), *(s for s, _, _ in self.spans), *(e for _, e, _ in self.spans)})
        for start, end in zip(cuts, cuts[1:], strict=False):
            styles = [self.base] if self.base else []
            styles += [style for s, e, style in self.spans if s <= start and end <= e]
            yield start, end, tuple(styles)

    def __rich__(self) -> Any:
        from rich.text import Text

        text = Text(self.plain, style=self.base, no_wrap=True, overflow="crop")
        for start, end, style in self.spans:
            text.stylize(style, start, end)
        return text


def _codes(styles: Sequence[str]) -> str:
    """SGR parameters for styles applied in this order, as Rich writes them: attributes first,
    then the colour applied last."""
    attributes = sorted({_SGR[s] for s in styles if s in _ATTRIBUTES})
    colours = [_SGR[s] for s in styles if s in _SGR and s not in _ATTRIBUTES]
    return ";".join(attributes + colours[-1:])


def _breaks(text: str, width: int) -> list[int]:
    """Offsets at which to break `text` into lines of at most `width` cells: before a word that
    does not fit the rest of the line; within a word longer than a whole line."""
    breaks: list[int] = []
    used = 0  # cells taken on the current line
    for match in _WORD.finditer(text):
        start, word = match.start(), match[0]
        length = cell_len(word.rstrip())
        if length <= width - used:
            used += cell_len(word)
        elif length > width:  # fold the word: each piece starts a line
            pieces = chop_cells(word, width)
            for piece in pieces[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            used = cell_len(pieces[-1])
        elif used and start:
            breaks.append(start)
            used = cell_len(word)
    return breaks


def write_lines(lines: Sequence[Styled], width: int, colour: bool) -> Iterator[str]:
    """The lines for a terminal `width` cells wide, each ending in a newline; a line wider than
    the terminal is broken as the terminal would show it."""
    for line in lines:
        for part in line.wrapped(width) if line.cells > width else [line]:
            yield part.ansi(colour) + "\n"
