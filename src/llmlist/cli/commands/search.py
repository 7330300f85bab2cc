"""`llmlist search` and `llmlist list`."""

from collections.abc import Sequence
from typing import Annotated

import typer

from llmlist.cli import terminal
from llmlist.cli.context import settings
from llmlist.cli.options import Output, filter_options, output_options
from llmlist.query import Filters, SortKey, search
from llmlist.render import OutputFormat, hits_result
from llmlist.render.fields import default_fields

SortOption = Annotated[
    SortKey,
    typer.Option("--sort", help="Order: relevance (best first), params (largest first), released (newest first), "
                 "name."),
]  # fmt: skip
ReverseOption = Annotated[bool, typer.Option("--reverse", help="Reverse the order.")]
LimitOption = Annotated[int | None, typer.Option("--limit", "-n", metavar="N", help="Show at most N results.")]


@filter_options
@output_options
def search_command(
    ctx: typer.Context,
    query: Annotated[list[str] | None, typer.Argument(help="Words that must all match (name, organization, "
                                                      "language, category, license or summary).")] = None,
    sort: SortOption = SortKey.RELEVANCE, reverse: ReverseOption = False, limit: LimitOption = None,
    *, filters: Filters, output: Output,
) -> None:  # fmt: skip
    """Search the catalog; every query word must match, best matches first.

    Examples:

      llmlist search chinese --max-params 13b

      llmlist search 医疗

      llmlist search code --commercial --json | jq '.[].id'

      llmlist search --fits 24gb --quant int4 --base llama
    """
    run_query(ctx, query or (), filters, sort, reverse, limit, output)


@filter_options
@output_options
def list_command(
    ctx: typer.Context,
    sort: SortOption = SortKey.NAME, reverse: ReverseOption = False, limit: LimitOption = None,
    *, filters: Filters, output: Output,
) -> None:  # fmt: skip
    """List the whole catalog, with the same filters and output options as search.

    Examples:

      llmlist list --kind framework

      llmlist list --since 2023-05 --sort released

      llmlist list --format csv --fields id,name,params > models.csv
    """
    run_query(ctx, (), filters, sort, reverse, limit, output)


def run_query(ctx: typer.Context, words: Sequence[str], filters: Filters, sort: SortKey, reverse: bool,
              limit: int | None, output: Output) -> None:  # fmt: skip
    fmt = output.chosen()
    hits = search(settings(ctx).load(), words, filters, sort=sort, reverse=reverse, limit=limit)
    fields = output.fields or default_fields(fmt, filters)
    if not hits and fmt is OutputFormat.TABLE:
        terminal.note("No entries match.")
        return
    terminal.output(hits_result(hits, fields), fmt, settings(ctx).locale, filters.quant, filters.context)
