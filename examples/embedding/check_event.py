"""Check events as they arrive, the way an approval system would call fyrules.

    python examples/embedding/check_event.py [RULEBOOK]

A monitor on the Fuyang rulebook (or RULEBOOK) with an in-memory store is fed a legal event
(the case is accepted), an illegal one (approved before anyone reviewed it), a malformed one
and a duplicate delivery; for each it prints Accepted, Rejected with the reason, or Duplicate.
Then it prints the findings as of a later moment: the case was never settled, so it is past its
committed deadline. docs/embedding.md.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import fyrules

FUYANG = Path(__file__).resolve().parent.parent / "fuyang"

CASE = {"case": "FY-2025-000123", "item": "FY-SC-001", "dept": "SC", "window": "W02"}
ACCEPT = {
    **CASE,
    "id": "e-1",
    "event": "accept",
    "at": "2025-10-09T09:30:00+08:00",
    "actor": "P-SC-11",
}
APPROVE = {
    **CASE,
    "id": "e-2",
    "event": "approve",
    "at": "2025-10-09T10:00:00+08:00",
    "actor": "P-SC-15",
}
MALFORMED = {**CASE, "id": "e-3", "event": "accept", "at": "yesterday"}
EVENTS = [
    ("a legal event", ACCEPT),
    ("approve before review", APPROVE),
    ("a malformed event", MALFORMED),
    ("the first event again", ACCEPT),  # a duplicate delivery: same id
]


def main(rulebook_path: str | Path = FUYANG) -> int:
    try:
        rb = fyrules.load(rulebook_path)
    except fyrules.RulebookError as error:
        for problem in error.problems:
            print(problem.format(), file=sys.stderr)
        return 2
    monitor = rb.monitor(store=fyrules.MemoryStore())
    for label, event in EVENTS:
        outcome = monitor.feed(event)  # never raises on bad input
        name = type(outcome).__name__
        if outcome.ok:
            print(f"{label}: {event.get('event')} -> {name}")
        else:
            print(f"{label}: {event.get('event')} -> {name} {outcome.reason_code}")
            print(f"    {outcome.message_en}")

    as_of = dt.datetime(2025, 10, 20, 12, 0, tzinfo=ZoneInfo(rb.timezone))
    findings = monitor.findings(as_of=as_of)
    print(f"findings as of {as_of.isoformat()}: {len(findings)}")
    for finding in findings:  # fyrules.Finding objects; finding.to_dict() is their JSON
        rule, case = finding.rule, finding.subject
        print(f"  {finding.severity} {rule} {case}: {finding.message_en}")
        print(f"    basis: {finding.basis}")
    print(f"rejected events kept with their reasons: {len(list(monitor.rejected()))}")
    print(f"trail head: {monitor.store.trail_head()['hash'][:16]}…")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
