"""Months as the catalog writes them (YYYY-MM), and the periods users give to --since/--until."""

from __future__ import annotations

import re

_PERIOD = r"([0-9]{4})(?:-([0-9]{2}))?"  # ASCII digits only: '２０２３' is not a year


class PeriodError(ValueError):
    """The text is not a year or a month."""


def parse_period(text: str, *, end: bool = False) -> str:
    """Return 'YYYY-MM' for a year or month; a bare year means January, or December when `end`."""
    match = re.fullmatch(_PERIOD, text.strip())
    if match is None:
        raise PeriodError(f"{text!r} is not a year or month (use YYYY or YYYY-MM, such as 2023 or 2023-05)")
    year, month = match[1], match[2]
    if month is None:
        month = "12" if end else "01"
    elif not 1 <= int(month) <= 12:
        raise PeriodError(f"{text!r} has no month {month} (use YYYY-MM with a month from 01 to 12)")
    return f"{year}-{month}"
