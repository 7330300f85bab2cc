"""`llmlist validate`."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from llmlist.catalog import validate_files
from llmlist.errors import ExitCode
from llmlist.render.inert import inert


def validate_command(
    files: Annotated[list[Path] | None, typer.Argument(metavar="[FILE]...", help="Catalog files to check "
                                                       "(default: the bundled catalog).")] = None,
) -> None:  # fmt: skip
    """Check catalog files and report every problem, one per line; exit 3 if there are any.

    Files are checked together with the bundled catalog, so they may refer to its ids.

    Examples:

      llmlist validate

      llmlist validate my-models.toml
    """
    problems = validate_files(files or ())
    for problem in problems:
        typer.echo(inert(str(problem)))
    if problems:
        typer.echo(f"llmlist: {len(problems)} problem{'s' if len(problems) != 1 else ''} found", err=True)
        sys.exit(ExitCode.CATALOG)
    typer.echo(f"ok: {', '.join(map(str, files)) if files else 'bundled catalog'}", err=True)
