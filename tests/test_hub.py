"""`llmlist add` and `llmlist remove`: the real huggingface_hub client against a local server that
answers as the Hugging Face Hub does (model information, and config.json with its ETag and commit)."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from typer.testing import CliRunner

from llmlist.cli import app

huggingface_hub = pytest.importorskip("huggingface_hub")

TOKEN = "hf_test_token_with_access"
SHA = "0123456789abcdef0123456789abcdef01234567"
SHA2 = "89abcdef0123456789abcdef0123456789abcdef"

DENSE_CONFIG = {
    "architectures": ["MistralForCausalLM"], "model_type": "mistral", "max_position_embeddings": 32768,
    "num_hidden_layers": 32, "hidden_size": 4096, "num_attention_heads": 32, "num_key_value_heads": 8,
    "head_dim": 128, "vocab_size": 32000, "torch_dtype": "bfloat16",
}  # fmt: skip
MOE_CONFIG = {
    "architectures": ["MixtralForCausalLM"], "model_type": "mixtral", "max_position_embeddings": 32768,
    "num_hidden_layers": 32, "hidden_size": 4096, "intermediate_size": 14336, "num_attention_heads": 32,
    "num_key_value_heads": 8, "vocab_size": 32000, "num_local_experts": 8, "num_experts_per_tok": 2,
}  # fmt: skip


def model_info(repo_id: str, **fields: Any) -> dict[str, Any]:
    """The JSON the Hub's /api/models/{repo} gives (the keys ModelInfo reads), with `fields` over it."""
    author = repo_id.split("/")[0]
    info: dict[str, Any] = {
        "_id": "6642d3f1a2b4c5d6e7f80912", "id": repo_id, "author": author, "sha": SHA,
        "createdAt": "2024-05-13T09:12:44.000Z", "lastModified": "2024-06-01T10:00:00.000Z", "private": False,
        "gated": False, "disabled": False, "downloads": 1234, "likes": 56, "library_name": "transformers",
        "pipeline_tag": "text-generation",
        "tags": ["transformers", "safetensors", "mistral", "text-generation", "conversational", "en", "zh",
                 "license:apache-2.0", "region:us"],
        "cardData": {"license": "apache-2.0", "language": ["en", "zh", "yue"], "library_name": "transformers",
                     "base_model": "mistralai/Mistral-7B-v0.1", "pipeline_tag": "text-generation"},
        "safetensors": {"parameters": {"BF16": 7_241_732_096}, "total": 7_241_732_096},
        "siblings": [{"rfilename": "config.json"}, {"rfilename": "model.safetensors"}],
    }  # fmt: skip
    info.update(fields)
    return info


class FakeHub:
    """The repositories the local Hub serves, and the requests it has seen."""

    def __init__(self) -> None:
        self.repos: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, bytes]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.url = ""
        self.answer: tuple[int, bytes, dict[str, str]] | None = None  # given to every request when set

    def add(self, repo_id: str, config: dict[str, Any] | None = None, **fields: Any) -> None:
        self.repos[repo_id] = model_info(repo_id, **fields)
        self.files[repo_id] = {} if config is None else {"config.json": json.dumps(config).encode()}

    def find(self, repo_id: str) -> str | None:
        return next((r for r in self.repos if r.casefold() == repo_id.casefold()), None)


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _error(self, status: int, code: str, message: str, commit: str | None = None) -> None:
            headers = {"Content-Type": "application/json", "X-Error-Code": code, "X-Error-Message": message}
            if commit:
                headers["X-Repo-Commit"] = commit
            self._send(status, json.dumps({"error": message}).encode(), headers)

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            url = urlsplit(self.path)
            hub.requests.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
            if hub.answer is not None:
                return self._send(*hub.answer)
            parts = [unquote(p) for p in url.path.strip("/").split("/")]
            if parts[:2] == ["api", "models"] and len(parts) in (4, 6):
                return self._model_info("/".join(parts[2:4]), parse_qs(url.query).get("expand"))
            if len(parts) >= 5 and parts[2] == "resolve":
                return self._resolve("/".join(parts[:2]), parts[3], "/".join(parts[4:]))
            return self._error(404, "RepoNotFound", "Repository not found")

        do_HEAD = do_GET

        def _model_info(self, repo_id: str, expand: list[str] | None) -> None:
            found = hub.find(repo_id)
            if found is None:
                return self._error(404, "RepoNotFound", "Repository not found")
            info = hub.repos[found]
            if expand:
                info = {"_id": info["_id"], "id": info["id"], **{k: info[k] for k in expand if k in info}}
            self._send(200, json.dumps(info).encode(), {"Content-Type": "application/json"})

        def _resolve(self, repo_id: str, revision: str, filename: str) -> None:
            found = hub.find(repo_id)
            if found is None:
                return self._error(404, "RepoNotFound", "Repository not found")
            info = hub.repos[found]
            if revision not in (info["sha"], "main"):
                return self._error(404, "RevisionNotFound", "Invalid rev id")
            if info["gated"] and self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._error(401, "GatedRepo", f"Access to model {found} is restricted. You must have access "
                                   "to it and be authenticated to access it. Please log in.")  # fmt: skip
            body = hub.files[found].get(filename)
            if body is None:
                return self._error(404, "EntryNotFound", f'{filename} does not exist on "{revision}"', info["sha"])
            etag = f'"{hashlib.sha256(body).hexdigest()}"'
            self._send(200, body, {"Content-Type": "application/json", "ETag": etag, "X-Repo-Commit": info["sha"]})

    return Handler


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeHub]:
    """A local Hub on 127.0.0.1 that HF_ENDPOINT points at, with the client's caches and token in
    `tmp_path` (the client reads HF_HOME when imported, so its paths are set here too)."""
    fake = FakeHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}"
    _client_settings(monkeypatch, tmp_path, fake.url)
    yield fake
    server.shutdown()
    server.server_close()


def _client_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, endpoint: str) -> None:
    from huggingface_hub import constants

    home = tmp_path / "hf-home"
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE", "HF_HUB_DOWNLOAD_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(home / "hub"))
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(home / "token"))
    monkeypatch.setattr(constants, "HF_STORED_TOKENS_PATH", str(home / "stored_tokens"))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)


@pytest.fixture
def user_catalog(tmp_path: Path) -> Path:
    """Where `add` writes by default: XDG_DATA_HOME is a fresh folder for each test (conftest)."""
    from llmlist.catalog import user_catalog_path

    return user_catalog_path()


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env=env)


def entries(path: Path) -> list[dict[str, Any]]:
    import tomli

    found: list[dict[str, Any]] = tomli.loads(path.read_text(encoding="utf-8")).get("entries", [])
    return found


# --- what an entry holds -------------------------------------------------------------------------


def test_dense_model_becomes_a_sourced_entry(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Dense-7B", DENSE_CONFIG)
    result = run("add", "acme/Dense-7B")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "dense-7b\n"
    assert result.stderr == f"llmlist: added 'dense-7b' (acme/Dense-7B) in {user_catalog}\n"
    (entry,) = entries(user_catalog)
    assert {k: entry[k] for k in ("id", "name", "kind", "organization", "released", "languages", "categories",
                                   "base_model")} == {
        "id": "dense-7b", "name": "Dense-7B", "kind": "language-model", "organization": "acme",
        "released": "2024-05", "languages": ["en", "zh"], "categories": ["chat"], "base_model": "mistral-7b",
    }  # fmt: skip
    assert entry["variants"] == [{
        "name": "Dense-7B", "params": 7_241_732_096, "context": 32768, "vocab_size": 32000,
        "huggingface": "acme/Dense-7B", "precision": "bf16", "layers": 32, "hidden_size": 4096,
        "attention_heads": 32, "kv_heads": 8, "head_dim": 128,
    }]  # fmt: skip
    assert entry["license"] == {"weights": "Apache-2.0", "commercial_use": True}
    assert entry["summary"] == {"en": "Model acme/Dense-7B from the Hugging Face Hub: a text-generation model.",
                                "zh": "来自 Hugging Face Hub 的模型 acme/Dense-7B：文本生成模型。"}  # fmt: skip
    page, config = entry["sources"]
    assert page["url"] == "https://huggingface.co/acme/Dense-7B"
    assert config["url"] == f"https://huggingface.co/acme/Dense-7B/resolve/{SHA}/config.json"
    assert set(config["supports"]) == {"context", "architecture"}
    assert {"name", "organization", "released", "languages", "params", "license", "commercial_use",
            "base_model", "categories"} <= set(page["supports"])  # fmt: skip
    assert hub.url in page["note"] and hub.url in config["note"]  # the mirror read through is named
    notes = entry["notes"]
    assert any(n.startswith("Release month: rule 3, ") and "createdAt 2024-05-13" in n for n in notes)
    assert any("left out: yue" in n for n in notes)
    assert any("mistralai/Mistral-7B-v0.1" in n and "'mistral-7b'" in n for n in notes)
    assert not any(n.startswith("Not read") for n in notes)


def test_client_asks_for_the_fields_it_reads_and_config_at_the_commit(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Dense-7B", DENSE_CONFIG)
    assert run("add", "acme/Dense-7B").exit_code == 0
    (info, *files) = hub.requests
    asked = parse_qs(urlsplit(info[1]).query)["expand"]
    assert {"safetensors", "cardData", "createdAt", "pipeline_tag", "tags", "author", "gated", "sha"} <= set(asked)
    assert [(method, path) for method, path, _ in files] == [
        ("HEAD", f"/acme/Dense-7B/resolve/{SHA}/config.json"),
        ("GET", f"/acme/Dense-7B/resolve/{SHA}/config.json"),
    ]


def test_added_entry_is_searchable_and_passes_strict_validation(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Dense-7B", DENSE_CONFIG)
    assert run("add", "acme/Dense-7B").exit_code == 0
    assert run("search", "dense", "-f", "ids").stdout.splitlines()[0] == "dense-7b"
    assert "dense-7b" in run("search", "--base", "mistral-7b", "--commercial", "-f", "ids").stdout.split()
    shown = json.loads(run("show", "dense-7b", "--json").stdout)
    assert shown["variants"][0]["params"] == 7_241_732_096 and shown["license"]["weights"] == "Apache-2.0"
    strict = run("validate", str(user_catalog), "--strict")
    assert strict.exit_code == 0, strict.stdout
    everything = run("validate", "--strict")
    assert everything.exit_code == 0 and str(user_catalog) in everything.stderr


def test_mixture_of_experts_gets_active_parameters_from_the_config(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Mixer-8x7B", MOE_CONFIG, safetensors={"parameters": {"BF16": 46_702_792_704},
                                                        "total": 46_702_792_704})  # fmt: skip
    assert run("add", "acme/Mixer-8x7B").exit_code == 0
    (entry,) = entries(user_catalog)
    (variant,) = entry["variants"]
    # 46,702,792,704 less 32 layers x 6 unused experts x 3 x 4096 x 14336: Mixtral-8x7B's 12.9B
    assert variant["params"] == 46_702_792_704 and variant["active_params"] == 12_879_925_248
    assert variant["note"] == "Mixture of experts: 8 experts, 2 used per token (config.json)."
    assert "params" in entry["sources"][1]["supports"]
    assert any(n.startswith("active_params is computed from config.json") for n in entry["notes"])
    assert run("validate", str(user_catalog), "--strict").exit_code == 0
    table = run("search", "mixer", "-f", "table", env={"COLUMNS": "160"}).stdout
    assert "46.7B (12.9B active)" in table


def test_mixture_of_experts_of_another_layout_leaves_active_parameters_unset(hub: FakeHub,
                                                                              user_catalog: Path) -> None:  # fmt: skip
    config = {"model_type": "deepseek_v3", "num_hidden_layers": 61, "hidden_size": 7168, "n_routed_experts": 256,
              "num_experts_per_tok": 8, "moe_intermediate_size": 2048, "first_k_dense_replace": 3,
              "max_position_embeddings": 163840}  # fmt: skip
    dtypes = {"F8_E4M3": 600_000_000_000, "BF16": 84_000_000_000, "F32": 1_000_000}
    hub.add("acme/Deep-MoE", config, safetensors={"parameters": dtypes, "total": 684_001_000_000})
    assert run("add", "acme/Deep-MoE").exit_code == 0
    (variant,) = entries(user_catalog)[0]["variants"]
    assert "active_params" not in variant and variant["params"] == 684_001_000_000 and variant["precision"] == "fp8"
    assert variant["note"] == "Mixture of experts: 256 experts, 8 used per token (config.json)."
    assert any("model type 'deepseek_v3'; active_params is unset" in n for n in entries(user_catalog)[0]["notes"])


def test_other_licence_leaves_commercial_use_unset(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Licensed-2B", DENSE_CONFIG, cardData={"license": "other", "license_name": "acme-research",
                                                        "license_link": "LICENSE", "language": "en"})  # fmt: skip
    assert run("add", "acme/Licensed-2B").exit_code == 0
    (entry,) = entries(user_catalog)
    assert entry["license"] == {"weights": "acme-research",
                                "url": f"https://huggingface.co/acme/Licensed-2B/blob/{SHA}/LICENSE"}  # fmt: skip
    assert any("licence as 'other' (acme-research); commercial use is left unset" in n for n in entry["notes"])
    assert "commercial_use" not in entry["sources"][0]["supports"]
    assert "licensed-2b" not in run("search", "--commercial", "-f", "ids").stdout.split()
    assert run("validate", str(user_catalog), "--strict").exit_code == 0


def test_a_non_commercial_licence_says_so(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Research-1B", DENSE_CONFIG, cardData={"license": "cc-by-nc-4.0"})
    assert run("add", "acme/Research-1B").exit_code == 0
    assert entries(user_catalog)[0]["license"] == {"weights": "CC-BY-NC-4.0", "commercial_use": False}


def test_gated_model_is_read_with_a_token(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Gated-8B", DENSE_CONFIG, gated="manual")
    result = run("add", "acme/Gated-8B", env={"HF_TOKEN": TOKEN})
    assert result.exit_code == 0, result.stderr
    (entry,) = entries(user_catalog)
    assert entry["variants"][0]["context"] == 32768
    assert any(n.startswith("The repository is gated (manual approval)") for n in entry["notes"])
    assert all(headers.get("authorization") == f"Bearer {TOKEN}" for _, _, headers in hub.requests)


def test_gated_model_without_access_says_so_and_keeps_what_it_read(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Gated-8B", DENSE_CONFIG, gated="manual")
    result = run("add", "acme/Gated-8B")
    assert result.exit_code == 0
    first, second = result.stderr.splitlines()
    assert first == ("llmlist: acme/Gated-8B is gated and HF_TOKEN does not grant access (ask for it at "
                     "https://huggingface.co/acme/Gated-8B): config.json not read")  # fmt: skip
    assert second.endswith("(not read: context length and architecture)")
    (entry,) = entries(user_catalog)
    assert entry["variants"][0]["params"] == 7_241_732_096 and "context" not in entry["variants"][0]
    assert [s["url"] for s in entry["sources"]] == ["https://huggingface.co/acme/Gated-8B"]
    assert any("config.json not read: the repository is gated" in n for n in entry["notes"])
    assert run("validate", str(user_catalog), "--strict").exit_code == 0


def test_missing_fields_are_left_unset_and_named_in_a_note(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Sparse-Card", {"model_type": "custom"}, cardData={}, safetensors=None, createdAt=None,
            pipeline_tag=None, tags=[])  # fmt: skip
    result = run("add", "acme/Sparse-Card")
    assert result.exit_code == 0, result.stderr
    (entry,) = entries(user_catalog)
    assert "released" not in entry and "languages" not in entry and "license" not in entry
    assert entry["variants"] == [{"name": "Sparse-Card", "huggingface": "acme/Sparse-Card"}]
    (missing,) = [n for n in entry["notes"] if n.startswith("Not read from the Hub: ")]
    for what in ("task", "release month", "languages", "parameter count", "context length", "licence"):
        assert what in missing
    assert "(not read: task, release month, languages, parameter count, context length, licence)" in result.stderr
    assert run("validate", str(user_catalog)).exit_code == 0


def test_repository_without_config_json(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/No-Config", None)
    assert run("add", "acme/No-Config").exit_code == 0
    (entry,) = entries(user_catalog)
    assert any("config.json not read: the repository has no config.json" in n for n in entry["notes"])


def test_packed_weights_do_not_give_a_parameter_count(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Dense-7B-GPTQ", DENSE_CONFIG, safetensors={"parameters": {"I32": 880_000_000, "F16": 300_000_000},
                                                             "total": 1_180_000_000})  # fmt: skip
    assert run("add", "acme/Dense-7B-GPTQ").exit_code == 0
    (variant,) = entries(user_catalog)[0]["variants"]
    assert "params" not in variant and "precision" not in variant


def test_models_the_catalog_does_not_list_are_refused(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Cat-Classifier", DENSE_CONFIG, pipeline_tag="image-classification")
    result = run("add", "acme/Cat-Classifier")
    assert result.exit_code == 2
    assert result.stderr == ("llmlist: acme/Cat-Classifier is a 'image-classification' model on the Hub; llmlist "
                             "lists language and multimodal models\n")  # fmt: skip
    assert not user_catalog.exists()


# --- failures ------------------------------------------------------------------------------------


def test_missing_repository_exits_1_and_writes_nothing(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Dense-7B", DENSE_CONFIG)
    result = run("add", "acme/Dense-7B", "acme/No-Such-Model")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (f"llmlist: no repository 'acme/No-Such-Model' on the Hugging Face Hub at {hub.url} "
                             "(or it is private and HF_TOKEN does not grant access)\n")  # fmt: skip
    assert not user_catalog.exists()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_hub_exits_5_with_one_line(hub: FakeHub, user_catalog: Path) -> None:
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    result = run("add", "acme/Dense-7B", env={"HF_ENDPOINT": endpoint})
    assert result.exit_code == 5
    assert result.stderr.startswith(f"llmlist: cannot reach the Hugging Face Hub at {endpoint}: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not user_catalog.exists()


def test_a_hub_that_does_not_answer_in_time_exits_5(hub: FakeHub, user_catalog: Path) -> None:
    with socket.socket() as silent:  # accepts connections and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        result = run("add", "acme/Dense-7B", env={"HF_ENDPOINT": endpoint, "HF_HUB_DOWNLOAD_TIMEOUT": "0.5"})
    assert result.exit_code == 5
    assert result.stderr == f"llmlist: cannot reach the Hugging Face Hub at {endpoint}: no answer within 0.5 seconds\n"
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ((503, b"busy", {"X-Error-Message": "Service Unavailable"}), "answered HTTP 503: Service Unavailable"),
        ((200, b"<html>a captive portal</html>", {"Content-Type": "text/html"}),
         "gave an answer for acme/Dense-7B that is not model information (is HF_ENDPOINT a Hugging Face Hub?)"),
    ],
)  # fmt: skip
def test_an_error_answer_exits_5(hub: FakeHub, user_catalog: Path, answer: Any, message: str) -> None:
    hub.add("acme/Dense-7B", DENSE_CONFIG)
    hub.answer = answer
    result = run("add", "acme/Dense-7B")
    assert result.exit_code == 5
    assert result.stderr == f"llmlist: the Hugging Face Hub at {hub.url} {message}\n"
    assert not user_catalog.exists()


def test_offline_mode_is_a_clear_error(hub: FakeHub, user_catalog: Path) -> None:
    result = run("add", "acme/Dense-7B", env={"HF_HUB_OFFLINE": "1"})
    assert result.exit_code == 5
    assert result.stderr == ("llmlist: HF_HUB_OFFLINE is set, so the Hugging Face Hub is not asked (unset it to "
                             "add models)\n")  # fmt: skip
    assert hub.requests == []


@pytest.mark.parametrize("repo_id", ["dense-7b", "acme/", "acme/x/y", "acme/-x", "acme/x..y", "acme/a b"])
def test_a_malformed_repository_id_exits_2(hub: FakeHub, repo_id: str) -> None:
    result = run("add", repo_id)
    assert result.exit_code == 2
    assert result.stderr == (f"llmlist: {repo_id!r} is not a repository id (use ORG/NAME, such as "
                             "Qwen/Qwen3-8B)\n")  # fmt: skip
    assert hub.requests == []


def test_hf_endpoint_that_is_not_an_address_exits_2(hub: FakeHub) -> None:
    result = run("add", "acme/Dense-7B", env={"HF_ENDPOINT": "hf-mirror.com"})
    assert result.exit_code == 2
    assert result.stderr == "llmlist: HF_ENDPOINT: 'hf-mirror.com' is not an http or https address\n"


def test_hub_addresses_are_accepted_as_repository_ids(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Dense-7B", DENSE_CONFIG)
    assert run("add", "https://huggingface.co/acme/Dense-7B/").stdout == "dense-7b\n"


def test_without_the_hub_extra_add_names_it(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # as if not installed
    result = run("add", "acme/Dense-7B")
    assert result.exit_code == 2
    assert result.stderr == "llmlist: add needs the Hugging Face Hub client: pip install 'llmlist[hub]'\n"


# --- the catalog file ----------------------------------------------------------------------------


def test_adding_the_same_repository_again_updates_its_entry(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Dense-7B", DENSE_CONFIG)
    hub.add("acme/Other-1B", DENSE_CONFIG)
    assert run("add", "acme/Dense-7B", "acme/Other-1B").exit_code == 0
    hub.add("acme/Dense-7B", {**DENSE_CONFIG, "max_position_embeddings": 131072}, sha=SHA2,
            cardData={"license": "mit"})  # fmt: skip
    result = run("add", "acme/dense-7b")  # the Hub's ids ignore case
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("llmlist: updated 'dense-7b' (acme/Dense-7B)")
    found = entries(user_catalog)
    assert [e["id"] for e in found] == ["dense-7b", "other-1b"]  # one entry, in its place
    assert found[0]["variants"][0]["context"] == 131072 and found[0]["license"]["weights"] == "MIT"
    assert found[0]["sources"][1]["url"].endswith(f"/resolve/{SHA2}/config.json")


def test_a_repository_the_bundled_catalog_holds_is_left_alone(hub: FakeHub, user_catalog: Path) -> None:
    result = run("add", "mistralai/Mistral-7B-v0.1")
    assert result.exit_code == 0
    assert result.stdout == "mistral-7b\n"
    assert result.stderr == ("llmlist: mistralai/Mistral-7B-v0.1 is already checkpoint 'Mistral-7B-v0.1' of "
                             "'mistral-7b' in the bundled catalog; nothing changed\n")  # fmt: skip
    assert hub.requests == [] and not user_catalog.exists()


def test_a_hand_made_family_holding_the_repository_is_left_alone(hub: FakeHub, tmp_path: Path) -> None:
    from tests.conftest import entry_toml

    mine = tmp_path / "mine.toml"
    family = (
        '[[entries.variants]]\nname = "Dense-7B"\nhuggingface = "acme/Dense-7B"\n[[entries.variants]]\nname = "D-1B"\n'
    )
    mine.write_text("schema_version = 1\n" + entry_toml("dense", "Dense") + family, encoding="utf-8")
    before = mine.read_bytes()
    hub.add("acme/Dense-7B", DENSE_CONFIG)
    result = run("add", "acme/Dense-7B", "--to", str(mine))
    assert result.exit_code == 0 and result.stdout == "dense\n"
    assert (
        result.stderr
        == f"llmlist: acme/Dense-7B is already checkpoint 'Dense-7B' of 'dense' in {mine}; nothing changed\n"
    )
    assert mine.read_bytes() == before and hub.requests == []


def test_the_rest_of_the_file_stays_byte_for_byte(hub: FakeHub, tmp_path: Path) -> None:
    from tests.conftest import entry_toml

    mine = tmp_path / "mine.toml"
    before = ("# My models, kept by hand.\nschema_version = 1\n\n# ---- first ----\n"
              + entry_toml("hand-made", "Hand Made").replace('kind = "language-model"\n',
                                                             'kind = "language-model"  # a comment\n')
              + "\n# a comment after the last entry\n")  # fmt: skip
    mine.write_text(before, encoding="utf-8")
    hub.add("acme/Dense-7B", DENSE_CONFIG)
    result = run("add", "acme/Dense-7B", "--to", str(mine))
    assert result.exit_code == 0, result.stderr
    after = mine.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert [e["id"] for e in entries(mine)] == ["hand-made", "dense-7b"]
    assert run("add", "acme/Dense-7B", "--to", str(mine)).exit_code == 0  # again: updated in place
    assert mine.read_text(encoding="utf-8").startswith(before)
    removed = run("remove", "dense-7b", "--from", str(mine))
    assert removed.exit_code == 0 and removed.stderr == f"llmlist: removed 'dense-7b' from {mine}\n"
    assert mine.read_text(encoding="utf-8") == before


def test_remove_takes_an_entry_out_of_the_user_catalog(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Dense-7B", DENSE_CONFIG)
    hub.add("acme/Other-1B", DENSE_CONFIG)
    assert run("add", "acme/Dense-7B", "acme/Other-1B").exit_code == 0
    assert run("remove", "acme/Other-1B").exit_code == 0  # by repository
    assert [e["id"] for e in entries(user_catalog)] == ["dense-7b"]
    assert run("remove", "dense-7b").exit_code == 0
    assert entries(user_catalog) == []
    assert run("list", "-f", "ids").exit_code == 0  # an empty catalog file still loads
    missing = run("remove", "dense-7b")
    assert missing.exit_code == 1
    assert missing.stderr == f"llmlist: no entry 'dense-7b' in {user_catalog}; it has none\n"


def test_remove_of_an_unknown_id_exits_1(tmp_path: Path, user_catalog: Path) -> None:
    result = run("remove", "llama")
    assert result.exit_code == 1
    assert result.stderr == f"llmlist: no entry 'llama' in {user_catalog} (the file does not exist); it has none\n"


def test_remove_refuses_to_break_a_reference(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("acme/Base-1B", DENSE_CONFIG, cardData={"license": "mit"})
    hub.add("acme/Tuned-1B", DENSE_CONFIG, cardData={"license": "mit", "base_model": "acme/Base-1B"})
    assert run("add", "acme/Base-1B", "acme/Tuned-1B").exit_code == 0
    assert entries(user_catalog)[1]["base_model"] == "base-1b"  # linked within one run
    before = user_catalog.read_bytes()
    result = run("remove", "base-1b")
    assert result.exit_code == 3 and "'base-1b' is not the id of any entry" in result.stderr
    assert user_catalog.read_bytes() == before


def test_ids_and_names_do_not_clash_with_the_catalog(hub: FakeHub, user_catalog: Path) -> None:
    hub.add("someone/llama", DENSE_CONFIG)
    hub.add("other/llama", DENSE_CONFIG)
    assert run("add", "someone/llama", "other/llama").stdout == "someone-llama\nother-llama\n"
    assert [e["name"] for e in entries(user_catalog)] == ["someone/llama", "other/llama"]
    assert run("show", "llama", "--json").stdout.count('"id": "llama"') == 1  # the bundled entry is still there


def test_a_file_that_is_not_toml_is_not_touched(hub: FakeHub, tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("schema_version = \n", encoding="utf-8")
    hub.add("acme/Dense-7B", DENSE_CONFIG)
    result = run("add", "acme/Dense-7B", "--to", str(broken))
    assert result.exit_code == 3 and result.stderr.startswith(f"llmlist: {broken}:1")
    assert broken.read_text(encoding="utf-8") == "schema_version = \n"


def test_a_file_that_cannot_be_written_exits_4(hub: FakeHub, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    hub.add("acme/Dense-7B", DENSE_CONFIG)
    result = run("add", "acme/Dense-7B", "--to", str(not_a_folder / "models.toml"))
    assert result.exit_code == 4
    target = not_a_folder / "models.toml"
    assert result.stderr == f"llmlist: cannot write {target}: {not_a_folder} is a file, not a folder\n"
