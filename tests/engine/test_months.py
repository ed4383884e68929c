"""Months written YYYY-MM: one parser and one set of bounds for every monthly job."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fyrules.engine.months import Month

months = st.builds(Month, st.integers(1, 9998), st.integers(1, 12))


@given(months)
def test_a_month_reads_back_from_its_text(month):
    """str() and parse() are inverses."""
    assert Month.parse(str(month)) == month


@given(months)
def test_the_month_before_ends_the_day_before_this_one_starts(month):
    """previous().next_first_day is this month's first day, and last_day is the day before
    the next month's first."""
    assert month.previous().next_first_day == month.first_day
    assert month.last_day + dt.timedelta(days=1) == month.next_first_day
    assert month.first_day <= month.last_day


@pytest.mark.parametrize(
    "text", ["2025-1", "2025-13", "2025-00", "25-10", "２０２５-１０", "2025/10", "", "9999-12"]
)
def test_anything_but_ascii_yyyy_mm_is_refused_in_both_languages(text):
    with pytest.raises(ValueError, match="YYYY-MM") as info:
        Month.parse(text)
    assert "月份格式" in str(info.value)


def test_bounds_are_local_midnights_of_the_rulebooks_zone():
    zone = ZoneInfo("Asia/Shanghai")
    start, following = Month.parse("2025-12").bounds(zone)
    assert start == dt.datetime(2025, 12, 1, tzinfo=zone)
    assert following == dt.datetime(2026, 1, 1, tzinfo=zone)
    assert Month.of(dt.date(2026, 1, 31)).previous() == Month(2025, 12)
