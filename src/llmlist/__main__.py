"""The `llmlist` script and `python -m llmlist`."""

from __future__ import annotations

import gc


def main() -> None:
    # One command runs for a fraction of a second and makes few reference cycles, so the cyclic
    # garbage collector only costs time: about 7% of start-up (importing Typer), and far more when
    # a large catalog is loaded. Switched off here, before anything is imported, and only here.
    gc.disable()
    from llmlist.cli import main as run

    run()


if __name__ == "__main__":
    main()
