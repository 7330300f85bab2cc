"""Where output goes: the terminal or a pipe, its width and encoding, colour, and progress."""

# Decided once per command from the environment (NO_COLOR, FORCE_COLOR, TERM, COLUMNS, the
# encoding of stdout), never inside a renderer.

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from llmlist.render import OutputFormat, Result, Target, render_result
from llmlist.render.inert import inert
from llmlist.sizes import DEFAULT_CONTEXT


def ascii_only() -> bool:
    """Whether stdout's encoding is too narrow for Chinese text (ASCII, Latin-1, ...)."""
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "")
    return encoding not in ("utf8", "utf16", "utf32", "gb18030")


def emit(result: Any) -> None:
    """Write a rendered result to stdout: text (or pieces of text) as it is, a table's lines with
    colour if the terminal takes it, a Rich renderable through a console (and a table's lines too
    on Windows, where Rich knows the console)."""
    if ascii_only() and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    if hasattr(result, "write") and sys.platform != "win32":  # lines laid out here (Windows: through Rich)
        sys.stdout.writelines(result.write(colour()))
        sys.stdout.flush()
        return
    if not isinstance(result, str | Iterator):
        console().print(result, crop=False)  # lines laid out to the width; only unbroken addresses run past it
        return
    # On a terminal, no catalog text may act on it; piped, CSV carries the text unchanged.
    terminal = sys.stdout.isatty()
    for piece in [result] if isinstance(result, str) else result:
        sys.stdout.write(inert(piece) if terminal else piece)
    sys.stdout.flush()


def output(
    result: Result, fmt: OutputFormat, locale: str = "en", quant: str = "fp16", context: int = DEFAULT_CONTEXT
) -> None:
    """Render a command's answer in `fmt` for this stdout and write it."""
    emit(render_result(result, fmt, target(fmt, locale, quant, context)))


def note(message: str) -> None:
    """A message for the person at the terminal (not a result): one line on stderr."""
    sys.stderr.write(inert(message) + "\n")


_CONSOLE_ENV = ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS", "LINES", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
_consoles: dict[tuple[Any, ...], Any] = {}


def console() -> Any:
    """The Rich console for stdout, made once for the same stdout and environment."""
    key = (id(sys.stdout), *(os.environ.get(name) for name in _CONSOLE_ENV))
    if key not in _consoles:
        from rich.console import Console

        # NO_COLOR (when not empty) wins over FORCE_COLOR and turns off every style, not only colours.
        plain = bool(os.environ.get("NO_COLOR"))
        _consoles.clear()
        _consoles[key] = Console(
            highlight=False, markup=False, emoji=False, soft_wrap=False, color_system=None if plain else "auto"
        )
    return _consoles[key]


def is_terminal() -> bool:
    """Whether stdout is taken as a terminal, as Rich takes it: TTY_COMPATIBLE=1 or 0 says so;
    else FORCE_COLOR set to anything but empty means yes (force-color.org: even FORCE_COLOR=0);
    else whether stdout is a TTY."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return sys.stdout.isatty()
    except ValueError:  # closed
        return False


def _dumb() -> bool:
    return os.environ.get("TERM", "").lower() in ("dumb", "unknown")


def colour() -> bool:
    """Whether output is styled: on a terminal (`is_terminal`) that is not dumb, unless NO_COLOR
    is set to anything but empty (it wins over FORCE_COLOR and turns off every style)."""
    return not os.environ.get("NO_COLOR") and is_terminal() and not _dumb()


def width() -> int:
    """Columns of the output, as Rich measures them: COLUMNS when a number, else the size of the
    first of stdin, stdout and stderr that is a terminal, else 80 (and 80 on a dumb terminal)."""
    if is_terminal() and _dumb():
        return 80
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns) or 80
    for descriptor in (0, 1, 2):
        try:
            return os.get_terminal_size(descriptor).columns or 80
        except (AttributeError, ValueError, OSError):
            continue
    return 80


def target(fmt: OutputFormat, locale: str = "en", quant: str = "fp16", context: int = DEFAULT_CONTEXT) -> Target:
    """What stdout is (a table's width, ASCII only, a terminal), with the display language and the
    precision and context for memory figures."""
    if fmt not in (OutputFormat.TABLE, OutputFormat.MARKDOWN):
        columns = 80
    else:
        columns = int(console().width) if sys.platform == "win32" else width()
    return Target(width=columns, ascii_only=ascii_only(), pretty=sys.stdout.isatty(), locale=locale, quant=quant,
                  context=context)  # fmt: skip


@contextmanager
def progress(label: str, delay: float = 0.5) -> Iterator[None]:
    """A spinner on stderr if the work takes longer than `delay` seconds and stderr is a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    import threading

    done = threading.Event()

    def spin() -> None:
        if done.wait(delay):
            return
        frames = "|/-\\"
        tick = 0
        while not done.wait(0.1):
            sys.stderr.write(f"\r{frames[tick % len(frames)]} llmlist: {label}...")
            sys.stderr.flush()
            tick += 1
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()

    spinner = threading.Thread(target=spin, daemon=True)
    spinner.start()
    try:
        yield
    finally:
        done.set()
        spinner.join()
