"""`llmlist validate`."""

from pathlib import Path
from typing import Annotated

import typer

from llmlist.catalog import user_paths, validate_files
from llmlist.cli import terminal
from llmlist.cli.context import settings
from llmlist.errors import ProblemsFound

MAX_SHOWN = 1000  # problems printed; the rest are counted


def validate_command(
    ctx: typer.Context,
    files: Annotated[list[str] | None, typer.Argument(metavar="[FILE]...", help="Catalog files to check "
                                                       "(default: every catalog the other commands load).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Also require a source for every set fact and a "
                                                          "release month for every model.")] = False,
) -> None:  # fmt: skip
    """Check catalog files and report every problem, one per line; exit 3 if there are any.

    With no FILE, checks what the other commands load: the bundled catalog (unless --no-bundled),
    $LLMLIST_CATALOG and --catalog files. Named files are checked together with the bundled
    catalog, so they may refer to its ids. The first 1000 problems are printed, the rest counted.

    Examples:

      llmlist validate --strict

      llmlist validate my-models.toml

      llmlist --catalog my-models.toml validate
    """
    chosen = settings(ctx)
    paths = [Path(name) for name in files or ()] or user_paths(chosen.catalogs)
    problems = validate_files(paths, strict=strict, bundled=chosen.bundled)
    terminal.emit("".join(f"{problem}\n" for problem in problems[:MAX_SHOWN]))
    if problems:
        raise ProblemsFound(len(problems), MAX_SHOWN)
    names = [str(path) for path in paths] or ["bundled catalog"]
    if paths and chosen.bundled and not files:
        names.insert(0, "bundled catalog")
    terminal.note(f"ok: {', '.join(names)}")
