"""The `llmlist` script and `python -m llmlist`."""

from __future__ import annotations

import contextlib
import gc
import os
import sys


def main() -> None:
    # One command runs for a fraction of a second and makes few reference cycles, so the cyclic
    # garbage collector only costs time: about 7% of start-up (importing Typer), and far more when
    # a large catalog is loaded. Switched off here, before anything is imported, and only here.
    gc.disable()
    from llmlist.cli import main as run

    try:
        run()
        status = 0
    except SystemExit as exit_:
        status = _status(exit_.code)
    # Leave without tearing the interpreter down object by object (about a tenth of a short run):
    # the output is flushed here, and nothing llmlist does relies on finalizers or atexit.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that closed the pipe wants no more
            stream.flush()
    os._exit(status)


def _status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    main()
