"""Parameter counts and context lengths: parse what users type ("13b", "130亿", "128k") and format
them for people."""

from __future__ import annotations

import re

ACCEPTED = "use a count such as 13b, 1.5B, 350m, 1t, 7000000000 or 130亿"

_LATIN_UNITS = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9, "t": 10**12}
_CJK_UNITS = {"十": 10, "百": 100, "千": 10**3, "万": 10**4, "亿": 10**8}
_SIZE = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?P<unit>[kKmMbBtT]?|[十百千万亿]+)")
_MAX = 10**16  # far above any model; keeps nonsense such as "9999999t" out
_DISPLAY = ((1, ""), (10**3, "K"), (10**6, "M"), (10**9, "B"), (10**12, "T"))


class SizeError(ValueError):
    """The text is not a parameter count."""


def parse_size(text: str) -> int:
    """Return the count that `text` names; raise SizeError if it names none."""
    stripped = text.strip().replace("_", "")
    match = _SIZE.fullmatch(stripped) if len(stripped) <= 40 else None
    if match is None:
        raise SizeError(f"{text!r} is not a size ({ACCEPTED})")
    unit: str = match["unit"]
    if unit[:1] in _CJK_UNITS:
        factor = 1
        for char in unit:
            factor *= _CJK_UNITS[char]
    else:
        factor = _LATIN_UNITS[unit.lower()]
    problems = ("is not a whole number of parameters", "is not a size: it must be greater than zero",
                "is too large for a parameter count")  # fmt: skip
    return _whole_count(text, match["number"], factor, _MAX, SizeError, problems)


def _whole_count(
    text: str, number: str, factor: int, limit: int, error: type[ValueError], problems: tuple[str, str, str]
) -> int:
    """`number` times `factor` as a whole count from 1 to `limit`; else `error` naming `text` and the
    problem: not whole, not positive, or too large (`problems`, in that order)."""
    count, remainder = _times(number, factor)
    problem = problems[0] if remainder else problems[1] if count <= 0 else problems[2] if count > limit else None
    if problem is not None:
        raise error(f"{text!r} {problem}")
    return count


def _times(number: str, factor: int) -> tuple[int, int]:
    """`number` (decimal digits, perhaps with a point) times `factor`, as a whole part and what is
    left over, in exact integer arithmetic: 1.75万亿 is 175 * 10**12 / 100, never a float."""
    whole, _, fraction = number.partition(".")
    scale: int = 10 ** len(fraction)
    return divmod(int(whole + fraction or "0") * factor, scale)


def format_size(count: int) -> str:
    """Write `count` with a unit and three significant digits: 6_200_000_000 -> '6.2B'."""
    index = max(i for i, (factor, _) in enumerate(_DISPLAY) if count >= factor or i == 0)
    text = _scaled(count, index)
    if float(text) >= 1000 and index + 1 < len(_DISPLAY):
        index += 1  # rounding carried into the next unit: 999_960_000 is '1B', not '1000M'
        text = _scaled(count, index)
    return text + _DISPLAY[index][1]


def _scaled(count: int, index: int) -> str:
    """`count` in the unit at `index`, to three significant digits, rounded half to even."""
    factor = _DISPLAY[index][0]
    digits = max(0, 3 - len(str(count // factor)))
    quotient, remainder = divmod(count * 10**digits, factor)
    if 2 * remainder > factor or (2 * remainder == factor and quotient % 2):
        quotient += 1
    text = str(quotient).rjust(digits + 1, "0")
    if digits:
        text = f"{text[:-digits]}.{text[-digits:]}".rstrip("0").rstrip(".")
    return text


CONTEXT_ACCEPTED = "use a number of tokens such as 4096, 4k, 32k, 128k, 1m or 3.2万"

# Context lengths count in powers of two: 4k is 4096 tokens and 128k is 131072, as configs write
# them (Llama-3.1's max_position_embeddings is 131072); 万 is ten thousand.
_CONTEXT_UNITS = {"": 1, "k": 1024, "m": 1024**2, "万": 10**4}
_CONTEXT = r"(?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?P<unit>[kKmM万]?)"
_MAX_CONTEXT = 1024**3  # a billion tokens: far beyond any model's window


DEFAULT_CONTEXT = 4096  # tokens the KV cache holds when no context is given


class ContextError(ValueError):
    """The text is not a context length."""


def parse_context(text: str) -> int:
    """The number of tokens `text` names ('4096', '4k', '128K', '1m', '3.2万'); raise ContextError
    if it names none."""
    stripped = text.strip().replace("_", "")
    match = re.fullmatch(_CONTEXT, stripped) if len(stripped) <= 40 else None
    if match is None:
        raise ContextError(f"{text!r} is not a context length ({CONTEXT_ACCEPTED})")
    problems = ("is not a whole number of tokens", "is not a context length: it must be at least one token",
                "is too long for a context length")  # fmt: skip
    return _whole_count(text, match["number"], _CONTEXT_UNITS[match["unit"].lower()], _MAX_CONTEXT, ContextError,
                        problems)  # fmt: skip


def format_context(tokens: int) -> str:
    """`tokens` as people write a context: 4096 -> '4k', 131072 -> '128k', 1048576 -> '1m', 3000 -> '3000'."""
    for unit, factor in (("m", 1024**2), ("k", 1024)):
        if tokens >= factor and tokens % factor == 0:
            return f"{tokens // factor}{unit}"
    return str(tokens)
