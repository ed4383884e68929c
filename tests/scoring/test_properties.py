"""Properties of scoring that hold for any month."""

from __future__ import annotations

import dataclasses
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from fyrules.scoring import CaseRecord, score_records

WINDOWS = ("W01", "W02", "W03", "W05", "W06")

records_strategy = st.lists(
    st.builds(
        CaseRecord,
        case=st.uuids().map(str),
        month=st.just("2025-10"),
        window=st.sampled_from(WINDOWS),
        dept=st.just("SC"),
        kind=st.sampled_from(("immediate", "commitment", "joint", None)),
        status=st.sampled_from(("closed", "in_progress", "withdrawn")),
        settlement=st.sampled_from(("early", "on_time", "overdue")),
        used_days=st.integers(0, 30),
        committed_limit=st.integers(0, 20),
        online=st.booleans(),
        rating=st.one_of(st.none(), st.integers(1, 5)),
        complaints=st.integers(0, 3),
        breaches=st.integers(0, 2),
        substantiated=st.integers(0, 3),
    ),
    max_size=60,
)


@settings(max_examples=40, deadline=None)
@given(records=records_strategy, which=st.integers(0, 10**6))
def test_adding_a_complaint_never_raises_a_score(fuyang, records, which):
    """One more substantiated complaint on any case leaves its window's score equal or lower."""
    if not records:
        return
    i = which % len(records)
    before = score_records(fuyang, records, month="2025-10")
    changed = list(records)
    r = records[i]
    changed[i] = dataclasses.replace(
        r, complaints=r.complaints + 1, substantiated=r.substantiated + 1
    )
    after = score_records(fuyang, changed, month="2025-10")
    window = records[i].window
    assert after.row(window).score <= before.row(window).score


@settings(max_examples=40, deadline=None)
@given(records=records_strategy, which=st.integers(0, 10**6))
def test_only_substantiated_complaints_cost_points(fuyang, records, which):
    """A complaint not ruled substantiated never changes a score (Fuyang counts only those
    the supervising department ruled substantiated), and its window's statistics still count
    it among the complaints."""
    if not records:
        return
    i = which % len(records)
    before = score_records(fuyang, records, month="2025-10")
    changed = list(records)
    changed[i] = dataclasses.replace(records[i], complaints=records[i].complaints + 1)
    after = score_records(fuyang, changed, month="2025-10")
    window = records[i].window
    assert after.row(window).score == before.row(window).score
    assert after.row(window).stats.complaints == before.row(window).stats.complaints + 1


@settings(max_examples=40, deadline=None)
@given(records=records_strategy)
def test_scores_stay_within_zero_and_the_cap_and_ranks_follow_scores(fuyang, records):
    """Every score lies in [0, cap]; a higher score has a smaller rank, equal scores share
    one, and a rank is 1 + the number of higher scores."""
    result = score_records(fuyang, records, month="2025-10")
    cap = result.scheme.cap
    rows = result.rows
    for row in rows:
        assert 0 <= row.score <= cap
        assert row.rank == 1 + sum(1 for other in rows if other.score > row.score)
    for a in rows:
        for b in rows:
            if a.score > b.score:
                assert a.rank < b.rank
            if a.score == b.score:
                assert a.rank == b.rank


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_shuffling_the_events_never_changes_the_result(fuyang, october, seed):
    """Events arrive in any order across cases (each case's own events keep their order, as
    a case's history cannot run backwards): the scores are the same."""
    by_case: dict[str, list] = {}
    for event in october:
        by_case.setdefault(event.case, []).append(event)
    rng = random.Random(seed)
    queues = list(by_case.values())
    shuffled = []
    while queues:
        q = rng.choice(queues)
        shuffled.append(q.pop(0))
        if not q:
            queues.remove(q)
    expected = fuyang.score(october, month="2025-10").to_dict()
    assert fuyang.score(shuffled, month="2025-10").to_dict() == expected


@settings(max_examples=30, deadline=None)
@given(records=records_strategy, seed=st.integers(0, 10**6))
def test_the_order_of_records_never_changes_the_result(fuyang, records, seed):
    """Statistics fold the records as a multiset: any order gives the same scorecards."""
    shuffled = list(records)
    random.Random(seed).shuffle(shuffled)
    a = score_records(fuyang, records, month="2025-10").to_dict()
    b = score_records(fuyang, shuffled, month="2025-10").to_dict()
    assert a == b
