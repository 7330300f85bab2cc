"""A catalog entry drafted from what the Hugging Face Hub says about one model repository, each fact
named by the Hub address it was read from.

Only what was read is written. A fact the Hub does not give is left unset and a note says so; no
size is taken from a repository's name, and no licence is read as allowing commercial use unless it
is Apache-2.0 or MIT.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timezone
from typing import Any, NamedTuple

from llmlist import vocab
from llmlist.catalog import RECORD_LAYOUT, Record
from llmlist.errors import UsageError
from llmlist.hub import HUB, HubModel
from llmlist.licenses import spdx_id


class Task(NamedTuple):
    """A Hub pipeline tag: the catalog kind it implies, and its words in English and Chinese."""

    kind: str
    en: str
    zh: str


_LM, _MM = "language-model", "multimodal-model"
TASKS: dict[str, Task] = {
    "text-generation": Task(_LM, "text-generation", "文本生成"),
    "text2text-generation": Task(_LM, "text-to-text generation", "文本到文本生成"),
    "fill-mask": Task(_LM, "fill-mask", "掩码填充"),
    "feature-extraction": Task(_LM, "feature-extraction", "特征提取"),
    "sentence-similarity": Task(_LM, "sentence-similarity", "句子相似度"),
    "text-ranking": Task(_LM, "text-ranking", "文本排序"),
    "translation": Task(_LM, "translation", "翻译"),
    "summarization": Task(_LM, "summarization", "摘要"),
    "question-answering": Task(_LM, "question-answering", "问答"),
    "table-question-answering": Task(_LM, "table question-answering", "表格问答"),
    "text-classification": Task(_LM, "text-classification", "文本分类"),
    "token-classification": Task(_LM, "token-classification", "词元分类"),
    "zero-shot-classification": Task(_LM, "zero-shot classification", "零样本分类"),
    "image-text-to-text": Task(_MM, "image-text-to-text", "图文到文本"),
    "visual-question-answering": Task(_MM, "visual question-answering", "视觉问答"),
    "document-question-answering": Task(_MM, "document question-answering", "文档问答"),
    "image-to-text": Task(_MM, "image-to-text", "图像到文本"),
    "video-text-to-text": Task(_MM, "video-text-to-text", "视频文本到文本"),
    "audio-text-to-text": Task(_MM, "audio-text-to-text", "音频文本到文本"),
    "any-to-any": Task(_MM, "any-to-any", "任意模态"),
    "text-to-image": Task(_MM, "text-to-image", "文生图"),
    "text-to-video": Task(_MM, "text-to-video", "文生视频"),
    "text-to-speech": Task(_MM, "text-to-speech", "语音合成"),
    "text-to-audio": Task(_MM, "text-to-audio", "文本到音频"),
    "automatic-speech-recognition": Task(_MM, "speech-recognition", "语音识别"),
}
_TASK_CATEGORIES = {
    "translation": "translation", "feature-extraction": "embedding", "sentence-similarity": "embedding",
    "text-ranking": "retrieval", "text-to-image": "text-to-image",
}  # fmt: skip
# Tags an author (or the Hub, for `conversational`: a chat template) gives, as catalog categories.
_TAG_CATEGORIES = {
    "conversational": "chat", "code": "code", "medical": "medical", "legal": "legal", "finance": "finance",
    "agent": "agent", "tool-use": "tool-use",
}  # fmt: skip

# Licences that make commercial use clear either way, as SPDX ids.
_COMMERCIAL = {"Apache-2.0": True, "MIT": True, "CC-BY-NC-4.0": False, "CC-BY-NC-SA-4.0": False,
               "CC-BY-NC-ND-4.0": False}  # fmt: skip

# safetensors dtypes that hold one parameter per element, with the precision they are published in.
# Other dtypes (U8, I32, ...) hold packed or quantized weights, so the total does not count parameters.
_FLOAT_DTYPES = {"F64": None, "F32": "fp32", "F16": "fp16", "BF16": "bf16", "F8_E4M3": "fp8", "F8_E5M2": "fp8"}

# config.json keys, in the order read; the top level first, then the text model's own settings.
_SUBCONFIGS = ("text_config", "llm_config", "language_config")
_CONTEXT = ("max_position_embeddings", "n_positions")
_ARCHITECTURE = {
    "layers": ("num_hidden_layers", "n_layer"),
    "hidden_size": ("hidden_size", "n_embd"),
    "attention_heads": ("num_attention_heads", "n_head"),
    "kv_heads": ("num_key_value_heads",),
    "head_dim": ("head_dim",),
    "vocab_size": ("vocab_size",),
    "kv_lora_rank": ("kv_lora_rank",),
    "rope_head_dim": ("qk_rope_head_dim",),
}
# `layer_types` entries of layers that attend only within `sliding_window` tokens.
_SLIDING = ("sliding_attention", "chunked_attention")
_EXPERTS = ("num_local_experts", "num_experts", "n_routed_experts")
_PER_TOKEN = ("num_experts_per_tok", "experts_per_token")
# Model types whose every layer holds the same gated feed-forward experts, three hidden_size x width
# matrices each, of the width the named key gives: for these, the parameters used per token are the
# total less the weights of the experts a token does not use.
_UNIFORM_MOE = {"mixtral": "intermediate_size", "olmoe": "intermediate_size",
                "qwen2_moe": "moe_intermediate_size", "qwen3_moe": "moe_intermediate_size"}  # fmt: skip
# An address as the catalog format accepts it (schema.Url).
_URL = re.compile(r"https?://[^\s/$.?#\x00-\x1f\x7f-\x9f][^\s\x00-\x1f\x7f-\x9f]*")
# The Hub records creation dates from this day on; earlier repositories all show it.
_HUB_DATES_FROM = datetime(2022, 3, 3, tzinfo=timezone.utc)


class Draft(NamedTuple):
    """An entry drafted from the Hub, in the catalog's TOML shape (unset facts left out), with the
    facts that could not be read and a warning for the user, if any."""

    entry: Record
    missing: tuple[str, ...]
    warning: str | None


def slug(text: str) -> str:
    """An entry id made from a name: 'Qwen2.5-7B_Instruct' -> 'qwen2.5-7b-instruct'."""
    parts = re.split(r"([^a-z0-9]+)", text.lower())
    joined = "".join(part if i % 2 == 0 else ("." if set(part) == {"."} else "-") for i, part in enumerate(parts))
    return joined.strip(".-")[:80].rstrip(".-") or "model"


def draft_entry(model: HubModel, entry_id: str, name: str, base_ids: Mapping[str, str], today: date) -> Draft:
    """The entry for `model`: `base_ids` maps Hub repository ids (casefolded) to the catalog entries
    that hold them, to link the card's base model. Raises UsageError for a model of a task the
    catalog does not list (image classification, say)."""
    return _Drafting(model, base_ids).entry(entry_id, name, today)


class _Drafting:
    """One entry being drafted: the facts read so far, and which address backs each."""

    def __init__(self, model: HubModel, base_ids: Mapping[str, str]) -> None:
        self.model = model
        self.base_ids = base_ids
        self.page = f"{HUB}/{model.repo_id}"
        self.config_url = f"{HUB}/{model.repo_id}/resolve/{model.sha or 'main'}/config.json"
        self.page_facts: list[str] = ["name", "variants", "links", "summary"]
        self.config_facts: list[str] = []
        self.config_keys: list[str] = []
        self.notes: list[str] = []
        self.missing: list[tuple[str, str]] = []

    def entry(self, entry_id: str, name: str, today: date) -> Draft:
        model = self.model
        task = self._task()
        entry: Record = {"id": entry_id, "name": name, "kind": task.kind if task else _LM}
        if model.author:
            entry["organization"] = model.author
            self.page_facts.append("organization")
        else:
            self.missing.append(("organization", "the Hub names no author"))
        released = self._released()
        if released:
            entry["released"] = released
        languages = self._languages()
        if languages:
            entry["languages"] = languages
        categories = self._categories(task)
        if categories:
            entry["categories"] = categories
        base = self._base_model()
        if base:
            entry["base_model"] = base
        variant = self._variant(name)
        license_ = self._license()
        entry["summary"] = self._summary(task)
        if model.gated:
            approval = f" ({model.gated} approval)" if model.gated in ("auto", "manual") else ""
            self.notes.append(f"The repository is gated{approval}: the Hub asks users to accept its conditions "
                              "before downloading the weights.")  # fmt: skip
        mirror = "" if model.endpoint == HUB else f", through the mirror {model.endpoint}"
        commit = f" at commit {model.sha}" if model.sha else ""
        self.notes.append(f"Read from the Hugging Face Hub on {today.isoformat()}{commit}{mirror}.")
        if self.missing:
            self.notes.append("Not read from the Hub: " + "; ".join(f"{what} ({why})" for what, why in self.missing)
                              + ".")  # fmt: skip
        entry["notes"] = self.notes
        entry["variants"] = [variant]
        if license_:
            entry["license"] = license_
        entry["links"] = {"huggingface": [model.repo_id]}
        entry["sources"] = self._sources()
        warning = None
        if model.config_missing and "gated" in model.config_missing:
            warning = (f"{model.repo_id} is gated and HF_TOKEN does not grant access (ask for it at {self.page}): "
                       "config.json not read")  # fmt: skip
        return Draft(entry, tuple(what for what, _ in self.missing), warning)

    def _task(self) -> Task | None:
        model = self.model
        tag = model.pipeline_tag or next((t for t in model.tags if t in TASKS), None)
        if tag is None:
            self.missing.append(("task", "the Hub names no pipeline tag"))
            self.notes.append("The Hub names no task for this repository, so its kind is llmlist's default, "
                              "language-model.")  # fmt: skip
            return None
        if tag not in TASKS:
            raise UsageError("", f"{model.repo_id} is a {tag!r} model on the Hub; llmlist lists language and "
                             "multimodal models")  # fmt: skip
        self.page_facts += ["kind"]
        return TASKS[tag]

    def _released(self) -> str | None:
        created = self.model.created_at
        if created is None:
            self.missing.append(("release month", "the Hub gives no creation date"))
            return None
        created = created.astimezone(timezone.utc) if created.tzinfo else created.replace(tzinfo=timezone.utc)
        if created < _HUB_DATES_FROM:
            self.missing.append(("release month", "the Hub records creation dates only from March 2022, and this "
                                 "repository is older"))  # fmt: skip
            return None
        self.page_facts.append("released")
        self.notes.append(f"Release month: rule 3, the month the Hub created the repository {self.model.repo_id} "
                          f"(createdAt {created.date().isoformat()}); a repository can be created private and "
                          "opened later, and no announcement was checked.")  # fmt: skip
        return f"{created.year:04d}-{created.month:02d}"

    def _languages(self) -> list[str]:
        given = self.model.card.get("language")
        values = [given] if isinstance(given, str) else given if isinstance(given, list) else []
        kept: list[str] = []
        dropped: list[str] = []
        for value in values:
            code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0] if isinstance(value, str) else ""
            if code in vocab.ISO_639_1:
                if code not in kept:
                    kept.append(code)
            else:
                dropped.append(str(value))
        if dropped:
            self.notes.append(f"Card languages without an ISO 639-1 code are left out: {', '.join(dropped)}.")
        if kept:
            self.page_facts.append("languages")
        else:
            self.missing.append(("languages", "the card names none" if not values else
                                 "the card names no ISO 639-1 code"))  # fmt: skip
        return kept

    def _categories(self, task: Task | None) -> list[str]:
        found = {_TAG_CATEGORIES[tag] for tag in self.model.tags if tag in _TAG_CATEGORIES}
        tag = self.model.pipeline_tag
        if tag in _TASK_CATEGORIES:
            found.add(_TASK_CATEGORIES[tag])
        if task is not None and task.kind == _MM:
            found.add("multimodal")
        categories = [category for category in vocab.CATEGORIES if category in found]
        if categories:
            self.page_facts.append("categories")
        return categories

    def _base_model(self) -> str | None:
        given = self.model.card.get("base_model")
        repos = [given] if isinstance(given, str) else [r for r in given if isinstance(r, str)] if isinstance(
            given, list) else []  # fmt: skip
        repos = [repo.strip() for repo in repos if repo.strip()]
        if not repos:
            return None
        ids = {self.base_ids.get(repo.casefold()) for repo in repos}
        named = ", ".join(repos)
        if len(ids) == 1 and None not in ids:
            (entry_id,) = ids
            assert entry_id is not None
            self.page_facts.append("base_model")
            self.notes.append(f"Base model per the card: {named}, which is the catalog's {entry_id!r}.")
            return entry_id
        self.notes.append(f"Base model per the card: {named}; base_model is unset, as "
                          + ("that repository is not a checkpoint in the catalog (add it first to link them)."
                             if len(repos) == 1 else "these are not all one catalog entry."))  # fmt: skip
        return None

    def _variant(self, name: str) -> Record:
        model = self.model
        variant: Record = {"name": name}
        params, precision = self._params()
        if params is not None:
            variant["params"] = params
        config = model.config
        if config is None:
            self.missing.append(("context length and architecture", f"config.json not read: {model.config_missing}"))
            counts: dict[str, int] = {}
        else:
            counts = self._config_counts(config)
        active = self._experts(config or {}, counts, params, variant)
        if active is not None:
            variant["active_params"] = active
        if "context" in counts:
            variant["context"] = counts["context"]
        elif config is not None:
            self.missing.append(("context length", "config.json has no max_position_embeddings"))
        if "vocab_size" in counts:
            variant["vocab_size"] = counts["vocab_size"]
        variant["huggingface"] = model.repo_id
        if precision:
            variant["precision"] = precision
            self.page_facts.append("architecture")
        for key in ("layers", "hidden_size", "attention_heads", "kv_heads", "head_dim", "sliding_layers",
                    "sliding_window"):  # fmt: skip
            if key in counts:
                variant[key] = counts[key]
        if "kv_lora_rank" in counts and "rope_head_dim" in counts:
            variant["kv_lora_rank"], variant["rope_head_dim"] = counts["kv_lora_rank"], counts["rope_head_dim"]
        if any(key in counts for key in (*_ARCHITECTURE, "sliding_layers")):
            self.config_facts.append("architecture")
        return {key: variant[key] for key in RECORD_LAYOUT["Variant"] if key in variant}

    def _params(self) -> tuple[int | None, str | None]:
        """The exact parameter count and the precision of the weights, from the safetensors metadata."""
        dtypes, total = self.model.dtypes, self.model.total
        if not dtypes or not _is_count(total):
            self.missing.append(("parameter count", "the Hub has no safetensors metadata for it"))
            return None, None
        packed = sorted(dtype for dtype in dtypes if dtype not in _FLOAT_DTYPES)
        if packed:
            self.missing.append(("parameter count", f"the safetensors total counts packed or quantized tensors "
                                 f"({', '.join(packed)}), not parameters"))  # fmt: skip
            return None, None
        self.page_facts.append("params")
        largest = max(dtypes, key=lambda dtype: dtypes[dtype])
        return total, _FLOAT_DTYPES[largest]

    def _config_counts(self, config: dict[str, Any]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for field, keys in {"context": _CONTEXT, **_ARCHITECTURE}.items():
            value, key = _count_in(config, keys)
            if value is not None and key is not None:
                counts[field] = value
                self.config_keys.append(key)
        sliding = _sliding_layers(config)
        window, window_key = _count_in(config, ("sliding_window", "attention_chunk_size"))
        if sliding and sliding <= counts.get("layers", sliding) and window is not None and window_key is not None:
            counts["sliding_layers"], counts["sliding_window"] = sliding, window
            self.config_keys += ["layer_types", window_key]
        if "context" in counts:
            self.config_facts.append("context")
        return counts

    def _experts(
        self, config: dict[str, Any], counts: dict[str, int], total: int | None, variant: Record
    ) -> int | None:
        """For a mixture-of-experts model, the note on its experts and, where it can be computed from what
        was read, the parameters used per token."""
        experts, experts_key = _count_in(config, _EXPERTS)
        if experts is None or experts_key is None or experts < 2:
            return None
        per_token, per_token_key = _count_in(config, _PER_TOKEN)
        self.config_keys += [key for key in (experts_key, per_token_key) if key]
        used = f", {per_token} used per token" if per_token else " (experts per token not given)"
        variant["note"] = f"Mixture of experts: {experts} experts{used} (config.json)."
        model_type = config.get("model_type")
        width_key = _UNIFORM_MOE.get(model_type) if isinstance(model_type, str) else None
        width, _ = _count_in(config, (width_key,)) if width_key else (None, None)
        layers, hidden = counts.get("layers"), counts.get("hidden_size")
        uniform = config.get("decoder_sparse_step", 1) == 1 and not config.get("mlp_only_layers")
        if total and per_token and width and layers and hidden and uniform and per_token < experts:
            unused = layers * (experts - per_token) * 3 * hidden * width
            if 0 < unused < total:
                self.config_keys.append(str(width_key))
                self.config_facts.append("params")
                self.notes.append(f"active_params is computed from config.json and the safetensors total: the total "
                                  f"less num_hidden_layers x (experts - experts per token) x 3 x hidden_size x "
                                  f"{width_key} = {layers} x {experts - per_token} x 3 x {hidden} x {width} "
                                  f"parameters of experts a token does not use.")  # fmt: skip
                return total - unused
        why = "the safetensors total is not known" if not total else (
            f"llmlist does not compute them for model type {model_type!r}" if not width_key or not uniform
            else "config.json lacks a count it needs")  # fmt: skip
        self.notes.append(f"Parameters used per token are not stated on the Hub, and {why}; active_params is unset.")
        return None

    def _license(self) -> Record | None:
        card = self.model.card
        given = card.get("license")
        if isinstance(given, list) and len(given) == 1:
            given = given[0]
        if not isinstance(given, str) or not given.strip():
            self.missing.append(("licence", "the card names none"))
            return None
        given = given.strip()
        named = card.get("license_name")
        if given.casefold() == "other":
            weights = named.strip() if isinstance(named, str) and named.strip() else "other"
            self.notes.append(f"The card gives the licence as 'other'{f' ({weights})' if weights != 'other' else ''};"
                              " commercial use is left unset.")  # fmt: skip
        else:
            weights = spdx_id(given) or given
        license_: Record = {"weights": weights}
        commercial = _COMMERCIAL.get(weights)
        if commercial is not None:
            license_["commercial_use"] = commercial
            self.page_facts.append("commercial_use")
        elif given.casefold() != "other":
            self.notes.append(f"Commercial use is left unset: llmlist reads only Apache-2.0 and MIT as allowing "
                              f"it, and the licence here is {weights!r}.")  # fmt: skip
        url = self._license_url(card.get("license_link"))
        if url:
            license_["url"] = url
        self.page_facts.append("license")
        return license_

    def _license_url(self, link: object) -> str | None:
        if not isinstance(link, str) or not link.strip():
            return None
        link = link.strip()
        if not re.match(r"[a-z]+:", link):  # a file of the repository, such as LICENSE
            link = f"{HUB}/{self.model.repo_id}/blob/{self.model.sha or 'main'}/{link.removeprefix('./')}"
        return link if _URL.fullmatch(link) and ".." not in link else None

    def _summary(self, task: Task | None) -> Record:
        repo = self.model.repo_id
        if task is None:
            return {"en": f"Model {repo} from the Hugging Face Hub.", "zh": f"来自 Hugging Face Hub 的模型 {repo}。"}
        return {"en": f"Model {repo} from the Hugging Face Hub: a {task.en} model.",
                "zh": f"来自 Hugging Face Hub 的模型 {repo}：{task.zh}模型。"}  # fmt: skip

    def _sources(self) -> list[Record]:
        mirror = "" if self.model.endpoint == HUB else f"; read through the mirror {self.model.endpoint}"
        page: Record = {"url": self.page, "supports": list(dict.fromkeys([*self.page_facts, "notes"])),
                        "note": "The Hub's model information: author, createdAt, cardData, pipeline_tag, tags, "
                                f"gated and safetensors{mirror}."}  # fmt: skip
        sources = [page]
        if self.model.config is not None:
            facts = list(dict.fromkeys(self.config_facts)) or ["notes"]
            keys = ", ".join(dict.fromkeys(self.config_keys)) or "none of the keys llmlist reads"
            sources.append({"url": self.config_url, "supports": facts, "note": f"Keys read: {keys}{mirror}."})
        return sources


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 10**15


def _scopes(config: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The top level of config.json, then the text model's own settings, each with the prefix its
    keys are named by."""
    yield "", config
    for name in _SUBCONFIGS:
        scope = config.get(name)
        if isinstance(scope, Mapping):
            yield f"{name}.", scope


def _sliding_layers(config: Mapping[str, Any]) -> int:
    """How many layers `layer_types` (at the top level or in the text model's settings) marks as
    attending within a window; 0 when it marks none or is not a list of names."""
    for _, scope in _scopes(config):
        kinds = scope.get("layer_types")
        if isinstance(kinds, list) and kinds and all(isinstance(kind, str) for kind in kinds):
            return sum(kind in _SLIDING for kind in kinds)
    return 0


def _count_in(config: Mapping[str, Any], keys: Iterable[str]) -> tuple[int | None, str | None]:
    """The first count under one of `keys`, at the top level of config.json and then in the text
    model's own settings, with the key it was read from."""
    for prefix, scope in _scopes(config):
        for key in keys:
            value = scope.get(key)
            if _is_count(value):
                return value, prefix + key
    return None, None
