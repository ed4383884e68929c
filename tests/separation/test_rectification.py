"""Inspection outcomes: rectification deadlines in working days, overdue findings, the notice."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from fyrules.cases.events import parse_event
from fyrules.separation.inspection.notification import notification, render_markdown, render_text
from fyrules.separation.inspection.rectification import collect, overdue_findings

ZONE = ZoneInfo("Asia/Shanghai")


def _inspect(case: str, at: str, findings: list, item: str = "FY-SC-001"):
    return parse_event(
        {
            "case": case,
            "item": item,
            "event": "inspect",
            "at": at,
            "actor": "P-C-04",
            "data": {"findings": findings},
        }
    )


def _rectify(case: str, at: str, **data):
    return parse_event(
        {
            "case": case,
            "item": "FY-SC-001",
            "event": "rectify",
            "at": at,
            "actor": "u-SC-a1",
            "data": data,
        }
    )


LEGALITY = {"category": "legality", "severity": "error", "description": "缺少现场核查记录"}
QUALITY = {"category": "quality", "severity": "warning", "description": "审查意见过简"}
NOTE = {"category": "standardization", "severity": "info", "description": "装订顺序"}


def _as_of(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(23, 59), ZONE)


def test_the_deadline_counts_working_days_across_the_national_day_holiday(fuyang):
    """Inspected Friday 26 September 2025: ten working days skip 1–8 October and count the
    make-up Sundays and Saturdays, so rectification is due on 16 October."""
    policy = fuyang.part("inspection")
    events = [_inspect("C-1", "2025-09-26T10:00:00+08:00", [LEGALITY])]
    outcomes = collect(fuyang, policy, events, _as_of("2025-10-16"))
    (finding,) = outcomes.findings
    assert finding.due == dt.date(2025, 10, 16)
    assert outcomes.status(finding) == "pending"
    assert overdue_findings(outcomes, policy) == []
    late = collect(fuyang, policy, events, _as_of("2025-10-17"))
    assert late.status(late.findings[0]) == "overdue"
    (overdue,) = overdue_findings(late, policy)
    doc = overdue.to_dict()
    assert doc["rule"] == "FY-INSPECTION-RECTIFY-OVERDUE" and doc["severity"] == "error"
    assert doc["case"] == "C-1" and "10 个工作日" in doc["basis"]
    assert "2025-10-16" in doc["message"] and "still open" in doc["message_en"]
    assert {"text": "due", "value": "2025-10-16"} in doc["trace"]


def test_a_rectification_on_the_due_day_is_in_time_and_the_next_day_is_late(fuyang):
    policy = fuyang.part("inspection")
    inspected = _inspect("C-1", "2025-09-26T10:00:00+08:00", [LEGALITY])
    on_time = collect(
        fuyang,
        policy,
        [inspected, _rectify("C-1", "2025-10-16T17:30:00+08:00")],
        _as_of("2025-10-31"),
    )
    assert on_time.status(on_time.findings[0]) == "done"
    assert overdue_findings(on_time, policy) == []
    late = collect(
        fuyang,
        policy,
        [inspected, _rectify("C-1", "2025-10-17T09:00:00+08:00", feedback="已补")],
        _as_of("2025-10-31"),
    )
    assert late.status(late.findings[0]) == "late"
    assert late.findings[0].feedback == "已补"
    (finding,) = overdue_findings(late, policy)
    assert "rectified only on 2025-10-17" in finding.message_en


def test_info_findings_need_no_rectification_and_a_rectify_may_name_its_categories(fuyang):
    policy = fuyang.part("inspection")
    events = [
        _inspect("C-2", "2025-10-09T10:00:00+08:00", [LEGALITY, QUALITY, NOTE]),
        _rectify("C-2", "2025-10-10T10:00:00+08:00", categories=["quality"]),
    ]
    outcomes = collect(fuyang, policy, events, _as_of("2025-11-30"))
    status = {f.category: outcomes.status(f) for f in outcomes.findings}
    assert status == {"legality": "overdue", "quality": "done", "standardization": "none"}


def test_an_unreadable_finding_is_reported_and_left_out(fuyang):
    policy = fuyang.part("inspection")
    events = [
        _inspect(
            "C-3",
            "2025-10-09T10:00:00+08:00",
            [{"category": "speed", "severity": "error", "description": "x"}, LEGALITY],
        ),
        _inspect("C-4", "2025-10-09T11:00:00+08:00", "none"),  # type: ignore[arg-type]
    ]
    outcomes = collect(fuyang, policy, events, _as_of("2025-10-31"))
    assert [p.code for p in outcomes.problems] == [
        "INSPECTION-FINDING-INVALID",
        "INSPECTION-FINDING-INVALID",
    ]
    assert "speed" in outcomes.problems[0].message_en
    assert "data.findings[0]" in outcomes.problems[0].message_en
    assert [f.category for f in outcomes.findings] == ["legality"]


def test_the_monthly_notice_counts_departments_categories_and_rectification(fuyang):
    policy = fuyang.part("inspection")
    events = [
        _inspect("C-1", "2025-10-09T10:00:00+08:00", [LEGALITY, QUALITY]),
        _inspect("C-2", "2025-10-10T10:00:00+08:00", []),
        _inspect("C-3", "2025-10-10T11:00:00+08:00", [QUALITY], item="FY-ZJ-001"),
        _rectify("C-1", "2025-10-13T10:00:00+08:00", categories=["quality"]),
        _inspect("C-9", "2025-11-03T10:00:00+08:00", [LEGALITY]),  # next month: not counted
    ]
    as_of = _as_of("2025-10-31")
    outcomes = collect(fuyang, policy, events, as_of)
    report = notification(fuyang, policy, outcomes, dt.date(2025, 10, 1), dt.date(2025, 11, 1))
    depts = {d["department"]: d for d in report["departments"]}
    assert depts["SC"]["cases_inspected"] == 2 and depts["SC"]["findings"] == 2
    assert depts["SC"]["cases_without_findings"] == 1
    assert depts["ZJ"]["cases_inspected"] == 1
    categories = {c["category"]: c for c in report["categories"]}
    assert categories["quality"]["warning"] == 2 and categories["legality"]["error"] == 1
    assert categories["efficiency"]["total"] == 0
    assert report["rectification"] == {
        "working_days": 10,
        "basis": policy.rectify_basis,
        "due": 3,
        "done": 1,
        "late": 0,
        "overdue": 2,  # due on 22 and 24 October
        "pending": 0,
    }
    assert [(f["case"], f["rule"]) for f in report["overdue"]] == [
        ("C-1", "FY-INSPECTION-RECTIFY-OVERDUE"),
        ("C-3", "FY-INSPECTION-RECTIFY-OVERDUE"),
    ]
    text = render_text(report, "en")
    assert "to rectify 3: done in time 1" in text
    markdown = render_markdown(report, "zh")
    assert markdown.startswith("# 2025-10 办件档案抽查通报")
    assert "| 市市场监督管理局 | 2 | 2 | 1 |" in markdown


def test_an_inspection_outside_the_calendar_is_reported_not_raised(fuyang):
    policy = fuyang.part("inspection")
    events = [_inspect("C-5", "2199-10-09T10:00:00+08:00", [LEGALITY])]
    outcomes = collect(fuyang, policy, events, _as_of("2199-12-31"))
    assert outcomes.findings == ()
    assert [p.code for p in outcomes.problems] == ["CALENDAR-OUT-OF-RANGE"]


def test_an_inspection_without_findings_data_is_not_a_case_file_inspection(fuyang):
    """The generator's discipline checks (data.breach, read by the efficiency index) are left
    out of the notice; an empty findings list is an inspection that found nothing."""
    policy = fuyang.part("inspection")
    breach = parse_event(
        {
            "case": "C-6",
            "item": "FY-SC-001",
            "event": "inspect",
            "at": "2025-10-09T10:00:00+08:00",
            "actor": "inspector-SC",
            "data": {"breach": True},
        }
    )
    clean = _inspect("C-7", "2025-10-09T11:00:00+08:00", [])
    outcomes = collect(fuyang, policy, [breach, clean], _as_of("2025-10-31"))
    assert [i[0] for i in outcomes.inspections] == ["C-7"]
    assert outcomes.findings == () and outcomes.problems == ()
