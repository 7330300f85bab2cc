"""Regenerate the SVG screenshots in docs/ from the program's own output.

    python docs/make_screenshots.py

Each picture is `llmlist` run as a user would run it in a 100-column colour terminal; its output is
recorded by Rich and saved as SVG.
"""

from __future__ import annotations

import io
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.text import Text

DOCS = Path(__file__).resolve().parent
SHOTS = {
    "search.svg": "llmlist search chinese --max-params 13b --limit 8 --format table",
    "show.svg": "llmlist show chatglm-6b",
    "stats.svg": "llmlist stats --by year",
    "tree.svg": "llmlist tree llama",
    "fits.svg": "llmlist search --fits 24gb --quant int4 --since 2024 --limit 10 --format table",
}
WIDTH = 100


def main() -> None:
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": str(WIDTH), "LANG": "en_US.UTF-8"}
    for name in ("NO_COLOR", "LLMLIST_CATALOG"):
        env.pop(name, None)
    for filename, command in SHOTS.items():
        argv = [sys.executable, "-m", "llmlist", *shlex.split(command)[1:]]
        with tempfile.TemporaryDirectory(prefix="llmlist-shots-") as empty:
            env["XDG_DATA_HOME"] = empty  # the bundled catalog only, not the user's own (`llmlist add`)
            output = subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout
        console = Console(record=True, width=WIDTH, force_terminal=True, file=io.StringIO())
        console.print(Text(f"$ {command}", style="bold green"))
        console.print(Text.from_ansi(output))
        console.save_svg(str(DOCS / filename), title=command)
        print(f"wrote docs/{filename}")


if __name__ == "__main__":
    main()
