"""`llmlist export`."""

from enum import Enum
from typing import Annotated

import typer

from llmlist import export, terminal
from llmlist.commands import reporting_errors, settings


class ExportFormat(str, Enum):
    MARKDOWN = "markdown"


class Language(str, Enum):
    EN = "en"
    ZH = "zh"


def export_command(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Export format.")] = ExportFormat.MARKDOWN,
    lang: Annotated[Language | None, typer.Option("--lang", help="Language of headings (default: the locale).")] = None,
) -> None:
    """Write the catalog as a Markdown list grouped like the source article: Chinese LLMs, open
    LLMs and LLM tools, a table each.

    Examples:

      llmlist export --format markdown > models.md

      llmlist export --lang zh
    """
    with reporting_errors():
        catalog = settings(ctx).load()
        chosen = lang.value if lang is not None else settings(ctx).locale
        terminal.emit(export.markdown(catalog, chosen) + "\n")
