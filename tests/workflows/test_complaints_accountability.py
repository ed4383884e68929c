"""Complaints and accountability (issue 22 points 2 and 3, issue 13 point 5), replayed from the
hand-written log tests/scenarios/complaints-accountability.jsonl on examples/fuyang."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import fyrules
from fyrules.cli import main
from fyrules.workflows import accountability_records, by_holder, workflow_findings

ROOT = Path(__file__).resolve().parents[2]
FUYANG = ROOT / "examples" / "fuyang"
LOG = ROOT / "tests" / "scenarios" / "complaints-accountability.jsonl"
ZONE = ZoneInfo("Asia/Shanghai")
END_OF_OCTOBER = dt.datetime(2025, 10, 31, 12, 0, tzinfo=ZONE)


@pytest.fixture(scope="module")
def fuyang():
    return fyrules.load(FUYANG)


@pytest.fixture(scope="module")
def replayed(fuyang):
    monitor = fuyang.monitor()
    summary = monitor.replay_file(LOG)
    assert summary.rejected == 0, list(monitor.rejected())
    return monitor


def _held(findings, rule, case):
    (found,) = [f for f in findings if f["rule"] == rule and f["case"] == case]
    return found.get("responsible")


def test_a_red_card_names_the_stage_the_person_and_the_department_that_held_the_case(replayed):
    findings = [f.to_dict() for f in replayed.findings(END_OF_OCTOBER)]
    held = _held(findings, "FY-RED-CARD", "ACC-RED")
    # due 2025-10-15; the review ran from 10-10 to 10-20, done by P-SC-13: he held the case
    assert held == {
        "rule": "FY-ACCOUNTABILITY",
        "deadline": "committed",
        "due": "2025-10-15",
        "stage": "review",
        "person": "P-SC-13",
        "dept": "SC",
        "acted": True,
        "basis": "阜阳市政务服务中心电子监察：通过网上流转痕迹核实哪个环节、为什么超时，实时纠错和问责",
    }


def test_an_open_case_past_due_is_held_by_the_last_handler_when_no_one_took_the_stage_up(replayed):
    findings = [f.to_dict() for f in replayed.findings(END_OF_OCTOBER)]
    held = _held(findings, "FY-RED-CARD", "ACC-OPEN")
    assert (held["stage"], held["person"], held["dept"], held["acted"]) == (
        "approve",
        "P-SC-14",
        "SC",
        False,
    )
    statutory = _held(findings, "NAT-STATUTORY-OVERDUE", "ACC-OPEN")
    assert (statutory["deadline"], statutory["due"], statutory["stage"]) == (
        "statutory",
        "2025-10-22",
        "approve",
    )


def test_a_stage_over_its_budget_names_who_did_that_stage(replayed):
    findings = [f.to_dict() for f in replayed.findings(END_OF_OCTOBER)]
    held = _held(findings, "FY-YELLOW-CARD", "ACC-STAGE")
    # accepted 10-09, a budget of 1 working day to undertake: due 10-10, undertaken 10-13
    assert (held["deadline"], held["stage"], held["due"], held["person"]) == (
        "stage",
        "undertake",
        "2025-10-10",
        "P-SC-13",
    )


def test_findings_that_are_not_about_running_over_name_no_one(fuyang):
    """A yellow card for a case due today (no stage late) opens no accountability record."""
    monitor = fuyang.monitor(trail=False)
    for line in LOG.read_text("utf-8").splitlines():
        event = json.loads(line)
        if event["case"] == "ACC-OPEN" and event["event"] not in ("complaint",):
            monitor.feed(event)
    due_today = dt.datetime(2025, 10, 15, 10, 0, tzinfo=ZONE)  # every stage within budget
    yellow = [f.to_dict() for f in monitor.findings(due_today) if f.rule == "FY-YELLOW-CARD"]
    assert yellow and "responsible" not in yellow[0]


def test_an_unanswered_complaint_past_its_deadline_is_a_finding(replayed):
    # ACC-RED's complaint came on 10-22: 5 working days to answer, due 10-29
    before = workflow_findings(replayed, dt.datetime(2025, 10, 29, 17, 0, tzinfo=ZONE))
    assert [f for f in before if f["rule"] == "FY-COMPLAINT-UNANSWERED"] == []
    after = workflow_findings(replayed, END_OF_OCTOBER)
    (late,) = [f for f in after if f["rule"] == "FY-COMPLAINT-UNANSWERED"]
    assert late["case"] == "ACC-RED" and late["severity"] == "error"
    assert "2025-10-29" in late["message"] and "示例值" in late["basis"]


def test_answered_complaints_make_no_finding_and_only_substantiated_ones_are_counted(fuyang):
    result = fuyang.score(str(LOG), month="2025-10")
    row = result.to_dict()["rows"][0]
    # three complaints: one ruled substantiated (ACC-STAGE), one not (ACC-OPEN), one unruled
    assert row["stats"]["complaints"] == 3
    assert row["stats"]["substantiated_complaints"] == 1


def test_accountability_records_hold_the_explanation_and_the_decision(replayed):
    records = accountability_records(
        replayed, [f.to_dict() for f in replayed.findings(END_OF_OCTOBER)]
    )
    by_case = {(r["case"], r["finding"]): r for r in records}
    red = by_case["ACC-RED", "FY-RED-CARD"]
    assert red["status"] == "decided"
    assert (red["person"], red["dept"], red["stage"]) == ("P-SC-13", "SC", "review")
    assert red["explanation_requested_by"] == "P-C-04"
    assert red["explanation"] == "现场核查排期延误"
    assert (red["decision"], red["decided_by"], red["published"]) == ("criticism", "P-C-02", True)
    stage = by_case["ACC-STAGE", "FY-YELLOW-CARD"]
    assert (stage["decision"], stage["fault"]) == ("no_fault", False)
    assert "第四十五条" in stage["basis"]
    assert by_case["ACC-OPEN", "FY-RED-CARD"]["status"] == "open"


def test_a_decision_the_rulebook_does_not_declare_is_a_finding(fuyang):
    monitor = fuyang.monitor(trail=False)
    monitor.replay_file(LOG)
    outcome = monitor.feed(
        {
            "case": "ACC-RED",
            "item": "FY-SC-001",
            "event": "accountability_decided",
            "at": "2025-10-29T09:00:00+08:00",
            "actor": "P-C-02",
            "data": {"decision": "demotion"},
        }
    )
    assert outcome.ok
    found = [f for f in workflow_findings(monitor, END_OF_OCTOBER) if f["case"] == "ACC-RED"]
    assert "ACCOUNTABILITY-UNKNOWN-DECISION" in {f["rule"] for f in found}


@pytest.mark.parametrize(
    ("event", "actor", "data", "reason"),
    [
        # only a supervisor of the item rules a complaint (P-SC-03 is SC's acceptor)
        ("complaint_ruled", "P-SC-03", {"substantiated": True}, "ROSTER-NO-ROLE"),
        # only the leader in charge decides (P-C-04 inspects)
        ("accountability_decided", "P-C-04", {"decision": "warning"}, "ROSTER-NO-ROLE"),
        ("complaint_ruled", "P-ZJ-02", {}, "EVENT-INVALID"),  # substantiated or not: say which
        ("accountability_decided", "P-C-02", {}, "EVENT-INVALID"),  # the decision is required
    ],
)
def test_who_rules_and_who_decides_are_roster_roles(fuyang, event, actor, data, reason):
    monitor = fuyang.monitor(trail=False)
    monitor.replay_file(LOG)
    outcome = monitor.feed(
        {
            "case": "ACC-OPEN",
            "item": "FY-SC-001",
            "event": event,
            "at": "2025-10-30T09:00:00+08:00",
            "actor": actor,
            "data": data,
        }
    )
    assert not outcome.ok and outcome.reason_code == reason


def test_evaluate_by_person_groups_the_overdue_findings(capsys):
    at = "2025-10-31T12:00:00+08:00"
    code = main(
        ["evaluate", str(FUYANG), str(LOG), "--at", at, "--by", "person", "--format", "json"]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    groups = {
        g["holder"]: sorted((f["case"], f["rule"]) for f in g["findings"]) for g in doc["groups"]
    }
    assert groups == {
        "P-SC-13": [("ACC-RED", "FY-RED-CARD"), ("ACC-STAGE", "FY-YELLOW-CARD")],
        "P-SC-14": [("ACC-OPEN", "FY-RED-CARD"), ("ACC-OPEN", "NAT-STATUTORY-OVERDUE")],
    }
    assert doc["summary"]["findings"] == len(doc["findings"])
    main(["evaluate", str(FUYANG), str(LOG), "--at", at, "--by", "department", "--lang", "en"])
    text = capsys.readouterr().out
    assert "overdue, by department:" in text
    assert "  SC: 4 — FY-RED-CARD ×2, FY-YELLOW-CARD ×1, NAT-STATUTORY-OVERDUE ×1" in text
    assert "stage review, held by P-SC-13 (SC), due 2025-10-15" in text


def test_the_monthly_notification_lists_the_accountability_outcomes(capsys):
    args = ["inspect", str(FUYANG), str(LOG), "--month", "2025-10", "--report"]
    main([*args, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    outcomes = {(r["case"], r["finding"]): r["status"] for r in doc["accountability"]}
    assert outcomes == {
        ("ACC-OPEN", "FY-RED-CARD"): "open",
        ("ACC-OPEN", "NAT-STATUTORY-OVERDUE"): "open",
        ("ACC-RED", "FY-RED-CARD"): "decided",
        ("ACC-STAGE", "FY-YELLOW-CARD"): "decided",
    }
    main([*args, "--lang", "en"])
    text = capsys.readouterr().out
    assert "== Accountability" in text
    assert (
        "FY-RED-CARD [ACC-RED] stage review, P-SC-13 (SC), due 2025-10-15; decision: Criticism "
        "in the monthly notification (by P-C-02, 2025-10-28)"
    ) in text


def test_by_holder_puts_the_holder_with_most_findings_first():
    findings = [
        {"rule": "R", "case": "a", "responsible": {"person": "x", "dept": "D"}},
        {"rule": "R", "case": "b", "responsible": {"person": "y", "dept": "D"}},
        {"rule": "R", "case": "c", "responsible": {"person": "y", "dept": "D"}},
        {"rule": "S", "case": "d"},
    ]
    assert [(k, len(v)) for k, v in by_holder(findings, "person")] == [("y", 2), ("x", 1)]
    assert [(k, len(v)) for k, v in by_holder(findings, "dept")] == [("D", 3)]


def test_a_rulebook_may_tighten_the_answer_deadline_and_use_the_default_finding_id(tmp_path):
    """A local rulebook's ``complaints:`` replaces Fuyang's: 2 working days, and the default
    id of the finding when it names none."""
    root = tmp_path / "township"
    root.mkdir()
    (root / "complaints.yaml").write_text(
        "complaints:\n  id: T-COMPLAINTS\n  title: 投诉办理\n  basis: 示例\n"
        "  answer_days: 2\n  answer_basis: 示例值：2 个工作日\n",
        encoding="utf-8",
    )
    shutil.copytree(FUYANG, tmp_path / "examples" / "fuyang")
    (root / "rulebook.yaml").write_text(
        "rulebook: township\nname: 示例镇\njurisdiction: 示例镇\nversion: '1'\n"
        f"extends: {os.path.relpath(tmp_path / 'examples' / 'fuyang', root)}\n",
        encoding="utf-8",
    )
    rb = fyrules.load(root)
    monitor = rb.monitor(trail=False)
    monitor.replay_file(LOG)
    # ACC-RED's complaint of 10-22 is now due by 10-24
    at = dt.datetime(2025, 10, 27, 9, 0, tzinfo=ZONE)
    (late,) = [f for f in workflow_findings(monitor, at) if f["case"] == "ACC-RED"]
    assert late["rule"] == "COMPLAINT-UNANSWERED" and "2025-10-24" in late["message"]
