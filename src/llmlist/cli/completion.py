"""Shell completion: entry ids and the values options accept.

Entry ids come from the catalog as it is loaded for any command (a warm cache: no TOML parser, no
pydantic), so completing is as quick as a search.
"""

# No `from __future__ import annotations`: Typer reads these functions' annotations.

import os
from collections.abc import Callable
from typing import Any

import typer

from llmlist.vocab import CATEGORIES, KINDS, LANGUAGES, PRECISIONS

# Typer inspects every completion function each time it builds a command, which costs a warm run
# about 2 ms; they are attached only when the shell asks for completions.
COMPLETING = "_LLMLIST_COMPLETE" in os.environ


def offered(function: Callable[..., list[str]]) -> Callable[..., list[str]] | None:
    """`function` when the shell is completing, else None."""
    return function if COMPLETING else None


def _starting(incomplete: str, values: Any) -> list[str]:
    folded = incomplete.casefold()
    return [value for value in values if value.casefold().startswith(folded)]


def entry_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Ids of the entries the command would load (the global --catalog and --no-bundled count)."""
    from llmlist.catalog import load_catalog, user_paths
    from llmlist.errors import LlmlistError

    root = ctx.find_root().params
    try:
        catalog = load_catalog(user_paths(root.get("catalog") or ()), bundled=root.get("bundled", True))
    except LlmlistError:
        return []
    return _starting(incomplete, (facts.id for facts in catalog.facts))


def categories(incomplete: str) -> list[str]:
    return _starting(incomplete, CATEGORIES)


def kinds(incomplete: str) -> list[str]:
    return _starting(incomplete, KINDS)


def languages(incomplete: str) -> list[str]:
    return _starting(incomplete, LANGUAGES)


def precisions(incomplete: str) -> list[str]:
    return _starting(incomplete, PRECISIONS)


def licenses(incomplete: str) -> list[str]:
    from llmlist.licenses import SPDX_IDS

    return _starting(incomplete, SPDX_IDS)


def fields(incomplete: str) -> list[str]:
    """Field names, for the last of a comma-separated list: `id,na<Tab>` offers `id,name`."""
    from llmlist.render.fields import FIELDS

    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    chosen = set(done.split(",")) if done else set()
    return [prefix + name for name in _starting(last, FIELDS) if name not in chosen]
