"""Case clocks, worked by hand on the 2025 calendar, and their invariants.

2025: 1–8 October is the National Day holiday; Sunday 28 September and Saturday 11 October
are make-up workdays.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fyrules.cases import Event
from fyrules.deadlines import WorkingCalendar
from fyrules.deadlines.clock import (
    STAGE_ORDER,
    ClockError,
    CountingRules,
    ProcedureLimits,
    case_clock,
)

TZ = dt.timezone(dt.timedelta(hours=8))
CAL = WorkingCalendar(2026)
RULES = CountingRules(CAL, "Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def ev(kind: str, when: str, **data) -> Event:
    return Event(case="C", item="I", event=kind, at=at(when), data=data)


def clock(events, statutory=10, committed=5, rules=RULES, **kw):
    return case_clock(
        events, rules=rules, statutory_limit=statutory, committed_limit=committed, **kw
    )


def test_the_day_of_acceptance_is_not_counted_and_holidays_are_skipped():
    c = clock([ev("accept", "2025-09-30 10:00")])
    assert c.committed_due == dt.date(2025, 10, 14)  # 9, 10, 11 (make-up Saturday), 13, 14
    assert c.statutory_due == dt.date(2025, 10, 21)
    assert c.committed_deadline_at == dt.datetime(
        2025, 10, 15, tzinfo=c.committed_deadline_at.tzinfo
    )


def test_counting_the_first_day_when_the_rulebook_says_so():
    rules = CountingRules(CAL, "Asia/Shanghai", first_day_counted=True)
    c = clock([ev("accept", "2025-09-30 10:00")], rules=rules)
    assert c.committed_due == dt.date(2025, 10, 13)  # 30 Sep, 9, 10, 11, 13: day one counts


def test_acceptance_after_the_cutoff_counts_from_the_next_working_day():
    rules = CountingRules(CAL, "Asia/Shanghai", acceptance_cutoff=dt.time(17, 0))
    before = clock([ev("accept", "2025-09-30 16:59")], rules=rules)
    after = clock([ev("accept", "2025-09-30 17:01")], rules=rules)
    assert before.accepted_on == dt.date(2025, 9, 30)
    assert after.accepted_on == dt.date(2025, 10, 9)
    assert after.committed_due == dt.date(2025, 10, 15)


def test_acceptance_in_another_time_zone_is_counted_in_the_rulebooks():
    utc = Event(
        case="C", item="I", event="accept", at=dt.datetime(2025, 9, 29, 23, 0, tzinfo=dt.UTC)
    )
    assert clock([utc]).accepted_on == dt.date(2025, 9, 30)


def test_pause_for_expert_review_stops_the_clock():
    events = [
        ev("accept", "2025-09-30 10:00"),
        ev("pause", "2025-10-09 10:00", reason="expert_review"),
        ev("resume", "2025-10-13 10:00"),
    ]
    c = clock(events, procedures={"expert_review": ProcedureLimits(False, 10)})
    assert c.paused_days == 3  # 10, 11 and 13 October
    assert c.committed_due == dt.date(2025, 10, 17)
    assert c.pauses[0].over_max == 0


def test_a_counted_pause_does_not_move_the_deadline():
    events = [
        ev("accept", "2025-09-30 10:00"),
        ev("pause", "2025-10-09 10:00", reason="public_notice", counted=True),
        ev("resume", "2025-10-13 10:00"),
    ]
    assert clock(events).committed_due == dt.date(2025, 10, 14)


def test_a_pause_past_its_maximum_says_by_how_much():
    events = [
        ev("accept", "2025-09-30 10:00"),
        ev("pause", "2025-10-09 10:00", reason="inspection"),
        ev("resume", "2025-10-20 10:00"),
    ]
    (pause,) = clock(events, procedures={"inspection": ProcedureLimits(False, 5)}).pauses
    assert (pause.days, pause.over_max) == (8, 3)  # 10, 11, 13–17, 20 October


def test_an_open_pause_counts_up_to_as_of():
    events = [ev("accept", "2025-09-30 10:00"), ev("pause", "2025-10-09 10:00", reason="hearing")]
    c = clock(events, as_of=at("2025-10-14 09:00"))
    assert c.state == "paused" and c.paused_days == 4 and c.used_days == 1  # 10, 11, 13, 14


def test_extension_adds_days_to_both_deadlines():
    events = [
        ev("accept", "2025-09-30 10:00"),
        ev("extend", "2025-10-10 10:00", days=10, approved_by="head"),
    ]
    c = clock(events)
    assert c.extended_days == 10
    assert c.statutory_due == CAL.add_working_days(dt.date(2025, 10, 21), 10)


@pytest.mark.parametrize(
    ("done", "settlement", "days"),
    [
        ("2025-10-10 16:00", "early", 3),
        ("2025-10-14 16:00", "on_time", 0),
        ("2025-10-16 09:00", "overdue", 2),
    ],
)
def test_settlement_is_early_on_time_or_overdue_by_working_days(done, settlement, days):
    c = clock([ev("accept", "2025-09-30 10:00"), ev("complete", done)])
    assert (c.settlement, c.settlement_days, c.state) == (settlement, days, "completed")


def test_an_immediate_item_is_due_the_same_day():
    c = clock(
        [ev("accept", "2025-10-09 10:00"), ev("complete", "2025-10-09 11:00")],
        committed=0,
        statutory=3,
    )
    assert c.committed_due == dt.date(2025, 10, 9)
    assert (c.settlement, c.settlement_days) == ("on_time", 0)


def test_a_stage_over_budget_is_named_even_when_the_case_is_on_time():
    events = [
        ev("accept", "2025-11-03 09:00"),
        ev("undertake", "2025-11-03 15:00"),
        ev("review", "2025-11-10 10:00"),
        ev("approve", "2025-11-10 15:00"),
        ev("complete", "2025-11-11 09:00"),
    ]
    c = clock(
        events, statutory=20, committed=12, stage_budgets={"review": 3, "approve": 2, "complete": 1}
    )
    assert c.settlement == "early"
    review = next(s for s in c.stages if s.name == "review")
    assert (review.days, review.over) == (5, 2)
    assert c.late_stages == ["review+2"]


def test_as_of_ignores_later_events():
    events = [ev("accept", "2025-09-30 10:00"), ev("complete", "2025-10-10 16:00")]
    c = clock(events, as_of=at("2025-10-09 12:00"))
    assert c.state == "open" and c.used_days == 1 and c.committed_remaining == 4


def test_no_acceptance_is_clock_not_started():
    with pytest.raises(ClockError) as err:
        clock([ev("submit", "2025-09-30 10:00")])
    assert err.value.problem.code == "CLOCK-NOT-STARTED"


def test_years_past_the_published_schedule_are_provisional():
    c = clock([ev("accept", "2026-12-28 10:00")], statutory=20)
    assert c.provisional


days_2025 = st.dates(dt.date(2025, 1, 2), dt.date(2025, 12, 1))


@given(
    accepted=days_2025,
    limit=st.integers(0, 30),
    pause_start=st.integers(0, 20),
    pause_len=st.integers(0, 15),
    looked=st.integers(0, 60),
)
def test_clock_invariants(accepted, limit, pause_start, pause_len, looked):
    """Due dates are working days; a pause moves the deadline by exactly the working days it
    stopped; days used plus days remaining is the limit; remaining never grows with time."""
    start = dt.datetime.combine(accepted, dt.time(10), TZ)
    p0 = start + dt.timedelta(days=pause_start, hours=1)
    p1 = p0 + dt.timedelta(days=pause_len)
    events = [
        Event(case="C", item="I", event="accept", at=start),
        Event(case="C", item="I", event="pause", at=p0, data={"reason": "testing"}),
        Event(case="C", item="I", event="resume", at=p1),
    ]
    as_of = p1 + dt.timedelta(days=looked)
    c = case_clock(events, rules=RULES, statutory_limit=limit, committed_limit=limit, as_of=as_of)
    plain = case_clock(
        events[:1], rules=RULES, statutory_limit=limit, committed_limit=limit, as_of=as_of
    )
    assert CAL.is_working_day(c.committed_due)
    assert (
        c.committed_due == CAL.add_working_days(plain.committed_due, c.paused_days)
        if c.paused_days
        else c.committed_due == plain.committed_due
    )
    assert c.used_days + c.committed_remaining == limit
    later = case_clock(
        events,
        rules=RULES,
        statutory_limit=limit,
        committed_limit=limit,
        as_of=as_of + dt.timedelta(days=3),
    )
    assert later.committed_remaining <= c.committed_remaining


def test_same_day_limit_in_working_hours_skips_the_lunch_break():
    """Seed: the "four certificates" in 1.5 hours, counted on Fuyang's opening hours."""
    from pathlib import Path

    import fyrules

    rb = fyrules.load(Path(__file__).resolve().parents[2] / "examples" / "fuyang")
    events = [
        Event(case="C", item="FY-ZR-003", event="accept", at=at("2025-10-09 11:00")),
        Event(case="C", item="FY-ZR-003", event="complete", at=at("2025-10-09 13:50")),
    ]
    c = rb.case_clock(events)
    assert c.committed_deadline_at == at("2025-10-09 14:00")  # 11:00–12:00, then 13:30–14:00
    assert c.hours_used == pytest.approx(4 / 3, abs=1e-3) and c.hours_settlement == "early"


# --- the clock's one-pass reading of its events, against the scans it replaced ---------------

_KINDS = (
    *STAGE_ORDER,
    "deny",
    "pause",
    "resume",
    "withdraw",
    "reject",
    "correction_requested",
)


def _reference_stages(ordered, rules, pauses, budgets, now):
    """Each stage as the clock derived it before its one pass: scanning the events in time
    order for each milestone (the first event ending each stage, a denial ending approval)."""
    day = rules.local_date
    milestones, reached = [], set()
    for e in ordered:
        name = {"deny": "approve"}.get(e.event, e.event)
        if name in STAGE_ORDER and name not in reached:
            reached.add(name)
            milestones.append((name, e.at))
    out = []
    count = rules.calendar.count_working_days

    def paused(start, end):
        return sum(
            count(
                day(max(p.started_at, start)) + dt.timedelta(days=1),
                day(min(p.ended_at or end, end)),
            )
            for p in pauses
            if not p.counted and min(p.ended_at or end, end) > max(p.started_at, start)
        )

    for (_, started), (name, ended) in itertools.pairwise(milestones):
        days = count(day(started) + dt.timedelta(days=1), day(ended)) - paused(started, ended)
        out.append((name, started, ended, max(0, days), budgets.get(name)))
    if milestones and not any(e.event in {"withdraw", "reject"} for e in ordered):
        last, since = milestones[-1]
        after = STAGE_ORDER[STAGE_ORDER.index(last) + 1 :]
        running = next((s for s in after if s in budgets), None)
        if running is not None and now > since:
            days = count(day(since) + dt.timedelta(days=1), day(now)) - paused(since, now)
            out.append((running, since, None, max(0, days), budgets.get(running)))
    return out


@given(
    kinds=st.lists(st.sampled_from(_KINDS), min_size=1, max_size=14),
    gaps=st.lists(st.integers(0, 3 * 24 * 60), min_size=14, max_size=14),
    looked=st.one_of(st.none(), st.integers(0, 40 * 24 * 60)),
)
def test_stages_and_firsts_read_in_one_pass_are_those_of_scanning_the_events(kinds, gaps, looked):
    """Whatever the kinds and their order (denial before approval, repeats, endings, pauses),
    the clock's stages and its 'first event of a kind' answers (correction notice, decision,
    delivery) are those of scanning the events in time order for each, as it did before."""
    start = at("2025-11-03 09:00")
    events, when = [ev("accept", "2025-11-03 09:00")], start
    for kind, gap in zip(kinds, gaps, strict=False):
        when += dt.timedelta(minutes=gap)
        data = {"reason": "expert_review"} if kind == "pause" else {}
        events.append(Event(case="C", item="I", event=kind, at=when, data=data))
    as_of = None if looked is None else start + dt.timedelta(minutes=looked)
    budgets = {"undertake": 1, "review": 3, "approve": 2, "complete": 1, "deliver": 2}
    c = clock(events, statutory=20, committed=12, stage_budgets=budgets, as_of=as_of)
    ordered = sorted((e for e in events if as_of is None or e.at <= as_of), key=lambda e: e.at)
    got = [(s.name, s.started_at, s.ended_at, s.days, s.budget) for s in c.stages]
    assert got == _reference_stages(ordered, RULES, c.pauses, budgets, c.as_of)
    approve = next((e for e in ordered if e.event == "approve"), None)
    if approve is not None:
        deliver = next((e for e in ordered if e.event == "deliver"), None)
        until = c.as_of if deliver is None else deliver.at
        expected = CAL.count_working_days(
            RULES.local_date(approve.at) + dt.timedelta(days=1), RULES.local_date(until)
        )
        assert c.delivery_days_used == expected
    else:
        assert c.delivery_days_used is None
