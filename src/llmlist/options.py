"""Options shared by the commands, declared once, and the parsing of their values.

Part of the command-line layer (with cli.py): values are checked here and turned into the
library's types, and a bad one raises UsageError naming the option and what it accepts.
"""

# No `from __future__ import annotations`: Typer evaluates these annotations on every run.

import sys
from enum import Enum
from typing import Annotated, Any

import typer

from llmlist import dates, hardware, sizes
from llmlist.errors import UsageError
from llmlist.query import Filters, SortKey, resolve_category, resolve_kind, resolve_language
from llmlist.render import OutputFormat, parse_fields
from llmlist.vocab import CATEGORIES, KINDS

LangOption = Annotated[
    list[str] | None,
    typer.Option(
        "--lang",
        metavar="LANG",
        help="Language code or name: zh, chinese, 中文 (repeatable).",
    ),
]  # noqa: E501
MinParamsOption = Annotated[
    str | None,
    typer.Option("--min-params", metavar="SIZE", help="At least this many parameters: 1b, 350m, 130亿."),
]  # noqa: E501
MaxParamsOption = Annotated[
    str | None,
    typer.Option("--max-params", metavar="SIZE", help="At most this many parameters: 13b, 1.5B, 1t."),
]  # noqa: E501
LicenseOption = Annotated[
    list[str] | None,
    typer.Option(
        "--license",
        metavar="TEXT",
        help="Weights licence (the code's where the weights have none) contains this, in any spelling: "
        "apache, 'Apache 2.0', mit (repeatable).",
    ),
]
CodeLicenseOption = Annotated[
    list[str] | None,
    typer.Option("--code-license", metavar="TEXT", help="Code licence contains this: apache, gpl (repeatable)."),
]
CommercialOption = Annotated[
    bool,
    typer.Option(
        "--commercial",
        help="Only entries whose license allows commercial use; shows the conditions.",
    ),
]  # noqa: E501
CategoryOption = Annotated[
    list[str] | None,
    typer.Option(
        "--category",
        metavar="NAME",
        help=f"Category, in English or Chinese: {', '.join(CATEGORIES)} (repeatable).",
    ),
]  # noqa: E501
KindOption = Annotated[
    list[str] | None,
    typer.Option("--kind", metavar="KIND", help=f"Kind: {', '.join(KINDS)} (repeatable)."),
]  # noqa: E501
OrgOption = Annotated[
    list[str] | None,
    typer.Option("--org", metavar="TEXT", help="Organization contains this text (repeatable)."),
]  # noqa: E501
SinceOption = Annotated[
    str | None,
    typer.Option("--since", metavar="YYYY[-MM]", help="Released in or after this year or month."),
]  # noqa: E501
UntilOption = Annotated[
    str | None,
    typer.Option("--until", metavar="YYYY[-MM]", help="Released in or before this year or month."),
]  # noqa: E501


class Precision(str, Enum):
    """Numeric precision of the weights, for --quant."""

    FP32 = "fp32"
    FP16 = "fp16"
    BF16 = "bf16"
    INT8 = "int8"
    INT4 = "int4"


FitsOption = Annotated[
    str | None,
    typer.Option("--fits", metavar="MEM", help="A checkpoint fits in this much memory: 6gb, 24GB, 80g (see --quant)."),
]
QuantOption = Annotated[
    Precision, typer.Option("--quant", help="Precision of the weights for --fits; stated figures win over estimates.")
]
ActiveOption = Annotated[
    bool,
    typer.Option("--active", help="Size filters compare parameters active per token (mixture-of-experts)."),
]
BaseOption = Annotated[
    str | None,
    typer.Option("--base", metavar="NAME", help="Only entries trained from this one, at any depth (see `tree`)."),
]
SortOption = Annotated[
    SortKey,
    typer.Option(
        "--sort",
        help="Order: relevance (best first), params (largest first), released (newest first), name.",
    ),
]  # noqa: E501
ReverseOption = Annotated[bool, typer.Option("--reverse", help="Reverse the order.")]
LimitOption = Annotated[int | None, typer.Option("--limit", "-n", metavar="N", help="Show at most N results.")]  # noqa: E501
FormatOption = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", help="Output format (default: table on a terminal, tsv otherwise)."),
]  # noqa: E501
JsonOption = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
FieldsOption = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="A,B,...",
        help="Fields to show, comma-separated (see the README for the list).",
    ),
]  # noqa: E501


def filters_from(
    *, lang: list[str] | None, min_params: str | None, max_params: str | None, license_: list[str] | None,
    code_license: list[str] | None, commercial: bool, category: list[str] | None, kind: list[str] | None,
    org: list[str] | None,
    since: str | None, until: str | None, fits: str | None, quant: Precision, active: bool,
) -> Filters:  # fmt: skip
    """The filters the options name (all but --base, which needs the catalog to resolve)."""
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
        fits_gb=_memory("--fits", fits),
        quant=quant.value,
        active=active,
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


def _memory(option: str, value: str | None) -> float | None:
    try:
        return None if value is None else hardware.parse_memory(value)
    except hardware.AmountError as error:
        raise UsageError(option, str(error)) from None


def _period(option: str, value: str | None, *, end: bool) -> str | None:
    try:
        return None if value is None else dates.parse_period(value, end=end)
    except dates.PeriodError as error:
        raise UsageError(option, str(error)) from None


def output_from(
    fmt: OutputFormat | None, as_json: bool, fields: str | None
) -> tuple[OutputFormat, tuple[str, ...] | None]:
    if as_json and fmt not in (None, OutputFormat.JSON):
        raise UsageError("--json", f"conflicts with --format {fmt.value if fmt else ''}")
    chosen = OutputFormat.JSON if as_json else fmt
    if chosen is None:
        chosen = OutputFormat.TABLE if sys.stdout.isatty() else OutputFormat.TSV
    return chosen, parse_fields(fields) if fields is not None else None
