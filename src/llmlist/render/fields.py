"""The fields users can select with --fields: each one's JSON value and its text for tables and CSV."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from llmlist import licenses
from llmlist.catalog import effective_variant
from llmlist.errors import UsageError
from llmlist.sizes import format_context, format_size
from llmlist.vocab import MODEL_KINDS, PRECISIONS

if TYPE_CHECKING:
    from llmlist.query import Hit
    from llmlist.render.target import Target


Record = Mapping[str, Any]  # a validated entry, only read here (its keys: records.EntryRecord)


class Field(NamedTuple):
    """How one field is read from a hit's record (unpacked once by the caller), as data and as text."""

    title: str
    value: Callable[[Record, Hit, Target], Any]
    text: Callable[[Record, Hit, Target], str]


def _plain(key: str) -> Callable[[Record, Hit, Target], Any]:
    return lambda entry, hit, target: entry[key]


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _joined(key: str, sep: str = ", ") -> Callable[[Record, Hit, Target], str]:
    return lambda entry, hit, target: sep.join(entry[key])


def license_text(license_: Mapping[str, Any], model: bool) -> str:
    """'Apache-2.0', or 'code Apache-2.0; weights X' when code and weights differ (a model's
    licence with no weights named: 'code Apache-2.0')."""
    return licenses.text(license_["code"], license_["weights"], model)


def is_model(entry: Record) -> bool:
    """Whether the entry is a model (its weights have a licence of their own), not a tool."""
    return entry["kind"] in MODEL_KINDS


def commercial_text(value: bool | None) -> str:
    return {True: "yes", False: "no", None: ""}[value]


def params_text(params: int | None, nominal: bool) -> str:
    """'6.74B', or '≈7B (nominal)' for a size known only from a checkpoint's name."""
    if not params:
        return ""
    return f"≈{format_size(params)} (nominal)" if nominal else format_size(params)


def variant_text(variant: dict[str, Any]) -> str:
    size = params_text(variant["params"], variant["nominal"])
    return f"{variant['name']} ({size})" if size else variant["name"]


def _params_text(entry: Record, hit: Hit, target: Target) -> str:
    """Sizes of the matched checkpoints, smallest first: '7B, 13B', or '46.7B (12.9B active)'."""
    sizes = sorted({(v.params, v.active_params or 0, v.nominal) for v in hit.matched_checkpoints if v.params})
    return ", ".join(("≈" if n else "") + format_size(t) + (f" ({format_size(a)} active)" if a else "")
                     for t, a, n in sizes)  # fmt: skip


def matched_licenses(entry: Record, hit: Hit) -> list[dict[str, Any]]:
    """The distinct licences of the matched checkpoints (the entry's when it has none), in order."""
    found: dict[str, dict[str, Any]] = {}
    for variant in entry["variants"]:
        if variant["name"] in hit.matched_variants:
            license_ = variant["license"] or entry["license"]
            found.setdefault(repr(sorted(license_.items())), license_)
    return list(found.values()) or [entry["license"]]


def _licenses_text(entry: Record, hit: Hit, target: Target) -> str:
    model = is_model(entry)
    return "; ".join(dict.fromkeys(license_text(license_, model) for license_ in matched_licenses(entry, hit)))


def _commercial_value(entry: Record, hit: Hit, target: Target) -> bool | None:
    """Whether the matched checkpoints allow commercial use: the common answer, else unknown (None)."""
    answers = {license_["commercial_use"] for license_ in matched_licenses(entry, hit)}
    return answers.pop() if len(answers) == 1 else None


def _commercial_text(entry: Record, hit: Hit, target: Target) -> str:
    answers = {license_["commercial_use"] for license_ in matched_licenses(entry, hit)}
    return commercial_text(answers.pop()) if len(answers) == 1 else "varies"


def _conditions_text(entry: Record, hit: Hit, target: Target) -> str:
    return " | ".join(dict.fromkeys(lic["conditions"] for lic in matched_licenses(entry, hit) if lic["conditions"]))


def matched_languages(entry: Record, hit: Hit) -> list[str]:
    """The languages of the matched checkpoints, in order (the entry's when it has none)."""
    if not hit.facts.variants:
        return list(entry["languages"])
    return list(dict.fromkeys(code for v in hit.matched_checkpoints for code in v.languages))


def _released_text(entry: Record, hit: Hit, target: Target) -> str:
    from llmlist.query import released

    return _str(released(hit))


def _contexts(hit: Hit) -> list[int]:
    return sorted({v.context for v in hit.matched_checkpoints if v.context})


def _variants_value(entry: Record, hit: Hit, target: Target) -> list[dict[str, Any]]:
    return [effective_variant(variant, entry) for variant in entry["variants"]]


def _memory_value(entry: Record, hit: Hit, target: Target) -> list[dict[str, Any]]:
    """Memory each matched checkpoint needs for inference at each precision with a KV cache of the
    target's context (JSON): the KV cache itself (fp16, part of every estimate; null without a
    parameter count), then per precision the answer (`gb`, a stated figure winning), the stated
    figure, the estimate, and whether a source states it."""
    out = []
    for v in hit.matched_checkpoints:
        from llmlist import hardware  # only a memory field reads it

        row: dict[str, Any] = {"variant": v.name, "context": hardware.held_context(v, target.context),
                               "kv_cache_gb": _gb(hardware.cache_gb(v, target.context))}  # fmt: skip
        for precision in PRECISIONS:
            needed = hardware.need(v, precision, hit.facts.requirements, target.context)
            row[precision] = (
                {"gb": None, "stated_gb": None, "estimated_gb": None, "stated": False}
                if needed is None
                else {"gb": _gb(needed.gb), "stated_gb": needed.stated_gb, "estimated_gb": _gb(needed.estimated_gb),
                      "stated": needed.stated}
            )  # fmt: skip
        out.append(row)
    return out


def _gb(amount: float | None) -> float | None:
    return None if amount is None else round(amount, 2)


def _memory_text(entry: Record, hit: Hit, target: Target) -> str:
    """GB the matched checkpoints need at the target's precision and context, in the order of their
    sizes: '6' as a source states it, '≈9.4' estimated (or a stated figure lengthened)."""
    needs = []
    for v in hit.matched_checkpoints:
        from llmlist import hardware

        needed = hardware.need(v, target.quant, hit.facts.requirements, target.context)
        if needed is not None:
            needs.append((v.params or 0, ("" if needed.exact else "≈") + f"{needed.gb:.3g}"))
    return ", ".join(dict.fromkeys(text for _, text in sorted(needs)))


def heading(name: str, target: Target) -> str:
    """A field's column heading: its title, and for memory the precision and context it shows."""
    if name == "memory":
        return f"Memory GB ({target.quant}, {format_context(target.context)})"
    return FIELDS[name].title


def _requirement_text(req: dict[str, Any]) -> str:
    parts = [req["precision"]]
    if req["memory_gb"] is not None:
        parts.append(f"{req['memory_gb']:g} GB")
    if req["context"]:
        parts.append(f"at {format_context(req['context'])}")
    if req["hardware"]:
        parts.append(req["hardware"])
    if req["variant"]:
        parts.append(f"({req['variant']})")
    return " ".join(parts)


FIELDS: dict[str, Field] = {
    "id": Field("ID", _plain("id"), lambda e, h, *_: e["id"]),
    "name": Field("Name", _plain("name"), lambda e, h, *_: e["name"]),
    "name_zh": Field("中文名", _plain("name_zh"), lambda e, h, *_: _str(e["name_zh"])),
    "aliases": Field("Aliases", _plain("aliases"), _joined("aliases")),
    "kind": Field("Kind", _plain("kind"), lambda e, h, *_: e["kind"]),
    "organization": Field("Organization", _plain("organization"), lambda e, h, *_: _str(e["organization"])),
    "country": Field("Country", _plain("country"), lambda e, h, *_: _str(e["country"])),
    "released": Field("Released", _plain("released"), _released_text),
    "languages": Field("Lang", _plain("languages"), lambda e, h, *_: ",".join(matched_languages(e, h))),
    "categories": Field("Categories", _plain("categories"), _joined("categories")),
    "base_model": Field("Base model", _plain("base_model"), lambda e, h, *_: _str(e["base_model"])),
    "part_of": Field("Part of", _plain("part_of"), lambda e, h, *_: _str(e["part_of"])),
    "variants": Field("Variants", _variants_value, lambda e, h, *_: "; ".join(variant_text(v) for v in e["variants"])),
    "params": Field("Params", lambda e, h, *_: list(h.matched_params), _params_text),
    "context": Field(
        "Context", lambda e, h, *_: _contexts(h), lambda e, h, *_: ", ".join(map(format_context, _contexts(h)))
    ),
    "matched_variants": Field(
        "Matched variants", lambda e, h, *_: list(h.matched_variants), lambda e, h, *_: ", ".join(h.matched_variants)
    ),  # fmt: skip
    "license": Field("License", _plain("license"), _licenses_text),
    "commercial_use": Field("Commercial", _commercial_value, _commercial_text),
    "conditions": Field("Conditions", lambda e, h, *_: e["license"]["conditions"], _conditions_text),
    "links": Field("Link", _plain("links"), lambda e, h, *_: _str(e["links"]["homepage"] or e["links"]["repository"])),
    "requirements": Field(
        "Requirements", _plain("requirements"), lambda e, h, *_: "; ".join(map(_requirement_text, e["requirements"]))
    ),
    "summary": Field("Summary", _plain("summary"), lambda e, h, *_: e["summary"]["en"]),
    "summary_zh": Field("简介", lambda e, h, *_: e["summary"]["zh"], lambda e, h, *_: e["summary"]["zh"]),
    "memory": Field("Memory GB", _memory_value, _memory_text),
    "notes": Field("Notes", _plain("notes"), _joined("notes", " | ")),
    "sources": Field("Sources", _plain("sources"), lambda e, h, *_: " ".join(s["url"] for s in e["sources"])),
}

# Keys of a record in JSON output, in order; `matched_variants` is added by search and list.
RECORD_KEYS = (
    "id", "name", "name_zh", "aliases", "kind", "organization", "country", "released", "languages",
    "categories", "base_model", "part_of", "variants", "license", "links", "requirements", "summary",
    "notes", "sources",
)  # fmt: skip
JSON_DEFAULT = (*RECORD_KEYS, "matched_variants")
TABLE_DEFAULT = ("id", "name", "params", "languages", "license", "released", "organization")
CSV_DEFAULT = (
    "id", "name", "name_zh", "kind", "organization", "country", "released", "languages", "categories",
    "params", "context", "license", "commercial_use", "base_model", "summary",
)  # fmt: skip


def default_fields(fmt: Any, filters: Any = None) -> tuple[str, ...]:
    """The fields a format shows when none are chosen; a table of a `--commercial` or `--fits`
    search adds the conditions or the memory to the usual columns."""
    name = getattr(fmt, "value", fmt)
    if name in ("json", "jsonl"):
        return JSON_DEFAULT
    if name in ("csv", "tsv"):
        return CSV_DEFAULT
    if name == "ids":
        return ("id",)
    if filters is not None and filters.commercial:
        return ("id", "name", "params", "languages", "license", "released", "conditions")
    if filters is not None and filters.fits_gb is not None:
        return ("id", "name", "params", "memory", "license", "released")
    return TABLE_DEFAULT


def parse_fields(text: str) -> tuple[str, ...]:
    """Field names from 'id,name,...'; raise UsageError naming the unknown ones."""
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in FIELDS]
    if unknown or not names:
        bad = f"unknown field {unknown[0]!r}" if unknown else "no field named"
        raise UsageError("fields", f"{bad} (use any of: {', '.join(FIELDS)})")
    return tuple(dict.fromkeys(names))
