"""`llmlist show` and `llmlist compare`."""

from typing import Annotated, Any

import typer

from llmlist import options, terminal
from llmlist.commands import reporting_errors, settings
from llmlist.options import FieldsOption, FormatOption, JsonOption
from llmlist.query import Hit, find
from llmlist.render import OutputFormat, Target, chunks, render_entry
from llmlist.render.inert import inert


def show_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Id, name or alias, in any case; near misses are found too.")],
    sources: Annotated[bool, typer.Option("--sources", help="Show which address backs which fact.")] = False,
    fmt: FormatOption = None, as_json: JsonOption = False, fields: FieldsOption = None,
) -> None:  # fmt: skip
    """Show every field of one entry, with the memory each checkpoint needs.

    Examples:

      llmlist show chatglm-6b

      llmlist show 华佗GPT --sources

      llmlist show llama --json
    """
    with reporting_errors():
        chosen, selected = options.output_from(fmt or (OutputFormat.TABLE if not as_json else None), as_json, fields)
        hit = _found(settings(ctx).load(), name)
        target = terminal.target(chosen, settings(ctx).locale)
        if sources:
            terminal.emit(_sources(hit, chosen, target))
            return
        terminal.emit(render_entry(hit, chosen, selected, target))


def compare_command(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(metavar="NAME...", help="Two or more ids, names or aliases.")],
    all_fields: Annotated[bool, typer.Option("--all", help="Show every field, not only those that differ.")] = False,
    fmt: FormatOption = None, as_json: JsonOption = False, fields: FieldsOption = None,
) -> None:  # fmt: skip
    """Compare entries side by side, one column each: the fields that differ (--all: every field).

    Examples:

      llmlist compare chatglm-6b moss

      llmlist compare llama vicuna alpaca --all

      llmlist compare chatglm-6b chatglm2-6b --json
    """
    with reporting_errors():
        chosen, selected = options.output_from(fmt or (OutputFormat.TABLE if not as_json else None), as_json, fields)
        catalog = settings(ctx).load()
        hits = [_found(catalog, name) for name in names]
        target = terminal.target(chosen, settings(ctx).locale)
        if chosen is OutputFormat.TABLE:
            from llmlist.render.compare import comparison

            terminal.emit(comparison(hits, selected, all_fields, target))
        else:
            terminal.emit(chunks(hits, chosen, selected, target))


def _found(catalog: Any, name: str) -> Hit:
    hit = find(catalog, name)
    if hit.score < 100:
        typer.echo(f"llmlist: showing {hit.facts.id!r}, the closest match to {inert(repr(name))}", err=True)
    return hit


def _sources(hit: Hit, fmt: OutputFormat, target: Target) -> Any:
    if fmt in (OutputFormat.JSON, OutputFormat.JSONL):
        return render_entry(hit, OutputFormat.JSON, ("id", "sources"), target)
    from llmlist.render.table import facts_table

    return facts_table(hit.entry)
