"""What a rulebook offers a search for counterexamples, read once: its items with their case
kinds, processes and committed limits, who holds which role for each item (the roster), the
special procedures and extension limits, and the calendar's edges (holidays on weekdays,
make-up working days on weekends, the days around them, the turn of the year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import attrs

# Years whose calendars the search walks for edges and draws days from: the years of the
# official schedules the `holidays` package publishes with the rulebook's calendar.
DEFAULT_YEARS = (2025, 2026)
# Event streams `fyrules verify` tries by default: about a minute on a shared 2-core machine.
DEFAULT_MAX_EXAMPLES = 2000
_ROLES = ("acceptor", "reviewer", "approver", "approval_head", "supervisor", "inspector", "leader")


@attrs.frozen(slots=True, eq=False)  # compared and hashed by identity: the search caches by item
class ItemPlan:
    """One item as the search uses it."""

    code: str
    department: str
    window: str | None
    kind: str
    committed_days: int | None
    procedures: tuple[tuple[str, int | None], ...]  # special procedures: name, max days
    # role → persons holding it for this item (made-up ids when the rulebook has no roster)
    staff: Mapping[str, tuple[str, ...]]
    # from the item's process: event → the roles its actor needs (at the item's authorization
    # level), event → the roles of whoever approves it (data.approved_by), event → the data
    # keys it must carry; empty where the process says nothing
    needs: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    approved_by: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    data: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    def pool(self, *roles: str) -> tuple[str, ...]:
        """The persons holding any of ``roles``, in a fixed order, without repeats."""
        out: list[str] = []
        for role in roles:
            out.extend(p for p in self.staff.get(role, ()) if p not in out)
        return tuple(out)

    def roles_of(self, kind: str, *fallback: str) -> tuple[str, ...]:
        """The roles the actor of a ``kind`` event needs (``fallback`` where the process names
        none)."""
        return self.needs.get(kind) or fallback

    def several(self, *roles: str) -> tuple[str, ...]:
        """The persons in ``pool(*roles)`` who hold more than one role for this item: where
        separation of duties can break, since one person may act at two stages."""
        held: dict[str, int] = {}
        for people in self.staff.values():
            for p in people:
                held[p] = held.get(p, 0) + 1
        return tuple(p for p in self.pool(*roles) if held[p] > 1)


@attrs.frozen(slots=True)
class Universe:
    """The rulebook's items, roster, calendar edges and limits, for the strategies."""

    rulebook: Any
    zone: ZoneInfo
    items: tuple[ItemPlan, ...]
    days: tuple[dt.date, ...]  # calendar edges first, then ordinary working days
    extension_days: int  # the most a single extension is drawn for


def universe(rulebook: Any, years: tuple[int, ...] = DEFAULT_YEARS) -> Universe:
    """Read ``rulebook`` once for the search."""
    catalog = rulebook.items
    separation = rulebook.part("separation")
    first, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    plans = []
    book = rulebook.part("cases")
    for item in catalog.items.values():
        if not item.centralized:
            continue
        kind = catalog.kind(item)
        process = None
        if book is not None:
            process = book.resolve(item.code, kind, last) or book.resolve(item.code, kind, first)
        plans.append(
            ItemPlan(
                code=item.code,
                department=item.department,
                window=item.window,
                kind=catalog.kind(item) or "commitment",
                committed_days=item.committed_days,
                procedures=tuple((p.name, p.max_days) for p in item.special_procedures),
                staff=_staff(separation, item, first, last),
                **_process_plan(process, item),
            )
        )
    extension = max(
        (int(p.value) for key, p in rulebook.parameters.items() if "extension_days" in key),
        default=10,
    )
    return Universe(
        rulebook=rulebook,
        zone=ZoneInfo(rulebook.timezone),
        items=tuple(plans),
        days=_days(rulebook.calendar, years),
        extension_days=extension + 2,  # a little past the law, so a breach can be drawn
    )


def _staff(separation: Any, item: Any, first: dt.date, last: dt.date) -> dict[str, tuple[str, ...]]:
    dept = item.department
    made_up = {
        "acceptor": (f"{dept}-acceptor-1", f"{dept}-acceptor-2"),
        "reviewer": (f"{dept}-reviewer-1", f"{dept}-reviewer-2"),
        "approver": (f"{dept}-approver-1",),
        "approval_head": (f"{dept}-head",),
        "inspector": (f"{dept}-inspector",),
    }
    if separation is None:
        return made_up
    from ..separation.scopes import Scope, periods_overlap

    target = Scope.of_item(item.code)
    held: dict[str, set[str]] = {role: set() for role in _ROLES}
    for a in separation.assignments:
        if (
            a.role in held
            and separation.policy.directory.contains(a.scope, target)
            and periods_overlap(a.valid_from, a.valid_to, first, last)
        ):
            held[a.role].add(a.person)
    staff = {role: tuple(sorted(people)) for role, people in held.items() if people}
    for role, ids in made_up.items():
        staff.setdefault(role, ids)
    return staff


def _process_plan(process: Any, item: Any) -> dict[str, Any]:
    """What the item's process asks of each event: its actor's roles, its approver's roles,
    the data it must carry."""
    if process is None:
        return {}
    plan: dict[str, Any] = {}
    actors = process.actors
    if actors is not None:
        needs = {}
        for kind, need in actors.roles.items():
            needs[kind] = (
                tuple(need.get(item.authorization, ())) if isinstance(need, dict) else need
            )
        plan["needs"] = needs
        plan["approved_by"] = dict(actors.approved_by)
    if process.requires is not None:
        plan["data"] = dict(process.requires.data)
    return plan


def _days(calendar: Any, years: tuple[int, ...]) -> tuple[dt.date, ...]:
    """Calendar edges first (where the calendar departs from the week, the days around them,
    the first and last days of each year), then every working day."""
    edges: list[dt.date] = []
    working: list[dt.date] = []
    one = dt.timedelta(days=1)
    for year in years:
        d = dt.date(year, 1, 1)
        while d.year == year:
            if calendar.is_working_day(d) != (d.weekday() < 5):
                edges.extend((d - one, d, d + one))
            elif calendar.is_working_day(d):
                working.append(d)
            d += one
        edges.extend((dt.date(year, 1, 1), dt.date(year, 12, 31)))
    seen: set[dt.date] = set()
    ordered = [d for d in (*edges, *working) if not (d in seen or seen.add(d))]  # type: ignore[func-returns-value]
    return tuple(ordered)
