"""Errors llmlist reports to its users, and the exit code of each."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    """Process exit codes, as listed in the README."""

    OK = 0
    NOT_FOUND = 1  # `show` / `compare` / `remove`: no entry by that name; `add`: no such repository
    USAGE = 2  # a bad option or argument value; Click exits 2 for its own usage errors too
    CATALOG = 3  # a catalog file could not be read, parsed or validated
    OUTPUT = 4  # the output could not be written (a full disk, a closed stdout)
    NETWORK = 5  # `add`: the Hugging Face Hub could not be reached, or refused to answer
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class LlmlistError(Exception):
    """An error whose message is meant for the user, as one line."""

    exit_code: ExitCode = ExitCode.USAGE


class UsageError(LlmlistError):
    """A value given is not acceptable. `option` names what was wrong: a command-line option
    ('--fields'), or, from the library, a parameter ('min_params') that the command line shows as
    its option."""

    exit_code = ExitCode.USAGE

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}" if option else message)
        self.option = option
        self.detail = message

    def as_option(self) -> str:
        """The message with a parameter name written as the option a user types ('--min-params')."""
        if not self.option or self.option.startswith("-"):
            return str(self)
        return f"--{self.option.replace('_', '-')}: {self.detail}"


class EntryNotFound(LlmlistError):
    """No entry answers to the name asked for."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f" (did you mean: {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"no entry named {name!r}{hint}")
        self.name = name
        self.suggestions = suggestions


class ProblemsFound(LlmlistError):
    """`validate` found problems (already printed, one per line)."""

    exit_code = ExitCode.CATALOG

    def __init__(self, count: int, shown: int | None = None) -> None:
        more = f", {count - shown} more not shown" if shown is not None and shown < count else ""
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found{more}")


class Problem(NamedTuple):
    """One thing wrong in a catalog file, located as precisely as the error allows."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    entry: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        where = []
        if self.entry is not None:
            where.append(f"entry {self.entry!r}")
        if self.field:
            where.append(f"field {self.field!r}")
        return f"{place}: {', '.join(where) + ': ' if where else ''}{self.message}"


class CatalogError(LlmlistError):
    """One or more catalog files are broken."""

    exit_code = ExitCode.CATALOG

    def __init__(self, problems: list[Problem]) -> None:
        first = str(problems[0])
        more = f" (and {len(problems) - 1} more problems; see `llmlist validate`)" if len(problems) > 1 else ""
        super().__init__(first + more)
        self.problems = problems


class RepositoryNotFound(LlmlistError):
    """The Hugging Face Hub has no repository by that id (or keeps it private from this user)."""

    exit_code = ExitCode.NOT_FOUND


class HubUnreachable(LlmlistError):
    """The Hugging Face Hub could not be asked: no connection, no answer in time, offline mode, or an
    answer that is an error or not the Hub's."""

    exit_code = ExitCode.NETWORK


class NotInFile(LlmlistError):
    """A catalog file holds no entry by that id."""

    exit_code = ExitCode.NOT_FOUND


class WriteFailed(LlmlistError):
    """A catalog file could not be written; it is left as it was."""

    exit_code = ExitCode.OUTPUT
