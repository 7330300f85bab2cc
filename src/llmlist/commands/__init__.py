"""The commands of `llmlist`, one module each, and what they share: settings and error reporting.

Each command turns its options into typed values, makes one library call, renders the result and
returns; an LlmlistError becomes one line on stderr and its exit code.
"""

# No `from __future__ import annotations` in the command modules: Typer reads their annotations on
# every run, and string annotations would cost an eval() each.

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple, NoReturn

import typer

from llmlist import terminal
from llmlist.catalog import Catalog, load_catalog, user_paths
from llmlist.errors import ExitCode, LlmlistError
from llmlist.render.inert import inert


class Settings(NamedTuple):
    """The global options, kept on the Typer context for the command that runs."""

    catalogs: tuple[str, ...] = ()
    use_cache: bool = True
    bundled: bool = True
    locale: str = "en"

    def load(self) -> Catalog:
        with terminal.progress("loading catalogs"):
            return load_catalog(user_paths(self.catalogs), bundled=self.bundled, use_cache=self.use_cache)


def settings(ctx: typer.Context) -> Settings:
    found = ctx.find_object(Settings)
    return found if found is not None else Settings(locale=locale_from_environment())


def locale_from_environment() -> str:
    """'zh' when the first of LC_ALL, LC_MESSAGES and LANG that is set starts with 'zh', else 'en'."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def fail(message: str, code: ExitCode) -> NoReturn:
    """Report one line on stderr and exit with `code`."""
    typer.echo(f"llmlist: {inert(message)}", err=True)
    sys.exit(code)


@contextmanager
def reporting_errors() -> Iterator[None]:
    try:
        yield
    except LlmlistError as error:
        fail(str(error), error.exit_code)
