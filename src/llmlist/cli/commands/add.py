"""`llmlist add` and `llmlist remove`: the user's own catalog, filled from the Hugging Face Hub."""

from pathlib import Path
from typing import Annotated

import typer

from llmlist.cli import terminal
from llmlist.cli.context import settings

# The Hub client, tomlkit and the modules that use them are imported when these commands run, so
# that the other commands never pay for them.


def add_command(
    ctx: typer.Context,
    repo_ids: Annotated[list[str], typer.Argument(metavar="REPO_ID...", help="Hugging Face model repositories, "
                                                  "ORG/NAME (or their https://huggingface.co/ addresses).")],
    to: Annotated[Path | None, typer.Option("--to", metavar="FILE", help="Write to this catalog file instead of "
                                            "your own catalog.")] = None,
) -> None:  # fmt: skip
    """Add models from the Hugging Face Hub to your catalog: one entry per repository, each fact
    with the Hub address it was read from, searchable at once with the bundled entries.

    Reads the model information and config.json through huggingface_hub (pip install
    'llmlist[hub]'), honouring HF_ENDPOINT, HF_TOKEN and HF_HUB_OFFLINE. Adding a repository again
    updates its entry; one that is already a checkpoint of a catalog entry is left alone. Writes
    your catalog (`catalog.toml` in your user data folder, loaded after the bundled catalog) unless
    --to names another file. Prints the id of each repository's entry.

    Examples:

      llmlist add HuggingFaceTB/SmolLM2-1.7B-Instruct

      llmlist add allenai/OLMoE-1B-7B-0924 ibm-granite/granite-3.3-8b-instruct

      llmlist add ibm-granite/granite-3.3-8b-instruct --to my-models.toml
    """
    from llmlist.additions import add_models
    from llmlist.catalog import user_catalog_path, user_paths

    chosen = settings(ctx)
    target = to if to is not None else user_catalog_path()
    catalog = chosen.load()
    with terminal.progress("reading the Hugging Face Hub"):
        outcomes = add_models(repo_ids, target, catalog, user_paths(chosen.catalogs), bundled=chosen.bundled)
    for outcome in outcomes:
        if outcome.warning:
            terminal.note(f"llmlist: {outcome.warning}")
        if outcome.action == "present":
            terminal.note(f"llmlist: {outcome.repo_id} is already checkpoint {outcome.checkpoint!r} of "
                          f"{outcome.entry_id!r} in {outcome.where}; nothing changed")  # fmt: skip
        else:
            unread = f" (not read: {', '.join(outcome.missing)})" if outcome.missing else ""
            terminal.note(f"llmlist: {outcome.action} {outcome.entry_id!r} ({outcome.repo_id}) in {outcome.where}"
                          f"{unread}")  # fmt: skip
    terminal.emit("".join(f"{outcome.entry_id}\n" for outcome in outcomes))


def remove_command(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The entry's id, or its Hugging Face repository "
                                            "ORG/NAME.")],
    from_: Annotated[Path | None, typer.Option("--from", metavar="FILE", help="Remove from this catalog file "
                                               "instead of your own catalog.")] = None,
) -> None:  # fmt: skip
    """Take an entry out of your catalog (the one `llmlist add` writes), keeping the rest of the
    file as it was. Entries of the bundled catalog cannot be removed.

    Examples:

      llmlist remove smollm2-1.7b-instruct

      llmlist remove HuggingFaceTB/SmolLM2-1.7B-Instruct

      llmlist remove granite-3.3-8b-instruct --from my-models.toml
    """
    from llmlist.catalog import user_catalog_path, user_paths
    from llmlist.catalog_file import remove_entry

    chosen = settings(ctx)
    target = from_ if from_ is not None else user_catalog_path()
    removed = remove_entry(target, entry_id, user_paths(chosen.catalogs), bundled=chosen.bundled)
    terminal.note(f"llmlist: removed {removed!r} from {target}")
