"""The monthly random inspection draw: reproducible, stratified, and never relaxing a rule."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fyrules
from fyrules.cases.store import MemoryStore
from fyrules.cases.trail import verify
from fyrules.engine.problems import UsageError
from fyrules.separation.inspection.draw import closed_in_month, draw, record_draw, seed_of
from fyrules.separation.inspection.eligibility import CaseFacts, Eligibility
from tests.conftest import generated_month
from tests.separation.inspection_book import small_rulebook

MONTH = "2025-10"


@pytest.fixture(scope="module")
def october(fuyang):
    """The cases of a generated October closed in October."""
    monitor = fuyang.monitor()
    monitor.feed_all(generated_month(800, 11, month=MONTH))
    return closed_in_month(fuyang, monitor.store, MONTH)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return fyrules.load(small_rulebook(tmp_path_factory.mktemp("small")))


def test_the_seed_is_sha256_of_the_canonical_json_of_value_month_and_rulebook():
    expected = hashlib.sha256(b'["3310.27","2025-10","fuyang"]').hexdigest()
    assert seed_of("3310.27", "2025-10", "fuyang") == expected


def test_the_same_public_value_gives_the_same_draw_whatever_the_order_or_repeats(fuyang, october):
    first = draw(fuyang, october, month=MONTH, public_value="3310.27")
    shuffled = list(october)
    random.Random(5).shuffle(shuffled)
    again = draw(fuyang, shuffled + shuffled[:50], month=MONTH, public_value="3310.27")
    assert first.feasible and again.record() == first.record()
    assert again.digest() == first.digest()


def test_another_public_value_or_month_gives_another_draw(fuyang, october):
    base = draw(fuyang, october, month=MONTH, public_value="3310.27")
    other_value = draw(fuyang, october, month=MONTH, public_value="3310.28")
    other_month = draw(fuyang, october, month="2025-09", public_value="3310.27")
    assert other_value.seed != base.seed and other_value.sample != base.sample
    assert other_month.seed != base.seed


def test_each_department_is_drawn_at_its_rate_with_its_minimum(fuyang, october):
    """Fuyang draws settled cases only (closed_by: complete): refused and withdrawn cases are
    not candidates."""
    result = draw(fuyang, october, month=MONTH, public_value="3310.27")
    policy = fuyang.part("inspection")
    closed = {}
    for case in october:
        if case.closed_by == "complete":
            closed.setdefault(case.department, []).append(case.case)
    assert {c.closed_by for c in october} > {"complete"}  # the month has others too
    assert {s.department for s in result.strata} == set(closed)
    for stratum in result.strata:
        n = len(closed[stratum.department])
        rate = {"ZJ": Fraction(1, 10)}.get(stratum.department, Fraction(1, 20))
        assert stratum.rate == rate
        assert len(stratum.drawn) == min(n, max(policy.minimum, math.ceil(rate * n)))
        assert list(stratum.candidates) == sorted(closed[stratum.department])
        assert set(stratum.drawn) <= set(stratum.candidates)
        assert len(set(stratum.drawn)) == len(stratum.drawn)


def test_every_assigned_inspector_is_eligible_and_within_capacity(fuyang, october):
    result = draw(fuyang, october, month=MONTH, public_value="20251103")
    policy = fuyang.part("inspection")
    eligibility = Eligibility(fuyang, policy, result.drawn_on)
    facts = {c.case: c for c in october}
    assert result.assignment is not None and set(result.assignment) == set(result.sample)
    load: dict[str, int] = {}
    for case, person in result.assignment.items():
        assert eligibility.exclusions(person, facts[case]) == []
        load[person] = load.get(person, 0) + 1
    assert all(load[p] <= policy.capacity_of(p) for p in load)


def test_the_draw_is_recorded_in_the_trail_after_the_events_it_was_drawn_from(fuyang, october):
    store = MemoryStore()
    result = draw(fuyang, october, month=MONTH, public_value="3310.27")
    entry = record_draw(store, result)
    assert entry["kind"] == "draw"
    assert entry["record"]["seed"] == result.seed
    assert entry["record"]["after"] == {"index": -1, "hash": "0" * 64}
    assert verify(store.trail()).ok


def test_an_empty_public_value_is_bad_input(fuyang):
    with pytest.raises(UsageError):
        draw(fuyang, [], month=MONTH, public_value="  ")
    with pytest.raises(UsageError):
        draw(fuyang, [], month="2025-13", public_value="1")


def _case(n: int, item: str, actors=frozenset()) -> CaseFacts:
    return CaseFacts(
        case=f"C-{n:03d}",
        item=item,
        department=item.split("-")[0],
        closed_at="2025-10-15T10:00:00+08:00",
        closed_by="complete",
        by_stage={"review": tuple(sorted(actors))} if actors else {},
    )


def test_no_assignment_is_made_when_capacity_is_short_and_the_draw_says_why(small):
    """SC cases can go to i-zj (2) and i-c (1) only: four of them cannot all be inspected."""
    cases = [_case(n, "SC-1") for n in range(4)]
    result = draw(small, cases, month=MONTH, public_value="7")  # rate 0.5: 2 drawn
    assert result.feasible
    many = [_case(n, "SC-1") for n in range(8)]  # 4 drawn, capacity 3
    result = draw(small, many, month=MONTH, public_value="7")
    assert not result.feasible and result.assignment is None
    bad = result.infeasible
    assert set(bad.inspectors) == {"i-zj", "i-c"} and bad.capacity == 3
    assert len(bad.cases) == 4
    excluded = {(g["person"], g["rule"]) for g in bad.grouped()}
    assert excluded == {("i-sc", "T-LICENSING-DEPT-NO-INSPECT")}
    assert "i-old" not in {p for p, _ in result.inspectors}  # no longer an inspector
    assert result.record()["infeasible"]["excluded"][0]["basis"] == "许可部门不监管"


def test_whoever_acted_on_a_case_is_excluded_from_inspecting_it(small):
    cases = [_case(0, "ZJ-1", {"i-c", "i-sc"})]
    result = draw(small, cases, month=MONTH, public_value="7")
    assert not result.feasible
    rules = {(g["person"], g["rule"]) for g in result.infeasible.grouped()}
    assert rules == {
        ("i-c", "T-HANDLER-NO-INSPECT"),
        ("i-sc", "T-HANDLER-NO-INSPECT"),
        ("i-zj", "T-LICENSING-DEPT-NO-INSPECT"),
    }


def test_fuyang_names_its_static_constraint_when_a_department_would_inspect_itself(fuyang):
    policy = fuyang.part("inspection")
    eligibility = Eligibility(fuyang, policy, dt.date(2025, 11, 1))
    case = CaseFacts("C-1", "FY-SC-001", "SC", "2025-10-15T10:00:00+08:00", "complete")
    found = eligibility.conflicts("P-SC-01", case)
    assert [e.rule for e in found] == ["SOD-LICENSING-DEPT-NO-INSPECT"]
    assert found[0].basis.startswith("阜阳市政务服务中心审管分离制度")


def _actors(case: CaseFacts) -> set[str]:
    return {a for names in case.by_stage.values() for a in names}


CAPACITY = {"i-sc": 2, "i-zj": 2, "i-c": 1}
OWN = {"SC-1": "i-sc", "ZJ-1": "i-zj"}


def _brute_force(sample: list[CaseFacts]) -> bool:
    options = [[p for p in CAPACITY if p != OWN[c.item] and p not in _actors(c)] for c in sample]
    for choice in itertools.product(*options):
        if all(choice.count(p) <= cap for p, cap in CAPACITY.items()):
            return True
    return False


cases_strategy = st.lists(
    st.tuples(
        st.sampled_from(["SC-1", "ZJ-1"]),
        st.sets(st.sampled_from(["i-sc", "i-zj", "i-c", "clerk"]), max_size=2),
    ),
    max_size=9,
)


@settings(max_examples=150)
@given(cases_strategy, st.text(min_size=1, max_size=6).filter(str.strip))
def test_a_complete_assignment_is_found_exactly_when_one_exists(small, raw, value):
    """Whatever the cases and who acted on them, the draw assigns every drawn case iff brute
    force finds an assignment that honours eligibility and capacity; assigned inspectors are
    eligible and within capacity; an infeasible draw's violator needs more than its
    inspectors' total capacity."""
    cases = [_case(n, item, actors) for n, (item, actors) in enumerate(raw)]
    result = draw(small, cases, month=MONTH, public_value=value)
    by_id = {c.case: c for c in cases}
    sample = [by_id[c] for c in result.sample]
    assert result.feasible == _brute_force(sample)
    if result.feasible:
        for case, person in result.assignment.items():
            c = by_id[case]
            assert person != OWN[c.item] and person not in _actors(c)
        for person, cap in CAPACITY.items():
            assert list(result.assignment.values()).count(person) <= cap
    else:
        bad = result.infeasible
        eligible = {
            p
            for c in bad.cases
            for p in CAPACITY
            if p != OWN[by_id[c].item] and p not in _actors(by_id[c])
        }
        assert eligible == set(bad.inspectors)
        assert len(bad.cases) > sum(CAPACITY[p] for p in eligible)


def test_a_month_too_large_for_one_trail_entry_keeps_the_candidates_digest(
    fuyang, october, monkeypatch
):
    import fyrules.cases.trail as trail_module

    result = draw(fuyang, october, month=MONTH, public_value="3310.27")
    full = result.record()["strata"][0]
    monkeypatch.setattr(trail_module, "MAX_ENTRY_BYTES", 8000)
    entry = record_draw(MemoryStore(), result)
    stratum = entry["record"]["strata"][0]
    assert stratum["candidates"] is None
    assert stratum["candidates_sha256"] == full["candidates_sha256"]
    assert stratum["drawn"] == full["drawn"]
    expected = hashlib.sha256(
        ("[" + ",".join(f'"{c}"' for c in full["candidates"]) + "]").encode()
    ).hexdigest()
    assert full["candidates_sha256"] == expected


def test_a_declared_recusal_keeps_an_inspector_from_a_department(fuyang, october):
    """Fuyang's REC-2025-002: P-C-01 is recused from Housing (ZJ) cases from June 2025."""
    policy = fuyang.part("inspection")
    eligibility = Eligibility(fuyang, policy, dt.date(2025, 11, 1))
    zj = next(c for c in october if c.department == "ZJ")
    assert [e.rule for e in eligibility.conflicts("P-C-01", zj)] == ["REC-2025-002"]
    assert "P-C-01" not in eligibility.eligible(zj)
    result = draw(fuyang, october, month=MONTH, public_value="3310.27")
    zj_cases = {c for s in result.strata if s.department == "ZJ" for c in s.drawn}
    assert zj_cases and all(result.assignment[c] != "P-C-01" for c in zj_cases)


def test_the_rulebook_draws_a_month_from_events_and_records_it_in_the_trail(fuyang, october):
    events = list(generated_month(800, 11, month=MONTH))
    store = MemoryStore()
    result = fuyang.inspection_draw(events, month=MONTH, public_value="3310.27", store=store)
    assert result.digest() == draw(fuyang, october, month=MONTH, public_value="3310.27").digest()
    head = store.trail_head()
    assert head["kind"] == "draw" and head["record"]["seed"] == result.seed
    assert head["record"]["after"]["index"] == head["index"] - 1
    assert verify(store.trail()).ok
