"""The Administrative Licensing Law as written: the statutory clock against the committed one
(issue 13, point 3). The rule findings are in the rulebook tests (fyrules/baseline/national/
tests/deadlines.yaml, examples/fuyang/tests/law.yaml); here, the dates and days behind them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fyrules.cases.events import Event
from fyrules.cases.monitor import Monitor
from fyrules.cases.state import Accepted, Rejected
from fyrules.deadlines.api import clock_of

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
TZ = dt.timezone(dt.timedelta(hours=8))


def events(item: str, *steps: tuple[str, str] | tuple[str, str, dict]) -> list[Event]:
    return [
        Event(
            case="L",
            item=item,
            event=step[0],
            at=dt.datetime.fromisoformat(step[1]),
            data=step[2] if len(step) > 2 else {},
        )
        for step in steps
    ]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_the_acceptance_cut_off_shapes_the_committed_clock_only(rb):
    clock = clock_of(rb, events("FY-SC-001", ("accept", "2025-10-20T17:30:00+08:00")))
    assert clock.accepted_on == dt.date(2025, 10, 21)  # Fuyang's 17:00 cut-off
    assert clock.statutory_started_on == dt.date(2025, 10, 20)  # never moved by it
    assert clock.statutory_due == dt.date(2025, 11, 3)  # not 11-04
    assert clock.committed_due == dt.date(2025, 10, 28)
    before = clock_of(rb, events("FY-SC-001", ("accept", "2025-10-20T16:30:00+08:00")))
    assert before.statutory_due == clock.statutory_due


def test_a_late_correction_notice_starts_the_statutory_clock_at_receipt(rb):
    steps = [
        ("submit", "2025-10-09T09:00:00+08:00"),
        ("correction_requested", "2025-10-13T09:00:00+08:00"),
        ("corrected", "2025-10-20T09:00:00+08:00"),
        ("accept", "2025-10-20T09:30:00+08:00"),
    ]
    late = clock_of(rb, events("FY-SC-001", *steps))
    assert late.correction_notice_days_used == 3  # 10-10, 10-11 (make-up workday), 10-13
    assert late.statutory_started_on == dt.date(2025, 10, 9)
    assert late.statutory_due == dt.date(2025, 10, 22)
    assert late.committed_due == dt.date(2025, 10, 27)  # the committed clock from acceptance
    on_time = clock_of(
        rb,
        events(
            "FY-SC-001", steps[0], ("correction_requested", "2025-10-09T09:20:00+08:00"), *steps[2:]
        ),
    )
    assert on_time.correction_notice_days_used == 0
    assert on_time.statutory_started_on == dt.date(2025, 10, 20)


def test_an_extension_after_expiry_moves_nothing_and_one_too_long_moves_the_law_s_ten(rb):
    base = [("accept", "2025-10-09T09:00:00+08:00"), ("undertake", "2025-10-09T10:00:00+08:00")]
    ext = {"approved_by": "P-SC-01", "reason": "情况复杂"}
    late = clock_of(
        rb, events("FY-SC-001", *base, ("extend", "2025-10-27T10:00:00+08:00", {"days": 10, **ext}))
    )
    assert late.late_extensions == 1 and late.statutory_extended_days == 0
    assert late.statutory_due == dt.date(2025, 10, 22) and late.statutory_remaining < 0
    long = clock_of(
        rb, events("FY-SC-001", *base, ("extend", "2025-10-20T10:00:00+08:00", {"days": 11, **ext}))
    )
    ten = clock_of(
        rb, events("FY-SC-001", *base, ("extend", "2025-10-20T10:00:00+08:00", {"days": 10, **ext}))
    )
    assert long.extended_days == 11 and long.statutory_extended_days == 10
    assert long.statutory_due == ten.statutory_due == dt.date(2025, 11, 5)


def test_a_report_up_case_has_the_lower_review_limit_and_the_higher_organ_counts_from_receipt(rb):
    clock = clock_of(
        rb,
        events(
            "FY-SC-011",
            ("accept", "2025-09-01T09:00:00+08:00"),
            ("undertake", "2025-09-01T10:00:00+08:00"),
            ("review", "2025-09-26T10:00:00+08:00"),
        ),
        as_of=at("2025-10-20T10:00:00+08:00"),
    )
    assert clock.lower_review_days == 19
    assert clock.statutory_started_on == dt.date(2025, 9, 26)
    # 20 working days after 09-26: 09-28 (Sun, make-up), 09-29, 09-30, then 10-09 onwards
    assert clock.statutory_due == dt.date(2025, 10, 30)


def test_delivery_days_run_from_the_decision(rb):
    clock = clock_of(
        rb,
        events(
            "FY-SC-001",
            ("accept", "2025-10-09T09:00:00+08:00"),
            ("undertake", "2025-10-09T10:00:00+08:00"),
            ("review", "2025-10-10T10:00:00+08:00"),
            ("approve", "2025-10-13T10:00:00+08:00"),
            ("complete", "2025-10-13T11:00:00+08:00"),
            ("deliver", "2025-10-24T11:00:00+08:00"),
        ),
    )
    assert clock.delivery_days_used == 9


def test_only_article_45_procedures_stop_the_statutory_clock(rb):
    def paused(reason: str):
        return clock_of(
            rb,
            events(
                "FY-SC-001",
                ("accept", "2025-10-09T09:00:00+08:00"),
                ("pause", "2025-10-10T10:00:00+08:00", {"reason": reason, "notice": "已告知"}),
                ("resume", "2025-10-15T10:00:00+08:00"),
            ),
            as_of=at("2025-10-16T10:00:00+08:00"),
        )

    survey, expert = paused("site_survey"), paused("expert_review")
    assert survey.paused_days == expert.paused_days == 4  # 10-11 (make-up), 10-13 … 10-15
    assert survey.committed_due == expert.committed_due
    assert survey.statutory_paused_days == 0 and expert.statutory_paused_days == 4
    assert survey.statutory_due < expert.statutory_due
    assert [p.notified for p in survey.pauses] == [True]
    assert rb.items.procedures["inspection"].name.zh == "检验"  # Art. 45's 检验, not a site survey


def test_an_extension_without_the_reasons_told_is_refused(rb):
    m = Monitor(rb)
    base = {"case": "C-1", "item": "FY-SC-001", "dept": "SC", "window": "W02"}
    for kind, actor, when in [
        ("submit", "applicant-1", "09:00"),
        ("accept", "P-SC-11", "09:10"),
        ("undertake", "P-SC-13", "09:20"),
    ]:
        assert isinstance(
            m.feed({**base, "event": kind, "actor": actor, "at": f"2025-10-09T{when}:00+08:00"}),
            Accepted,
        )
    extend = {**base, "event": "extend", "actor": "P-SC-13", "at": "2025-10-10T09:00:00+08:00"}
    out = m.feed({**extend, "data": {"days": 5, "approved_by": "P-SC-01"}})
    assert isinstance(out, Rejected) and out.reason_code == "EVENT-DATA-MISSING"
    assert "data.reason" in out.message_en and "第四十二条第一款" in out.message_zh
    blank = m.feed({**extend, "data": {"days": 5, "approved_by": "P-SC-01", "reason": "  "}})
    assert blank.reason_code == "EVENT-DATA-MISSING"
    told = {"days": 5, "approved_by": "P-SC-01", "reason": "需补充材料核查，已告知申请人"}
    assert isinstance(m.feed({**extend, "data": told}), Accepted)


def test_the_law_log_gives_each_article_its_finding(rb):
    """tests/scenarios/law-clock.jsonl: one case per point of the law, replayed on Fuyang."""
    m = Monitor(rb)
    summary = m.replay_file(SCENARIOS / "law-clock.jsonl")
    assert summary.rejected == 0, list(m.rejected())
    found = {(f.subject, f.rule) for f in m.findings(as_of=at("2025-11-10T10:00:00+08:00"))}
    assert ("LAW-CUTOFF", "NAT-STATUTORY-OVERDUE") in found
    assert ("LAW-NOTICE", "NAT-CORRECTION-NOTICE-LATE") in found
    assert ("LAW-LATE-EXTENSION", "NAT-EXTENSION-BEFORE-EXPIRY") in found
    assert ("LAW-LONG-EXTENSION", "NAT-EXTENSION-WITHIN-LAW") in found
    assert ("LAW-REPORT-UP", "NAT-LOWER-REVIEW-OVERDUE") in found
    assert ("LAW-DELIVERY", "NAT-DELIVERY-OVERDUE") in found
    assert ("LAW-PAUSE", "NAT-PAUSE-NOTICE") in found
    assert ("LAW-PAUSE", "NAT-STATUTORY-OVERDUE") in found  # a site survey: the law's clock ran
