"""Month statistics of partitions merge into exactly the month's statistics (issue 14).

A month replayed as N partitions (each writer owning the cases whose crc32 mod N is its
number) and the raw totals of each partition merged give the statistics of one replay of the
whole month, for any N; the merge is associative and commutative, so partitions may be merged
in any grouping (per machine, then per province)."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fyrules.cases.partition import events_of
from fyrules.scoring.api import scheme_of
from fyrules.scoring.records import case_records
from fyrules.scoring.statistics import (
    fold,
    merge_totals,
    month_statistics,
    statistics_from_totals,
)
from fyrules.simulation.cases import generate
from fyrules.store_contract import _fuyang

MONTH = "2025-10"


@functools.cache
def _events() -> tuple[Any, ...]:
    return tuple(generate(_fuyang(), month=MONTH, cases=300, seed=21, faults=True))


@functools.cache
def _satisfied_at() -> float:
    import datetime as dt

    return scheme_of(_fuyang(), dt.date(2025, 10, 1), None).satisfied_rating


def _records(events: Any) -> list[Any]:
    monitor = _fuyang().monitor(trail=False)
    monitor.feed_all(events)
    return case_records(monitor)


@functools.cache
def _whole() -> tuple[Any, ...]:
    return tuple(_records(_events()))


@pytest.mark.parametrize("unit", ["window", "dept"])
@pytest.mark.parametrize("partitions", [1, 3, 8])
def test_partitions_merged_equal_one_replay_of_the_month(partitions, unit):
    totals = [
        fold(
            _records(events_of(_events(), k, partitions)),
            MONTH,
            unit=unit,
            satisfied_at=_satisfied_at(),
        )
        for k in range(partitions)
    ]
    merged = statistics_from_totals(merge_totals(*totals), MONTH, working_days=21)
    single = month_statistics(
        _whole(), MONTH, unit=unit, satisfied_at=_satisfied_at(), working_days=21
    )
    assert merged == single
    assert sum(s.accepted for s in single.values()) > 200  # a real month, not an empty one


@given(st.lists(st.integers(0, 3), min_size=1), st.permutations(range(4)))
def test_merging_is_associative_and_commutative(assignment, order):
    """Records split into four parts in any way: ((a+b)+c)+d, a+(b+(c+d)) and any order of
    the parts all give the totals of the whole."""
    records = _whole()
    parts: list[list[Any]] = [[], [], [], []]
    for n, record in enumerate(records):
        parts[assignment[n % len(assignment)]].append(record)
    folded = [fold(p, MONTH, satisfied_at=_satisfied_at()) for p in parts]
    whole = fold(records, MONTH, satisfied_at=_satisfied_at())
    a, b, c, d = folded
    assert merge_totals(merge_totals(merge_totals(a, b), c), d) == whole
    assert merge_totals(a, merge_totals(b, merge_totals(c, d))) == whole
    assert merge_totals(*(folded[i] for i in order)) == whole
