from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmlist.dates import PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "end", "month"),
    [
        ("2023", False, "2023-01"),
        ("2023", True, "2023-12"),
        ("2023-05", False, "2023-05"),
        ("2023-05", True, "2023-05"),
    ],
)
def test_parse_period_reads_years_and_months(text: str, end: bool, month: str) -> None:
    assert parse_period(text, end=end) == month


@pytest.mark.parametrize("text", ["2023-13", "2023-00", "yesterday", "23", "2023/05", "", "2023-5"])
def test_parse_period_rejects_other_text(text: str) -> None:
    with pytest.raises(PeriodError, match="YYYY"):
        parse_period(text)


@given(st.text())
def test_parse_period_raises_only_period_error(text: str) -> None:
    try:
        month = parse_period(text)
    except PeriodError:
        return
    assert len(month) == 7 and month[4] == "-"
