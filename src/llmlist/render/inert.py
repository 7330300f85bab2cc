"""Making untrusted text safe to print on a terminal."""

from __future__ import annotations

import re

# C0 and C1 controls except tab and newline, DEL, and the Unicode bidirectional controls.
# Compiled on first use (re keeps it): a run writing JSON to a pipe never needs it.
_UNSAFE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str) -> str:
    """`text` with every control or direction-changing character written as an escape (\\x1b)."""
    return re.sub(_UNSAFE, _escape, text)


MAX_SHOWN = 4000  # characters of one text a table or detail view shows; programs get it whole


def capped(text: str, limit: int = MAX_SHOWN) -> str:
    """`text`, or its first `limit` characters and how many more there are (for people: laying out
    megabytes of text in a terminal table takes minutes and helps no one)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters; see --json)"
