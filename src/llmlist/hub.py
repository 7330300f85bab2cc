"""Reading what the Hugging Face Hub says about a model repository, through huggingface_hub.

huggingface_hub is an optional extra (`pip install 'llmlist[hub]'`) and is imported only here, when
a repository is read. The settings its users already have apply: HF_ENDPOINT (a mirror), HF_TOKEN
(gated repositories), HF_HUB_OFFLINE, HF_HOME (where config.json is cached) and
HF_HUB_DOWNLOAD_TIMEOUT (seconds to wait for an answer, 10 by default). They are read when a
repository is read, not when the client is imported.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from llmlist.errors import HubUnreachable, RepositoryNotFound, UsageError

HUB = "https://huggingface.co"
# The model information `add` reads, asked for by name so that the Hub sends only these.
EXPAND = ["author", "cardData", "createdAt", "gated", "pipeline_tag", "safetensors", "sha", "tags"]
# Each half of ORG/NAME: letters, digits, '_', '-' and '.', starting with a letter or digit, not
# ending with '-' or '.', and with no '--' or '..' (the Hub's rule, a little stricter).
_PART = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?")
_DEFAULT_TIMEOUT = 10.0
_OFFLINE = "HF_HUB_OFFLINE is set, so the Hugging Face Hub is not asked (unset it to add models)"


class HubModel(NamedTuple):
    """What the Hub said about one model repository, as plain data."""

    repo_id: str  # as the Hub spells it
    endpoint: str  # the address it was read from: the Hub, or the mirror HF_ENDPOINT names
    sha: str | None  # the commit read
    author: str | None
    created_at: datetime | None
    pipeline_tag: str | None
    tags: tuple[str, ...]
    card: dict[str, Any]  # the model card's metadata
    gated: str | None  # 'auto' or 'manual' (how access is granted), or 'yes', when the repository is gated
    dtypes: dict[str, int] | None  # safetensors parameters by dtype
    total: int | None  # safetensors total
    config: dict[str, Any] | None  # config.json at `sha`
    config_missing: str | None  # why config.json was not read


def parse_repo_id(text: str) -> str:
    """'ORG/NAME' from a repository id or its Hub address; UsageError when it is neither."""
    bare = text.strip()
    for prefix in (f"{HUB}/", "https://hf.co/", "huggingface.co/", "hf.co/"):
        if bare.startswith(prefix):
            bare = bare[len(prefix) :].rstrip("/")
            break
    if not _is_repo_id(bare):
        raise UsageError("", f"{text!r} is not a repository id (use ORG/NAME, such as Qwen/Qwen3-8B)")
    return bare


def _is_repo_id(text: str) -> bool:
    parts = text.split("/")
    return len(parts) == 2 and all(_PART.fullmatch(part) for part in parts) and ".." not in text and "--" not in text


def endpoint(environ: Mapping[str, str] = os.environ) -> str:
    """The Hub's address: HF_ENDPOINT when set, else huggingface.co."""
    chosen = environ.get("HF_ENDPOINT", "").strip().rstrip("/")
    if not chosen:
        return HUB
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", chosen):
        raise UsageError("", f"HF_ENDPOINT: {chosen!r} is not an http or https address")
    return chosen


def read_model(repo_id: str, environ: Mapping[str, str] = os.environ) -> HubModel:
    """The repository's model information and its config.json, read from the Hub.

    Raises RepositoryNotFound, HubUnreachable (no connection, no answer in time, offline mode, an
    error answer), or UsageError (huggingface_hub is not installed, or HF_ENDPOINT is not an address).
    A config.json that cannot be read (none, gated, not JSON) is not an error: `config_missing` says why.
    """
    address = endpoint(environ)
    if environ.get("HF_HUB_OFFLINE", "").strip().upper() in ("1", "ON", "YES", "TRUE"):
        raise HubUnreachable(_OFFLINE)
    try:
        import huggingface_hub
        from huggingface_hub import errors
    except ImportError:
        raise UsageError("", "add needs the Hugging Face Hub client: pip install 'llmlist[hub]'") from None
    timeout = _timeout(environ)
    where = "the Hugging Face Hub" + ("" if address == HUB else f" at {address}")
    try:
        api: Any = huggingface_hub.HfApi(endpoint=address)  # Any: EXPAND's names are the client's Literal type
        info = api.model_info(repo_id, expand=EXPAND, timeout=timeout)
    except errors.RepositoryNotFoundError:
        raise RepositoryNotFound(f"no repository {repo_id!r} on {where} (or it is private and HF_TOKEN does not "
                                 "grant access)") from None  # fmt: skip
    except errors.HfHubHTTPError as error:
        raise HubUnreachable(_refusal(where, error)) from None
    except errors.OfflineModeIsEnabled:
        raise HubUnreachable(_OFFLINE) from None
    except _transport_errors() as error:
        raise HubUnreachable(f"cannot reach {where}: {_reason(error, timeout)}") from None
    except (ValueError, KeyError, TypeError):  # JSON that is not the Hub's model information
        raise HubUnreachable(f"{where} gave an answer for {repo_id} that is not model information "
                             "(is HF_ENDPOINT a Hugging Face Hub?)") from None  # fmt: skip
    repo = info.id if _is_repo_id(info.id) else repo_id
    sha = info.sha if isinstance(info.sha, str) and re.fullmatch(r"[0-9a-f]{40}", info.sha) else None
    config, missing = _config(huggingface_hub, errors, repo, sha, address, where, timeout)
    card: Any = {}
    if info.card_data is not None:
        to_dict: Any = info.card_data.to_dict  # untyped in huggingface_hub
        card = to_dict()
    safetensors = info.safetensors
    dtypes = None if safetensors is None else {
        str(dtype): count for dtype, count in (safetensors.parameters or {}).items() if _is_int(count)}  # fmt: skip
    return HubModel(
        repo, address, sha, _text(info.author), info.created_at, _text(info.pipeline_tag),
        tuple(tag for tag in info.tags or () if isinstance(tag, str)), card if isinstance(card, dict) else {},
        info.gated if isinstance(info.gated, str) else "yes" if info.gated else None, dtypes,
        safetensors.total if safetensors is not None and _is_int(safetensors.total) else None, config, missing,
    )  # fmt: skip


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _config(
    client: Any, errors: Any, repo_id: str, sha: str | None, address: str, where: str, timeout: float
) -> tuple[dict[str, Any] | None, str | None]:
    """config.json at the commit read, or None and why it could not be read."""
    try:
        path = client.hf_hub_download(repo_id, "config.json", revision=sha, endpoint=address, etag_timeout=timeout)
    except errors.GatedRepoError:
        return None, "the repository is gated and HF_TOKEN does not grant access"
    except errors.RepositoryNotFoundError:
        return None, "the Hub did not give access to the repository's files"
    except errors.LocalEntryNotFoundError as error:  # the Hub could not be asked, and no copy is cached
        raise HubUnreachable(f"cannot reach {where}: {_reason(error.__cause__ or error, timeout)}") from None
    except getattr(errors, "RemoteEntryNotFoundError", errors.EntryNotFoundError):
        return None, "the repository has no config.json"
    except errors.HfHubHTTPError as error:
        raise HubUnreachable(_refusal(where, error)) from None
    except _transport_errors() as error:
        raise HubUnreachable(f"cannot reach {where}: {_reason(error, timeout)}") from None
    try:
        config = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, "config.json is not JSON text"
    if not isinstance(config, dict):
        return None, "config.json is not a JSON object"
    return config, None


def _timeout(environ: Mapping[str, str]) -> float:
    try:
        seconds = float(environ.get("HF_HUB_DOWNLOAD_TIMEOUT") or _DEFAULT_TIMEOUT)
    except ValueError:
        return _DEFAULT_TIMEOUT
    return seconds if 0 < seconds < 1e6 else _DEFAULT_TIMEOUT


def _transport_errors() -> tuple[type[BaseException], ...]:
    """Errors of a connection that failed or timed out: those of the HTTP library the client uses
    (httpx2 from huggingface_hub 2, httpx before), read from those already imported."""
    found: list[type[BaseException]] = [ConnectionError, TimeoutError]
    for name in ("httpx2", "httpx"):
        module = sys.modules.get(name)
        if module is not None:
            found.append(module.TransportError)
    return tuple(found)


def _reason(error: BaseException, timeout: float) -> str:
    if isinstance(error, TimeoutError) or "Timeout" in type(error).__name__:
        return f"no answer within {timeout:g} seconds"
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _refusal(where: str, error: Any) -> str:
    """One line for an error answer: its status and the server's message."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    message = getattr(error, "server_message", None) or ""
    first = message.strip().splitlines()[0] if message.strip() else ""
    hint = " (check HF_TOKEN)" if status in (401, 403) else ""
    return f"{where} answered HTTP {status}{': ' + first if first else ''}{hint}"
