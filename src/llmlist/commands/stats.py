"""`llmlist stats`."""

import json
from enum import Enum
from typing import Annotated

import typer

from llmlist import stats, terminal
from llmlist.commands import reporting_errors, settings
from llmlist.render import OutputFormat


class Grouping(str, Enum):
    """What `stats` counts entries by (the values of stats.GROUPINGS)."""

    CATEGORY = "category"
    ORGANIZATION = "organization"
    LICENSE = "license"
    LANGUAGE = "language"
    COUNTRY = "country"
    YEAR = "year"
    KIND = "kind"


def stats_command(
    ctx: typer.Context,
    by: Annotated[Grouping, typer.Option("--by", help="What to count entries by.")] = Grouping.CATEGORY,
    as_json: Annotated[bool, typer.Option("--json", help="The numbers as JSON.")] = False,
) -> None:
    """Count entries by category, organization, license, language, country, year or kind, as bar
    charts, with checkpoints by parameter count. Each entry is counted once (under its first
    category or language), so the counts add up to the catalog's size.

    Examples:

      llmlist stats

      llmlist stats --by year

      llmlist stats --by license --json | jq '.counts[0]'
    """
    with reporting_errors():
        catalog = settings(ctx).load()
        locale = settings(ctx).locale
        counts = stats.counts(catalog, by.value, locale)
        sizes = stats.size_histogram(catalog)
        if as_json:
            data = {
                "by": by.value,
                "total": len(catalog),
                "counts": [c._asdict() for c in counts],
                "sizes": [b._asdict() for b in sizes],
            }
            terminal.emit(json.dumps(data, ensure_ascii=terminal.ascii_only(), indent=2) + "\n")
            return
        from llmlist.render.charts import stats_view

        width = terminal.target(OutputFormat.TABLE).width
        terminal.emit(stats_view(by.value, counts, sizes, len(catalog), width))
