"""The prefix-sum index against a day-by-day brute force over the same days.

The brute force asks the ``holidays`` package and the rulebook's extra days directly, one day
at a time, the slow and obvious way; the index must agree with it everywhere.
"""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fyrules.deadlines import WorkingCalendar

ONE = dt.timedelta(days=1)
_PACKAGE = holidays.China(years=range(2001, 2032))

# Far enough inside 2001–2031 that ±400 working days, or 1,000 calendar days on, never leave
# the calendar.
days = st.dates(min_value=dt.date(2003, 1, 1), max_value=dt.date(2028, 12, 31))
steps = st.integers(min_value=-400, max_value=400)
spans = st.integers(min_value=0, max_value=500)

fast = settings(max_examples=300, deadline=None)


class BruteForce:
    """Working days found one day at a time from the package and the rulebook's days."""

    def __init__(self, off: frozenset[dt.date], worked: frozenset[dt.date]):
        self.off, self.worked = off, worked

    def is_working(self, day: dt.date) -> bool:
        if day in self.off:
            return False
        if day in self.worked:
            return True
        return _PACKAGE.is_working_day(day)

    def add(self, day: dt.date, n: int) -> dt.date:
        if n == 0:
            while not self.is_working(day):
                day += ONE
            return day
        step = ONE if n > 0 else -ONE
        left = abs(n)
        while left:
            day += step
            if self.is_working(day):
                left -= 1
        return day

    def count(self, start: dt.date, end: dt.date) -> int:
        total = 0
        while start <= end:
            total += self.is_working(start)
            start += ONE
        return total


@pytest.fixture(scope="module")
def brute(local_days) -> BruteForce:
    return BruteForce(*local_days)


def test_every_day_agrees_with_the_brute_force(local: WorkingCalendar, brute):
    """is_working_day matches the package plus the extras on every day of every year, and why()
    never contradicts it."""
    day = local.first_day
    while day <= local.last_day:
        assert local.is_working_day(day) == brute.is_working(day) == local.why(day).is_working, day
        day += ONE


@fast
@given(days, steps)
def test_add_agrees_with_stepping_day_by_day(local, brute, day, n):
    """add_working_days(d, n) is the day reached by stepping over n working days."""
    assert local.add_working_days(day, n) == brute.add(day, n)


@fast
@given(days, spans)
def test_count_agrees_with_counting_day_by_day(local, brute, start, length):
    """count_working_days(a, b) is the number of working days seen walking from a to b."""
    end = start + dt.timedelta(days=length)
    assert local.count_working_days(start, end) == brute.count(start, end)


@fast
@given(days, st.integers(min_value=1, max_value=400))
def test_add_then_count_round_trips(local, day, n):
    """From the working day after d to the n-th working day after d there are n working days."""
    result = local.add_working_days(day, n)
    assert local.count_working_days(local.next_working_day(day), result) == n
    assert local.count_working_days(day + ONE, result) == n


@fast
@given(days, steps)
def test_results_are_working_days(local, day, n):
    """Whatever d and n, the result of add_working_days is a working day."""
    assert local.is_working_day(local.add_working_days(day, n))


@fast
@given(days, steps, steps)
def test_add_is_monotone_in_n(local, day, n1, n2):
    """More working days never give an earlier day."""
    low, high = sorted((n1, n2))
    assert local.add_working_days(day, low) <= local.add_working_days(day, high)


@fast
@given(days, days, steps)
def test_add_is_monotone_in_the_start_day(local, d1, d2, n):
    """A later start never gives an earlier day."""
    early, late = sorted((d1, d2))
    assert local.add_working_days(early, n) <= local.add_working_days(late, n)


@fast
@given(days, spans, spans)
def test_count_is_additive_over_adjacent_spans(local, start, first, second):
    """Counting [a, b] and then [b + 1, c] gives the count of [a, c]."""
    middle = start + dt.timedelta(days=first)
    end = middle + dt.timedelta(days=second)
    whole = local.count_working_days(start, end)
    assert (
        local.count_working_days(start, middle) + local.count_working_days(middle + ONE, end)
        == whole
    )


@fast
@given(days, st.integers(min_value=1, max_value=400))
def test_going_forward_then_back_returns_to_a_working_day(local, day, n):
    """From a working day, n working days forward then n back is the same day."""
    start = local.add_working_days(day, 0)
    assert local.add_working_days(local.add_working_days(start, n), -n) == start


@fast
@given(days, steps)
def test_n_strictly_moves_away_from_the_start(local, day, n):
    """A positive n lands after d, a negative n before d."""
    result = local.add_working_days(day, n)
    if n > 0:
        assert result > day
    elif n < 0:
        assert result < day
    else:
        assert result >= day
