"""The `llmlist` script and `python -m llmlist`."""

from __future__ import annotations

import os
import signal
import sys


def _interrupted(signum: int, frame: object) -> None:
    try:
        sys.stderr.write("\nllmlist: interrupted\n")
        sys.stderr.flush()
    finally:
        os._exit(130)


# Ctrl-C ends the run at once with one line and status 130, from as early as llmlist's own code
# runs: a handler installed after the imports would leave the first tenth of a second to a traceback.
if __name__ == "__main__" or sys.argv[0].endswith(("llmlist", "llmlist.exe")):
    signal.signal(signal.SIGINT, _interrupted)

import contextlib  # noqa: E402
import gc  # noqa: E402


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted)
    # One command runs for a fraction of a second and makes few reference cycles, so the cyclic
    # garbage collector only costs time: about 7% of start-up (importing Typer), and far more when
    # a large catalog is loaded. Switched off here, before anything is imported, and only here.
    gc.disable()
    if sys.stdout is None:  # started with stdout closed (`llmlist ... >&-`)
        _say("llmlist: cannot write the output: stdout is closed")
        os._exit(4)
    for stream in (sys.stdout, sys.stderr):
        # Text a narrow encoding (latin-1, EUC-JP) cannot hold is replaced, never an error.
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    from llmlist.cli import main as run

    try:
        run()
        status = 0
    except SystemExit as exit_:
        status = _status(exit_.code)
    # Leave without tearing the interpreter down object by object (about a tenth of a short run):
    # the output is flushed here, and nothing llmlist does relies on finalizers or atexit.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError as error:  # a full disk, or a reader that closed the pipe
            if stream is sys.stdout and status == 0 and error.errno != 32:
                _say(f"llmlist: cannot write the output: {error.strerror or error}")
                status = 4
        except (ValueError, AttributeError):
            pass
    os._exit(status)


def _say(message: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


def _status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    _say(str(code))
    return 1


if __name__ == "__main__":
    main()
