"""The `llmlist` command: the Typer application, its global options, and its commands."""

# No `from __future__ import annotations` here: Typer reads these annotations on every run, and
# string annotations would cost it an eval() each (measured: about 4 ms of a ~90 ms start).

import signal
import sys
from collections.abc import Sequence
from enum import Enum
from typing import Annotated, Any

import typer
from typer._click import exceptions as click_exceptions  # Typer 0.26-0.28 ship Click inside
from typer.core import TyperGroup

from llmlist import __version__
from llmlist.commands import Settings, fail, locale_from_environment
from llmlist.commands.export import export_command
from llmlist.commands.search import list_command, search_command
from llmlist.commands.show import compare_command, show_command
from llmlist.commands.stats import stats_command
from llmlist.commands.tree import tree_command
from llmlist.commands.validate import validate_command
from llmlist.errors import ExitCode


class _Group(TyperGroup):
    """Reports Click's own usage errors as one line on stderr, like llmlist's errors."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except click_exceptions.NoArgsIsHelpError as error:
            typer.echo(error.ctx.get_help() if error.ctx else "")
            sys.exit(ExitCode.OK)
        except click_exceptions.UsageError as error:
            command = error.ctx.command_path if error.ctx else "llmlist"
            fail(f"{error.format_message()} (see '{command} --help')", ExitCode.USAGE)
        except click_exceptions.ClickException as error:
            fail(error.format_message(), ExitCode.USAGE)
        except typer.Abort:
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else ExitCode.OK)


app = typer.Typer(
    cls=_Group,
    name="llmlist",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    help="A catalog of open large language models and LLM tools, in English and Chinese.\n\n"
    "Examples:\n\n"
    "  llmlist search chinese --max-params 13b\n\n"
    "  llmlist show chatglm-6b\n\n"
    "  llmlist search code --commercial --json | jq '.[].id'",
    epilog="Exit codes: 0 ok, 1 no such entry, 2 bad usage, 3 broken catalog file.",
)


class Locale(str, Enum):
    EN = "en"
    ZH = "zh"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"llmlist {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    catalog: Annotated[
        list[str] | None,
        typer.Option(
            "--catalog",
            metavar="FILE",
            help="Also load this catalog file (repeatable). "
            "Entries replace bundled ones with the same id. See also $LLMLIST_CATALOG.",
        ),
    ] = None,
    bundled: Annotated[
        bool, typer.Option("--bundled/--no-bundled", help="Load the catalog that ships with llmlist.")
    ] = True,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Read and validate catalog files anew.")] = False,
    locale: Annotated[
        Locale | None,
        typer.Option("--locale", help="Language of summaries and category names (default: from LANG/LC_ALL)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    chosen = locale.value if locale is not None else locale_from_environment()
    ctx.obj = Settings(tuple(catalog or ()), not no_cache, bundled, chosen)


app.command("search")(search_command)
app.command("list")(list_command)
app.command("show")(show_command)
app.command("compare")(compare_command)
app.command("tree")(tree_command)
app.command("stats")(stats_command)
app.command("export")(export_command)
app.command("validate")(validate_command)


def main() -> None:
    """Run the `llmlist` command."""
    if hasattr(signal, "SIGPIPE"):
        # Die quietly when a reader such as `head` closes the pipe, as `cat` does.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app()
