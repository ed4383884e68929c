"""A reproducible month of inspection outcomes for a draw, for demos, tests and benchmarks.

``outcome_events(rulebook, draw, cases, seed=7)`` gives, for every assigned case, its
``inspect`` event in the month after the draw's month (on a working day, by the assigned
inspector), with problems found in some files, and ``rectify`` events for most of those
problems: in time, late, or (a few) never, as the monthly notification should show. The same
inputs always give the same events. Only a complete draw has outcomes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from ..cases.events import Event
from ..separation.inspection.draw import Draw, month_bounds
from ..separation.inspection.eligibility import CaseFacts

WITH_PROBLEMS = 0.3  # share of inspected files with problems
LATE = 0.15  # share of rectifications done after the deadline
NEVER = 0.1  # share never rectified
DESCRIPTIONS = {
    "quality": ("审查意见过于简单，未说明理由", "缺少申请材料核验记录"),
    "efficiency": ("承办环节超出环节时限", "办结后未及时送达"),
    "legality": ("缺少法定的现场核查记录", "决定文书未载明法律依据"),
    "standardization": ("卷宗材料排列不规范", "文书未加盖印章"),
}


def outcome_events(
    rulebook: Any, result: Draw, cases: Iterable[CaseFacts], *, seed: int = 7
) -> list[Event]:
    """The inspections of ``result``'s assigned cases and their rectifications, in time order."""
    if result.assignment is None:
        return []
    policy = rulebook.part("inspection")
    zone = ZoneInfo(rulebook.timezone)
    calendar = rulebook.calendar
    facts = {c.case: c for c in cases}
    rng = random.Random(f"{seed}:{result.month}:{result.seed}")
    start, _ = month_bounds(f"{result.drawn_on:%Y-%m}")
    workdays = [calendar.add_working_days(start, n) for n in range(0, 15)]
    categories = sorted(policy.categories)
    out: list[Event] = []
    for n, case in enumerate(result.sample, start=1):
        fact = facts[case]
        day = rng.choice(workdays)
        at = dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.randrange(60)), zone)
        if fact.last_at is not None:  # never before the case's last event (a late rating …)
            at = max(at, dt.datetime.fromisoformat(fact.last_at) + dt.timedelta(hours=1))
            day = at.astimezone(zone).date()
        found = []
        if rng.random() < WITH_PROBLEMS:
            for category in rng.sample(categories, rng.randint(1, 2)):
                texts = DESCRIPTIONS.get(category, ("发现问题",))
                found.append(
                    {
                        "category": category,
                        "severity": rng.choice(["error", "warning", "warning", "info"]),
                        "description": rng.choice(texts),
                    }
                )
        out.append(
            Event(
                id=f"i-{result.month}-{n:06d}",
                event="inspect",
                at=at,
                actor=result.assignment[case],
                data={"findings": found},
                case=case,
                item=fact.item,
                dept=fact.department,
            )
        )
        if not any(f["severity"] in policy.rectify_severities for f in found):
            continue
        roll = rng.random()
        if roll < NEVER:
            continue
        days = (
            policy.rectify_days + rng.randint(1, 5)
            if roll < NEVER + LATE
            else rng.randint(1, policy.rectify_days)
        )
        when = dt.datetime.combine(
            calendar.add_working_days(day, days),
            dt.time(rng.randint(9, 16), rng.randrange(60)),
            zone,
        )
        out.append(
            Event(
                id=f"r-{result.month}-{n:06d}",
                event="rectify",
                at=when,
                actor=_rectifier(rulebook, fact.item, when.astimezone(zone).date())
                or f"u-{fact.department}-a1",
                data={"feedback": "已按通报要求整改并补齐材料"},
                case=case,
                item=fact.item,
                dept=fact.department,
            )
        )
    out.sort(key=lambda e: (e.at, e.id))
    return out


def _rectifier(rulebook: Any, item: str, day: dt.date) -> str | None:
    """The first person the roster lets answer a rectification of ``item`` on ``day`` (the
    process's ``actors`` say who), or ``None`` when the rulebook checks no roster."""
    from ..separation.acting import ActingCheck

    acting = ActingCheck(rulebook)
    book = rulebook.part("cases")
    if acting.idle or book is None:
        return None
    process = book.resolve(item, rulebook.items.kind(rulebook.items[item]), day)
    found = acting.eligible(process, "rectify", item, day)
    return found[0] if found else None
