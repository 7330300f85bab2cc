"""Write a synthetic llmlist catalog of realistic shape, deterministically from a seed.

    python benchmarks/make_catalog.py 10000 big.toml [--seed 1]

Entries look like the bundled ones: 1-4 checkpoints with exact counts, Chinese and English
summaries, a license, links and sources. Ids are unique, so the file validates.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

_ORGS = ["Open Lab", "Tsinghua KEG", "Fudan NLP", "Meta AI", "BigScience", "Zhipu AI", "TII", "Stability AI"]
_LANGS = [["zh", "en"], ["en"], ["zh"], ["en", "fr", "de"], ["zh", "en", "ja"]]
_CATEGORIES = [["chat"], ["base"], ["code"], ["medical", "chat"], ["legal"], ["finance", "chat"], ["multimodal"]]
_LICENSES = [("Apache-2.0", None, True), ("MIT", None, True), ("Apache-2.0", "Model License", False),
             ("GPL-3.0-only", "Research License", False), ("Apache-2.0", "Community License", True)]  # fmt: skip
_SIZES = [125_000_000, 350_000_000, 1_300_000_000, 2_700_000_000, 6_738_415_616, 13_015_864_320, 32_500_000_000,
          65_200_000_000, 176_247_271_424]  # fmt: skip
_EN = ["bilingual chat model", "base model for fine-tuning", "code generation model", "medical dialogue model",
       "legal question answering model", "financial analysis model", "vision-language model"]  # fmt: skip
_ZH = ["中英双语对话模型", "用于微调的基座模型", "代码生成模型", "医疗问诊对话模型", "法律问答模型", "金融分析模型",
       "图文多模态模型"]  # fmt: skip


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(count: int, seed: int = 1) -> str:
    """TOML text of a catalog with `count` entries."""
    return "".join(pieces(count, seed))


def write(count: int, path: Path, seed: int = 1) -> None:
    """Write the catalog `generate` makes, piece by piece (a million entries is a gigabyte)."""
    with path.open("w", encoding="utf-8") as out:
        out.writelines(pieces(count, seed))


def pieces(count: int, seed: int = 1) -> Iterator[str]:
    """The text of the catalog, the header and then one entry at a time."""
    rng = random.Random(seed)
    yield "schema_version = 1\n"
    for n in range(count):
        entry_id = f"synthetic-{n:06d}"
        org = rng.choice(_ORGS)
        kind = rng.randrange(len(_EN))
        code, weights, commercial = rng.choice(_LICENSES)
        year, month = rng.randint(2018, 2026), rng.randint(1, 12)
        lines = [
            "\n[[entries]]",
            f"id = {_quote(entry_id)}",
            f"name = {_quote(f'Synth-{n}')}",
            f"aliases = [{_quote(f'SynthModel {n}')}]",
            'kind = "language-model"',
            f"organization = {_quote(org)}",
            f"released = {_quote(f'{year}-{month:02d}')}",
            f"languages = {rng.choice(_LANGS)!r}".replace("'", '"'),
            f"categories = {_CATEGORIES[kind]!r}".replace("'", '"'),
            f"summary = {{ en = {_quote(f'A {_EN[kind]} from {org}, number {n}.')}, "
            f"zh = {_quote(f'{org} 发布的{_ZH[kind]}，编号 {n}。')} }}",
        ]
        for size in sorted(rng.sample(_SIZES, rng.randint(1, 4))):
            lines += [
                "\n[[entries.variants]]",
                f"name = {_quote(f'Synth-{n}-{size // 10**8 / 10:g}B')}",
                f"params = {size}",
                f"context = {rng.choice([2048, 4096, 8192, 32768])}",
                f"huggingface = {_quote(f'synth/synth-{n}-{size}')}",
            ]
        lines += ["\n[entries.license]", f"code = {_quote(code)}"]
        if weights:
            lines.append(f"weights = {_quote(weights)}")
        lines.append(f"commercial_use = {'true' if commercial else 'false'}")
        lines += ["\n[entries.links]", f"repository = {_quote(f'https://github.com/synth/synth-{n}')}"]
        lines += [
            "\n[[entries.sources]]",
            f"url = {_quote(f'https://github.com/synth/synth-{n}/blob/main/README.md')}",
            'supports = ["params", "license", "released"]',
        ]
        yield "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.count, args.output, args.seed)


if __name__ == "__main__":
    main()
