"""Where output goes, decided once by the command that renders."""

from __future__ import annotations

from typing import NamedTuple

from llmlist.sizes import DEFAULT_CONTEXT


class Target(NamedTuple):
    """The output's width, whether it takes only ASCII, whether JSON is indented for people (on a
    terminal) or kept on one line (for programs), the display language of summaries and category
    names, and the precision and context (in tokens) memory figures are given for."""

    width: int = 80
    ascii_only: bool = False
    pretty: bool = True
    locale: str = "en"
    quant: str = "fp16"
    context: int = DEFAULT_CONTEXT
