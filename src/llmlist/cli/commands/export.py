"""`llmlist export`."""

from typing import Annotated

import typer

from llmlist import export
from llmlist.cli import terminal
from llmlist.cli.context import settings
from llmlist.errors import UsageError
from llmlist.render import OutputFormat


def export_command(
    ctx: typer.Context,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Export format: markdown.")] = (
        OutputFormat.MARKDOWN
    ),
) -> None:  # fmt: skip
    """Write the catalog as a Markdown article grouped like the source article: Chinese LLMs,
    open LLMs and LLM tools, a table each. Headings follow the global --locale.

    (For the catalog in another format, use `llmlist list --format ...`.)

    Examples:

      llmlist export --format markdown > models.md

      llmlist --locale zh export
    """
    if fmt is not OutputFormat.MARKDOWN:
        raise UsageError("--format", f"export writes markdown only (for {fmt.value}, use `llmlist list --format "
                         f"{fmt.value}`)")  # fmt: skip
    terminal.emit(export.markdown(settings(ctx).load(), settings(ctx).locale) + "\n")
