"""Supervision after approval (审后监管) in a generated month (docs/notifications.md).

After each approval the licensing department tells the supervising department (an ``inform``
event, ``data.to``: the department of the first person the roster names to supervise the
item, when it names one). Most notices go out within the rulebook's limit
(``notifications.inform.working_days``), a few after it, and a few never, as supervision
should notice. Drawn from a random stream of their own, after each case's path is made, so the
cases and every other generated fact stay as they were. Nothing is added when the rulebook
sets no ``notifications.inform`` limit.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

LATE = 0.03  # of approvals: told after the limit
MISSING = 0.02  # of approvals: never told


def inform_events(
    rng: random.Random,
    rulebook: Any,
    path: list[Any],
    supervisors: tuple[str, ...],
    zone: ZoneInfo,
) -> list[Any]:
    """``path`` (a case's ``(kind, at, actor, data)`` events) with the notice of its approval
    to the supervising department, told by the window's acceptor of the case (a decider of a
    higher authorization level is not a licensing department's clerk; see the module's doc)."""
    policy = rulebook.part("notifications")
    limit = policy.inform if policy is not None else None
    # the approval that stands: the last (a reviewer's own, refused, may come before it)
    approval = next((e for e in reversed(path) if e[0] == "approve"), None)
    acceptance = next((e for e in path if e[0] == "accept"), None)
    if limit is None or approval is None or acceptance is None:
        return path
    roll = rng.random()
    if roll < MISSING:
        return path
    approved, acceptor = approval[1], acceptance[2]
    if roll < MISSING + LATE:
        days = limit.working_days + rng.randint(1, 4)
    else:  # mostly the same or the next working day
        days = rng.choice([0, 0, 1, 1, 2, limit.working_days]) if limit.working_days else 0
    if days <= 0:
        told = approved + dt.timedelta(minutes=rng.randint(20, 120))
    else:
        day = rulebook.calendar.add_working_days(approved.astimezone(zone).date(), days)
        told = dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.randrange(60)), zone)
    data = {}
    to = _department(rulebook, supervisors)
    if to is not None:
        data["to"] = to
    return [*path, ("inform", told, acceptor, data)]


def _department(rulebook: Any, supervisors: tuple[str, ...]) -> str | None:
    """The department of the first of ``supervisors`` the roster knows, or ``None``."""
    separation = rulebook.part("separation")
    persons = separation.persons if separation is not None else {}
    for person in supervisors:
        spec = persons.get(person)
        if spec is not None and getattr(spec, "department", None):
            return str(spec.department)
    return None
