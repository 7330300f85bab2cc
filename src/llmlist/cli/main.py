"""The `llmlist` command: the Typer application, its global options, and the one place where
errors become exit codes."""

# No `from __future__ import annotations` here: Typer reads these annotations on every run, and
# string annotations would cost it an eval() each (measured: about 4 ms of a ~90 ms start).

import errno
import signal
import sys
from collections.abc import Sequence
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from llmlist import __version__
from llmlist.cli.context import Settings, locale_from_environment
from llmlist.cli.options import Locale
from llmlist.errors import ExitCode, LlmlistError, UsageError
from llmlist.render.inert import inert


def _click_kind(error: BaseException) -> str | None:
    """Which of Click's own errors this is, by class name: Typer bundles Click in some versions and
    not in others, so the classes are recognised without importing either Click."""
    names = {cls.__name__ for cls in type(error).__mro__ if cls.__module__.endswith("exceptions")}
    for kind in ("NoArgsIsHelpError", "UsageError", "Abort", "ClickException"):
        if kind in names:
            return kind
    return None


class _Group(TyperGroup):
    """Runs a command and turns every way it can end into an exit code and at most one line."""

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
        except UsageError as error:
            fail(error.as_option(), error.exit_code)
        except LlmlistError as error:
            fail(str(error), error.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", ExitCode.INTERRUPTED)
        except OSError as error:
            if error.errno == errno.EPIPE:
                sys.exit(ExitCode.OK)  # a reader such as `head` has all it wants
            if _is_output_error(error):
                fail(f"cannot write the output: {error.strerror or error}", ExitCode.OUTPUT)
            raise
        except Exception as error:
            _click_error(error)
            raise
        sys.exit(code if isinstance(code, int) else ExitCode.OK)


def _click_error(error: Exception) -> None:
    """Exit as Click's own errors ask (usage errors exit 2 with a pointer to --help); return for any
    other error, which is a bug and must show."""
    kind = _click_kind(error)
    ctx: Any = getattr(error, "ctx", None)
    if kind == "NoArgsIsHelpError":
        typer.echo(ctx.get_help() if ctx else "")
        sys.exit(ExitCode.OK)
    if kind == "UsageError":
        command = ctx.command_path if ctx else "llmlist"
        fail(f"{error.format_message()} (see '{command} --help')", ExitCode.USAGE)  # type: ignore[attr-defined]
    if kind == "Abort":
        fail("interrupted", ExitCode.INTERRUPTED)
    if kind == "ClickException":
        fail(error.format_message(), ExitCode.USAGE)  # type: ignore[attr-defined]


def _is_output_error(error: OSError) -> bool:
    return error.errno in (errno.ENOSPC, errno.EBADF, errno.EIO, errno.EDQUOT, errno.EFBIG)


def fail(message: str, code: int) -> NoReturn:
    """Report one line on stderr (if there is a stderr) and exit with `code`."""
    try:
        sys.stderr.write(f"llmlist: {inert(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass  # stderr is closed: the exit code still tells
    sys.exit(code)


# Each command: the module that defines it and its function. Only the command a run asks for is
# imported and built (Typer builds every registered command's options on every run).
COMMANDS = {
    "search": ("search", "search_command"),
    "list": ("search", "list_command"),
    "show": ("show", "show_command"),
    "compare": ("show", "compare_command"),
    "tree": ("tree", "tree_command"),
    "stats": ("stats", "stats_command"),
    "export": ("export", "export_command"),
    "validate": ("validate", "validate_command"),
    "add": ("add", "add_command"),
    "remove": ("add", "remove_command"),
}
_GLOBAL_VALUES = frozenset({"--catalog", "--locale"})  # global options that take a value


def build(only: Sequence[str] | None = None) -> typer.Typer:
    """The `llmlist` application with every command, or only those named."""
    import importlib

    application = typer.Typer(
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
        epilog="Exit codes: 0 ok, 1 no such entry or repository, 2 bad usage, 3 broken catalog file, "
        "4 output not written, 5 network, 130 interrupted.",
    )
    application.callback()(_root)
    for name, (module, function) in COMMANDS.items():
        if only is None or name in only:
            command = getattr(importlib.import_module(f"llmlist.cli.commands.{module}"), function)
            application.command(name)(command)
    return application


def _show_version(value: bool) -> None:
    if value:
        from llmlist.catalog import catalog_summary

        typer.echo(f"llmlist {__version__} ({catalog_summary()})")
        raise typer.Exit()


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
        typer.Option(
            "--locale", help="Language of summaries, category names and headings (default: from LANG/LC_ALL)."
        ),
    ] = None,  # fmt: skip
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    chosen = locale.value if locale is not None else locale_from_environment()
    ctx.obj = Settings(tuple(catalog or ()), not no_cache, bundled, chosen)


def command_asked(argv: Sequence[str]) -> str | None:
    """The command `argv` runs, if it names one after the global options; None for --help,
    --version, completion or anything unclear (then every command is built)."""
    expecting_value = False
    for arg in argv:
        if expecting_value:
            expecting_value = False
        elif arg in _GLOBAL_VALUES:
            expecting_value = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
        elif arg in ("--help", "-h") or "completion" in arg:
            return None
    return None


def main() -> None:
    """Run the `llmlist` command."""
    import os

    if hasattr(signal, "SIGPIPE"):
        # Die quietly when a reader such as `head` closes the pipe, as `cat` does.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    asked = None if os.environ.get("_LLMLIST_COMPLETE") else command_asked(sys.argv[1:])
    build(None if asked is None else [asked])()
