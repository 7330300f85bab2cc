"""The `llmlist` command: options in, one library call, rendered output and an exit code out."""

# No `from __future__ import annotations` here: Typer reads these annotations on every run, and
# string annotations would cost it an eval() each (measured: about 4 ms of a ~90 ms start).

import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer._click import exceptions as click_exceptions  # Typer 0.26-0.28 ship Click inside
from typer.core import TyperGroup

from llmlist import __version__, options, terminal
from llmlist.catalog import Catalog, load_catalog, user_paths, validate_files
from llmlist.errors import ExitCode, LlmlistError, UsageError
from llmlist.options import (
    CategoryOption,
    CommercialOption,
    FieldsOption,
    FormatOption,
    JsonOption,
    KindOption,
    LangOption,
    LicenseOption,
    LimitOption,
    MaxParamsOption,
    MinParamsOption,
    OrgOption,
    ReverseOption,
    SinceOption,
    SortOption,
    UntilOption,
)
from llmlist.query import Filters, Hit, SortKey, find, search
from llmlist.render import OutputFormat, chunks, render, render_entry
from llmlist.render.inert import inert


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
            _fail(f"{error.format_message()} (see '{command} --help')", ExitCode.USAGE)
        except click_exceptions.ClickException as error:
            _fail(error.format_message(), ExitCode.USAGE)
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


@dataclass(frozen=True)
class _Settings:
    catalogs: tuple[str, ...] = ()
    use_cache: bool = True
    bundled: bool = True

    def load(self) -> Catalog:
        with terminal.progress("loading catalogs"):
            return load_catalog(user_paths(self.catalogs), bundled=self.bundled, use_cache=self.use_cache)


def _fail(message: str, code: ExitCode) -> NoReturn:
    typer.echo(f"llmlist: {inert(message)}", err=True)
    sys.exit(code)


@contextmanager
def _reporting_errors() -> Iterator[None]:
    try:
        yield
    except LlmlistError as error:
        _fail(str(error), error.exit_code)


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
    ] = None,  # fmt: skip
    bundled: Annotated[
        bool, typer.Option("--bundled/--no-bundled", help="Load the catalog that ships with llmlist.")
    ] = True,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Read and validate catalog files anew.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    ctx.obj = _Settings(tuple(catalog or ()), not no_cache, bundled)


def _run_query(ctx: typer.Context, words: Sequence[str], filters: Filters, sort: SortKey, reverse: bool,
               limit: int | None, fmt: OutputFormat | None, as_json: bool, fields: str | None) -> None:  # fmt: skip
    chosen, selected = options.output_from(fmt, as_json, fields)
    if limit is not None and limit < 1:
        raise UsageError("--limit", f"{limit} is not a positive number of results")
    hits = search(ctx.obj.load(), words, filters, sort=sort, reverse=reverse, limit=limit)
    if selected is None and filters.commercial and chosen is OutputFormat.TABLE:
        selected = ("id", "license", "conditions")
    if not hits and chosen is OutputFormat.TABLE:
        typer.echo("No entries match.", err=True)
        return
    target = terminal.target(chosen)
    terminal.emit(
        render(hits, chosen, selected, target)
        if chosen is OutputFormat.TABLE
        else chunks(hits, chosen, selected, target)
    )


@app.command("search")
def search_command(
    ctx: typer.Context,
    query: Annotated[list[str] | None, typer.Argument(help="Words that must all match (name, organization, "
                                                      "language, category, license or summary).")] = None,
    lang: LangOption = None, min_params: MinParamsOption = None, max_params: MaxParamsOption = None,
    license_: LicenseOption = None, commercial: CommercialOption = False, category: CategoryOption = None,
    kind: KindOption = None, org: OrgOption = None, since: SinceOption = None, until: UntilOption = None,
    sort: SortOption = SortKey.RELEVANCE, reverse: ReverseOption = False, limit: LimitOption = None,
    fmt: FormatOption = None, as_json: JsonOption = False, fields: FieldsOption = None,
) -> None:  # fmt: skip
    """Search the catalog; every query word must match, best matches first.

    Examples:

      llmlist search chinese --max-params 13b

      llmlist search 医疗

      llmlist search code --commercial --json | jq '.[].id'
    """
    with _reporting_errors():
        filters = options.filters_from(
            lang, min_params, max_params, license_, commercial, category, kind, org, since, until
        )
        _run_query(ctx, query or (), filters, sort, reverse, limit, fmt, as_json, fields)


@app.command("list")
def list_command(
    ctx: typer.Context,
    lang: LangOption = None, min_params: MinParamsOption = None, max_params: MaxParamsOption = None,
    license_: LicenseOption = None, commercial: CommercialOption = False, category: CategoryOption = None,
    kind: KindOption = None, org: OrgOption = None, since: SinceOption = None, until: UntilOption = None,
    sort: SortOption = SortKey.NAME, reverse: ReverseOption = False, limit: LimitOption = None,
    fmt: FormatOption = None, as_json: JsonOption = False, fields: FieldsOption = None,
) -> None:  # fmt: skip
    """List the whole catalog, with the same filters and output options as search.

    Examples:

      llmlist list --kind framework

      llmlist list --since 2023-05 --sort released

      llmlist list --format csv --fields id,name,params > models.csv
    """
    with _reporting_errors():
        filters = options.filters_from(
            lang, min_params, max_params, license_, commercial, category, kind, org, since, until
        )
        _run_query(ctx, (), filters, sort, reverse, limit, fmt, as_json, fields)


@app.command("show")
def show_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Id, name or alias, in any case; near misses are found too.")],
    sources: Annotated[bool, typer.Option("--sources", help="Show which address backs which fact.")] = False,
    fmt: FormatOption = None, as_json: JsonOption = False, fields: FieldsOption = None,
) -> None:  # fmt: skip
    """Show every field of one entry.

    Examples:

      llmlist show chatglm-6b

      llmlist show 华佗GPT --sources

      llmlist show llama --json
    """
    with _reporting_errors():
        chosen, selected = options.output_from(fmt or (OutputFormat.TABLE if not as_json else None), as_json, fields)
        hit = find(ctx.obj.load(), name)
        if hit.score < 100:
            typer.echo(f"llmlist: showing {hit.entry['id']!r}, the closest match to {inert(repr(name))}", err=True)
        if sources:
            terminal.emit(_sources_result(hit, chosen))
            return
        terminal.emit(render_entry(hit, chosen, selected, terminal.target(chosen)))


def _sources_result(hit: Hit, fmt: OutputFormat) -> Any:
    if fmt in (OutputFormat.JSON, OutputFormat.JSONL):
        return render_entry(hit, OutputFormat.JSON, ("id", "sources"), terminal.target(fmt))
    from llmlist.render.table import facts_table

    return facts_table(hit.entry)


@app.command("validate")
def validate_command(
    ctx: typer.Context,
    files: Annotated[list[Path] | None, typer.Argument(metavar="[FILE]...", help="Catalog files to check "
                                                       "(default: the bundled catalog).")] = None,
) -> None:  # fmt: skip
    """Check catalog files and report every problem, one per line; exit 3 if there are any.

    Files are checked together with the bundled catalog, so they may refer to its ids.

    Examples:

      llmlist validate

      llmlist validate my-models.toml
    """
    problems = validate_files(files or ())
    for problem in problems:
        typer.echo(inert(str(problem)))
    if problems:
        typer.echo(f"llmlist: {len(problems)} problem{'s' if len(problems) != 1 else ''} found", err=True)
        sys.exit(ExitCode.CATALOG)
    typer.echo(f"ok: {', '.join(map(str, files)) if files else 'bundled catalog'}", err=True)


def main() -> None:
    """Entry point of the `llmlist` script."""
    if hasattr(signal, "SIGPIPE"):
        # Die quietly when a reader such as `head` closes the pipe, as `cat` does.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.environ.setdefault("TYPER_USE_RICH", "1")
    app()
