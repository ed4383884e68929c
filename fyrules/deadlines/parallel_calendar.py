"""A project path (:mod:`fyrules.deadlines.parallel`) on the working-day calendar: the date
each item of the project can be accepted, is due, and must be due at the latest, and the
dates the project is done in parallel and one item after another."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from .calendar import WorkingCalendar

if TYPE_CHECKING:
    from .parallel import ProjectPath


@attrs.frozen(slots=True)
class ScheduledItem:
    """An item of a project on the calendar: accepted on ``start`` at the earliest, due on
    ``due``, and due on ``latest_due`` at the latest without delaying the project."""

    code: str
    start: dt.date
    due: dt.date
    latest_due: dt.date
    critical: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "latest_due": self.latest_due.isoformat(),
            "critical": self.critical,
        }


@attrs.frozen(slots=True)
class ProjectPlan:
    """A project path on the calendar: done on ``finish`` in parallel, on ``serial_finish``
    one item after another. ``provisional`` when a date lies in a year whose official
    holiday schedule the rulebook does not have yet."""

    start: dt.date
    finish: dt.date
    serial_finish: dt.date
    items: tuple[ScheduledItem, ...]
    provisional: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "finish": self.finish.isoformat(),
            "serial_finish": self.serial_finish.isoformat(),
            "provisional": self.provisional,
            "items": [item.to_dict() for item in self.items],
        }


def plan_on_calendar(
    path: ProjectPath, calendar: WorkingCalendar, start: dt.date | dt.datetime
) -> ProjectPlan:
    """``path`` on ``calendar`` from ``start`` (a date, or a timezone-aware moment whose
    calendar day is taken): day ``n`` is ``calendar.add_working_days(start, n)``, the same
    count as a deadline ``n`` working days after acceptance."""
    if isinstance(start, dt.datetime):
        start = calendar.local_date(start)
    day0 = start

    def day(n: int) -> dt.date:
        return calendar.add_working_days(day0, n)

    scheduled = tuple(
        ScheduledItem(
            item.code,
            day(item.earliest_start),
            day(item.earliest_finish),
            day(item.latest_finish),
            item.critical,
        )
        for item in path.items
    )
    serial_finish = day(path.serial_total)
    return ProjectPlan(
        start=start,
        finish=day(path.critical_total),
        serial_finish=serial_finish,
        items=scheduled,
        provisional=calendar.spans_provisional(start, serial_finish),
    )
