"""`llmlist stats`."""

from enum import Enum
from typing import Annotated, Any

import typer

from llmlist import stats
from llmlist.cli import terminal
from llmlist.cli.context import settings
from llmlist.cli.options import Output, output_options
from llmlist.render import OutputFormat, Result, Target

# What `stats` counts entries by, as users type it.
Grouping = Enum("Grouping", {key.upper(): key for key in stats.GROUPINGS}, type=str)  # type: ignore[misc]
_BY_CATEGORY = Grouping("category")


@output_options
def stats_command(
    ctx: typer.Context,
    by: Annotated[Grouping, typer.Option("--by", help="What to count entries by.")] = _BY_CATEGORY,
    *, output: Output,
) -> None:  # fmt: skip
    """Count entries by category, organization, license, language, country, year or kind, as bar
    charts, with checkpoints by parameter count. Each entry is counted once (under its first
    category or language), so the counts add up to the catalog's size.

    JSON gives {by, total, counts, sizes}; CSV, TSV and Markdown one row per count.

    Examples:

      llmlist stats

      llmlist stats --by year

      llmlist stats --by license --json | jq '.counts[0]'
    """
    fmt = output.chosen(OutputFormat.TABLE)
    catalog = settings(ctx).load()
    key = by.value
    counts = stats.counts(catalog, key, settings(ctx).locale)
    sizes = stats.size_histogram(catalog)

    def charts(target: Target) -> Any:
        from llmlist.render.charts import stats_view

        return stats_view(key, counts, sizes, len(catalog), target.width)

    result = Result(
        ("key", "label", "entries"), ("Key", "Label", "Entries"), lambda target: [c._asdict() for c in counts],
        lambda target: ([c.key or "", c.label, str(c.entries)] for c in counts),
        lambda: [c.key or "" for c in counts], charts,
        lambda target: {"by": key, "total": len(catalog), "counts": [c._asdict() for c in counts],
                 "sizes": [b._asdict() for b in sizes]},
    )  # fmt: skip
    terminal.output(result, fmt, settings(ctx).locale)
