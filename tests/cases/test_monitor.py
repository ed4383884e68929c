"""The monitor: replay into the trail, rejected events, duplicates, findings, isolation, memory."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import fyrules
from fyrules.cases.monitor import Duplicate, Monitor
from fyrules.cases.state import Accepted, Rejected
from fyrules.cases.store import MemoryStore
from fyrules.cases.trail import verify
from tests.conftest import FUYANG, generated_month


@pytest.fixture(scope="module")
def month():
    return list(generated_month(400, 5))


# Who acts at each kind of event of FY-SC-001 (a window-level item of SC): Fuyang's roster.
ACTORS = {
    "submit": "applicant-1",
    "accept": "P-SC-11",
    "complete": "P-SC-11",
    "deliver": "P-SC-11",
    "undertake": "P-SC-13",
    "review": "P-SC-13",
    "approve": "P-SC-15",
    "rate": "applicant-1",
}


def ev(case, kind, at, **kw):
    base = {
        "case": case,
        "item": "FY-SC-001",
        "event": kind,
        "at": at,
        "actor": ACTORS.get(kind, "P-SC-15"),
        "dept": "SC",
        "window": "W02",
    }
    return {**base, **kw}


def test_a_generated_month_replays_with_only_its_separation_refusals_and_the_trail_verifies(
    rb, month
):
    m = Monitor(rb)
    summary = m.feed_all(month)
    # the only refusals: a reviewer approving (一审一核; the reviewer holds no role that may
    # decide), rejected before an approver approves
    reasons = [r["reason"] for r in m.rejected()]
    assert reasons and set(reasons) <= {"SOD-HISTORY", "ROSTER-NO-ROLE"}
    assert summary.rejected == len(reasons)
    assert (summary.events, summary.accepted) == (len(month), len(month) - summary.rejected)
    assert summary.cases_finished > 300
    result = verify(m.store.trail())
    assert result.ok
    rules = {f.rule for f in m.findings()}
    assert "FY-RED-CARD" in rules


def test_replay_is_deterministic(rb, month):
    a, b = Monitor(rb), Monitor(rb)
    a.feed_all(month)
    b.feed_all(month)
    assert a.store.trail_head() == b.store.trail_head()
    assert a.findings() == b.findings()


def test_an_impossible_event_is_rejected_and_changes_nothing(rb):
    m = Monitor(rb)
    m.feed(ev("C-1", "accept", "2025-10-09T09:00:00+08:00", id="e1"))
    before = (copy.deepcopy(m.store.get_case("C-1")), m.store.trail_head())
    outcome = m.feed(ev("C-1", "approve", "2025-10-09T10:00:00+08:00", id="e2"))
    assert isinstance(outcome, Rejected) and outcome.reason_code == "EVENT-OUT-OF-ORDER"
    assert m.store.get_case("C-1") == before[0]
    (rejected,) = m.rejected()
    assert rejected["reason"] == "EVENT-OUT-OF-ORDER" and rejected["event"]["id"] == "e2"
    assert m.store.trail_head()["kind"] == "rejected"  # the rejection itself is on the trail


def test_a_malformed_event_is_rejected_not_raised(rb):
    m = Monitor(rb)
    outcome = m.feed('{"case": "C-1", "event": "accept"')
    assert isinstance(outcome, Rejected) and outcome.reason_code == "EVENT-INVALID"
    assert next(m.rejected())["reason"] == "EVENT-INVALID"


def test_a_duplicate_delivery_is_acknowledged_and_changes_nothing(rb):
    m = Monitor(rb)
    first = m.feed(ev("C-1", "accept", "2025-10-09T09:00:00+08:00", id="e1"))
    head = m.store.trail_head()
    again = m.feed(ev("C-1", "accept", "2025-10-09T09:00:00+08:00", id="e1"))
    assert isinstance(first, Accepted) and isinstance(again, Duplicate)
    assert m.store.trail_head() == head and list(m.rejected()) == []


def test_open_cases_are_evaluated_as_of_any_time(rb):
    import datetime as dt

    m = Monitor(rb)
    m.feed(ev("C-1", "accept", "2025-09-30T10:00:00+08:00"))
    m.feed(ev("C-1", "undertake", "2025-09-30T14:00:00+08:00"))
    tz = dt.timezone(dt.timedelta(hours=8))
    early = m.findings(dt.datetime(2025, 10, 9, 10, tzinfo=tz))
    late = m.findings(dt.datetime(2025, 10, 16, 10, tzinfo=tz))
    assert [f.rule for f in early] == []
    assert "FY-RED-CARD" in {f.rule for f in late}
    assert late[0].subject == "C-1" and late[0].subject_kind == "case" and late[0].basis


def test_two_monitors_on_two_rulebooks_never_see_each_other(rb, tmp_path):
    national = fyrules.load(Path(fyrules.__file__).parent / "baseline" / "national")
    a, b = Monitor(rb), Monitor(national)
    a.feed(ev("C-1", "accept", "2025-10-09T09:00:00+08:00"))
    assert b.store.get_case("C-1") is None
    outcome = b.feed(ev("C-1", "accept", "2025-10-09T09:00:00+08:00"))
    assert isinstance(outcome, Rejected) and outcome.reason_code == "EVENT-UNKNOWN-ITEM"


def test_memory_grows_with_open_cases_not_with_events(rb, month):
    store = MemoryStore(keep_trail=False, keep_closed=False)
    m = Monitor(rb, store)
    m.feed_all(month)
    stats = store.stats()
    assert stats["trail"] == 0 and stats["closed_cases"] == 0
    open_ids = {c for c, _ in store.open_cases()}
    assert stats["open_cases"] == len(open_ids) < 0.2 * len({e.case for e in month})
    assert stats["event_ids"] < 0.3 * len(month)


def test_a_rating_after_delivery_reaches_the_finished_case(rb):
    m = Monitor(rb)
    for kind, at in [
        ("accept", "09:00"),
        ("undertake", "09:30"),
        ("review", "10:00"),
        ("approve", "11:00"),
        ("complete", "11:30"),
        ("deliver", "11:40"),
    ]:
        assert isinstance(m.feed(ev("C-9", kind, f"2025-10-09T{at}:00+08:00")), Accepted)
    outcome = m.feed(ev("C-9", "rate", "2025-10-10T09:00:00+08:00", data={"score": 5}))
    assert isinstance(outcome, Accepted)
    assert m.store.get_closed("C-9")["rating"] == 5


def test_findings_are_finding_objects_whose_json_reads_back_the_same(rb, month):
    m = Monitor(rb)
    m.feed_all(month[:2000])
    found = m.findings()
    assert found and all(isinstance(f, fyrules.Finding) for f in found)
    for finding in found:
        as_json = finding.to_dict()
        json.dumps(as_json, ensure_ascii=False)
        assert {"rule", "severity", "case", "at", "message", "basis", "trace"} <= set(as_json)
        assert fyrules.Finding.from_dict(as_json).to_dict() == as_json


def test_cli_evaluate_reports_findings_and_rejections(tmp_path, capsys, month):
    from fyrules.cli import main

    path = tmp_path / "month.jsonl"
    lines = [e.model_dump_json() for e in month[:3000]]
    lines.insert(10, '{"case": "X", "event": "accept"}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["evaluate", str(FUYANG), str(path), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == (1 if any(f["severity"] == "error" for f in doc["findings"]) else 0)
    invalid = [r for r in doc["rejected"] if r["reason"] == "EVENT-INVALID"]
    assert len(invalid) == 1 and invalid[0]["line"] == 11
    others = {r["reason"] for r in doc["rejected"] if r not in invalid}
    assert others <= {"SOD-HISTORY", "ROSTER-NO-ROLE"}
    assert doc["trail_head"]["index"] == len(month[:3000])  # 0-based: every event and the rejection


def test_cli_evaluate_missing_file_is_exit_2(capsys):
    from fyrules.cli import main

    assert main(["evaluate", str(FUYANG), "/nonexistent.jsonl"]) == 2


def test_feed_all_pauses_the_collector_and_turns_it_back_on(rb, month):
    import gc

    assert gc.isenabled()
    a, b = Monitor(rb), Monitor(rb)
    a.feed_all(month)
    for event in month:
        b.feed(event)
    assert gc.isenabled()
    assert a.store.trail_head() == b.store.trail_head() and a.findings() == b.findings()
