"""Deadlines from a host system: an item accepted at a moment, then a real case with a pause.

    python examples/embedding/compute_deadline.py [RULEBOOK]

Loads the Fuyang rulebook (or RULEBOOK), asks for the statutory and committed due dates of the
food business licence (FY-SC-001) accepted on 30 September 2025 — just before the National Day
holiday — and then for the clock of a case whose site survey paused it for four working days
(Fuyang does not count that time in its committed limit; the statutory limit runs on, since a
site survey is not among the procedures of Administrative Licensing Law Art. 45).
docs/embedding.md.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import fyrules

FUYANG = Path(__file__).resolve().parent.parent / "fuyang"


def main(rulebook_path: str | Path = FUYANG) -> int:
    try:
        rb = fyrules.load(rulebook_path)
    except fyrules.RulebookError as error:  # every problem, with file and line
        for problem in error.problems:
            print(problem.format(), file=sys.stderr)
        return 2
    zone = ZoneInfo(rb.timezone)
    item = rb.items["FY-SC-001"]
    print(f"{item.code} {item.name.zh} / {item.name.en}")
    print(f"  statutory {item.statutory_days}, committed {item.committed_days} working days")

    # 1. An item accepted at a moment: its two due dates.
    accepted = dt.datetime(2025, 9, 30, 10, 0, tzinfo=zone)
    clock = rb.deadline("FY-SC-001", accepted)
    print(f"accepted {accepted:%Y-%m-%d %H:%M}:")
    print(f"  committed due {clock.committed_due}, statutory due {clock.statutory_due}")
    print(f"  provisional: {clock.provisional}")

    # 2. A real case from its events: accepted, paused for a site survey, resumed.
    events = [
        fyrules.Event(case="FY-2025-000123", item="FY-SC-001", event=kind, at=at, data=data)
        for kind, at, data in [
            ("accept", dt.datetime(2025, 10, 9, 9, 30, tzinfo=zone), {}),
            (
                "pause",
                dt.datetime(2025, 10, 10, 10, 0, tzinfo=zone),
                {"reason": "site_survey", "notice": "已书面告知"},
            ),
            ("resume", dt.datetime(2025, 10, 15, 10, 0, tzinfo=zone), {}),
        ]
    ]
    as_of = dt.datetime(2025, 10, 16, 12, 0, tzinfo=zone)
    case = rb.case_clock(events, as_of=as_of)
    print(f"case {case.case} as of {as_of:%Y-%m-%d %H:%M}:")
    for pause in case.pauses:
        counted = "counted" if pause.counted else "not counted"
        print(f"  paused for {pause.reason}: {pause.days} working days, {counted}")
    print(f"  working days used {case.used_days}, left {case.committed_remaining}")
    print(f"  committed due {case.committed_due}, statutory due {case.statutory_due}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
