"""The memory model (weights, KV cache, runtime), --context, and --fits auto on each kind of machine."""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Any, TypeVar, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from llmlist import hardware, machine, schema
from llmlist.catalog import Checkpoint, Stated
from llmlist.cli import app
from llmlist.sizes import ContextError, format_context, parse_context
from llmlist.vocab import PRECISIONS

RUNTIME = hardware.FITTED.runtime_gb
FRACTION = hardware.FITTED.runtime_fraction


def checkpoint(name: str, params: int, **facts: Any) -> Checkpoint:
    """A checkpoint with only what the memory model reads."""
    base = Checkpoint(name, params, None, None, None, (), None, None, None, None, False, None)
    return base._replace(**facts)


T = TypeVar("T")


def known(value: T | None) -> T:
    assert value is not None
    return value


# Llama-3.1-8B: dim 4096, 32 layers, 32 heads, 8 KV heads, vocabulary 128256, as Meta's
# meta-llama/llama-models models/sku_list.py gives them (the same values as its config.json);
# head dim 4096 / 32 = 128. 8_030_261_248 parameters: 32 layers x (2 x 4096^2 for q and o +
# 2 x 4096 x 1024 for k and v + 3 x 4096 x 14336 for the MLP + 2 x 4096 norms) + 2 x 128256 x 4096
# (embeddings and output head) + 4096 (final norm). Window 131072 tokens.
LLAMA_31_8B = checkpoint(
    "Llama-3.1-8B", 8_030_261_248, context=131_072, layers=32, hidden_size=4096, attention_heads=32, kv_heads=8,
    vocab_size=128_256,
)  # fmt: skip

# Qwen2.5-7B: 7.61B parameters (6.53B without embeddings), 28 layers, 28 query and 4 KV heads,
# 131,072 tokens, from its model card (Qwen/Qwen2.5-7B); hidden size 3584 and vocabulary 152064 from
# its config.json (as quoted in code that reads it), which agree with the card: 2 x 152064 x 3584 =
# 1.09B embedding parameters = 7.61B - 6.53B.
QWEN_25_7B = checkpoint(
    "Qwen2.5-7B", 7_610_000_000, context=131_072, layers=28, hidden_size=3584, attention_heads=28, kv_heads=4,
    vocab_size=152_064,
)  # fmt: skip

# Mixtral-8x7B: dim 4096, 32 layers, head dim 128, 32 heads, 8 KV heads, window 32768, vocabulary
# 32000, 8 experts with 2 active (Mixtral of Experts, arXiv:2401.04088, Table 1); 46.7B parameters
# in all, 12.9B active (the paper's "47B" and "13B"; the catalog's counts).
MIXTRAL_8X7B = checkpoint(
    "Mixtral-8x7B-v0.1", 46_700_000_000, active_params=12_900_000_000, context=32_768, layers=32, hidden_size=4096,
    attention_heads=32, kv_heads=8, head_dim=128, vocab_size=32_000,
)  # fmt: skip


def runtime(weights_gb: float) -> float:
    return RUNTIME + FRACTION * weights_gb


def test_llama_31_8b_fp16_at_4k_and_128k() -> None:
    weights = 8_030_261_248 * 2 / 1e9  # 16.06 GB: fp16 keeps the embeddings at 16 bits too
    kv_per_token = 2 * 32 * 8 * 128 * 2  # keys and values x layers x KV heads x head dim x 2 bytes = 131072 B
    at_4k = weights + kv_per_token * 4096 / 1e9 + runtime(weights)  # 16.06 + 0.54 + runtime
    at_128k = weights + kv_per_token * 131_072 / 1e9 + runtime(weights)  # 16.06 + 17.18 + runtime
    assert known(hardware.estimate(LLAMA_31_8B, "fp16", 4096)).gb == pytest.approx(at_4k, rel=0.10)
    assert known(hardware.estimate(LLAMA_31_8B, "fp16", 131_072)).gb == pytest.approx(at_128k, rel=0.10)
    # a 128k context adds about 17 GB, as the KV cache holds 32 x as many tokens
    longer = (
        known(hardware.estimate(LLAMA_31_8B, "fp16", 131_072)).gb
        - known(hardware.estimate(LLAMA_31_8B, "fp16", 4096)).gb
    )
    assert longer == pytest.approx(kv_per_token * (131_072 - 4096) / 1e9)


def test_qwen_25_7b_at_q4_k_m() -> None:
    # llama.cpp's q4_k_m averages 4.84 bits per weight over a whole file, embeddings included
    weights = 7_610_000_000 * 4.84 / 8 / 1e9  # 4.60 GB
    kv = 2 * 28 * 4 * 128 * 2 * 4096 / 1e9  # head dim 3584 / 28 = 128: 57344 B a token, 0.23 GB at 4k
    expected = weights + kv + runtime(weights)
    assert known(hardware.estimate(QWEN_25_7B, "q4_k_m")).gb == pytest.approx(expected, rel=0.10)


def test_mixtral_8x7b_at_int4_counts_every_expert() -> None:
    embeddings = 2 * 32_000 * 4096  # input embeddings and output head stay at 16 bits: 0.26B parameters
    weights = ((46_700_000_000 - embeddings) * (4 + 20 / 128) + embeddings * 16) / 8 / 1e9  # 24.64 GB
    kv = 2 * 32 * 8 * 128 * 2 * 4096 / 1e9  # 0.54 GB at 4k
    expected = weights + kv + runtime(weights)
    assert known(hardware.estimate(MIXTRAL_8X7B, "int4")).gb == pytest.approx(expected, rel=0.10)


def test_the_kv_cache_holds_no_more_than_the_checkpoints_window() -> None:
    at_32k = known(hardware.estimate(MIXTRAL_8X7B, "fp16", 32_768))
    at_1m = known(hardware.estimate(MIXTRAL_8X7B, "fp16", 1_048_576))
    assert at_1m == at_32k and at_1m.context == 32_768


def test_without_an_architecture_a_dense_shape_is_assumed() -> None:
    bare = checkpoint("Bare-7B", 7_000_000_000)
    layers = (7e9 / (12 * 128**2)) ** (1 / 3)  # 7e9 = 12 x layers x (128 x layers)^2: 33.2 layers
    width = 128 * layers / hardware.FITTED.kv_sharing
    assert hardware.kv_cache_gb(bare, 4096) == pytest.approx(2 * layers * width * 2 * 4096 / 1e9)
    assert hardware.kv_cache_gb(bare, 8192) == pytest.approx(2 * hardware.kv_cache_gb(bare, 4096))


def test_only_layers_that_keep_a_kv_cache_count() -> None:
    mamba = checkpoint("Mamba-7B", 7_000_000_000, layers=64, hidden_size=4096, attention_layers=0)
    assert hardware.kv_cache_gb(mamba, 262_144) == 0.0
    assert known(hardware.estimate(mamba, "bf16", 262_144)).gb == known(hardware.estimate(mamba, "bf16", 1024)).gb
    shape = {"layers": 56, "hidden_size": 4480, "attention_heads": 40, "kv_heads": 8, "head_dim": 128}
    dense = checkpoint("Dense-9B", 8_900_000_000, **shape)
    hybrid = checkpoint("Hybrid-9B", 8_900_000_000, **shape, attention_layers=4)
    assert hardware.kv_cache_gb(hybrid, 131_072) == pytest.approx(2 * 4 * 8 * 128 * 2 * 131_072 / 1e9)
    assert hardware.kv_cache_gb(hybrid, 131_072) == pytest.approx(hardware.kv_cache_gb(dense, 131_072) * 4 / 56)
    # without the attention width, a hybrid's attention layers take the assumed shape's width
    bare = checkpoint("Bare-9B", 8_900_000_000, attention_layers=4)
    _, width = hardware._assumed_shape(bare, hardware.FITTED.kv_sharing) or (0, 0)
    assert hardware.kv_cache_gb(bare, 8192) == pytest.approx(2 * 4 * width * 2 * 8192 / 1e9)


def test_a_sliding_window_layer_keeps_at_most_its_window() -> None:
    # Gemma 3 27B's shape: 62 layers, 16 KV heads of 128, 5 of every 6 layers within 1024 tokens
    shape = {"layers": 62, "hidden_size": 5376, "attention_heads": 32, "kv_heads": 16, "head_dim": 128}
    gemma = checkpoint("gemma-3-27b-it", 27_000_000_000, context=131_072, **shape,
                       sliding_layers=52, sliding_window=1024)  # fmt: skip
    per_token_layer = 2 * 16 * 128 * 2 / 1e9
    assert hardware.kv_cache_gb(gemma, 131_072) == pytest.approx(per_token_layer * (10 * 131_072 + 52 * 1024))
    assert hardware.kv_cache_gb(gemma, 512) == pytest.approx(per_token_layer * 62 * 512)  # within the window
    # every layer sliding (Mistral 7B v0.1's 4096-token window): the cache stops growing
    mistral = checkpoint("Mistral-7B-v0.1", 7_241_732_096, layers=32, hidden_size=4096, attention_heads=32,
                         kv_heads=8, sliding_layers=32, sliding_window=4096)  # fmt: skip
    assert hardware.kv_cache_gb(mistral, 32_768) == hardware.kv_cache_gb(mistral, 4096) > 0


def test_full_context_layers_may_cache_a_width_of_their_own() -> None:
    # Gemma 4 31B (google-deepmind/gemma): 50 local layers of 16 KV heads x 256 within 1024 tokens,
    # 10 global layers of 4 heads x 512 whose keys serve as values
    gemma = checkpoint("gemma-4-31B", 31_000_000_000, context=262_144, layers=60, hidden_size=5376,
                       attention_heads=32, kv_heads=16, head_dim=256, attention_layers=10, sliding_layers=50,
                       sliding_window=1024, full_kv_width=4 * 512)  # fmt: skip
    expected = 2 * (10 * 2048 * 131_072 + 50 * 2 * 16 * 256 * 1024) / 1e9  # 5.4 + 0.84 GB
    assert hardware.kv_cache_gb(gemma, 131_072) == pytest.approx(expected)


def test_latent_attention_caches_its_latent_not_every_head() -> None:
    # DeepSeek-V3's shape: 61 layers of 128 heads, each caching a 512-wide latent and a 64-wide RoPE key
    v3 = checkpoint("DeepSeek-V3", 671_000_000_000, layers=61, hidden_size=7168, attention_heads=128,
                    kv_heads=128, kv_lora_rank=512, rope_head_dim=64)  # fmt: skip
    assert hardware.kv_cache_gb(v3, 131_072) == pytest.approx(61 * 576 * 2 * 131_072 / 1e9)  # 9.2 GB, not 229
    assert hardware.kv_cache_gb(v3._replace(kv_lora_rank=None, rope_head_dim=None), 131_072) > 200


@pytest.mark.parametrize(
    "facts",
    [{"kv_lora_rank": 512}, {"sliding_layers": 4}, {"sliding_window": 4096},
     {"layers": 8, "sliding_layers": 6, "sliding_window": 512, "attention_layers": 3}],
)  # fmt: skip
def test_attention_facts_must_agree(facts: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="go together|cannot add up"):
        schema.Variant(name="X-7B", **facts)


def test_int4_keeps_embeddings_and_output_head_at_16_bits() -> None:
    # Qwen2.5-7B's shape: 7,615,616,512 parameters, of which 2 x 152,064 x 3,584 are the input
    # embeddings and the output head, which GPTQ and AWQ leave unquantized
    qwen = checkpoint("Qwen2.5-7B", 7_615_616_512, vocab_size=152_064, hidden_size=3584)
    embedding = 2 * 152_064 * 3584
    expected = ((7_615_616_512 - embedding) * (4 + 20 / 128) + embedding * 16) / 8 / 1e9
    assert hardware.weights_gb(qwen, "int4") == pytest.approx(expected)  # 4.98 GB, not 3.96
    assert hardware.weights_gb(qwen, "q4_k_m") == pytest.approx(7_615_616_512 * 4.84 / 8 / 1e9)  # GGUF: averaged in
    assert hardware.weights_gb(checkpoint("Bare-7B", 7_615_616_512), "int4") == pytest.approx(
        7_615_616_512 * (4 + 20 / 128) / 8 / 1e9
    )


def test_a_figure_stated_at_the_very_precision_wins_over_its_twin() -> None:
    stated = (Stated("Llama-3.1-8B", "fp16", "inference", 17.0, None), Stated("Llama-3.1-8B", "bf16", "inference",
                                                                              16.5, None))  # fmt: skip
    assert known(hardware.need(LLAMA_31_8B, "bf16", stated)).gb == 16.5
    assert known(hardware.need(LLAMA_31_8B, "fp16", stated)).gb == 17.0
    # a little more context than the figure holds adds only that much cache
    a_bit_longer = known(hardware.need(LLAMA_31_8B, "fp16", stated, 4096 + 1024))
    assert a_bit_longer.gb == pytest.approx(17.0 + 2 * 32 * 8 * 128 * 2 * 1024 / 1e9)


def test_precisions_are_one_table() -> None:
    assert set(get_args(schema.Precision)) == set(PRECISIONS)
    assert PRECISIONS["q4_k_m"].weight == pytest.approx(4.85, abs=0.02)  # "about 4.85", as the issue says
    ordered = ("fp32", "fp16", "q8_0", "int8", "q6_k", "q5_k_m", "q4_k_m", "mxfp4", "int4", "q3_k_m", "q2_k")
    bits = [PRECISIONS[p].weight for p in ordered]
    assert bits == sorted(bits, reverse=True)


def test_a_stated_figure_wins_and_a_longer_context_adds_its_kv_cache() -> None:
    stated = (Stated("Llama-3.1-8B", "fp16", "inference", 17.0, None),)
    at_4k = known(hardware.need(LLAMA_31_8B, "fp16", stated))
    assert (at_4k.gb, at_4k.stated_gb, at_4k.stated, at_4k.exact) == (17.0, 17.0, True, True)
    assert at_4k.estimated_gb == pytest.approx(known(hardware.estimate(LLAMA_31_8B, "fp16")).gb)
    at_128k = known(hardware.need(LLAMA_31_8B, "fp16", stated, 131_072))
    assert at_128k.gb == pytest.approx(17.0 + 2 * 32 * 8 * 128 * 2 * (131_072 - 4096) / 1e9)
    assert at_128k.stated and not at_128k.exact and at_128k.stated_gb == 17.0
    assert known(hardware.need(LLAMA_31_8B, "fp16", stated, 2048)).gb == 17.0  # never less than the source says


def test_a_stated_figure_holds_the_context_its_source_says() -> None:
    kv_per_token = 2 * 32 * 8 * 128 * 2 / 1e9
    stated = (Stated("Llama-3.1-8B", "fp16", "inference", 17.0, 32_768),)
    assert known(hardware.need(LLAMA_31_8B, "fp16", stated, 32_768)).gb == 17.0
    assert known(hardware.need(LLAMA_31_8B, "fp16", stated, 8192)).gb == 17.0
    longer = known(hardware.need(LLAMA_31_8B, "fp16", stated, 131_072))
    assert longer.gb == pytest.approx(17.0 + kv_per_token * (131_072 - 32_768))
    # bf16 reads the fp16 figure, with the context it holds
    assert known(hardware.need(LLAMA_31_8B, "bf16", stated, 65_536)).gb == pytest.approx(17.0 + kv_per_token * 32_768)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [("4096", 4096), ("4k", 4096), ("32K", 32_768), ("128k", 131_072), ("1m", 1_048_576), ("1.5k", 1536),
     ("3.2万", 32_000), (" 8_192 ", 8192)],
)  # fmt: skip
def test_parse_context(text: str, tokens: int) -> None:
    assert parse_context(text) == tokens


@pytest.mark.parametrize("text", ["", "k", "4x", "-4k", "0", "0.1k", "4 k", "1e3", "２k", "9999999m"])
def test_parse_context_rejects_other_text(text: str) -> None:
    with pytest.raises(ContextError):
        parse_context(text)


@given(st.integers(min_value=1, max_value=1024**3))
def test_format_context_round_trips(tokens: int) -> None:
    assert parse_context(format_context(tokens)) == tokens


@given(st.text(max_size=12))
def test_parse_context_raises_only_its_own_error(text: str) -> None:
    with contextlib.suppress(ContextError):
        assert parse_context(text) > 0


def test_format_context_writes_what_people_write() -> None:
    assert [format_context(n) for n in (4096, 131_072, 1_048_576, 3000)] == ["4k", "128k", "1m", "3000"]


# The command line.

FAMILY = """
schema_version = 1

[[entries]]
id = "llama-3.1"
name = "Llama 3.1"
kind = "language-model"
summary = { en = "e", zh = "中" }

[[entries.variants]]
name = "Llama-3.1-8B"
params = 8_030_261_248
context = 131_072
layers = 32
hidden_size = 4096
attention_heads = 32
kv_heads = 8
vocab_size = 128_256

[[entries.requirements]]
variant = "Llama-3.1-8B"
precision = "q4_k_m"
memory_gb = 6.5
source = "https://example.org/llama"

[[entries.sources]]
url = "https://example.org/llama"
supports = ["params", "architecture", "requirements"]

[[entries]]
id = "qwen2.5"
name = "Qwen2.5"
kind = "language-model"
summary = { en = "e", zh = "中" }

[[entries.variants]]
name = "Qwen2.5-7B"
params = 7_610_000_000
context = 131_072
layers = 28
hidden_size = 3584
attention_heads = 28
kv_heads = 4
vocab_size = 152_064

[[entries.sources]]
url = "https://example.org/qwen"
supports = ["params", "architecture"]
"""


@pytest.fixture
def family(tmp_path: Path) -> Path:
    path = tmp_path / "family.toml"
    path.write_text(FAMILY, encoding="utf-8")
    return path


def run(runner: CliRunner, catalog: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--no-bundled", "--catalog", str(catalog), *args], env=env)


def test_json_memory_cells_carry_the_answer_the_stated_figure_and_the_estimate(runner: CliRunner, family: Path) -> None:
    result = run(runner, family, "search", "llama", "--fields", "id,memory", "--json", "--context", "128k")
    (row,) = json.loads(result.stdout)[0]["memory"]
    assert row["variant"] == "Llama-3.1-8B" and row["context"] == 131_072
    assert list(row)[:3] == ["variant", "context", "kv_cache_gb"] and set(row) == {*list(row)[:3], *PRECISIONS}
    assert row["kv_cache_gb"] == pytest.approx(2 * 32 * 8 * 128 * 2 * 131_072 / 1e9, abs=0.01)  # 17.18 GB of it
    for cell in (row[p] for p in PRECISIONS):
        assert list(cell) == ["gb", "stated_gb", "estimated_gb", "stated"]
    stated = row["q4_k_m"]
    assert stated["stated"] is True and stated["stated_gb"] == 6.5
    assert stated["gb"] == pytest.approx(6.5 + 2 * 32 * 8 * 128 * 2 * (131_072 - 4096) / 1e9, abs=0.01)
    fp16 = row["fp16"]
    assert fp16["stated"] is False and fp16["stated_gb"] is None and fp16["gb"] == fp16["estimated_gb"] > 33


def test_memory_headings_name_precision_and_context(runner: CliRunner, family: Path) -> None:
    table = run(runner, family, "search", "--fits", "80gb", "--quant", "Q4_K_M", "--context", "32k", "-f", "table")
    assert "Memory GB (q4_k_m, 32k)" in table.stdout
    markdown = run(runner, family, "list", "--fields", "id,memory", "-f", "markdown")
    assert markdown.stdout.startswith("| ID | Memory GB (fp16, 4k) |")
    compare = run(runner, family, "compare", "llama-3.1", "qwen2.5", "--quant", "int8", "--context", "8k")
    assert "Memory GB (int8, 8k)" in compare.stdout


def test_context_changes_what_fits(runner: CliRunner, family: Path) -> None:
    # Llama-3.1-8B at fp16: about 18.4 GB at 4k, 35.0 GB at 128k; Qwen2.5-7B: 17.3 and 24.5 GB
    def fitting(*args: str) -> list[str]:
        records = json.loads(run(runner, family, "search", "--fits", "25gb", *args, "--json").stdout)
        return [record["id"] for record in records]

    assert fitting() == ["llama-3.1", "qwen2.5"]
    assert fitting("--context", "128k") == ["qwen2.5"]


def test_show_takes_a_context(runner: CliRunner, family: Path) -> None:
    short = run(runner, family, "show", "llama-3.1").stdout
    long = run(runner, family, "show", "llama-3.1", "--context", "128k").stdout
    assert "with a 4k context" in short and "with a 128k context" in long

    def memory_row(text: str) -> list[str]:
        table = text[text.index("Memory for inference") :]
        return next(line for line in table.splitlines() if line.strip().startswith("Llama-3.1-8B")).split()

    assert "Q4_K_M" in short and memory_row(short)[-2:] == ["6.5", "GB"]  # stated, as the source gives it
    # at 128k the KV cache of the 124k more tokens is added: 6.5 + 131072 B x 126976 = 23.1 GB
    assert memory_row(long)[-2:] == ["≈23.1", "GB"]


@pytest.mark.parametrize("value", ["lots", "0", "4x", "-1k"])
def test_a_bad_context_is_one_line_and_exit_2(runner: CliRunner, family: Path, value: str) -> None:
    for command in (["search"], ["show", "qwen2.5"], ["compare", "qwen2.5", "llama-3.1"]):
        result = run(runner, family, *command, "--context", value)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.startswith("llmlist: --context: ") and result.stderr.count("\n") == 1


# --fits auto, with fake tools on PATH.


def _tool(directory: Path, name: str, script: str) -> None:
    path = directory / name
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@pytest.fixture
def bare_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH holding only the tools a test puts there."""
    tools = tmp_path / "bin"
    tools.mkdir()
    monkeypatch.setenv("PATH", str(tools))
    return tools


posix_only = pytest.mark.skipif(os.name != "posix", reason="the fake tools are shell scripts")


@posix_only
def test_fits_auto_reads_the_largest_nvidia_gpu(runner: CliRunner, family: Path, bare_path: Path) -> None:
    _tool(bare_path, "nvidia-smi", 'echo 24564\necho "[N/A]"\necho 8192')
    result = run(runner, family, "search", "--fits", "auto", "--json")
    assert result.exit_code == 0
    assert result.stderr == "fits auto: NVIDIA GPU, 24564 MiB (the largest of 2; --multi-gpu adds them up)\n"
    assert [r["id"] for r in json.loads(result.stdout)] == ["llama-3.1", "qwen2.5"]  # 25.8 GB: both fit at fp16


@posix_only
def test_fits_auto_with_multi_gpu_adds_them_up(runner: CliRunner, family: Path, bare_path: Path) -> None:
    _tool(bare_path, "nvidia-smi", "echo 16384\necho 16384")
    result = run(runner, family, "search", "--fits", "auto", "--multi-gpu", "--context", "128k", "--json")
    assert result.stderr == "fits auto: 2 NVIDIA GPUs, 32768 MiB in all\n"
    assert [r["id"] for r in json.loads(result.stdout)] == ["qwen2.5"]  # 34.4 GB: Llama at 128k needs more
    one = run(runner, family, "search", "--fits", "auto", "--json")
    assert one.stderr == "fits auto: NVIDIA GPU, 16384 MiB (the largest of 2; --multi-gpu adds them up)\n"


@posix_only
def test_fits_auto_reads_apple_silicon(runner: CliRunner, family: Path, bare_path: Path) -> None:
    _tool(bare_path, "nvidia-smi", "echo 'NVIDIA-SMI has failed' >&2; exit 9")  # a driver that is not loaded
    _tool(bare_path, "sysctl", 'case "$2" in hw.optional.arm64) echo 1;; hw.memsize) echo 17179869184;; esac')
    result = run(runner, family, "search", "--fits", "auto", "--context", "32k", "--json")
    assert result.stderr == "fits auto: Apple silicon unified memory, 16384 MiB\n"
    assert json.loads(result.stdout) == []  # 17.2 GB: neither needs so little at fp16 with 32k tokens ...
    q4 = run(runner, family, "search", "--fits", "auto", "--context", "32k", "--quant", "q4_k_m", "--json")
    assert [r["id"] for r in json.loads(q4.stdout)] == ["llama-3.1", "qwen2.5"]  # ... both do at q4_k_m


@posix_only
def test_fits_auto_falls_back_to_system_ram(
    runner: CliRunner, family: Path, bare_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tool(bare_path, "sysctl", "echo 0")  # an Intel Mac: not Apple silicon
    pages = {"SC_PHYS_PAGES": 16 * 2**18, "SC_PAGE_SIZE": 4096}  # 16 GiB
    monkeypatch.setattr(os, "sysconf", lambda name: pages[name])
    result = run(runner, family, "search", "--fits", "auto", "--quant", "int4", "--json")
    assert result.exit_code == 0
    assert result.stderr == "fits auto: system RAM, 16384 MiB (no NVIDIA GPU or Apple silicon found: CPU inference)\n"


def test_fits_auto_exits_2_when_nothing_can_be_read(
    runner: CliRunner, family: Path, bare_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unknown(name: str) -> int:
        raise ValueError(name)

    monkeypatch.setattr(os, "sysconf", unknown)
    result = run(runner, family, "search", "--fits", "auto")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("llmlist: --fits: auto: no memory could be read") and result.stderr.count("\n") == 1


def test_multi_gpu_needs_fits_auto(runner: CliRunner, family: Path) -> None:
    result = run(runner, family, "search", "--fits", "24gb", "--multi-gpu")
    assert result.exit_code == 2 and result.stderr == "llmlist: --multi-gpu: applies only to --fits auto\n"


@posix_only
def test_detect_reports_what_it_found(bare_path: Path) -> None:
    _tool(bare_path, "nvidia-smi", "echo 81559")
    assert machine.detect() == machine.Memory("nvidia", 81559, 1, False)
    assert machine.detect().gb == pytest.approx(81559 * 2**20 / 1e9)
