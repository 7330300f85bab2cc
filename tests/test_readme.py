"""Every command the README shows runs, with the exit code the README implies; README and --help agree."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmlist.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
_PLACEHOLDER = re.compile(r"\b[A-Z]{3,}\b|\[|\||\.\.\.")  # NAME, FILE, [OPTIONS], a|b, ...


def _examples() -> list[str]:
    """Commands in the README's shell blocks and inline code, without comments, pipes or redirections."""
    found: list[str] = []
    for block in re.findall(r"```(?:sh|console)\n(.*?)```", README, re.S):
        for line in block.splitlines():
            line = line.removeprefix("$ ").strip()
            if line.startswith("llmlist "):
                found.append(line)
    spans = [" ".join(span.split()) for span in re.findall(r"`(llmlist [^`]+)`", README)]
    commands = {command.name for command in app.registered_commands}
    found += [
        span for span in spans
        if not _PLACEHOLDER.search(span) and (span.split()[1] in commands or span.split()[1].startswith("-"))
    ]  # fmt: skip
    cleaned = []
    for command in found:
        command = re.split(r"\s+#\s", command)[0]
        command = re.split(r"\s[|>]\s?", command)[0].strip()
        cleaned.append(command)
    return list(dict.fromkeys(cleaned))


EXAMPLES = _examples()
# Files that are the reader's own: here they don't exist.
EXPECTED = {"llmlist --catalog mine.toml validate": 3, "llmlist validate my.toml": 3}


def test_the_readme_has_examples_of_every_command() -> None:
    used = {shlex.split(example)[1] for example in EXAMPLES} | {
        word for example in EXAMPLES for word in shlex.split(example)[1:3]
    }
    assert {command.name for command in app.registered_commands} <= used


# `add` reads the Hugging Face Hub, and `remove` takes out what `add` wrote: their README example
# runs in tests/test_hub.py against a local server that answers like the Hub.
OFFLINE = [example for example in EXAMPLES if shlex.split(example)[1] not in ("add", "remove")]


@pytest.mark.parametrize("example", OFFLINE)
def test_every_readme_example_runs(example: str) -> None:
    result = CliRunner().invoke(app, shlex.split(example)[1:], env={"COLUMNS": "100"})
    assert result.exit_code == EXPECTED.get(example, 0), (example, result.stderr, result.exception)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [command.name for command in app.registered_commands])
def test_every_command_is_described_in_the_readme(command: str) -> None:
    assert f"### `llmlist {command}" in README


def test_exit_codes_in_the_readme_match_the_program() -> None:
    from llmlist.errors import ExitCode

    table = re.search(r"## Exit codes\n\n(.*?)\n\n", README, re.S)
    assert table is not None
    documented = {int(code) for code in re.findall(r"^\| ?(\d+) ?\|", table[1], re.M)}
    assert documented == {int(code) for code in ExitCode}
