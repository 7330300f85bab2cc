"""The command line: the application, its global options and the one place errors become exit
codes (main.py), the options commands share (options.py), the terminal (terminal.py), the global
settings (context.py), and one module per command (commands/)."""

from typing import Any

__all__ = ["app", "main"]


def main() -> None:
    """Run the `llmlist` command (building only the command asked for)."""
    from llmlist.cli.main import main as run

    run()


def __getattr__(name: str) -> Any:
    if name == "app":  # the whole Typer application, for tests and library use; built on first use
        from llmlist.cli.main import build

        application = build()
        globals()["app"] = application
        return application
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
