"""The global options, as the command that runs reads them."""

# No `from __future__ import annotations` in the command-line modules: Typer reads their
# annotations on every run, and string annotations would cost an eval() each.

import os
from typing import NamedTuple

import typer

from llmlist.catalog import Catalog, load_catalog, user_paths
from llmlist.cli import terminal


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
