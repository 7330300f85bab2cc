"""Shared fixtures: a small catalog built here, a CLI runner, and an environment with no surprises."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

SMALL_CATALOG = """
schema_version = 1

[[entries]]
id = "alpha-6b"
name = "Alpha-6B"
name_zh = "阿尔法"
aliases = ["AlphaChat"]
kind = "language-model"
organization = "Alpha Lab"
country = "CN"
released = "2023-03"
languages = ["zh", "en"]
categories = ["chat"]
summary = { en = "A bilingual chat model for question answering.", zh = "中英双语对话模型，用于问答。" }

[[entries.variants]]
name = "Alpha-6B"
params = 6_200_000_000
context = 2048
huggingface = "alpha/alpha-6b"

[entries.license]
code = "Apache-2.0"
weights = "Alpha Model License"
commercial_use = true
conditions = "Register through a form first."

[entries.links]
repository = "https://github.com/alpha/alpha"

[[entries.requirements]]
variant = "Alpha-6B"
precision = "int4"
memory_gb = 6
source = "https://github.com/alpha/alpha"

[[entries.sources]]
url = "https://github.com/alpha/alpha"
supports = ["params", "license", "requirements"]

[[entries]]
id = "beta"
name = "Beta"
kind = "language-model"
organization = "Beta Institute"
country = "US"
released = "2023-02"
languages = ["en"]
categories = ["base"]
summary = { en = "A family of English base models used by many medical fine-tunes.", zh = "英文基座模型系列。" }

[[entries.variants]]
name = "Beta-7B"
params = 6_700_000_000

[[entries.variants]]
name = "Beta-13B"
params = 13_000_000_000

[[entries.variants]]
name = "Beta-65B"
params = 65_200_000_000

[entries.license]
code = "GPL-3.0-only"
weights = "Beta Research License"
commercial_use = false

[[entries.sources]]
url = "https://arxiv.org/abs/2302.00000"
supports = ["params", "released"]

[[entries]]
id = "gamma-med"
name = "GammaMed"
name_zh = "伽马医疗"
kind = "language-model"
organization = "Gamma University"
released = "2023-05"
languages = ["zh"]
categories = ["medical", "chat"]
base_model = "beta"
summary = { en = "Beta fine-tuned on Chinese medical dialogues.", zh = "在中文医疗对话上微调的 Beta 模型。" }

[[entries.variants]]
name = "GammaMed-7B"
params = 7_000_000_000
base_model = "beta"

[entries.license]
code = "MIT"
commercial_use = false

[[entries.sources]]
url = "https://github.com/gamma/gamma-med"
supports = ["base_model", "params"]

[[entries]]
id = "delta-kit"
name = "DeltaKit"
kind = "framework"
organization = "Delta Inc."
released = "2022-10"
categories = ["app-building"]
summary = { en = "A library for building applications on language models.", zh = "构建大模型应用的开发库。" }

[entries.license]
code = "MIT"
commercial_use = true

[[entries.sources]]
url = "https://github.com/delta/kit"
supports = ["license"]
"""


_ENTRY = """
[[entries]]
id = "{id}"
name = "{name}"
kind = "language-model"
{extra}
summary = {{ en = "e", zh = "中" }}
[[entries.sources]]
url = "https://example.org/{id}"
supports = ["name"]
"""


def entry_toml(entry_id: str, name: str | None = None, extra: str = "") -> str:
    """TOML of one minimal valid entry, with `extra` lines added to its table."""
    return _ENTRY.format(id=entry_id, name=name or entry_id.upper(), extra=extra)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in ("LLMLIST_CATALOG", "NO_COLOR", "FORCE_COLOR", "TERM", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LLMLIST_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))  # no user catalog (`llmlist add`)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def small_catalog_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(SMALL_CATALOG, encoding="utf-8")
    return path


@functools.cache
def build_small_catalog():  # type: ignore[no-untyped-def]
    """The small catalog, loaded once (for property tests, which cannot take function fixtures)."""
    from llmlist.catalog import load_catalog

    path = Path(tempfile.mkdtemp()) / "small.toml"
    path.write_text(SMALL_CATALOG, encoding="utf-8")
    return load_catalog([path], bundled=False, use_cache=False)


@pytest.fixture
def small_catalog():  # type: ignore[no-untyped-def]
    return build_small_catalog()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write_catalog(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write TOML text to a fresh file and return its path."""
    counter = iter(range(1000))

    def write(text: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"catalog{next(counter)}.toml")
        path.write_text(text, encoding="utf-8")
        return path

    return write


WriteCatalog = Callable[..., Path]  # the `write_catalog` fixture: TOML text (and a name) -> the file
