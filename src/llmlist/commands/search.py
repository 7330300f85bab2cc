"""`llmlist search` and `llmlist list`."""

from collections.abc import Sequence
from typing import Annotated

import typer

from llmlist import options, terminal
from llmlist.commands import reporting_errors, settings
from llmlist.errors import UsageError
from llmlist.options import (
    ActiveOption,
    BaseOption,
    CategoryOption,
    CodeLicenseOption,
    CommercialOption,
    FieldsOption,
    FitsOption,
    FormatOption,
    JsonOption,
    KindOption,
    LangOption,
    LicenseOption,
    LimitOption,
    MaxParamsOption,
    MinParamsOption,
    OrgOption,
    Precision,
    QuantOption,
    ReverseOption,
    SinceOption,
    SortOption,
    UntilOption,
)
from llmlist.query import Filters, SortKey, find, search
from llmlist.render import OutputFormat, chunks, render


def search_command(
    ctx: typer.Context,
    query: Annotated[list[str] | None, typer.Argument(help="Words that must all match (name, organization, "
                                                      "language, category, license or summary).")] = None,
    lang: LangOption = None, min_params: MinParamsOption = None, max_params: MaxParamsOption = None,
    license_: LicenseOption = None, code_license: CodeLicenseOption = None, commercial: CommercialOption = False,
    category: CategoryOption = None,
    kind: KindOption = None, org: OrgOption = None, since: SinceOption = None, until: UntilOption = None,
    fits: FitsOption = None, quant: QuantOption = Precision.FP16, active: ActiveOption = False,
    base: BaseOption = None,
    sort: SortOption = SortKey.RELEVANCE, reverse: ReverseOption = False, limit: LimitOption = None,
    fmt: FormatOption = None, as_json: JsonOption = False, fields: FieldsOption = None,
) -> None:  # fmt: skip
    """Search the catalog; every query word must match, best matches first.

    Examples:

      llmlist search chinese --max-params 13b

      llmlist search 医疗

      llmlist search code --commercial --json | jq '.[].id'

      llmlist search --fits 24gb --quant int4 --base llama
    """
    with reporting_errors():
        filters = options.filters_from(
            lang=lang, min_params=min_params, max_params=max_params, license_=license_, code_license=code_license,
            commercial=commercial,
            category=category, kind=kind, org=org, since=since, until=until, fits=fits, quant=quant,
            active=active,
        )  # fmt: skip
        run_query(ctx, query or (), filters, base, sort, reverse, limit, fmt, as_json, fields)


def list_command(
    ctx: typer.Context,
    lang: LangOption = None, min_params: MinParamsOption = None, max_params: MaxParamsOption = None,
    license_: LicenseOption = None, code_license: CodeLicenseOption = None, commercial: CommercialOption = False,
    category: CategoryOption = None,
    kind: KindOption = None, org: OrgOption = None, since: SinceOption = None, until: UntilOption = None,
    fits: FitsOption = None, quant: QuantOption = Precision.FP16, active: ActiveOption = False,
    base: BaseOption = None,
    sort: SortOption = SortKey.NAME, reverse: ReverseOption = False, limit: LimitOption = None,
    fmt: FormatOption = None, as_json: JsonOption = False, fields: FieldsOption = None,
) -> None:  # fmt: skip
    """List the whole catalog, with the same filters and output options as search.

    Examples:

      llmlist list --kind framework

      llmlist list --since 2023-05 --sort released

      llmlist list --format csv --fields id,name,params > models.csv
    """
    with reporting_errors():
        filters = options.filters_from(
            lang=lang, min_params=min_params, max_params=max_params, license_=license_, code_license=code_license,
            commercial=commercial,
            category=category, kind=kind, org=org, since=since, until=until, fits=fits, quant=quant,
            active=active,
        )  # fmt: skip
        run_query(ctx, (), filters, base, sort, reverse, limit, fmt, as_json, fields)


def run_query(ctx: typer.Context, words: Sequence[str], filters: Filters, base: str | None, sort: SortKey,
              reverse: bool, limit: int | None, fmt: OutputFormat | None, as_json: bool,
              fields: str | None) -> None:  # fmt: skip
    chosen, selected = options.output_from(fmt, as_json, fields)
    if limit is not None and limit < 1:
        raise UsageError("--limit", f"{limit} is not a positive number of results")
    catalog = settings(ctx).load()
    if base is not None:
        filters = filters._replace(base=find(catalog, base).facts.id)
    hits = search(catalog, words, filters, sort=sort, reverse=reverse, limit=limit)
    if selected is None and chosen is OutputFormat.TABLE:
        if filters.commercial:
            selected = ("id", "license", "conditions")
        elif filters.fits_gb is not None:
            selected = ("id", "params", "memory", "license", "released")
    if not hits and chosen is OutputFormat.TABLE:
        typer.echo("No entries match.", err=True)
        return
    target = terminal.target(chosen, settings(ctx).locale, filters.quant)
    terminal.emit(
        render(hits, chosen, selected, target)
        if chosen is OutputFormat.TABLE
        else chunks(hits, chosen, selected, target)
    )
