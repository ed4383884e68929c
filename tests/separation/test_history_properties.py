"""Properties of history-based separation of duties, on Fuyang's policy and on random ones.

A state machine drives the real monitor with cases walking their process, each step by a
person drawn from a small pool (reviewers, approvers, a supervisor, a recused officer), so
that the history constraints and recusals are hit often.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import given, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import fyrules
from fyrules.cases.events import EVENT_KINDS
from fyrules.cases.monitor import Monitor
from fyrules.cases.state import Accepted, Rejected
from fyrules.separation import audit_history
from fyrules.separation.history import HistoryConstraint, HistoryPolicy, Recusal
from fyrules.separation.history.audit import events_of_trail
from fyrules.separation.history.model import HANDLING_STAGES

RB = fyrules.load(Path(__file__).resolve().parents[2] / "examples" / "fuyang")
TZ = dt.timezone(dt.timedelta(hours=8))
SOD_CODES = {"SOD-HISTORY", "SOD-RECUSAL"}
PATH = ["submit", "accept", "undertake", "review", "approve", "complete", "deliver", "inspect"]
PEOPLE = ["P-SC-11", "P-SC-13", "P-SC-14", "P-SC-15", "P-ZJ-02", "P-WJ-13", "P-WJ-15"]
CASES = {"C-1": "FY-SC-001", "C-2": "FY-WJ-002", "C-3": "FY-SC-001"}
DECIDING = {"approve", "deny"}


def _snapshot(monitor: Monitor):
    store = monitor.store
    return (
        copy.deepcopy(dict(store.open_cases())),
        copy.deepcopy(dict(store.closed_cases())),
        list(store.findings()),
    )


def _states(monitor: Monitor):
    for _, state in monitor.store.open_cases():
        yield state
    for _, closed in monitor.store.closed_cases():
        yield closed["state"]


class SeparationMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.monitor = Monitor(RB)
        self.clock = dt.datetime(2025, 10, 9, 9, 0, tzinfo=TZ)
        self.next_step = dict.fromkeys(CASES, 0)
        self.counter = 0
        self.refused: set[str] = set()  # ids of events refused by separation of duties

    @rule(case=st.sampled_from(sorted(CASES)), person=st.sampled_from(PEOPLE))
    def step(self, case, person):
        """The case's next step, by ``person`` (the applicant submits)."""
        step = self.next_step[case]
        kind = PATH[min(step, len(PATH) - 1)]
        self.counter += 1
        self.clock += dt.timedelta(hours=1)
        applicant = "applicant-00042" if case == "C-3" else f"applicant-{case}"
        event = {
            "id": f"e{self.counter}",
            "case": case,
            "item": CASES[case],
            "event": kind,
            "at": self.clock.isoformat(),
            "actor": applicant if kind == "submit" else person,
            "dept": CASES[case][3:5],
            "window": "W01",
            "data": {},
        }
        before = _snapshot(self.monitor)
        outcome = self.monitor.feed(event)
        if isinstance(outcome, Rejected):
            # a refused event changes no case and records no finding
            assert _snapshot(self.monitor) == before
            if outcome.reason_code in SOD_CODES:
                self.refused.add(event["id"])
        else:
            assert isinstance(outcome, Accepted)
            self.next_step[case] = step + 1

    @invariant()
    def no_accepted_event_breaks_an_error_constraint(self):
        """In every case kept, no reviewer decided, no handler inspected, no one of the
        licensing department inspected, and no one recused from the applicant acted."""
        departments = RB.part("separation").history.person_department
        for state in _states(self.monitor):
            actors = state.get("actors", {})
            reviewers = set(actors.get("review", ()))
            deciders = {a for k in DECIDING for a in actors.get(k, ())}
            handlers = {a for k in HANDLING_STAGES for a in actors.get(k, ())}
            inspectors = set(actors.get("inspect", ()))
            licensing = state["item"][3:5]
            assert not reviewers & deciders
            assert not handlers & inspectors
            assert all(departments.get(p) != licensing for p in inspectors)
            if "applicant-00042" in actors.get("submit", ()):
                assert "P-SC-13" not in handlers | inspectors

    def _trail_events(self):
        """The trail's events to audit, with whether separation of duties refused each."""
        refused = {
            e["record"]["event"]["id"]
            for e in self.monitor.store.trail()
            if e["kind"] == "rejected" and e["record"].get("reason") in SOD_CODES
        }
        for event in events_of_trail(self.monitor.store.trail()):
            yield event, event["id"] in refused

    @invariant()
    def an_audit_of_the_trail_equals_the_decisions_made_per_event(self):
        """Auditing the trail flags at error level exactly the events the monitor refused, and
        reports as warnings exactly the findings the monitor recorded with accepted events."""
        events = list(self._trail_events())
        found = audit_history([e for e, _ in events], RB)
        refused = {e["id"] for e, was_refused in events if was_refused}
        at_error = {(f["case"], f["at"]) for f in found if f["severity"] == "error"}
        assert at_error == {(e["case"], e["at"]) for e, r in events if r}
        assert refused == self.refused
        warnings = sorted(
            (f["rule"], f["case"], f["at"])
            for f in found
            if f["severity"] == "warning" and (f["case"], f["at"]) not in at_error
        )
        recorded = sorted(
            (f["rule"], f["case"], f["at"])
            for f in self.monitor.store.findings()
            if f["rule"].startswith(("SOD-", "REC-"))
        )
        assert warnings == recorded


SeparationMachine.TestCase.settings = settings(
    max_examples=30, stateful_step_count=30, deadline=None
)
test_separation_machine = SeparationMachine.TestCase


# --- adding a constraint never makes a refused operation succeed -------------------------

PERSONS = ["a", "b", "c", "d"]
DEPARTMENTS = {"a": "X", "b": "X", "c": "Y", "d": None}
STAGES = ["accept", "review", "approve", "deny", "inspect", "complete"]

stage_groups = st.lists(st.sampled_from(STAGES), min_size=2, max_size=4, unique=True).flatmap(
    lambda stages: st.integers(1, len(stages) - 1).map(
        lambda cut: (frozenset(stages[:cut]), frozenset(stages[cut:]))
    )
)


@st.composite
def constraints(draw, n: int):
    kind = draw(st.sampled_from(["person", "department", "licensing_department"]))
    groups = draw(stage_groups)
    return HistoryConstraint(
        id=f"H{n}",
        title_zh="约束",
        title_en="constraint",
        groups=groups[:1] if kind == "licensing_department" else groups,
        basis="basis",
        same=kind,
        severity=draw(st.sampled_from(["error", "warning"])),
    )


@st.composite
def recusals(draw, n: int):
    kind = draw(st.sampled_from(["applicant", "case", "item", "department"]))
    target = {"applicant": "app", "case": "C", "item": "I", "department": "X"}[kind]
    return Recusal(
        id=f"R{n}",
        person=draw(st.sampled_from(PERSONS)),
        target_kind=kind,
        target=target,
        reason_zh="事由",
        reason_en="reason",
        basis="basis",
        severity=draw(st.sampled_from(["error", "warning"])),
    )


actors_by_stage = st.dictionaries(
    st.sampled_from([*STAGES, "submit"]), st.lists(st.sampled_from([*PERSONS, "app"]), max_size=3)
)


@given(
    base=st.lists(st.integers(0, 1000), max_size=4).flatmap(
        lambda ns: st.tuples(*[constraints(i) for i in range(len(ns))])
    ),
    extra=st.one_of(constraints(99), recusals(99)),
    actors=actors_by_stage,
    person=st.sampled_from(PERSONS),
    stage=st.sampled_from(STAGES),
)
def test_adding_a_constraint_never_makes_a_refused_operation_succeed(
    base, extra, actors, person, stage
):
    """Every conflict under a policy is still there once any constraint or recusal is
    added, so an event refused before is refused after."""
    directory = {"person_department": DEPARTMENTS, "item_department": {"I": "X"}}
    before = HistoryPolicy(tuple(base), (), **directory)
    if isinstance(extra, Recusal):
        after = HistoryPolicy(tuple(base), (extra,), **directory)
    else:
        after = HistoryPolicy((*base, extra), (), **directory)
    case = {"case": "C", "item": "I", "actors": actors}
    found_before = before.check(stage, person, case)
    found_after = after.check(stage, person, case)
    assert set(found_before) <= set(found_after)
    if any(c.severity == "error" for c in found_before):
        assert any(c.severity == "error" for c in found_after)


@given(actors=actors_by_stage, person=st.sampled_from(PERSONS), stage=st.sampled_from(EVENT_KINDS))
def test_concerns_is_never_wrong_when_it_says_no(actors, person, stage):
    """The fast test the monitor uses first: when it says no constraint or recusal concerns
    the event, a full check finds no conflict."""
    policy = RB.part("separation").history
    case = {"case": "C", "item": "FY-SC-001", "actors": actors}
    if not policy.concerns(stage, person):
        assert policy.check(stage, person, case) == []
