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

from llmlist import __version__, dates, sizes
from llmlist.catalog import Catalog, load_catalog, user_paths, validate_files
from llmlist.errors import ExitCode, LlmlistError, UsageError
from llmlist.query import Filters, Hit, SortKey, find, resolve_category, resolve_kind, resolve_language, search
from llmlist.render import OutputFormat, Target, chunks, parse_fields, render, render_entry
from llmlist.render.inert import inert
from llmlist.vocab import CATEGORIES, KINDS


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
        except click_exceptions.NoArgsIsHelpError:
            sys.exit(ExitCode.OK)  # Typer has printed the help already
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
        with _progress("loading catalogs"):
            return load_catalog(user_paths(self.catalogs), bundled=self.bundled, use_cache=self.use_cache)


@contextmanager
def _progress(label: str, delay: float = 0.5) -> Iterator[None]:
    """A spinner on stderr if the work takes longer than `delay` seconds and stderr is a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    import threading

    done = threading.Event()

    def spin() -> None:
        if done.wait(delay):
            return
        frames = "|/-\\"
        tick = 0
        while not done.wait(0.1):
            sys.stderr.write(f"\r{frames[tick % len(frames)]} llmlist: {label}...")
            sys.stderr.flush()
            tick += 1
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()

    spinner = threading.Thread(target=spin, daemon=True)
    spinner.start()
    try:
        yield
    finally:
        done.set()
        spinner.join()


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


# Options shared by `search` and `list`, declared once.
_FILTERS = "Filters"
_OUTPUT = "Output"
LangOption = Annotated[
    list[str] | None,
    typer.Option("--lang", help="Language code or name: zh, chinese, 中文 (repeatable).", rich_help_panel=_FILTERS),
]  # noqa: E501
MinParamsOption = Annotated[
    str | None,
    typer.Option(
        "--min-params", metavar="SIZE", help="At least this many parameters: 1b, 350m, 130亿.", rich_help_panel=_FILTERS
    ),
]  # noqa: E501
MaxParamsOption = Annotated[
    str | None,
    typer.Option(
        "--max-params", metavar="SIZE", help="At most this many parameters: 13b, 1.5B, 1t.", rich_help_panel=_FILTERS
    ),
]  # noqa: E501
LicenseOption = Annotated[
    list[str] | None,
    typer.Option("--license", help="License contains this text: apache, mit (repeatable).", rich_help_panel=_FILTERS),
]  # noqa: E501
CommercialOption = Annotated[
    bool,
    typer.Option(
        "--commercial",
        help="Only entries whose license allows commercial use; shows the conditions.",
        rich_help_panel=_FILTERS,
    ),
]  # noqa: E501
CategoryOption = Annotated[
    list[str] | None,
    typer.Option(
        "--category",
        help=f"Category, in English or Chinese: {', '.join(CATEGORIES)} (repeatable).",
        rich_help_panel=_FILTERS,
    ),
]  # noqa: E501
KindOption = Annotated[
    list[str] | None, typer.Option("--kind", help=f"Kind: {', '.join(KINDS)} (repeatable).", rich_help_panel=_FILTERS)
]  # noqa: E501
OrgOption = Annotated[
    list[str] | None,
    typer.Option("--org", help="Organization contains this text (repeatable).", rich_help_panel=_FILTERS),
]  # noqa: E501
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since", metavar="YYYY[-MM]", help="Released in or after this year or month.", rich_help_panel=_FILTERS
    ),
]  # noqa: E501
UntilOption = Annotated[
    str | None,
    typer.Option(
        "--until", metavar="YYYY[-MM]", help="Released in or before this year or month.", rich_help_panel=_FILTERS
    ),
]  # noqa: E501
SortOption = Annotated[
    SortKey,
    typer.Option(
        "--sort",
        help="Order: relevance (best first), params (largest first), released (newest first), name.",
        rich_help_panel=_OUTPUT,
    ),
]  # noqa: E501
ReverseOption = Annotated[bool, typer.Option("--reverse", help="Reverse the order.", rich_help_panel=_OUTPUT)]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", metavar="N", help="Show at most N results.", rich_help_panel=_OUTPUT)
]  # noqa: E501
FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format", "-f", help="Output format (default: table on a terminal, tsv otherwise).", rich_help_panel=_OUTPUT
    ),
]  # noqa: E501
JsonOption = Annotated[bool, typer.Option("--json", help="Same as --format json.", rich_help_panel=_OUTPUT)]
FieldsOption = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="A,B,...",
        help="Fields to show, comma-separated (see the README for the list).",
        rich_help_panel=_OUTPUT,
    ),
]  # noqa: E501


def _filters(
    lang: list[str] | None, min_params: str | None, max_params: str | None, license_: list[str] | None,
    commercial: bool, category: list[str] | None, kind: list[str] | None, org: list[str] | None,
    since: str | None, until: str | None,
) -> Filters:  # fmt: skip
    return Filters(
        languages=tuple(_resolved("--lang", v, resolve_language, "an ISO 639-1 code or a language name such as "
                                  "zh, en, chinese or 中文") for v in lang or ()),
        min_params=_size("--min-params", min_params),
        max_params=_size("--max-params", max_params),
        licenses=tuple(license_ or ()),
        commercial=commercial,
        categories=tuple(_resolved("--category", v, resolve_category, ", ".join(CATEGORIES)) for v in category or ()),
        kinds=tuple(_resolved("--kind", v, resolve_kind, ", ".join(KINDS)) for v in kind or ()),
        organizations=tuple(org or ()),
        since=_period("--since", since, end=False),
        until=_period("--until", until, end=True),
    )  # fmt: skip


def _resolved(option: str, value: str, resolve: Any, accepted: str) -> str:
    key: str | None = resolve(value)
    if key is None:
        raise UsageError(option, f"{value!r} is not known (use {accepted})")
    return key


def _size(option: str, value: str | None) -> int | None:
    try:
        return None if value is None else sizes.parse_size(value)
    except sizes.SizeError as error:
        raise UsageError(option, str(error)) from None


def _period(option: str, value: str | None, *, end: bool) -> str | None:
    try:
        return None if value is None else dates.parse_period(value, end=end)
    except dates.PeriodError as error:
        raise UsageError(option, str(error)) from None


def _output(fmt: OutputFormat | None, as_json: bool, fields: str | None) -> tuple[OutputFormat, tuple[str, ...] | None]:
    if as_json and fmt not in (None, OutputFormat.JSON):
        raise UsageError("--json", f"conflicts with --format {fmt.value if fmt else ''}")
    chosen = OutputFormat.JSON if as_json else fmt
    if chosen is None:
        chosen = OutputFormat.TABLE if sys.stdout.isatty() else OutputFormat.TSV
    return chosen, parse_fields(fields) if fields is not None else None


def _ascii_only() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "")
    return encoding not in ("utf8", "utf16", "utf32", "gb18030")


def _emit(result: Any) -> None:
    """Write a rendered result to stdout: text (or pieces of text) as it is, a Rich renderable
    through a console."""
    if _ascii_only() and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    if not isinstance(result, str | Iterator):
        _console().print(result)
        return
    # On a terminal, no catalog text may act on it; piped, CSV carries the text unchanged.
    terminal = sys.stdout.isatty()
    for piece in [result] if isinstance(result, str) else result:
        sys.stdout.write(inert(piece) if terminal else piece)
    sys.stdout.flush()


def _console() -> Any:
    from rich.console import Console

    # NO_COLOR (when not empty) wins over FORCE_COLOR and turns off every style, not only colours.
    plain = bool(os.environ.get("NO_COLOR"))
    return Console(highlight=False, markup=False, emoji=False, soft_wrap=False, color_system=None if plain else "auto")


def _target(fmt: OutputFormat) -> Target:
    """What stdout is: a table's width (only a table needs the console), ASCII only, a terminal."""
    width = int(_console().width) if fmt is OutputFormat.TABLE else 80
    return Target(width=width, ascii_only=_ascii_only(), pretty=sys.stdout.isatty())


def _run_query(ctx: typer.Context, words: Sequence[str], filters: Filters, sort: SortKey, reverse: bool,
               limit: int | None, fmt: OutputFormat | None, as_json: bool, fields: str | None) -> None:  # fmt: skip
    chosen, selected = _output(fmt, as_json, fields)
    if limit is not None and limit < 1:
        raise UsageError("--limit", f"{limit} is not a positive number of results")
    hits = search(ctx.obj.load(), words, filters, sort=sort, reverse=reverse, limit=limit)
    if selected is None and filters.commercial and chosen is OutputFormat.TABLE:
        selected = ("id", "license", "conditions")
    if not hits and chosen is OutputFormat.TABLE:
        typer.echo("No entries match.", err=True)
        return
    target = _target(chosen)
    _emit(
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
        filters = _filters(lang, min_params, max_params, license_, commercial, category, kind, org, since, until)
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
        filters = _filters(lang, min_params, max_params, license_, commercial, category, kind, org, since, until)
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
        chosen, selected = _output(fmt or (OutputFormat.TABLE if not as_json else None), as_json, fields)
        hit = find(ctx.obj.load(), name)
        if hit.score < 100:
            typer.echo(f"llmlist: showing {hit.entry['id']!r}, the closest match to {inert(repr(name))}", err=True)
        if sources:
            _emit(_sources_result(hit, chosen))
            return
        _emit(render_entry(hit, chosen, selected, _target(chosen)))


def _sources_result(hit: Hit, fmt: OutputFormat) -> Any:
    if fmt in (OutputFormat.JSON, OutputFormat.JSONL):
        return render_entry(hit, OutputFormat.JSON, ("id", "sources"), _target(fmt))
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
