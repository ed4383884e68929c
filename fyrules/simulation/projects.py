"""Events of one investment project's cases, each accepted when its prerequisites are done.

For demos and tests of the project clock (:mod:`fyrules.deadlines.project_clock`): the
target item's approval path (:meth:`fyrules.Rulebook.project_path`), one case per item,
handled by the roster's staff (acceptor, reviewer, a decider at the item's authorization
level), each item's case taking its committed limit, plus ``late`` working days for the items
named there. A case starts on the day the last prerequisite of its stage finishes (the items
of a parallel group start together). Events after ``until`` are left out, so the project can
be seen part way. Deterministic: no random draw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from ..cases.events import (
    GREEN_CHANNEL_FIELD,
    PROJECT_FIELD,
    PROJECT_TARGET_FIELD,
    Event,
)
from .cases import Step, _staff, item_event


def project_events(
    rulebook: Any,
    *,
    project: str,
    target: str,
    start: dt.date,
    late: Mapping[str, int] | None = None,
    green_channel: bool = False,
    until: dt.datetime | None = None,
) -> Iterator[Event]:
    """The events, in time order, of ``project``: a case for each item of ``target``'s path."""
    late = late or {}
    zone = ZoneInfo(rulebook.timezone)
    calendar = rulebook.calendar
    path = rulebook.project_path(target, days="committed")
    items = rulebook.items.items
    group_needs: dict[str, set[str]] = {}
    for code in (i.code for i in path.items):
        group = items[code].parallel_group
        if group is not None:
            group_needs.setdefault(group, set()).update(items[code].depends_on)
    finished: dict[str, dt.date] = {}
    events: list[Event] = []
    day0 = start if calendar.is_working_day(start) else calendar.add_working_days(start, 1)
    for n, stage in enumerate(path.items, start=1):
        item = items[stage.code]
        needs = set(item.depends_on)
        if item.parallel_group is not None:
            members = {
                i.code for i in path.items if items[i.code].parallel_group == item.parallel_group
            }
            needs |= group_needs[item.parallel_group] - members
        begin = max((finished[c] for c in needs if c in finished), default=day0)
        used = stage.days + late.get(stage.code, 0)
        end = calendar.add_working_days(begin, used) if used else begin
        finished[stage.code] = end
        month = (begin.replace(day=1), end)
        who = _staff(item.department, rulebook, item, month)
        reviewer = who.reviewers[0]
        decider = who.decider(who.approvers[0])
        if decider == reviewer and len(who.approvers) > 1:
            decider = who.decider(who.approvers[1])
        review_day = calendar.add_working_days(begin, max(used - 1, 0)) if used > 1 else end
        case = f"{project}-{n:02d}"
        link: dict[str, Any] = {PROJECT_FIELD: project, PROJECT_TARGET_FIELD: target}
        if green_channel:
            link[GREEN_CHANNEL_FIELD] = True
        steps: list[Step] = [
            ("submit", _at(begin, 15, 0, zone), f"applicant-{project}", dict(link)),
            ("accept", _at(begin, 15, 30, zone), who.acceptors[0], {}),
            ("undertake", _at(begin, 16, 0, zone), reviewer, {}),
            ("review", _at(review_day, 9, 30, zone), reviewer, {}),
            ("approve", _at(end, 10, 30, zone), decider, {}),
            ("complete", _at(end, 11, 0, zone), who.acceptors[0], {}),
            ("deliver", _at(end, 11, 30, zone), who.acceptors[0], {}),
        ]
        for k, step in enumerate(steps, start=1):
            if until is not None and step[1] > until:
                break
            events.append(item_event(f"{case}-{k}", case, item, step))
    events.sort(key=lambda e: (e.at, e.id or ""))
    return iter(events)


def _at(day: dt.date, hour: int, minute: int, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), zone)
