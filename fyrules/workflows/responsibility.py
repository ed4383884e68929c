"""Who held a case when it ran over (问责到环节、到人): the seed's "which link, and why".

A red card (the committed deadline passed), a statutory overdue, or a stage over its budget
names one holder: the stage in progress at the moment the deadline passed, the person who
held the case then and their department, and the basis. The person is read from the case's
``handlers`` (who acted at each staff event, and when):

- the stage in progress is the one that started before the deadline passed and had not ended
  (a stage is named after the event that ends it: ``review`` runs from ``undertake`` to
  ``review``);
- if that stage has ended since, its holder is the person whose event ended it (``acted``);
- if it is still under way, the case is still with the last person who handled it before the
  deadline passed (``acted`` is false): no one has taken the stage up.

The department is the one the holder's event names, else the case's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

STAGE_OF_EVENT = {"deny": "approve"}  # a denial ends the approval stage (as the clock counts)


def holder(
    *,
    deadline: str,
    clock: Any,
    state: Mapping[str, Any],
    calendar: Any,
    zone: Any,
    rule: str,
    basis: str,
) -> dict[str, Any] | None:
    """The holder of an overdue ``clock`` (a :class:`~fyrules.deadlines.clock.CaseClock`) for a
    ``deadline`` (``committed``, ``statutory`` or ``stage``), as JSON; ``None`` when that
    deadline has not run over."""
    stages = clock.stages
    if deadline == "stage":
        late = [s for s in stages if s.over > 0 and s.budget is not None]
        if not late:
            return None
        stage = min(late, key=lambda s: _stage_due(s, calendar, zone))
        due = _stage_due(stage, calendar, zone)
    else:
        due = clock.committed_due if deadline == "committed" else clock.statutory_due
        remaining = (
            clock.committed_remaining if deadline == "committed" else clock.statutory_remaining
        )
        if due is None or remaining is None or remaining >= 0:
            return None
        stage = _in_progress(stages, _end_of(due, zone))
    passed = _end_of(due, zone)
    person, dept, acted = _who(stage, passed, state)
    return {
        "rule": rule,
        "deadline": deadline,
        "due": due.isoformat(),
        "stage": stage.name if stage is not None else None,
        "person": person,
        "dept": dept,
        "acted": acted,
        "basis": basis,
    }


def _end_of(day: dt.date, zone: Any) -> dt.datetime:
    """The moment ``day`` ends: a deadline passes then."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)


def _stage_due(stage: Any, calendar: Any, zone: Any) -> dt.date:
    """The last working day of a stage's budget (counted from the day after it started)."""
    started = stage.started_at.astimezone(zone).date()
    return calendar.add_working_days(started, int(stage.budget))  # type: ignore[no-any-return]


def _in_progress(stages: Sequence[Any], moment: dt.datetime) -> Any:
    """The stage under way at ``moment``: started before it and not ended by it; the last
    stage when every stage ended earlier (the case settled late), ``None`` without stages."""
    for stage in stages:
        if stage.started_at <= moment and (stage.ended_at is None or moment < stage.ended_at):
            return stage
    return stages[-1] if stages else None


def _who(stage: Any, passed: dt.datetime, state: Mapping[str, Any]) -> tuple[str | None, Any, bool]:
    handlers = [
        (kind, dt.datetime.fromisoformat(at), actor, dept)
        for kind, at, actor, dept in state.get("handlers", ())
    ]
    case_dept = state.get("dept")
    if stage is not None and stage.ended_at is not None:
        for kind, at, actor, dept in handlers:
            if STAGE_OF_EVENT.get(kind, kind) == stage.name and at == stage.ended_at:
                return actor, dept or case_dept, True
    before = [h for h in handlers if h[1] < passed and h[2]]
    if before:
        _, _, actor, dept = before[-1]
        return actor, dept or case_dept, False
    return None, case_dept, False
