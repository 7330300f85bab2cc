"""Options shared by the commands, declared once, and the parsing of their values.

Values are checked here and turned into the library's types; a bad one raises UsageError naming
the option and what it accepts. The filter options and the output options are each one group,
added to a command by a decorator and passed to it as one value (`Filters`, `Output`).
"""

# No `from __future__ import annotations`: Typer evaluates these annotations on every run.

import functools
import inspect
import sys
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, NamedTuple, TypeVar

import typer

from llmlist import dates, sizes
from llmlist.cli import completion
from llmlist.errors import UsageError
from llmlist.query import Filters, resolve_category, resolve_kind, resolve_language
from llmlist.render import OutputFormat, parse_fields
from llmlist.vocab import CATEGORIES, KINDS, PRECISIONS

# One precision enum, made from the one table of precisions.
Precision = Enum("Precision", {name.upper(): name for name in PRECISIONS}, type=str)  # type: ignore[misc]


ContextOption = Annotated[
    str | None,
    typer.Option(
        "--context",
        metavar="TOKENS",
        help="Context the KV cache holds in memory estimates: 4096, 4k, 32k, 128k (default 4k).",
    ),
]
FP16 = Precision("fp16")
QuantOption = Annotated[Precision, typer.Option("--quant", case_sensitive=False, help="Precision of the memory "
                                                "row; stated figures win over estimates.")]  # fmt: skip


class Locale(str, Enum):
    """The language of summaries, category names and headings."""

    EN = "en"
    ZH = "zh"


def _multi(flag: str, metavar: str, help: str, complete: Any = None) -> Any:
    return Annotated[
        list[str] | None,
        typer.Option(
            flag, metavar=metavar, help=help, autocompletion=completion.offered(complete) if complete else None
        ),
    ]


# name: (annotation, default); the parameter name is the option in kebab-case.
_FILTERS: dict[str, tuple[Any, Any]] = {
    "lang": (_multi("--lang", "LANG", "Language code or name: zh, chinese, 中文 (repeatable).",
                    completion.languages), None),
    "min_params": (Annotated[str | None, typer.Option("--min-params", metavar="SIZE",
                                                      help="At least this many parameters: 1b, 350m, 130亿.")], None),
    "max_params": (Annotated[str | None, typer.Option("--max-params", metavar="SIZE",
                                                      help="At most this many parameters: 13b, 1.5B, 1t.")], None),
    "license_": (_multi("--license", "TEXT", "Weights licence (the code's where the weights have none) contains "
                        "this, in any spelling: apache, 'Apache 2.0', mit (repeatable).", completion.licenses), None),
    "code_license": (_multi("--code-license", "TEXT", "Code licence contains this: apache, gpl (repeatable)."), None),
    "commercial": (Annotated[bool, typer.Option("--commercial", help="Only checkpoints whose licence allows "
                                                "commercial use; shows the conditions.")], False),
    "category": (_multi("--category", "NAME", f"Category, in English or Chinese: {', '.join(CATEGORIES)} "
                        "(repeatable).", completion.categories), None),
    "kind": (_multi("--kind", "KIND", f"Kind: {', '.join(KINDS)} (repeatable).", completion.kinds), None),
    "org": (_multi("--org", "TEXT", "Organization contains this text (repeatable)."), None),
    "since": (Annotated[str | None, typer.Option("--since", metavar="YYYY[-MM]",
                                                 help="Released in or after this year or month.")], None),
    "until": (Annotated[str | None, typer.Option("--until", metavar="YYYY[-MM]",
                                                 help="Released in or before this year or month.")], None),
    "fits": (Annotated[str | None, typer.Option("--fits", metavar="MEM", help="A checkpoint fits in this much "
                                                "memory: 6gb, 24GB, 80g, or auto (this machine's GPU, unified "
                                                "memory or RAM); see --quant and --context.")], None),
    "multi_gpu": (Annotated[bool, typer.Option("--multi-gpu", help="With --fits auto: add up the memory of every "
                                               "NVIDIA GPU, not only the largest.")], False),
    "quant": (Annotated[Precision, typer.Option("--quant", case_sensitive=False, help="Precision of the weights for "
                                                "--fits and the memory column; stated figures win over "
                                                "estimates.",
                                                autocompletion=completion.offered(completion.precisions))], FP16),
    "context": (Annotated[str | None, typer.Option("--context", metavar="TOKENS", help="Context the KV cache holds "
                                                   "for --fits and the memory column: 4096, 4k, 32k, 128k "
                                                   "(default 4k).")], None),
    "min_context": (Annotated[str | None, typer.Option("--min-context", metavar="TOKENS", help="A checkpoint's "
                                                       "context window holds at least this: 32k, 128k, 1m, 3.2万.")],
                    None),
    "active": (Annotated[bool, typer.Option("--active", help="Size filters compare parameters active per token "
                                            "(mixture-of-experts).")], False),
    "base": (Annotated[str | None, typer.Option("--base", metavar="NAME", help="Only entries trained from this "
                                                "one, at any depth (see `tree`).",
                                                autocompletion=completion.offered(completion.entry_ids))], None),
}  # fmt: skip


class Output(NamedTuple):
    """The output options: a format (None: the command's default) and the fields chosen, if any."""

    format: OutputFormat | None
    fields: tuple[str, ...] | None

    def chosen(self, default: OutputFormat | None = None) -> OutputFormat:
        """The format to write: the one asked for, else `default`, else a table on a terminal and
        TSV when piped."""
        if self.format is not None:
            return self.format
        if default is not None:
            return default
        return OutputFormat.TABLE if sys.stdout.isatty() else OutputFormat.TSV


_OUTPUT: dict[str, tuple[Any, Any]] = {
    "fmt": (Annotated[OutputFormat | None, typer.Option("--format", "-f", help="Output format (default: a table "
                                                        "on a terminal, tsv when piped).")], None),
    "as_json": (Annotated[bool, typer.Option("--json", help="Same as --format json.")], False),
    "fields": (Annotated[str | None, typer.Option("--fields", metavar="A,B,...", help="Fields to show, "
                                                  "comma-separated (see the README for the list).",
                                                  autocompletion=completion.offered(completion.fields))], None),
}  # fmt: skip

F = TypeVar("F", bound=Callable[..., Any])


def _adding(group: dict[str, tuple[Any, Any]], name: str, combine: Callable[..., Any]) -> Callable[[F], F]:
    """A decorator that gives a command the options of `group`, passed to it as one argument `name`."""

    def decorate(command: F) -> F:
        signature = inspect.signature(command)
        added = [inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
                 for key, (annotation, default) in group.items()]  # fmt: skip
        kept = [p for p in signature.parameters.values() if p.name != name]

        @functools.wraps(command)
        def wrapper(**values: Any) -> Any:
            grouped = {key: values.pop(key) for key in group}
            return command(**values, **{name: combine(**grouped)})

        parameters = [*kept, *added]
        wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        del wrapper.__wrapped__  # Typer must read the new signature, not the command's own
        return wrapper  # type: ignore[return-value]

    return decorate


def filters_from(
    *, lang: list[str] | None = None, min_params: str | None = None, max_params: str | None = None,
    license_: list[str] | None = None, code_license: list[str] | None = None, commercial: bool = False,
    category: list[str] | None = None, kind: list[str] | None = None, org: list[str] | None = None,
    since: str | None = None, until: str | None = None, fits: str | None = None, multi_gpu: bool = False,
    quant: Any = "fp16", context: str | None = None, min_context: str | None = None, active: bool = False,
    base: str | None = None,
) -> Filters:  # fmt: skip
    """The filters the options name; `--fits auto` reads this machine's memory and says on stderr what
    it found."""
    if multi_gpu and (fits is None or fits.strip().casefold() != "auto"):
        raise UsageError("--multi-gpu", "applies only to --fits auto")
    return Filters(
        languages=tuple(_resolved("--lang", v, resolve_language, "an ISO 639-1 code or a language name such as "
                                  "zh, en, chinese or 中文") for v in lang or ()),
        min_params=_size("--min-params", min_params),
        max_params=_size("--max-params", max_params),
        licenses=tuple(license_ or ()),
        code_licenses=tuple(code_license or ()),
        commercial=commercial,
        categories=tuple(_resolved("--category", v, resolve_category, ", ".join(CATEGORIES)) for v in category or ()),
        kinds=tuple(_resolved("--kind", v, resolve_kind, ", ".join(KINDS)) for v in kind or ()),
        organizations=tuple(org or ()),
        since=_period("--since", since, end=False),
        until=_period("--until", until, end=True),
        fits_gb=_fits(fits, multi_gpu),
        quant=getattr(quant, "value", quant),
        context=context_from(context),
        min_context=None if min_context is None else context_from(min_context, "--min-context"),
        active=active,
        base=base,
    )  # fmt: skip


def output_from(*, fmt: OutputFormat | None = None, as_json: bool = False, fields: str | None = None) -> Output:
    """The output options, checked: --json is --format json, and --fields names known fields."""
    if as_json and fmt not in (None, OutputFormat.JSON):
        raise UsageError("--json", f"conflicts with --format {fmt.value if fmt else ''}")
    chosen = OutputFormat.JSON if as_json else fmt
    selected = parse_fields(fields) if fields is not None else None
    if selected is not None and chosen is OutputFormat.IDS:
        raise UsageError("--fields", "does not apply to --format ids, which prints ids only")
    return Output(chosen, selected)


filter_options = _adding(_FILTERS, "filters", filters_from)
output_options = _adding(_OUTPUT, "output", output_from)


def _resolved(option: str, value: str, resolve: Any, accepted: str) -> str:
    key: str | None = resolve(value)
    if key is None:
        raise UsageError(option, f"{value!r} is not known (use {accepted})")
    return key


def _size(option: str, value: str | None) -> int | None:
    if value is None:
        return None
    bare = value.strip().replace("_", "")
    if bare.isascii() and bare.isdigit() and int(bare) < 1000:  # `--max-params 13` is not 13 parameters
        raise UsageError(option, f"{value!r} would mean {int(bare)} parameters; did you mean {bare}b?")
    try:
        return sizes.parse_size(value)
    except sizes.SizeError as error:
        raise UsageError(option, str(error)) from None


def context_from(value: str | None, option: str = "--context") -> int:
    """The tokens `--context` names; the default context when it is not given."""
    if value is None:
        return sizes.DEFAULT_CONTEXT
    try:
        return sizes.parse_context(value)
    except sizes.ContextError as error:
        raise UsageError(option, str(error)) from None


def _fits(value: str | None, multi_gpu: bool) -> float | None:
    """GB for --fits: an amount, or with `auto` this machine's memory, reported on stderr."""
    if value is None or value.strip().casefold() != "auto":
        return _memory("--fits", value)
    from llmlist import machine
    from llmlist.cli import terminal

    found = machine.detect(multi_gpu)
    terminal.note(f"fits auto: {_described(found)}")
    return found.gb


def _described(found: Any) -> str:
    """'NVIDIA GPU, 24564 MiB', as `--fits auto` reports what it found."""
    if found.kind == "nvidia":
        if found.summed:
            return f"{found.devices} NVIDIA GPUs, {found.mib} MiB in all"
        more = f" (the largest of {found.devices}; --multi-gpu adds them up)" if found.devices > 1 else ""
        return f"NVIDIA GPU, {found.mib} MiB{more}"
    if found.kind == "apple":
        return f"Apple silicon unified memory, {found.mib} MiB"
    return f"system RAM, {found.mib} MiB (no NVIDIA GPU or Apple silicon found: CPU inference)"


def _memory(option: str, value: str | None) -> float | None:
    if value is None:
        return None
    from llmlist import hardware  # only --fits reads memory

    try:
        return hardware.parse_memory(value)
    except hardware.AmountError as error:
        raise UsageError(option, str(error)) from None


def _period(option: str, value: str | None, *, end: bool) -> str | None:
    try:
        return None if value is None else dates.parse_period(value, end=end)
    except dates.PeriodError as error:
        raise UsageError(option, str(error)) from None
