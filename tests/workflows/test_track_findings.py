"""The side workflows' findings in ``monitor.findings()`` (issue 22): complaints answered late,
undeclared accountability decisions and approvals not told to the supervising department come
through the extensions' ``track_findings`` hook, once each, for open and finished cases; and
a generated month tells most approvals to the supervisors on time, a few late, a few never."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fyrules
from fyrules.cases.events import parse_event
from fyrules.cases.monitor import Duplicate
from fyrules.cli import main
from fyrules.notifications import inform_findings
from fyrules.simulation.cases import generate
from fyrules.workflows import workflow_findings
from tests.conftest import FUYANG

CST = dt.timezone(dt.timedelta(hours=8))
MONTH_END = dt.datetime(2025, 10, 31, 23, 59, 59, tzinfo=CST)
INFORM = "FY-SUPERVISION-INFORM"


@pytest.fixture(scope="module")
def month(fuyang: Any) -> dict[str, Any]:
    """A generated month replayed event by event: the monitor and the events it accepted."""
    events = list(generate(fuyang, month="2025-10", cases=600, seed=13, faults=True))
    monitor = fuyang.monitor()
    accepted = []
    for event in events:
        outcome = monitor.feed(event)
        if outcome.ok and not isinstance(outcome, Duplicate):
            accepted.append(event)
    return {"events": events, "accepted": accepted, "monitor": monitor}


def _keys(findings: list[Any]) -> list[tuple[str, str | None, str]]:
    return sorted((f["rule"], f.get("case"), f["message"]) for f in findings)


def test_monitor_findings_hold_the_inform_findings_a_stream_of_events_gives(fuyang, month):
    """The monitor's supervision-after-approval findings (from each case's state) are those
    ``inform_findings`` computes from the accepted approve and inform events, case for case."""
    limit = fuyang.part("notifications").inform
    monitor = month["monitor"]
    for as_of in (dt.datetime(2025, 10, 20, 12, tzinfo=CST), MONTH_END):
        mine = [f.to_dict() for f in monitor.findings(as_of) if f.rule == INFORM]
        theirs = [f.to_dict() for f in inform_findings(fuyang, limit, month["accepted"], as_of)]
        assert mine and _keys(mine) == _keys(theirs)


def test_monitor_findings_hold_the_complaint_findings_once(month):
    monitor = month["monitor"]
    side = workflow_findings(monitor, MONTH_END)
    everything = [f.to_dict() for f in monitor.findings(MONTH_END)]
    assert side, "the generated month should hold a complaint answered late or not at all"
    listed = Counter(json.dumps(f, sort_keys=True, ensure_ascii=False) for f in everything)
    for finding in side:
        assert listed[json.dumps(finding, sort_keys=True, ensure_ascii=False)] == 1


def test_evaluate_lists_each_side_finding_once(fuyang, month, tmp_path, capsys):
    path = tmp_path / "month.jsonl"
    path.write_text("".join(e.model_dump_json() + "\n" for e in month["events"]), encoding="utf-8")
    main(["evaluate", str(FUYANG), str(path), "--format", "json", "--at", MONTH_END.isoformat()])
    doc = json.loads(capsys.readouterr().out)
    keys = [(f["rule"], f.get("case"), f["message"]) for f in doc["findings"]]
    assert len(keys) == len(set(keys))
    rules = Counter(f["rule"] for f in doc["findings"])
    assert rules[INFORM] and rules["FY-COMPLAINT-UNANSWERED"]
    assert doc["summary"]["findings"] == len(doc["findings"])


def test_a_generated_month_tells_most_approvals_to_the_supervisors_on_time(fuyang, month):
    """Most approvals are told within the limit, a few late, a few never; each notice comes
    from the case's acceptor after the approval, and every one is accepted."""
    limit = fuyang.part("notifications").inform
    approved = {e.case: e.at for e in month["accepted"] if e.event == "approve"}
    informed = {e.case: e for e in month["events"] if e.event == "inform"}
    assert all(e.case in approved and e.at > approved[e.case] for e in informed.values())
    assert all(e in month["accepted"] for e in informed.values())  # none refused
    late = inform_findings(fuyang, limit, month["accepted"], dt.datetime(2026, 3, 1, tzinfo=CST))
    missing = [f for f in late if "not informed" in f.message_en]
    assert 0 < len(missing) < 0.05 * len(approved)
    assert 0 < len(late) - len(missing) < 0.08 * len(approved)
    acceptors = {
        e.case: e.actor for e in month["accepted"] if e.event == "accept" and e.case in informed
    }
    assert all(informed[c].actor == acceptors[c] for c in informed)


def test_the_generated_notices_are_the_same_for_the_same_seed(fuyang):
    one = [e for e in generate(fuyang, month="2025-10", cases=80, seed=4) if e.event == "inform"]
    two = [e for e in generate(fuyang, month="2025-10", cases=80, seed=4) if e.event == "inform"]
    assert one and one == two


def test_a_rulebook_without_an_inform_limit_reports_no_inform_finding(month):
    national = fyrules.load(Path(fyrules.__file__).parent / "baseline" / "national")
    assert national.part("notifications") is None
    monitor = national.monitor()
    monitor.feed_all(month["events"][:200])
    assert not [f for f in monitor.findings(MONTH_END) if f.rule == INFORM]


def _approved_lines() -> str:
    steps = [
        ("accept", "2025-10-09T09:30:00+08:00", "P-SC-03"),
        ("undertake", "2025-10-09T10:00:00+08:00", "P-SC-14"),
        ("review", "2025-10-09T11:00:00+08:00", "P-SC-14"),
        ("approve", "2025-10-10T10:00:00+08:00", "P-SC-01"),
    ]
    return "".join(
        json.dumps(
            parse_event(
                {
                    "id": f"e-{n}",
                    "case": "FY-202510-000001",
                    "item": "FY-SC-001",
                    "event": kind,
                    "at": at,
                    "actor": actor,
                    "dept": "SC",
                }
            ).model_dump(mode="json")
        )
        + "\n"
        for n, (kind, at, actor) in enumerate(steps)
    )


def test_notify_on_a_store_reports_an_approval_an_earlier_run_recorded(tmp_path, capsys):
    """The approval fed by an earlier run stays in the case's state in the store: a later run
    with no new events still reports that the supervisors were never told."""
    first, later = tmp_path / "first.jsonl", tmp_path / "later.jsonl"
    first.write_text(_approved_lines(), encoding="utf-8")
    later.write_text("", encoding="utf-8")
    store = str(tmp_path / "cases.db")
    argv = ["notify", str(FUYANG), "--store", store, "--format", "json", "--as-of"]
    assert main([*argv[:2], str(first), *argv[2:], "2025-10-12T00:00+08:00"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
    assert main([*argv[:2], str(later), *argv[2:], "2025-10-20T00:00+08:00"]) == 1
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert finding["rule"] == INFORM and finding["case"] == "FY-202510-000001"


def _case_events(approve_after_days: int, inform_after_hours: int | None) -> list[Any]:
    start = dt.datetime(2025, 10, 9, 9, 30, tzinfo=CST)
    approved = dt.datetime(2025, 10, 9, 14, tzinfo=CST) + dt.timedelta(days=approve_after_days)
    steps = [
        ("accept", start, "P-SC-03"),
        ("undertake", start + dt.timedelta(minutes=30), "P-SC-14"),
        ("review", start + dt.timedelta(hours=1), "P-SC-14"),
        ("approve", approved, "P-SC-01"),
    ]
    if inform_after_hours is not None:
        steps.append(("inform", approved + dt.timedelta(hours=inform_after_hours), "P-SC-03"))
    return [
        parse_event(
            {
                "id": f"p-{n}",
                "case": "FY-202510-000009",
                "item": "FY-SC-001",
                "event": kind,
                "at": at.isoformat(),
                "actor": actor,
                "dept": "SC",
            }
        )
        for n, (kind, at, actor) in enumerate(steps)
    ]


@settings(max_examples=40, deadline=None)
@given(
    approve_after_days=st.integers(0, 25),
    inform_after_hours=st.none() | st.integers(1, 24 * 20),
    as_of_after_hours=st.integers(-48, 24 * 40),
)
def test_the_monitors_inform_finding_is_the_one_the_events_up_to_the_moment_give(
    fuyang, approve_after_days, inform_after_hours, as_of_after_hours
):
    """Invariant: for any approval, notice (or none) and moment, the monitor fed every event
    reports, as of the moment, exactly the supervision-after-approval finding that the events
    up to that moment give; events after the moment change nothing."""
    events = _case_events(approve_after_days, inform_after_hours)
    monitor = fuyang.monitor(trail=False)
    assert all(monitor.feed(e).ok for e in events)
    as_of = events[3].at + dt.timedelta(hours=as_of_after_hours)
    limit = fuyang.part("notifications").inform
    mine = [f.to_dict() for f in monitor.findings(as_of) if f.rule == INFORM]
    theirs = [f.to_dict() for f in inform_findings(fuyang, limit, events, as_of)]
    assert mine == theirs
