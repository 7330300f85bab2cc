"""`llmlist tree`."""

from typing import Annotated, Any

import typer

from llmlist import lineage
from llmlist.cli import completion, terminal
from llmlist.cli.context import settings
from llmlist.cli.options import Output, output_options
from llmlist.query import find
from llmlist.render import OutputFormat, Result, Target


@output_options
def tree_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Draw only the lineage below this entry.",
                                               autocompletion=completion.offered(completion.entry_ids))] = None,
    *, output: Output,
) -> None:  # fmt: skip
    """Draw lineage as trees, from each entry's base model: what was trained from what.

    Without NAME, every lineage in the catalog (entries that neither derive from another nor have
    derivatives are left out). JSON gives nested records (id, name, children); CSV, TSV and
    Markdown one row per entry with its parent and depth.

    Examples:

      llmlist tree llama

      llmlist tree

      llmlist tree bloom --json
    """
    fmt = output.chosen(OutputFormat.TABLE)
    catalog = settings(ctx).load()
    tops = [find(catalog, name).facts.id] if name is not None else lineage.roots(catalog)
    below = lineage.children(catalog)
    drawn: set[str] = set()
    trees = [lineage.tree(catalog, top, below, drawn) for top in tops]
    rows = list(lineage.flatten(trees))

    def drawing(target: Target) -> Any:
        from llmlist.render.charts import lineage_tree

        return lineage_tree(trees, "Lineage" if name is None else f"Lineage of {trees[0]['name']}")

    result = Result(
        ("id", "name", "parent", "depth"), ("ID", "Name", "Parent", "Depth"), lambda target: rows,
        lambda target: ([r["id"], r["name"], r["parent"] or "", str(r["depth"])] for r in rows),
        lambda: list(dict.fromkeys(r["id"] for r in rows)), drawing,
        lambda target: trees[0] if name is not None else trees,
    )  # fmt: skip
    terminal.output(result, fmt, settings(ctx).locale)
