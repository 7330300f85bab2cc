"""`llmlist tree`."""

import json
from typing import Annotated

import typer

from llmlist import lineage, terminal
from llmlist.commands import reporting_errors, settings
from llmlist.query import find


def tree_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Draw only the lineage below this entry.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Nested records: id, name, children.")] = False,
) -> None:
    """Draw lineage as trees, from each entry's base model: what was trained from what.

    Without NAME, every lineage in the catalog (entries that neither derive from another nor have
    derivatives are left out).

    Examples:

      llmlist tree llama

      llmlist tree

      llmlist tree bloom --json
    """
    with reporting_errors():
        catalog = settings(ctx).load()
        tops = [find(catalog, name).facts.id] if name is not None else lineage.roots(catalog)
        below = lineage.children(catalog)
        trees = [lineage.tree(catalog, top, below) for top in tops]
        if as_json:
            data = trees[0] if name is not None else trees
            terminal.emit(json.dumps(data, ensure_ascii=terminal.ascii_only(), indent=2) + "\n")
            return
        from llmlist.render.charts import lineage_tree

        title = "Lineage" if name is None else f"Lineage of {trees[0]['name']}"
        terminal.emit(lineage_tree(trees, title))
