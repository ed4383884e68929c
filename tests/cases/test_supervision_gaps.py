"""No silent gaps in supervision (issue 13, point 4): a finding on a provisional calendar says
so; an event beyond the calendar's range is refused, never accepted with its clock skipped."""

from __future__ import annotations

import json
from pathlib import Path

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
