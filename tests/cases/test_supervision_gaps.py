"""No silent gaps in supervision (issue 13, point 4): a finding on a provisional calendar says
so; an event beyond the calendar's range is refused, never accepted with its clock skipped."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from fyrules.cases.monitor import Monitor
from fyrules.cli import main
from tests.conftest import FUYANG, fuyang_rulebook

LOG = Path(__file__).resolve().parents[1] / "scenarios" / "provisional-and-out-of-range.jsonl"


def test_a_finding_on_a_provisional_calendar_says_so_and_one_beyond_the_range_is_refused():
    m = Monitor(fuyang_rulebook())
    m.replay_file(LOG)
    found = m.findings()
    red = [f for f in found if f.subject == "FY-2026-P1" and f.rule == "FY-RED-CARD"]
    assert red and all(f.provisional is True for f in red)
    refused = [(r["event"]["id"], r["reason"]) for r in m.rejected()]
    assert refused == [("f-1", "CALENDAR-OUT-OF-RANGE"), ("f-2", "CALENDAR-OUT-OF-RANGE")]
    assert m.store.get_case("FY-2032-F1") is None


def test_a_finding_on_a_published_calendar_is_final():
    m = Monitor(fuyang_rulebook())
    for n, (kind, actor, at) in enumerate(
        [("accept", "P-SC-11", "2025-10-09T09:00"), ("undertake", "P-SC-13", "2025-10-09T10:00")]
    ):
        m.feed(
            {
                "id": f"e{n}",
                "case": "C-1",
                "item": "FY-SC-001",
                "event": kind,
                "actor": actor,
                "at": f"{at}:00+08:00",
            }
        )
    import datetime as dt

    later = dt.datetime(2025, 11, 3, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert [f.provisional for f in m.findings(later) if f.rule == "FY-RED-CARD"] == [False]


def test_evaluate_marks_provisional_findings_and_lists_the_out_of_range_events(capsys):
    code = main(["evaluate", str(FUYANG), str(LOG)])
    out = capsys.readouterr().out
    assert code == 1
    assert "FY-RED-CARD [FY-2026-P1] （暂定 / provisional）" in out
    assert "CALENDAR-OUT-OF-RANGE" in out
    main(["evaluate", str(FUYANG), str(LOG), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert {r["reason"] for r in doc["rejected"]} == {"CALENDAR-OUT-OF-RANGE"}


EDGE = Path(__file__).resolve().parents[1] / "scenarios" / "due-date-past-the-calendar.jsonl"


def test_a_case_whose_due_date_lies_past_the_calendar_is_reported_not_left_without_a_clock():
    """Accepted on 2031-12-29, inside the calendar (to 2031-12-31), but its 10 committed
    working days end in 2032: the case is accepted, and reported with CALENDAR-OUT-OF-RANGE
    saying its deadlines cannot be counted, instead of silently getting no warnings."""
    import datetime as dt

    m = Monitor(fuyang_rulebook())
    m.replay_file(EDGE)
    assert not list(m.rejected())
    end = dt.datetime(2031, 12, 31, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    (found,) = m.findings(end)
    assert (found.rule, found.subject, found.severity) == (
        "CALENDAR-OUT-OF-RANGE",
        "FY-2031-E1",
        "error",
    )
    assert "2031-12-29 之后第 10 个工作日" in found.message_zh
    assert "publish that year's holiday schedule" in found.message_en


def test_evaluate_exits_1_for_a_case_it_cannot_count(capsys):
    code = main(["evaluate", str(FUYANG), str(EDGE), "--at", "2031-12-31T12:00:00+08:00"])
    out = capsys.readouterr().out
    assert code == 1
    assert "CALENDAR-OUT-OF-RANGE [FY-2031-E1]" in out


@settings(max_examples=60, deadline=None)
@given(
    edge=st.sampled_from(["first", "last"]),
    minutes=st.integers(-3 * 24 * 60, 3 * 24 * 60),
    offset=st.integers(-12 * 60, 14 * 60),  # the offsets of real time zones
)
def test_an_event_near_the_calendars_ends_is_refused_exactly_when_its_local_day_is_outside(
    edge, minutes, offset
):
    """Whatever its UTC offset, an event within three days of the calendar's first or last day
    is refused (CALENDAR-OUT-OF-RANGE) exactly when its date in the rulebook's time zone lies
    outside the calendar: the monitor's quick test of the instant never decides otherwise."""
    rulebook = fuyang_rulebook()
    calendar = rulebook.calendar
    day = calendar.first_day if edge == "first" else calendar.last_day
    zone = dt.timezone(dt.timedelta(minutes=offset))
    at = dt.datetime.combine(day, dt.time(12), zone) + dt.timedelta(minutes=minutes)
    event = {"case": "FY-EDGE-1", "item": "FY-SC-001", "event": "submit", "at": at.isoformat()}
    outcome = Monitor(rulebook).feed(event)
    local = at.astimezone(ZoneInfo(rulebook.timezone)).date()
    outside = not calendar.first_day <= local <= calendar.last_day
    assert (getattr(outcome, "reason_code", None) == "CALENDAR-OUT-OF-RANGE") == outside
