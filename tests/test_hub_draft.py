"""Entries drafted from what the Hub says, without a Hub: whatever the answer, the entry is valid,
every fact it sets is sourced, and it survives the TOML round trip `add` writes it through."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from llmlist.catalog_file import CatalogFile
from llmlist.errors import UsageError
from llmlist.hub import HubModel, parse_repo_id
from llmlist.hub_draft import TASKS, draft_entry, slug
from llmlist.schema import Entry
from llmlist.sourcing import unsupported

ID = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")


def hub_model(**fields: Any) -> HubModel:
    values: dict[str, Any] = {
        "repo_id": "acme/Model-7B", "endpoint": "https://huggingface.co", "sha": "a" * 40, "author": "acme",
        "created_at": datetime(2024, 5, 13, 9, tzinfo=timezone.utc), "pipeline_tag": "text-generation",
        "tags": ("conversational",), "card": {"license": "apache-2.0", "language": ["en"]}, "gated": None,
        "dtypes": {"BF16": 7_000_000_000}, "total": 7_000_000_000,
        "config": {"max_position_embeddings": 4096, "num_hidden_layers": 32}, "config_missing": None,
    }  # fmt: skip
    values.update(fields)
    return HubModel(**values)


def draft(model: HubModel, base_ids: dict[str, str] | None = None) -> dict[str, Any]:
    return draft_entry(model, "model-7b", "Model-7B", base_ids or {}, date(2026, 1, 2)).entry


@given(st.text())
def test_slug_always_gives_an_id(text: str) -> None:
    made = slug(text)
    assert ID.match(made) and len(made) <= 80


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Qwen2.5-7B-Instruct", "qwen2.5-7b-instruct"), ("Mixtral_8x7B..v0.1", "mixtral-8x7b.v0.1"), ("---", "model")],
)
def test_slug_examples(name: str, expected: str) -> None:
    assert slug(name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Qwen/Qwen3-8B", "Qwen/Qwen3-8B"), ("https://huggingface.co/Qwen/Qwen3-8B/", "Qwen/Qwen3-8B"),
     ("hf.co/a/b.c_d", "a/b.c_d")],
)  # fmt: skip
def test_repository_ids_and_addresses(text: str, expected: str) -> None:
    assert parse_repo_id(text) == expected


def test_licence_link_to_a_file_of_the_repository_and_to_elsewhere() -> None:
    card = {"license": "llama3.1", "license_link": "https://llama.meta.com/llama3_1/license/"}
    license_ = draft(hub_model(card=card))["license"]
    assert license_ == {"weights": "llama3.1", "url": "https://llama.meta.com/llama3_1/license/"}
    odd = draft(hub_model(card={"license": "mit", "license_link": "javascript:alert(1)"}))["license"]
    assert odd == {"weights": "MIT", "commercial_use": True}


def test_base_model_of_several_entries_stays_unset() -> None:
    card = {"base_model": ["a/one", "b/two"]}
    entry = draft(hub_model(card=card), {"a/one": "one", "b/two": "two"})
    assert "base_model" not in entry
    assert any(n.startswith("Base model per the card: a/one, b/two; base_model is unset") for n in entry["notes"])


def test_repositories_older_than_the_hub_s_dates_have_no_release_month() -> None:
    entry = draft(hub_model(created_at=datetime(2022, 3, 2, 23, 29, 4, tzinfo=timezone.utc)))
    assert "released" not in entry
    assert any("only from March 2022" in n for n in entry["notes"])


def test_multimodal_models_are_their_own_kind() -> None:
    entry = draft(hub_model(pipeline_tag="image-text-to-text"))
    assert entry["kind"] == "multimodal-model" and "multimodal" in entry["categories"]
    assert entry["summary"]["zh"].endswith("图文到文本模型。")


def test_a_task_outside_the_catalog_is_refused() -> None:
    with pytest.raises(UsageError, match="'object-detection' model on the Hub"):
        draft(hub_model(pipeline_tag="object-detection"))


counts = st.one_of(st.integers(min_value=-5, max_value=10**16), st.booleans(), st.none(), st.text(max_size=3))
texts = st.text(max_size=30)
cards = st.fixed_dictionaries(
    {},
    optional={
        "license": st.one_of(st.sampled_from(["apache-2.0", "mit", "other", "cc-by-nc-4.0", "llama3", ""]), texts,
                             st.integers(), st.lists(texts, max_size=2)),
        "license_name": st.one_of(texts, st.none(), st.integers()),
        "license_link": st.one_of(st.sampled_from(["LICENSE", "./LICENSE.md", "https://example.org/l"]), texts),
        "language": st.one_of(st.sampled_from(["en", "zh-CN", "multilingual"]), texts,
                              st.lists(st.one_of(texts, st.integers()), max_size=4), st.integers()),
        "base_model": st.one_of(st.sampled_from(["org/base", "other/thing"]), texts,
                                st.lists(st.one_of(texts, st.none()), max_size=3)),
    },
)  # fmt: skip
layer_types = st.one_of(
    st.lists(st.sampled_from(["full_attention", "sliding_attention", "chunked_attention", "linear_attention"]),
             max_size=80),
    st.lists(st.one_of(st.integers(), st.none()), max_size=3), st.text(max_size=5),
)  # fmt: skip
configs = st.one_of(
    st.none(),
    st.builds(
        lambda numbers, kinds: {**numbers, **kinds},
        st.dictionaries(
            st.sampled_from(["max_position_embeddings", "num_hidden_layers", "hidden_size", "num_attention_heads",
                             "num_key_value_heads", "head_dim", "vocab_size", "num_local_experts", "num_experts",
                             "num_experts_per_tok", "intermediate_size", "moe_intermediate_size", "n_positions",
                             "decoder_sparse_step", "sliding_window", "attention_chunk_size", "kv_lora_rank",
                             "qk_rope_head_dim"]),
            counts,
        ),
        st.dictionaries(st.just("layer_types"), layer_types),
    ).map(lambda c: {**c, "model_type": "mixtral"} if "num_local_experts" in c else c),
)  # fmt: skip
models = st.builds(
    hub_model,
    repo_id=st.sampled_from(["acme/Model-7B", "a/b", "Org.Name/x_y-z.1"]),
    endpoint=st.sampled_from(["https://huggingface.co", "https://hf-mirror.com"]),
    sha=st.one_of(st.none(), st.just("b" * 40)),
    author=st.one_of(st.none(), st.text(min_size=1, max_size=20).filter(str.strip)),
    created_at=st.one_of(st.none(), st.datetimes(timezones=st.just(timezone.utc))),
    pipeline_tag=st.one_of(st.none(), st.sampled_from(sorted(TASKS))),
    tags=st.lists(st.sampled_from(["conversational", "code", "text-generation", "x"]), max_size=4).map(tuple),
    card=cards,
    gated=st.sampled_from([None, "auto", "manual"]),
    dtypes=st.one_of(st.none(), st.dictionaries(st.sampled_from(["BF16", "F32", "F8_E4M3", "I32", "U8"]),
                                                st.integers(min_value=1, max_value=10**12), min_size=1)),
    total=st.one_of(st.none(), st.integers(min_value=-1, max_value=10**16)),
    config=configs,
    config_missing=st.just("the repository has no config.json"),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(models)
def test_any_hub_answer_drafts_a_valid_sourced_entry(model: HubModel) -> None:
    found = draft_entry(model, "model-7b", "Model-7B", {"org/base": "base"}, date(2026, 1, 2))
    record = Entry.model_validate(found.entry).model_dump(mode="json")
    assert unsupported(record) == []
    if record["released"]:
        assert any(note.startswith("Release month: rule 3, ") for note in record["notes"])
    variant = record["variants"][0]
    if variant["active_params"] is not None:
        assert variant["active_params"] < variant["params"]


@settings(max_examples=100, deadline=None)
@given(models, st.text(max_size=20))
def test_drafts_survive_the_toml_round_trip(tmp_path_factory: pytest.TempPathFactory, model: HubModel,
                                            note: str) -> None:  # fmt: skip
    entry = draft(model)
    entry["notes"].append(f'{note} "quoted" \\ \n\t\x1b\u202e end')
    file = CatalogFile.open(tmp_path_factory.mktemp("round") / "catalog.toml")
    file.put(entry)
    assert tomli.loads(file.content().decode())["entries"] == [entry]


def test_latent_attention_and_sliding_windows_are_read_from_the_config() -> None:
    gemma_like = {
        "num_hidden_layers": 6,
        "hidden_size": 2560,
        "num_attention_heads": 8,
        "num_key_value_heads": 4,
        "sliding_window": 1024,
        "layer_types": ["sliding_attention"] * 5 + ["full_attention"],
    }
    variant = draft(hub_model(config={"text_config": gemma_like}))["variants"][0]
    assert (variant["sliding_layers"], variant["sliding_window"]) == (5, 1024)
    mla = {"num_hidden_layers": 61, "kv_lora_rank": 512, "qk_rope_head_dim": 64, "sliding_window": 4096}
    variant = draft(hub_model(config=mla))["variants"][0]
    assert (variant["kv_lora_rank"], variant["rope_head_dim"]) == (512, 64)
    assert "sliding_layers" not in variant  # a window, but no layer marked as using it
    too_many = {"num_hidden_layers": 2, "sliding_window": 512, "layer_types": ["sliding_attention"] * 4}
    assert "sliding_layers" not in draft(hub_model(config=too_many))["variants"][0]


def test_the_readme_s_worked_example_is_what_add_writes(tmp_path_factory: pytest.TempPathFactory) -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    shown = readme.split("and the file then holds", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    model = hub_model(
        repo_id="acme/Dense-7B", sha="0123456789abcdef0123456789abcdef01234567",
        tags=("transformers", "safetensors", "text-generation", "conversational"),
        card={"license": "apache-2.0", "language": ["en", "zh", "yue"], "base_model": "mistralai/Mistral-7B-v0.1"},
        dtypes={"BF16": 7_241_732_096}, total=7_241_732_096,
        config={"model_type": "mistral", "max_position_embeddings": 32768, "num_hidden_layers": 32,
                "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 128,
                "vocab_size": 32000},
    )  # fmt: skip
    entry = draft_entry(model, "dense-7b", "Dense-7B", {"mistralai/mistral-7b-v0.1": "mistral-7b"}, date(2026, 12, 1))
    file = CatalogFile.open(tmp_path_factory.mktemp("readme") / "catalog.toml")
    file.put(entry.entry)
    assert file.content().decode().split("\n\n", 1)[1] == shown
