"""The single-pass fold gives the totals of the fold it replaced (issue 18, point 4).

The previous fold first counted records by their facts (``Counter`` over ``attrgetter``
tuples) and added each distinct combination once, weighted by its count; the single pass adds
case by case. :func:`_counted_fold` below is that previous fold, kept word for word as the
reference. Counts agree always; sums of days agree exactly whenever the two orders of adding
give the same float: when no two records share every fact (each combination counted once,
in the order of the records) and when the days are multiples of a quarter (every partial sum
exact, in any order).
"""

from __future__ import annotations

from collections import Counter
from operator import attrgetter
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fyrules.scoring.statistics import (
    _ACC,
    _ACCEPTED,
    _BREACHES,
    _COMPLAINTS,
    _IMMEDIATE,
    _LIMIT,
    _ONLINE,
    _RATED,
    _SATISFIED,
    _SETTLED,
    _SETTLEMENT,
    _STATUS,
    _SUBSTANTIATED,
    _TIMED,
    _TIMED_USED,
    _USED,
    CaseRecord,
    fold,
)

MONTH = "2025-10"
_FACTS = (
    "kind",
    "status",
    "settlement",
    "used_days",
    "committed_limit",
    "online",
    "rating",
    "complaints",
    "breaches",
    "substantiated",
)
_BY_UNIT = {
    "window": attrgetter("month", "window", *_FACTS),
    "dept": attrgetter("month", "dept", *_FACTS),
}


def _counted_fold(
    records: Any, month: str, *, unit: str = "window", satisfied_at: float
) -> dict[str, list[float]]:
    """The fold as it was before the single pass (fyrules/scoring/statistics.py at 75b5495)."""
    by_unit: dict[str, list[float]] = {}
    width = len(_ACC)
    for facts, n in Counter(map(_BY_UNIT[unit], records)).items():
        (m, key, kind, status, settlement, used, limit, online, rating, compl, brk, sub) = facts
        if m != month:
            continue
        key = key or "-"
        acc = by_unit.get(key)
        if acc is None:
            acc = by_unit[key] = [0] * width
        acc[_ACCEPTED] += n
        acc[_STATUS[status]] += n
        if kind == "immediate":
            acc[_IMMEDIATE] += n
        if online:
            acc[_ONLINE] += n
        if status == "closed" and settlement is not None and limit and used is not None:
            acc[_SETTLED] += n
            acc[_SETTLEMENT[settlement]] += n
            acc[_USED] += used * n
            acc[_LIMIT] += limit * n
        if status == "closed" and settlement is not None and used is not None and limit is not None:
            acc[_TIMED] += n
            acc[_TIMED_USED] += used * n
        if rating is not None:
            acc[_RATED] += n
            if rating >= satisfied_at:
                acc[_SATISFIED] += n
        if compl:
            acc[_COMPLAINTS] += compl * n
        if brk:
            acc[_BREACHES] += brk * n
        if sub:
            acc[_SUBSTANTIATED] += sub * n
    return by_unit


def _records(days: st.SearchStrategy[float]) -> st.SearchStrategy[CaseRecord]:
    optional = st.none() | days
    return st.builds(
        CaseRecord,
        case=st.just("C"),
        month=st.sampled_from([MONTH, MONTH, MONTH, "2025-09"]),
        window=st.sampled_from([None, "W1", "W2", "W3"]),
        dept=st.sampled_from([None, "D1", "D2"]),
        kind=st.sampled_from([None, "immediate", "commitment", "joint"]),
        status=st.sampled_from(["closed", "closed", "in_progress", "withdrawn"]),
        settlement=st.sampled_from([None, "early", "on_time", "overdue"]),
        used_days=optional,
        committed_limit=st.none() | st.sampled_from([0, 1, 5, 20, 0.5, 2.25]),
        online=st.booleans(),
        rating=st.none() | st.sampled_from([1, 2, 3, 4, 5, 3.5, 4.5]),
        complaints=st.integers(0, 3),
        breaches=st.integers(0, 2),
        substantiated=st.integers(0, 2),
    )


_ANY_DAYS = st.floats(0, 400, allow_nan=False) | st.integers(0, 60)
_QUARTER_DAYS = st.integers(0, 240).map(lambda q: q / 4) | st.integers(0, 60)


@given(
    st.lists(_records(_ANY_DAYS), max_size=60, unique_by=_BY_UNIT["window"]),
    st.sampled_from([3, 4, 4.5]),
)
def test_distinct_records_fold_exactly_as_before_by_window(records, satisfied_at):
    """No two records share every fact: the single pass gives the previous fold's totals,
    float sums included, bit for bit."""
    assert fold(records, MONTH, satisfied_at=satisfied_at) == _counted_fold(
        records, MONTH, satisfied_at=satisfied_at
    )


@given(
    st.lists(_records(_ANY_DAYS), max_size=60, unique_by=_BY_UNIT["dept"]),
    st.sampled_from([3, 4, 4.5]),
)
def test_distinct_records_fold_exactly_as_before_by_department(records, satisfied_at):
    """The same by department."""
    kwargs: dict[str, Any] = {"unit": "dept", "satisfied_at": satisfied_at}
    assert fold(records, MONTH, **kwargs) == _counted_fold(records, MONTH, **kwargs)


@given(
    st.lists(_records(_QUARTER_DAYS), max_size=80).flatmap(
        lambda rs: st.lists(st.sampled_from(rs), max_size=120) if rs else st.just([])
    ),
    st.sampled_from(["window", "dept"]),
)
def test_repeated_records_fold_exactly_as_before(records, unit):
    """Records repeated any number of times, in any order (days in quarters, so every sum is
    exact): the single pass gives the previous fold's totals."""
    assert fold(records, MONTH, unit=unit, satisfied_at=4) == _counted_fold(
        records, MONTH, unit=unit, satisfied_at=4
    )


@given(st.lists(_records(_ANY_DAYS), max_size=60))
def test_counts_agree_with_the_previous_fold_whatever_the_days(records):
    """Whatever the days, every count (all but the four sums of days) is the previous fold's,
    and each sum is the same within float rounding."""
    new = fold(records, MONTH, satisfied_at=4)
    old = _counted_fold(records, MONTH, satisfied_at=4)
    assert new.keys() == old.keys()
    sums = {_USED, _LIMIT, _TIMED_USED}
    for unit, totals in new.items():
        for i, (a, b) in enumerate(zip(totals, old[unit], strict=True)):
            if i in sums:
                assert abs(a - b) <= 1e-9 * max(1.0, abs(b)), (unit, _ACC[i])
            else:
                assert a == b, (unit, _ACC[i])
