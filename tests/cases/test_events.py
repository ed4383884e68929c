"""Events at the border: the event contract of docs/architecture.md, and a clear problem for every malformed line."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fyrules.cases import EVENT_KINDS, EventError, parse_event, read_events
from fyrules.engine.problems import Problem

GOOD = {
    "id": "e-000981",
    "case": "FY-2025-000123",
    "item": "FY-SC-001",
    "event": "accept",
    "at": "2025-10-09T09:30:00+08:00",
    "actor": "u1023",
    "dept": "SC",
    "window": "W12",
    "data": {},
}


def test_the_design_contract_example_parses():
    event = parse_event(json.dumps(GOOD))
    assert (event.case, event.event, event.at.utcoffset().total_seconds()) == (
        "FY-2025-000123",
        "accept",
        8 * 3600,
    )


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"at": "2025-10-09T09:30:00"}, "timezone"),
        ({"event": "approv"}, "event"),
        ({"event": "pause"}, "data.reason"),
        ({"event": "extend", "data": {"days": 5}}, "approved_by"),
        ({"event": "extend", "data": {"days": 0, "approved_by": "u1"}}, "data.days"),
        ({"event": "rate", "data": {"score": "good"}}, "data.score"),
        ({"colour": "red"}, "colour"),
        ({"case": ""}, "case"),
    ],
)
def test_malformed_events_are_event_invalid(change, needle):
    with pytest.raises(EventError) as err:
        parse_event({**GOOD, **change})
    assert err.value.problem.code == "EVENT-INVALID"
    assert needle in err.value.problem.message_en


def test_read_events_reports_bad_lines_with_their_numbers_and_goes_on():
    lines = [json.dumps(GOOD), "", "{not json", "[1, 2]", json.dumps({**GOOD, "event": "review"})]
    out = list(read_events(lines))
    assert [type(x).__name__ for x in out] == ["Event", "Problem", "Problem", "Event"]
    assert [p.line for p in out if isinstance(p, Problem)] == [3, 4]


def test_every_event_kind_of_the_contract_is_known():
    assert set(EVENT_KINDS) == {
        "submit",
        "correction_requested",
        "corrected",
        "accept",
        "reject",
        "undertake",
        "review",
        "approve",
        "deny",
        "pause",
        "resume",
        "extend",
        "complete",
        "deliver",
        "withdraw",
        "inspect",
        "rectify",
        "complaint",
        "rate",
        "complaint_answered",
        "complaint_ruled",
        "explanation_requested",
        "explanation_given",
        "accountability_decided",
    }


@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_garbage_lines_give_problems_never_exceptions(line):
    """Invariant: any line yields an Event or a Problem."""
    for x in read_events([line]):
        assert x.__class__.__name__ in {"Event", "Problem"}
