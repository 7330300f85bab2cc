"""The command line: the Typer app and its global options (app.py), the options commands share
(options.py), the terminal (terminal.py), and one module per command (commands/)."""

from llmlist.cli.app import app, main

__all__ = ["app", "main"]
