"""Adding models from the Hugging Face Hub to a catalog file: each repository read, its entry
drafted, and the file written once, only when every repository could be read and the catalog
still loads with the file as it would be."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import NamedTuple

from llmlist.catalog import Catalog, Record, bundled_path, check_replacement
from llmlist.catalog_file import CatalogFile
from llmlist.errors import CatalogError
from llmlist.hub import HubModel, parse_repo_id, read_model
from llmlist.hub_draft import draft_entry, slug


class Outcome(NamedTuple):
    """What `add_models` did with one repository."""

    repo_id: str
    entry_id: str
    action: str  # 'added', 'updated', or 'present' (already in the catalog: nothing changed)
    where: str  # the file written, or the catalog that already holds the repository
    missing: tuple[str, ...] = ()  # facts the Hub did not give
    warning: str | None = None
    checkpoint: str | None = None  # for 'present': the checkpoint that is the repository


class _Held(NamedTuple):
    """A repository the catalog already holds as a checkpoint."""

    entry_id: str
    variant: str
    origin: str
    checkpoints: int


def add_models(
    repo_ids: Sequence[str],
    target: Path,
    catalog: Catalog,
    paths: Sequence[Path],
    *,
    bundled: bool = True,
    read: Callable[[str], HubModel] = read_model,
    today: date | None = None,
) -> list[Outcome]:
    """Read each repository from the Hub and write its entry to `target`, all at once.

    `catalog` is what llmlist loads (from the bundled catalog if `bundled`, and `paths`). A
    repository already held as a checkpoint of one of its entries is left alone, except a
    one-checkpoint entry of `target`, which is drafted anew in its place (same id). Nothing is
    written when any repository cannot be read, or when the file would not load with the others.
    """
    wanted = list({repo.casefold(): repo for repo in map(parse_repo_id, repo_ids)}.values())
    file = CatalogFile.open(target)
    own = file.records()
    held = _held_repositories(catalog, own, target)
    outcomes: list[Outcome | None] = []
    pending: list[tuple[int, HubModel, Record | None]] = []
    for repo in wanted:
        found = held.get(repo.casefold())
        if found is not None and (found.origin != str(target) or found.checkpoints > 1):
            outcomes.append(Outcome(repo, found.entry_id, "present", found.origin, checkpoint=found.variant))
            continue
        replaced = next(r for r in own if r.get("id") == found.entry_id) if found is not None else None
        pending.append((len(outcomes), read(repo), replaced))
        outcomes.append(None)
    if not pending:
        return [outcome for outcome in outcomes if outcome is not None]

    replaced_ids = {str(r["id"]) for _, _, r in pending if r is not None}
    taken = _names_in_use(catalog, own, replaced_ids)
    named: list[tuple[str, str]] = []
    for _, model, replaced in pending:
        if replaced is not None:
            chosen = (str(replaced["id"]), str(replaced.get("name") or model.repo_id.split("/")[1]))
        else:
            chosen = _free_names(model.repo_id, taken)
        taken |= {chosen[0].casefold(), chosen[1].casefold()}
        named.append(chosen)
    base_ids = {repo: h.entry_id for repo, h in held.items()}
    base_ids.update(
        {model.repo_id.casefold(): entry_id for (_, model, _), (entry_id, _) in zip(pending, named, strict=True)}
    )
    day = today or datetime.now(timezone.utc).date()
    for (position, model, replaced), (entry_id, name) in zip(pending, named, strict=True):
        draft = draft_entry(model, entry_id, name, base_ids, day)
        file.put(draft.entry, replacing=str(replaced["id"]) if replaced is not None else None)
        action = "updated" if replaced is not None else "added"
        outcomes[position] = Outcome(model.repo_id, entry_id, action, str(target), draft.missing, draft.warning)
    content = file.content()
    problems = check_replacement(target, content, paths, bundled=bundled)
    if problems:
        raise CatalogError(problems)
    file.save(content)
    return [outcome for outcome in outcomes if outcome is not None]


def _held_repositories(catalog: Catalog, own: list[Record], target: Path) -> dict[str, _Held]:
    """Each Hub repository held as a checkpoint, by casefolded id: in `target` first, then in what
    llmlist loads."""
    held: dict[str, _Held] = {}
    bundled = str(bundled_path())
    same = target.resolve()
    elsewhere = {origin: Path(origin).resolve() != same for origin in set(catalog.origins.values())}
    for entry_id, origin in catalog.origins.items():
        if not elsewhere[origin]:
            continue
        record = catalog.get(entry_id)
        if record is None:
            continue
        where = "the bundled catalog" if origin == bundled else origin
        for variant in record["variants"]:
            if variant["huggingface"]:
                held.setdefault(variant["huggingface"].casefold(),
                                _Held(entry_id, variant["name"], where, len(record["variants"])))  # fmt: skip
    for record in own:
        variants = [v for v in record.get("variants") or () if isinstance(v, dict)]
        for variant in variants:
            repo = variant.get("huggingface")
            if isinstance(repo, str):
                held[repo.casefold()] = _Held(str(record.get("id")), str(variant.get("name")), str(target),
                                              len(variants))  # fmt: skip
    return held


def _names_in_use(catalog: Catalog, own: list[Record], replaced: set[str]) -> set[str]:
    """Every id, name and alias, casefolded, of the entries an added entry must not clash with."""
    taken = {name.casefold() for facts in catalog.facts if facts.id not in replaced for name in facts.names}
    for record in own:
        if record.get("id") in replaced:
            continue
        names = [record.get("id"), record.get("name"), record.get("name_zh"), *(record.get("aliases") or ())]
        taken |= {name.casefold() for name in names if isinstance(name, str)}
    return taken


def _free_names(repo_id: str, taken: set[str]) -> tuple[str, str]:
    """An id and a name for a new entry that no other entry uses: the repository's name, else with its
    organization."""
    org, name = repo_id.split("/")
    candidates = [slug(name), slug(f"{org}-{name}")]
    entry_id = next((c for c in candidates if c not in taken), None)
    number = 2
    while entry_id is None:
        candidate = f"{candidates[1][:72].rstrip('.-')}-{number}"
        entry_id = candidate if candidate not in taken else None
        number += 1
    display = name if name.casefold() not in taken else repo_id
    return entry_id, display
