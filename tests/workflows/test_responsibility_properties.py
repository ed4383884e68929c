"""Properties of who answers for an overdue case (issue 13 point 5)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fyrules

FUYANG = Path(__file__).resolve().parents[2] / "examples" / "fuyang"
ZONE = ZoneInfo("Asia/Shanghai")
# the stages of a commitment case after acceptance, with who may do each (Fuyang's SC roster)
STEPS = (
    ("undertake", ("P-SC-13", "P-SC-14")),
    ("review", ("P-SC-13", "P-SC-14")),
    ("approve", ("P-SC-01",)),
    ("complete", ("P-SC-03",)),
    ("deliver", ("P-SC-03",)),
)
OVERDUE = {"FY-RED-CARD", "NAT-STATUTORY-OVERDUE"}


@pytest.fixture(scope="module")
def fuyang():
    return fyrules.load(FUYANG)


case_paths = st.tuples(
    st.integers(0, len(STEPS)),  # how many stages after acceptance happened
    st.lists(st.integers(0, 6), min_size=len(STEPS), max_size=len(STEPS)),  # working days each
    st.lists(st.integers(0, 1), min_size=len(STEPS), max_size=len(STEPS)),  # which person
    st.integers(0, 25),  # as of: working days after acceptance
)


@settings(max_examples=60, deadline=None)
@given(path=case_paths)
def test_every_overdue_finding_names_exactly_one_holder_who_handled_the_case(fuyang, path):
    """Every red card and statutory overdue, and every yellow card for a late stage, names one
    holder: a stage, a department, and a person who handled the case before or at that stage;
    findings about anything else name no one."""
    steps, gaps, who, as_of_days = path
    calendar = fuyang.calendar
    accepted = dt.datetime(2025, 10, 9, 9, 30, tzinfo=ZONE)
    events = [
        {
            "case": "P",
            "item": "FY-SC-001",
            "event": "submit",
            "at": "2025-10-09T09:00:00+08:00",
            "actor": "applicant-1",
        },
        {
            "case": "P",
            "item": "FY-SC-001",
            "event": "accept",
            "at": accepted.isoformat(),
            "actor": "P-SC-03",
            "dept": "SC",
            "window": "W02",
        },
    ]
    day = accepted.date()
    reviewer = None
    for (kind, people), gap, pick in zip(STEPS[:steps], gaps, who, strict=False):
        day = calendar.add_working_days(day, gap) if gap else day
        actor = people[pick % len(people)]
        if kind == "undertake":
            reviewer = actor
        if kind == "review":
            actor = reviewer or actor  # the one who undertook reviews
        at = dt.datetime.combine(day, dt.time(10 + len(events)), ZONE)
        events.append(
            {
                "case": "P",
                "item": "FY-SC-001",
                "event": kind,
                "at": at.isoformat(),
                "actor": actor,
                "dept": "SC",
            }
        )
    monitor = fuyang.monitor(trail=False)
    for e in events:
        assert monitor.feed(e).ok
    as_of = dt.datetime.combine(
        calendar.add_working_days(accepted.date(), as_of_days), dt.time(12), ZONE
    )
    last = dt.datetime.fromisoformat(events[-1]["at"])
    findings = [f.to_dict() for f in monitor.findings(max(as_of, last))]
    handlers = {e["actor"] for e in events[1:]}
    for f in findings:
        held = f.get("responsible")
        if f["rule"] in OVERDUE:
            assert held is not None, f
        elif f["rule"] != "FY-YELLOW-CARD":
            assert held is None, f
        if held is None:
            continue
        assert isinstance(held, dict)
        assert held["stage"] in {"accept", *(k for k, _ in STEPS)}
        assert held["dept"] == "SC"
        assert held["person"] in handlers
        if held["acted"]:  # the holder did the stage that ran over
            done = [e for e in events if e["actor"] == held["person"]]
            assert any(e["event"] == held["stage"] for e in done)
