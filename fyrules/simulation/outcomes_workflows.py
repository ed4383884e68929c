"""Complaint handling and accountability in a generated month (docs/complaints-accountability.md).

Drawn from a random stream of their own, after each case's path is made, so the cases and
every other generated fact stay as they were:

- each complaint is answered by one of the item's acceptors (most within a few working days,
  a few late, a few never) and then ruled substantiated or not by one of its supervisors;
- a case settled after its committed due date (a red card) mostly gets an accountability
  record: an explanation asked for by an inspector, given by the case's reviewer, and a
  decision (one the rulebook's ``accountability:`` section declares) by a leader.

Nothing is added when the rulebook declares no ``complaints:`` / ``accountability:``, or its
roster names no one who may act.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

ANSWERED = 0.9  # of complaints
SUBSTANTIATED = 0.4  # of complaints ruled
ANSWER_LATE = 0.1  # of answers
RECORDED = 0.8  # of red-card cases: an accountability record
DECISION_WEIGHTS = {"no_fault": 3, "warning": 5, "criticism": 2}  # when the rulebook has them


def workflow_events(
    rng: random.Random,
    rulebook: Any,
    item: Any,
    path: list[Any],
    staff: Any,
    zone: ZoneInfo,
) -> list[Any]:
    """``path`` (a case's ``(kind, at, actor, data)`` events) with its complaints answered
    and ruled, and its accountability record if it ran over (see the module's doc)."""
    workflows = rulebook.part("workflows")
    if workflows is None:
        return path
    calendar = rulebook.calendar
    out = list(path)
    if workflows.complaints is not None and staff.supervisors:
        days = workflows.complaints.answer_days
        for kind, at, _actor, _data in path:
            if kind != "complaint" or rng.random() >= ANSWERED:
                continue
            late = rng.random() < ANSWER_LATE
            wait = days + rng.randint(1, 3) if late else rng.randint(0, max(0, days - 1))
            answered = _working_days_later(calendar, zone, at, wait, rng)
            out.append(("complaint_answered", answered, rng.choice(staff.acceptors), {}))
            ruled = _working_days_later(calendar, zone, answered, rng.randint(1, 3), rng)
            substantiated = rng.random() < SUBSTANTIATED
            out.append(
                (
                    "complaint_ruled",
                    ruled,
                    rng.choice(staff.supervisors),
                    {"substantiated": substantiated},
                )
            )
    policy = workflows.accountability
    if policy is not None and staff.leaders and staff.record_keepers:
        overdue = _settled_after_due(calendar, zone, item, path)
        if overdue is not None and rng.random() < RECORDED:
            reviewer = next((a for k, _, a, _ in path if k == "review"), None)
            asked = _working_days_later(calendar, zone, overdue, rng.randint(1, 2), rng)
            out.append(("explanation_requested", asked, rng.choice(staff.record_keepers), {}))
            if reviewer is not None:
                given = _working_days_later(calendar, zone, asked, rng.randint(1, 3), rng)
                text = rng.choice(["现场核查排期延误", "材料补正耗时", "专家评审用时较长"])
                out.append(("explanation_given", given, reviewer, {"text": text}))
                asked = given
            decisions = [d for d in DECISION_WEIGHTS if d in policy.decisions] or list(
                policy.decisions
            )
            weights = [DECISION_WEIGHTS.get(d, 1) for d in decisions]
            decision = rng.choices(decisions, weights)[0]
            decided = _working_days_later(calendar, zone, asked, rng.randint(1, 3), rng)
            out.append(
                (
                    "accountability_decided",
                    decided,
                    rng.choice(staff.leaders),
                    {"decision": decision},
                )
            )
    return out


def _settled_after_due(calendar: Any, zone: ZoneInfo, item: Any, path: list[Any]) -> Any:
    """When a case with a committed limit was completed after its committed due date (no
    pauses or extensions: those move the due date, and such cases are left alone), else
    ``None``."""
    kinds = {k for k, *_ in path}
    if item.committed_days is None or kinds & {"pause", "extend"}:
        return None
    accepted = next((at for k, at, *_ in path if k == "accept"), None)
    completed = next((at for k, at, *_ in path if k == "complete"), None)
    if accepted is None or completed is None:
        return None
    due = calendar.add_working_days(accepted.astimezone(zone).date(), item.committed_days)
    return completed if completed.astimezone(zone).date() > due else None


def _working_days_later(
    calendar: Any, zone: ZoneInfo, at: dt.datetime, days: int, rng: random.Random
) -> dt.datetime:
    """A moment ``days`` working days after ``at`` (an hour or two later on the same day for
    0), in office hours."""
    if days <= 0:
        return at + dt.timedelta(minutes=rng.randint(30, 180))
    day = calendar.add_working_days(at.astimezone(zone).date(), days)
    return dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.randrange(60)), zone)
