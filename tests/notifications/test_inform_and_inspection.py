"""Supervision after approval (inform events within the rulebook's limit), rectification
reminders, inspection assignments, and the rulebook's notifications: section."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import fyrules
from fyrules.cases.events import parse_event
from fyrules.notifications import Scheduler, inform_findings
from tests.helpers import codes, write_rulebook

CST = dt.timezone(dt.timedelta(hours=8))
CASE = "FY-202510-000001"


@pytest.fixture(scope="module")
def rulebook() -> Any:
    return fyrules.load("examples/fuyang")


def _event(kind: str, at: str, actor: str, **data: Any) -> Any:
    return parse_event(
        {
            "id": f"{CASE}-{kind}-{at}",
            "case": CASE,
            "item": "FY-SC-001",
            "event": kind,
            "at": at,
            "actor": actor,
            "dept": "SC",
            "data": data,
        }
    )


APPROVED = [
    _event("accept", "2025-10-09T09:30:00+08:00", "P-SC-03"),
    _event("undertake", "2025-10-09T10:00:00+08:00", "P-SC-14"),
    _event("review", "2025-10-09T11:00:00+08:00", "P-SC-14"),
    _event("approve", "2025-10-10T10:00:00+08:00", "P-SC-01"),  # a Friday
    _event("complete", "2025-10-10T11:00:00+08:00", "P-SC-03"),
    _event("deliver", "2025-10-10T15:00:00+08:00", "P-SC-03"),
]


def _replayed(rulebook: Any, events: list[Any]) -> Any:
    monitor = rulebook.monitor()
    for event in events:
        outcome = monitor.feed(event)
        assert outcome.ok, outcome
    return monitor


def test_an_inform_event_is_accepted_after_approval_even_once_the_case_closed(
    rulebook: Any,
) -> None:
    late = _event("inform", "2025-10-20T09:00:00+08:00", "P-SC-03", to="ZJ")
    monitor = _replayed(rulebook, [*APPROVED, late])
    assert monitor.open_case_ids() == []


def test_an_inform_before_approval_is_refused(rulebook: Any) -> None:
    monitor = rulebook.monitor()
    monitor.feed(APPROVED[0])
    outcome = monitor.feed(_event("inform", "2025-10-09T09:40:00+08:00", "P-SC-03"))
    assert not outcome.ok


def test_the_supervisors_informed_within_five_working_days_is_no_finding(rulebook: Any) -> None:
    limit = rulebook.part("notifications").inform
    assert limit.working_days == 5 and "本规则集取值" in limit.basis
    # the 5th working day: Saturday 11 October 2025 was a make-up workday
    told = _event("inform", "2025-10-16T16:00:00+08:00", "P-SC-03")
    as_of = dt.datetime(2025, 11, 30, tzinfo=CST)
    assert inform_findings(rulebook, limit, [*APPROVED, told], as_of) == []


def test_a_missing_notice_is_a_finding_once_the_limit_has_passed(rulebook: Any) -> None:
    limit = rulebook.part("notifications").inform
    on_the_day = dt.datetime(2025, 10, 16, 23, 0, tzinfo=CST)
    assert inform_findings(rulebook, limit, APPROVED, on_the_day) == []
    [finding] = inform_findings(rulebook, limit, APPROVED, on_the_day + dt.timedelta(hours=2))
    assert (finding.rule, finding.severity, finding.subject) == (
        "FY-SUPERVISION-INFORM",
        "error",
        CASE,
    )
    assert "2025-10-16" in finding.message_zh and finding.basis == limit.basis


def test_a_late_notice_is_a_finding_too(rulebook: Any) -> None:
    limit = rulebook.part("notifications").inform
    late = _event("inform", "2025-10-20T09:00:00+08:00", "P-SC-03")
    [finding] = inform_findings(
        rulebook, limit, [*APPROVED, late], dt.datetime(2025, 11, 1, tzinfo=CST)
    )
    assert "2025-10-20" in finding.message_en and "late" not in finding.rule


def test_an_inspection_finding_is_reminded_on_its_due_day_unless_rectified(rulebook: Any) -> None:
    inspect = _event(
        "inspect",
        "2025-10-13T10:00:00+08:00",
        "P-C-04",
        findings=[{"category": "legality", "severity": "error", "description": "缺少现场核查记录"}],
    )
    monitor = _replayed(rulebook, [*APPROVED, inspect])
    scheduler = Scheduler(monitor)
    scheduler.observe(inspect)
    due_day = dt.datetime(2025, 10, 27, tzinfo=CST)  # 10 working days after 13 October
    assert scheduler.next_due() == due_day
    assert scheduler.due(due_day - dt.timedelta(seconds=1)) == []
    [reminder] = scheduler.due(due_day)
    assert reminder.trigger == "rectification_due"
    # SC's approval head and the SC item's supervisor (ZJ's Chen Jing), not the inspector
    assert reminder.recipients == ("P-SC-01", "P-ZJ-02")
    rectified = Scheduler(_replayed(rulebook, [*APPROVED, inspect]))
    rectified.observe(inspect)
    rectified.observe(_event("rectify", "2025-10-20T10:00:00+08:00", "P-SC-01", feedback="已补录"))
    assert rectified.due(due_day + dt.timedelta(days=30)) == []


def test_a_draw_tells_each_inspector_of_their_case(rulebook: Any) -> None:
    monitor = _replayed(rulebook, APPROVED)
    scheduler = Scheduler(monitor)
    draw = {
        "month": "2025-10",
        "drawn_on": "2025-11-01",
        "assignment": [{"case": CASE, "department": "SC", "inspector": "P-C-05"}],
    }
    scheduler.assign_inspections(draw)
    scheduler.assign_inspections(draw)  # the same draw again: one notification still
    [assigned] = scheduler.due(dt.datetime(2025, 11, 1, 8, tzinfo=CST))
    assert (assigned.trigger, assigned.recipients, assigned.item) == (
        "inspection_assigned",
        ("P-C-05",),
        "FY-SC-001",
    )


def test_a_trigger_naming_an_unknown_rule_or_role_is_an_error(tmp_path: Any) -> None:
    root = write_rulebook(
        tmp_path,
        {
            "notifications.yaml": """
notifications:
  id: T-NOTIFY
  title: 通知
  basis: 测试
  triggers:
    - {on: red, rules: [NO-SUCH-RULE], to: [handler], basis: 测试}
    - {on: stage_overrun, to: [chief], basis: 测试}
""",
        },
        extends="national",
    )
    assert {"UNKNOWN-REFERENCE"} <= set(codes(fyrules.check(root).problems))


def test_a_rule_trigger_without_rules_is_refused_with_its_reason(tmp_path: Any) -> None:
    root = write_rulebook(
        tmp_path,
        {
            "notifications.yaml": "notifications:\n  id: T\n  title: t\n  basis: b\n"
            "  triggers:\n    - {on: prompt, to: [handler], basis: b}\n",
        },
        extends="national",
    )
    result = fyrules.check(root)
    assert any("rules" in p.message_en for p in result.problems if p.severity == "error")


def _fuyang_with(tmp_path: Any, notifications: str) -> Any:
    import shutil

    from fyrules.examples import rulebook_path

    shutil.copytree(rulebook_path("fuyang"), tmp_path / "fuyang")
    return write_rulebook(
        tmp_path / "local",
        {"notifications.yaml": notifications},
        extends="../fuyang",
    )


def test_a_trigger_naming_a_catalog_rule_is_notify_rule_scope(tmp_path: Any) -> None:
    root = _fuyang_with(
        tmp_path,
        """
notifications:
  id: T-NOTIFY
  title: 通知
  basis: 测试
  triggers:
    - {on: red, rules: [FY-FEE-CITES-BASIS], to: [handler], basis: 测试}
""",
    )
    assert "NOTIFY-RULE-SCOPE" in codes(fyrules.check(root).problems)


def test_the_finding_is_supervision_inform_where_the_rulebook_names_no_rule(tmp_path: Any) -> None:
    root = _fuyang_with(
        tmp_path,
        """
notifications:
  id: T-NOTIFY
  title: 通知
  basis: 测试
  inform: {working_days: 1, basis: 测试（本规则集取值）}
""",
    )
    local = fyrules.load(root)
    assert not fyrules.check(root).problems or all(
        p.severity != "error" for p in fyrules.check(root).problems
    )
    limit = local.part("notifications").inform
    [finding] = inform_findings(local, limit, APPROVED, dt.datetime(2025, 10, 14, tzinfo=CST))
    assert (finding.rule, finding.severity) == ("SUPERVISION-INFORM", "error")


def test_a_draw_replayed_before_its_month_names_each_case_item(rulebook: Any) -> None:
    """``notify --draw`` assigns the draw before it feeds the month's events: each
    notification still names its case's item (read from the events given), not nothing."""
    from fyrules.notifications.replay import replay_notifications

    draw = {
        "month": "2025-10",
        "drawn_on": "2025-11-01",
        "assignment": [{"case": CASE, "department": "SC", "inspector": "P-C-05"}],
    }
    replayed = replay_notifications(
        rulebook.monitor(), APPROVED, dt.datetime(2025, 11, 2, tzinfo=CST), draw=draw
    )
    [assigned] = [n for n in replayed.notifications if n.trigger == "inspection_assigned"]
    assert (assigned.case, assigned.item, assigned.recipients) == (CASE, "FY-SC-001", ("P-C-05",))
