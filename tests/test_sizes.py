from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmlist.sizes import SizeError, format_size, parse_size


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("13b", 13_000_000_000),
        ("13B", 13_000_000_000),
        ("1.5b", 1_500_000_000),
        ("350m", 350_000_000),
        ("350M", 350_000_000),
        ("1t", 1_000_000_000_000),
        ("7k", 7_000),
        ("7000000000", 7_000_000_000),
        ("6_200_000_000", 6_200_000_000),
        ("130亿", 13_000_000_000),
        ("1.75万亿", 1_750_000_000_000),
        ("62亿", 6_200_000_000),
        ("百亿", None),  # a unit alone is not a size
        (" 13b ", 13_000_000_000),
    ],
)
def test_parse_size_accepts_units_people_write(text: str, count: int | None) -> None:
    if count is None:
        with pytest.raises(SizeError):
            parse_size(text)
    else:
        assert parse_size(text) == count


@pytest.mark.parametrize("text", ["13x", "-5b", "b", "1e400", "13 b", "", "0", "0b", "1.2.3b", "9" * 5000, "13bb"])
def test_parse_size_rejects_non_sizes_with_size_error(text: str) -> None:
    with pytest.raises(SizeError) as error:
        parse_size(text)
    assert "\n" not in str(error.value)


def test_parse_size_error_lists_accepted_units() -> None:
    with pytest.raises(SizeError, match=r"13b.*350m.*1t.*130亿"):
        parse_size("13x")


def test_parse_size_rejects_fractions_of_a_parameter() -> None:
    with pytest.raises(SizeError, match="whole number"):
        parse_size("0.5")


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (6_200_000_000, "6.2B"),
        (6_738_415_616, "6.74B"),
        (124_439_808, "124M"),
        (176_247_271_424, "176B"),
        (999_960_000, "1B"),
        (1_750_000_000_000, "1.75T"),
        (15_500_000_000, "15.5B"),
        (1_000, "1K"),
        (999, "999"),
    ],
)
def test_format_size_uses_three_significant_digits(count: int, text: str) -> None:
    assert format_size(count) == text


@given(st.integers(min_value=1, max_value=10**16))
def test_format_then_parse_stays_within_rounding(count: int) -> None:
    back = parse_size(format_size(count))
    assert abs(back - count) <= Decimal(count) * Decimal("0.005") + 1


@given(
    st.decimals(min_value=1, max_value=999, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["k", "m", "b", "t", "K", "M", "B", "T", "万", "亿", "万亿"]),
)
def test_parse_size_reads_decimal_with_unit(number: Decimal, unit: str) -> None:
    factor = {"k": 10**3, "m": 10**6, "b": 10**9, "t": 10**12, "万": 10**4, "亿": 10**8, "万亿": 10**12}[unit.lower()]
    text = f"{number.normalize():f}{unit}"
    expected = number * factor
    if expected == expected.to_integral_value():
        assert parse_size(text) == int(expected)
    else:
        with pytest.raises(SizeError):
            parse_size(text)


@given(st.text())
def test_parse_size_raises_only_size_error(text: str) -> None:
    try:
        count = parse_size(text)
    except SizeError:
        return
    assert count > 0


@given(st.integers(min_value=1, max_value=10**16))
def test_canonical_text_round_trips(count: int) -> None:
    text = format_size(count)
    assert format_size(parse_size(text)) == text
