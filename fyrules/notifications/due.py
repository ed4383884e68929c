"""What is due for one case at one moment (the brute-force primitive the scheduler is checked
against), and the next moment that can change it.

A case's clock moves in working days: ``committed_remaining``, a stage's days and every other
day-based value of the ``case`` scope change only at the local midnight that starts a working
day, so between two events of a case the set of notifications that fire for it can only change
then.
:func:`next_crossing` steps the case's midnights from a moment on until one fires a key not yet
notified, or until the case is past every deadline and stage budget it has (nothing new can fire
then without a new event). Rules that read working *hours* change within a day: they are not
meant for triggers (see docs/notifications.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from ..deadlines.api import clock_findings
from ..separation.acting import ActingCheck
from ..separation.scopes import Scope, periods_overlap
from .extension import NotificationPolicy, Trigger
from .port import Notification

MAX_SCAN_DAYS = 400  # calendar days one scan looks ahead at most (a year and a margin)


def notification_key(case: str, trigger: str, detail: str | None = None) -> str:
    """The dedup key: once per trigger per case (per stage, per rectified finding)."""
    return f"{case}|{trigger}" if detail is None else f"{case}|{trigger}|{detail}"


class Recipients:
    """Who the rulebook's recipient words name for an item on a day: ``handler`` (the last
    actor of the case's current stage), ``inspector``, or every person holding a role for the
    item that day (on the roster that day). In the order of the roster's assignments, without
    repeats."""

    def __init__(self, rulebook: Any):
        separation = rulebook.part("separation")
        self._acting = ActingCheck(rulebook)
        self._directory = separation.policy.directory if separation is not None else None
        by_role: dict[str, list[Any]] = {}
        for a in separation.assignments if separation is not None else ():
            by_role.setdefault(a.role, []).append(a)
        self._by_role = by_role
        self._cache: dict[tuple[str, str, dt.date], tuple[str, ...]] = {}

    def holders(self, role: str, item: str, on: dt.date) -> tuple[str, ...]:
        """Everyone holding ``role`` for ``item`` on ``on``."""
        key = (role, item, on)
        found = self._cache.get(key)
        if found is None:
            directory, target = self._directory, Scope.of_item(item)
            people: list[str] = []
            for a in self._by_role.get(role, ()):
                if (
                    directory is not None
                    and a.person not in people
                    and periods_overlap(a.valid_from, a.valid_to, on, on)
                    and directory.contains(a.scope, target)
                    and self._acting.on_roster(a.person, on)
                ):
                    people.append(a.person)
            found = self._cache[key] = tuple(people)
        return found

    def resolve(
        self,
        names: tuple[str, ...],
        item: str,
        on: dt.date,
        *,
        handler: str | None = None,
        inspector: str | None = None,
    ) -> tuple[str, ...]:
        """The person ids ``names`` stand for (see the class)."""
        out: list[str] = []
        for name in names:
            if name == "handler":
                found: tuple[str, ...] = (handler,) if handler else ()
            elif name == "inspector":
                found = (inspector,) if inspector else ()
            else:
                found = self.holders(name, item, on)
            out.extend(p for p in found if p not in out)
        return tuple(out)


def handler_of(state: Mapping[str, Any]) -> str | None:
    """Whoever acted last at the case's current stage."""
    actors = state.get("actors") or {}
    at_stage = actors.get(state.get("stage"), ())
    return at_stage[-1] if at_stage else None


class CaseNotices:
    """The notifications that fire for open cases of one monitor (see the module's doc)."""

    def __init__(self, monitor: Any, policy: NotificationPolicy):
        self.monitor = monitor
        self.rulebook = monitor.rulebook
        self.policy = policy
        self.recipients = Recipients(self.rulebook)
        self.zone = ZoneInfo(self.rulebook.timezone)
        self._by_rule = policy.rule_triggers()
        self._calendar = self.rulebook.calendar

    def firing(self, state: Mapping[str, Any], as_of: dt.datetime) -> list[Notification]:
        """Every notification whose threshold the case has crossed as of ``as_of`` (not
        deduplicated: the caller drops keys already notified)."""
        clock = self.monitor.case_clock(state, as_of)
        if clock is None:
            return []
        return self._from_clock(state, clock, as_of)

    def _from_clock(
        self, state: Mapping[str, Any], clock: Any, as_of: dt.datetime
    ) -> list[Notification]:
        triggers = self.policy.triggers
        out: list[Notification] = []
        for on, detail, what in self._crossed(clock):
            if on == "stage_overrun":
                stage = what
                out.append(
                    self._make(
                        state,
                        triggers[on],
                        detail,
                        as_of,
                        None,
                        f"环节 {stage.name} 已用 {stage.days} 个工作日，超出时限 {stage.budget} "
                        f"个工作日，请及时办理",
                        f"stage {stage.name} has taken {stage.days} working days, over its "
                        f"budget of {stage.budget}: act on it now",
                        None,
                    )
                )
            else:
                finding = what
                out.append(
                    self._make(
                        state,
                        triggers[on],
                        None,
                        as_of,
                        finding.rule,
                        finding.message_zh,
                        finding.message_en,
                        finding.basis,
                    )
                )
        return out

    def _crossed(self, clock: Any) -> list[tuple[str, str | None, Any]]:
        """(trigger, detail, the finding or stage) of each threshold the clock has crossed."""
        out: list[tuple[str, str | None, Any]] = []
        if self._by_rule:
            seen: set[str] = set()
            for finding in clock_findings(self.rulebook, clock):
                on = self._by_rule.get(finding.rule)
                if on is not None and on not in seen:
                    seen.add(on)
                    out.append((on, None, finding))
        if "stage_overrun" in self.policy.triggers:
            out.extend(("stage_overrun", s.name, s) for s in clock.stages if s.over > 0)
        return out

    def _make(
        self,
        state: Mapping[str, Any],
        trigger: Trigger,
        detail: str | None,
        as_of: dt.datetime,
        rule: str | None,
        zh: str,
        en: str,
        rule_basis: str | None,
    ) -> Notification:
        case, item = state["case"], state["item"]
        day = as_of.astimezone(self.zone).date()
        recipients = self.recipients.resolve(trigger.to, item, day, handler=handler_of(state))
        basis = trigger.basis if rule_basis is None else f"{trigger.basis}；{rule_basis}"
        return Notification(
            key=notification_key(case, trigger.on, detail),
            trigger=trigger.on,
            case=case,
            item=item,
            department=self._department(state),
            at=as_of,
            recipients=recipients,
            roles=trigger.to,
            rule=rule,
            message_zh=zh,
            message_en=en,
            basis=basis,
        )

    def _department(self, state: Mapping[str, Any]) -> str | None:
        spec = self.rulebook.items.items.get(state["item"])
        department = getattr(spec, "department", None)
        return department if department is not None else state.get("dept")

    def next_crossing(
        self, state: Mapping[str, Any], after: dt.datetime, notified: Container[str]
    ) -> dt.datetime | None:
        """The first local midnight after ``after`` at which a notification not in
        ``notified`` fires for the case, or ``None`` when none can without a new event."""
        clock = self.monitor.case_clock(state, after)
        if clock is None:
            return None
        horizon = _horizon(clock)  # working days after which nothing new can fire
        calendar = self._calendar
        day = after.astimezone(self.zone).date()
        working = 0
        for _ in range(MAX_SCAN_DAYS):
            day += dt.timedelta(days=1)
            if day > calendar.last_day:
                return None
            if not calendar.is_working_day(day):
                continue  # working-day counts do not move at the start of a day off
            moment = dt.datetime.combine(day, dt.time(0), self.zone)
            clock = self.monitor.case_clock(state, moment)
            if clock is None:
                return None
            case = state["case"]
            if any(
                notification_key(case, on, detail) not in notified
                for on, detail, _ in self._crossed(clock)
            ):
                return moment
            working += 1
            if working > horizon:
                return None
        return None


def _horizon(clock: Any) -> int:
    """Working days until the case is past its deadlines and every open stage's budget, and
    a margin of two: no day-based threshold is crossed after that without an event."""
    left = [0]
    for remaining in (clock.committed_remaining, clock.statutory_remaining):
        if remaining is not None:
            left.append(remaining)
    for stage in clock.stages:
        if stage.ended_at is None and stage.budget is not None:
            left.append(stage.budget - stage.days)
    return max(left) + 2
