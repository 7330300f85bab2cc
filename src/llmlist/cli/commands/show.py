"""`llmlist show` and `llmlist compare`."""

from typing import Annotated, Any

import typer

from llmlist.catalog import Catalog
from llmlist.cli import completion, terminal
from llmlist.cli.context import settings
from llmlist.cli.options import FP16, ContextOption, Output, QuantOption, context_from, output_options
from llmlist.errors import UsageError
from llmlist.query import Hit, find
from llmlist.render import OutputFormat, Result, Target, entry_result, hits_result
from llmlist.render.fields import default_fields


@output_options
def show_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Id, name, alias or checkpoint name, in any case; near misses are "
                                        "found too.", autocompletion=completion.offered(completion.entry_ids))],
    sources: Annotated[bool, typer.Option("--sources", help="Show which address backs which fact.")] = False,
    context: ContextOption = None,
    *, output: Output,
) -> None:  # fmt: skip
    """Show every field of one entry, with the memory each checkpoint needs.

    The detail view is printed on a terminal and when piped; --format chooses another.

    Examples:

      llmlist show chatglm-6b

      llmlist show llama-3.1 --context 128k

      llmlist show 华佗GPT --sources

      llmlist show llama --json
    """
    fmt = output.chosen(OutputFormat.TABLE)
    tokens = context_from(context)
    hit = _found(settings(ctx).load(), name)
    result = _sources(hit) if sources else entry_result(hit, output.fields)
    terminal.output(result, fmt, settings(ctx).locale, context=tokens)


@output_options
def compare_command(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(metavar="NAME NAME...", help="Two or more ids, names or aliases.",
                                               autocompletion=completion.offered(completion.entry_ids))],
    all_fields: Annotated[bool, typer.Option("--all", help="Show every field, not only those that differ.")] = False,
    quant: QuantOption = FP16, context: ContextOption = None,
    *, output: Output,
) -> None:  # fmt: skip
    """Compare entries side by side, one column each: the fields that differ (--all: every field).

    The side-by-side table is printed on a terminal and when piped; --format chooses another.

    Examples:

      llmlist compare chatglm-6b moss

      llmlist compare llama vicuna alpaca --all

      llmlist compare chatglm-6b chatglm2-6b --json

      llmlist compare qwen2.5 llama-3.1 --quant q4_k_m --context 32k
    """
    if len(names) < 2:
        raise UsageError("NAME", "compare needs two or more entries (to see one, use `llmlist show`)")
    tokens = context_from(context)
    fmt = output.chosen(OutputFormat.TABLE)
    catalog = settings(ctx).load()
    hits = [_found(catalog, name) for name in names]

    def side_by_side(target: Target) -> Any:
        from llmlist.render.compare import comparison

        return comparison(hits, output.fields, all_fields, target)

    result = hits_result(hits, output.fields or default_fields(fmt))._replace(view=side_by_side)
    terminal.output(result, fmt, settings(ctx).locale, quant.value, tokens)


def _found(catalog: Catalog, name: str) -> Hit:
    hit = find(catalog, name)
    if hit.score < 100:
        terminal.note(f"llmlist: showing {hit.facts.id!r}, the closest match to {name!r}")
    elif len(hit.matched_variants) < len(hit.facts.variants):
        terminal.note(f"llmlist: {name!r} is a checkpoint of {hit.facts.id!r}")
    return hit


def _sources(hit: Hit) -> Result:
    """The entry's sources: each address with the facts it supports; as a table, each fact with the
    addresses that back it."""
    entry = hit.entry

    def by_fact(target: Target) -> Any:
        from llmlist.render.table import facts_table

        return facts_table(entry)

    return Result(
        ("url", "supports", "note"), ("Address", "Supports", "Note"), lambda target: entry["sources"],
        lambda target: ([s["url"], ", ".join(s["supports"]), s["note"] or ""] for s in entry["sources"]),
        lambda: [s["url"] for s in entry["sources"]], by_fact,
        lambda target: {"id": entry["id"], "sources": entry["sources"]},
    )  # fmt: skip
