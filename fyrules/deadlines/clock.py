"""Case clocks: how many working days a case has used, when it is due, and how it settled.

The clock starts at ``accept``. Counting follows the rulebook's conventions (parameters):

- ``first_day_counted`` (false in the baseline, Civil Code Art. 201): the day of acceptance is
  not counted, so a 5-day limit ends with the 5th working day after the day of acceptance;
- ``acceptance_cutoff`` (optional, ``"HH:MM"``): acceptance after that time of day counts as
  acceptance on the next working day;
- a deadline ends at the end of its last working day, in the rulebook's time zone.

``pause``/``resume`` stop the clock for special procedures that are not counted (Art. 45): the
working days after the day a pause starts, up to and including the day it ends, do not count.
``extend`` adds working days to both deadlines. Settlement (``complete``) is *early* with
working days to spare, *on time* on the last day, or *overdue* by so many working days.

Every number here is computed, never decided: what is late, and what warning follows, is
said by rules of the ``case`` scope in rule files.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal
from zoneinfo import ZoneInfo

import attrs

from ..cases.errors import ClockError
from ..cases.events import Event
from ..engine.problems import Problem
from .calendar import WorkingCalendar

Settlement = Literal["early", "on_time", "overdue"]

# The milestones of a case, in order; a stage is named after the event that ends it.
STAGE_ORDER: tuple[str, ...] = (
    "submit",
    "accept",
    "undertake",
    "review",
    "approve",
    "complete",
    "deliver",
)
_AT = operator.attrgetter("at")
_STAGE_EVENT = {"deny": "approve"}  # a denial ends the approval stage too
ENDING_EVENTS = frozenset({"complete", "withdraw", "reject"})
_STAGES = frozenset(STAGE_ORDER)
_CLOSED_UNSETTLED = ENDING_EVENTS - {"complete"}  # the case ended without settling


@attrs.frozen(slots=True)
class CountingRules:
    """The counting conventions of a rulebook (from its parameters)."""

    calendar: WorkingCalendar
    timezone: str
    first_day_counted: bool = False
    acceptance_cutoff: dt.time | None = None
    # the law's numbers, from the rulebook's parameters (None: not checked)
    correction_notice_days: int | None = None  # Art. 32 ¶1 (4)
    decision_extension_days: int | None = None  # Art. 42 ¶1
    joint_extension_days: int | None = None  # Art. 42 ¶2
    lower_level_review_days: int | None = None  # Art. 43
    delivery_days: int | None = None  # Art. 44
    _zone: ZoneInfo = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_zone", ZoneInfo(self.timezone))

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self._zone).date()

    def extension_cap(self, kind: str | None) -> int | None:
        """The most working days the law lets a decision period be extended (Art. 42)."""
        return self.joint_extension_days if kind == "joint" else self.decision_extension_days

    def effective_acceptance(self, accepted_at: dt.datetime) -> dt.date:
        """The date the committed clock counts from: acceptance after the cut-off moves to the
        next working day (the statutory clock never moves: see :func:`case_clock`)."""
        local = accepted_at.astimezone(self.zone)
        day = local.date()
        if self.acceptance_cutoff is not None and local.time() > self.acceptance_cutoff:
            return self.calendar.next_working_day(day)
        return day

    def due_date(self, accepted_on: dt.date, limit: int, extra: int = 0) -> dt.date:
        """The last working day of a ``limit``-day period counted from ``accepted_on``,
        moved on by ``extra`` working days (pauses and extensions)."""
        cal = self.calendar
        if limit <= 0:
            due = (
                accepted_on
                if cal.is_working_day(accepted_on)
                else cal.next_working_day(accepted_on)
            )
        elif self.first_day_counted:
            first = (
                accepted_on
                if cal.is_working_day(accepted_on)
                else cal.next_working_day(accepted_on)
            )
            due = cal.add_working_days(first, limit - 1)
        else:
            due = cal.add_working_days(accepted_on, limit)
        return cal.add_working_days(due, extra) if extra else due

    def days_used(self, accepted_on: dt.date, through: dt.date) -> int:
        """Working days of the period from acceptance through ``through`` (inclusive)."""
        start = accepted_on if self.first_day_counted else accepted_on + dt.timedelta(days=1)
        return self.calendar.count_working_days(start, through)

    def end_of(self, day: dt.date) -> dt.datetime:
        """The instant a deadline on ``day`` ends: midnight after it, local time."""
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), self.zone)


@attrs.frozen(slots=True)
class Pause:
    """One stop of the clock."""

    reason: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    counted: bool
    max_days: int | None
    days: int  # working days the clock stood still (so far, if still paused)
    statutory: bool = True  # an Art. 45 procedure: stops the statutory clock too
    notified: bool = True  # the applicant was told in writing (data.notice)

    @property
    def over_max(self) -> int:
        return 0 if self.max_days is None else max(0, self.days - self.max_days)

    def to_context(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "days": self.days,
            "max_days": self.max_days,
            "counted": self.counted,
            "open": self.ended_at is None,
            "over": self.over_max,
            "statutory": self.statutory,
            "notified": self.notified,
        }


@attrs.frozen(slots=True)
class StageTime:
    """How long one stage took (or has taken so far), against its budget."""

    name: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    days: int
    budget: int | None

    @property
    def over(self) -> int:
        return 0 if self.budget is None else max(0, self.days - self.budget)

    def to_context(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "days": self.days,
            "budget": self.budget,
            "over": self.over,
            "open": self.ended_at is None,
        }


@attrs.frozen(slots=True)
class CaseClock:
    """A case's clock as of ``as_of``. Limits and days are working days."""

    case: str
    item: str
    kind: str | None
    accepted_at: dt.datetime
    accepted_on: dt.date
    as_of: dt.datetime
    state: str
    statutory_limit: int | None
    committed_limit: int | None
    extended_days: int
    extensions: tuple[tuple[int, str], ...]
    paused_days: int
    used_days: int
    statutory_due: dt.date | None
    committed_due: dt.date | None
    completed_at: dt.datetime | None
    settlement: Settlement | None
    settlement_days: int | None
    statutory_settlement: Settlement | None
    pauses: tuple[Pause, ...]
    stages: tuple[StageTime, ...]
    provisional: bool
    statutory_deadline_at: dt.datetime | None
    committed_deadline_at: dt.datetime | None
    committed_hours: float | None = None
    hours_used: float | None = None
    hours_settlement: Settlement | None = None
    # the statutory clock, where the law counts otherwise than the committed one: from the
    # day of acceptance whatever the cut-off, from receipt when the correction notice came too
    # late (Art. 32), from the higher organ's receipt for a report-up case (Art. 43), paused
    # only by Art. 45's procedures, extended only before it ran out and only as far as Art. 42
    # allows
    statutory_started_on: dt.date | None = None
    statutory_used_days: int = 0
    statutory_paused_days: int = 0
    statutory_extended_days: int = 0
    late_extensions: int = 0
    correction_notice_days_used: int | None = None
    lower_review_days: int | None = None
    delivery_days_used: int | None = None

    @property
    def hours_remaining(self) -> float | None:
        """Working hours left of a same-day limit in hours (negative: overdue)."""
        if self.committed_hours is None or self.hours_used is None:
            return None
        return round(self.committed_hours - self.hours_used, 4)

    @property
    def statutory_remaining(self) -> int | None:
        """Working days left of the statutory limit, extensions included (negative: overdue)."""
        if self.statutory_limit is None:
            return None
        return self.statutory_limit + self.statutory_extended_days - self.statutory_used_days

    @property
    def committed_remaining(self) -> int | None:
        """Working days left of the committed limit, extensions included (negative: overdue)."""
        if self.committed_limit is None:
            return None
        return self.committed_limit + self.extended_days - self.used_days

    @property
    def late_stages(self) -> list[str]:
        """The stages over their budget, as ``stage+days over``."""
        return [f"{s.name}+{s.over}" for s in self.stages if s.over > 0]

    def to_context(self) -> dict[str, Any]:
        """The ``case`` scope's evaluation context."""
        stages = [s.to_context() for s in self.stages]  # each stage's overrun computed once
        late = [f"{s['name']}+{s['over']}" for s in stages if s["over"] > 0]
        return {
            "case": self.case,
            "item": self.item,
            "kind": self.kind,
            "state": self.state,
            "accepted_at": self.accepted_at,
            "accepted_on": self.accepted_on,
            "as_of": self.as_of,
            "today": self.as_of.date(),
            "statutory_limit": self.statutory_limit,
            "committed_limit": self.committed_limit,
            "extended_days": self.extended_days,
            "extension_approved": all(by for _, by in self.extensions),
            "paused_days": self.paused_days,
            "used_days": self.used_days,
            "statutory_due": self.statutory_due,
            "committed_due": self.committed_due,
            "statutory_remaining": self.statutory_remaining,
            "committed_remaining": self.committed_remaining,
            "completed": self.completed_at is not None,
            "settlement": self.settlement,
            "settlement_days": self.settlement_days,
            "statutory_settlement": self.statutory_settlement,
            "pauses": [p.to_context() for p in self.pauses],
            "stages": stages,
            "late_stages": late,
            "provisional": self.provisional,
            "statutory_started_on": self.statutory_started_on,
            "statutory_used_days": self.statutory_used_days,
            "statutory_paused_days": self.statutory_paused_days,
            "statutory_extended_days": self.statutory_extended_days,
            "late_extensions": self.late_extensions,
            "correction_notice_days_used": self.correction_notice_days_used,
            "lower_review_days": self.lower_review_days,
            "delivery_days_used": self.delivery_days_used,
            "committed_hours": self.committed_hours,
            "hours_used": self.hours_used,
            "hours_remaining": self.hours_remaining,
            "hours_settlement": self.hours_settlement,
        }

    def to_dict(self) -> dict[str, Any]:
        """For ``--format json``: the deadline fields of docs/architecture.md plus the clock."""

        def iso(value: Any) -> Any:
            return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value

        out = {k: iso(v) for k, v in self.to_context().items() if k not in {"pauses", "stages"}}
        out["statutory_deadline_at"] = iso(self.statutory_deadline_at)
        out["committed_deadline_at"] = iso(self.committed_deadline_at)
        out["pauses"] = [
            {**p.to_context(), "started_at": iso(p.started_at), "ended_at": iso(p.ended_at)}
            for p in self.pauses
        ]
        out["stages"] = [
            {**s.to_context(), "started_at": iso(s.started_at), "ended_at": iso(s.ended_at)}
            for s in self.stages
        ]
        return out


def with_hours(clock: CaseClock, hours: Any, committed_hours: float) -> CaseClock:
    """``clock`` with a same-day limit in working hours (the seed's "four certificates in
    1.5 hours"), counted on the center's opening hours (a
    :class:`~fyrules.deadlines.hours.WorkingHours`): the committed moment, the hours used up to
    settlement or ``as_of``, and whether it settled within them."""
    due_at = hours.add_working_hours(clock.accepted_at, committed_hours)
    until = clock.completed_at or clock.as_of
    used = max(0.0, round(hours.working_hours_between(clock.accepted_at, until), 4))
    settlement: Settlement | None = None
    if clock.completed_at is not None:
        diff = committed_hours - used
        settlement = "early" if diff > 1e-9 else "on_time" if diff > -1e-9 else "overdue"
    return attrs.evolve(
        clock,
        committed_hours=committed_hours,
        hours_used=used,
        hours_settlement=settlement,
        committed_deadline_at=due_at,
    )


@attrs.frozen(slots=True)
class ProcedureLimits:
    """What the rulebook says of a special procedure: counted or not, its maximum, and
    whether it is one of Art. 45's (only those stop the statutory clock)."""

    counted: bool
    max_days: int | None
    article45: bool = False


def case_clock(
    events: Iterable[Event],
    *,
    rules: CountingRules,
    statutory_limit: int | None,
    committed_limit: int | None,
    kind: str | None = None,
    procedures: Mapping[str, ProcedureLimits] | None = None,
    stage_budgets: Mapping[str, int] | None = None,
    as_of: dt.datetime | None = None,
) -> CaseClock:
    """The clock of one case from its events (any order; only events up to ``as_of`` count).

    ``procedures`` gives, per pause reason, whether it counts and its maximum (the item's own
    special procedures first, then the rulebook's definitions); a pause's ``data.counted``
    decides where the item does not."""
    ordered = sorted(events, key=_AT)
    if as_of is not None:
        ordered = [e for e in ordered if e.at <= as_of]
    # the first event of each kind, in the order they first came: one pass for every
    # "the first X" below (a clock is computed for every case that finishes)
    first: dict[str, Event] = {}
    for e in ordered:
        first.setdefault(e.event, e)
    accept = first.get("accept")
    if accept is None:
        case = ordered[0].case if ordered else "?"
        raise ClockError(
            Problem(
                "CLOCK-NOT-STARTED",
                f"案件 {case} 尚未受理（没有 accept 事件），时限尚未起算",
                f"case {case} has not been accepted (no accept event): its clock has not started",
            )
        )
    now = as_of or (ordered[-1].at if ordered else accept.at)
    accepted_on = rules.effective_acceptance(accept.at)
    end = next((e for e in ordered if e.event in ENDING_EVENTS and e.at >= accept.at), None)
    stop_at = end.at if end is not None else now
    day = _local_dates(rules)
    stop_date = day(stop_at)
    count = rules.calendar.count_working_days

    pauses = _pauses(ordered, rules, day, procedures or {}, stop_at)
    paused_days = sum(p.days for p in pauses if not p.counted)
    statutory_paused = sum(p.days for p in pauses if not p.counted and p.statutory)

    # Art. 32 ¶1 (4): a correction notice later than the law allows makes the application
    # accepted on the day the materials were received
    started_on = day(accept.at)  # the cut-off never moves the statutory clock
    submit = first.get("submit")
    notice = first.get("correction_requested")
    notice_used = None
    if submit is not None and notice is not None:
        notice_used = count(day(submit.at) + _ONE_DAY, day(notice.at))
        if rules.correction_notice_days is not None and notice_used > rules.correction_notice_days:
            started_on = min(started_on, day(submit.at))
    # Art. 43: a report-up case's lower organ reviews within its own limit; the higher
    # organ's period runs from its receipt (the report: the ``review`` event)
    lower_review = None
    decision_start = started_on
    if kind == "report_up":
        report = next((e for e in ordered if e.event == "review" and e.at <= stop_at), None)
        until = report.at if report is not None else stop_at
        lower_review = max(
            0,
            rules.days_used(started_on, day(until))
            - _paused_within(pauses, rules, day, accept.at, until, statutory_only=True),
        )
        if report is not None:
            decision_start = day(report.at)
            statutory_paused = sum(
                _stopped_days(rules, day, max(p.started_at, report.at), p.ended_at or stop_at)
                for p in pauses
                if not p.counted and p.statutory and (p.ended_at or stop_at) > report.at
            )
    statutory_used = max(0, rules.days_used(decision_start, stop_date) - statutory_paused)

    # Art. 42 ¶1: an extension is lawful only before the statutory period ran out, and moves
    # the statutory due date at most as far as the law allows
    extensions: list[tuple[int, str]] = []
    lawful = late = 0
    for e in ordered if "extend" in first else ():
        if e.event != "extend":
            continue
        days = int(e.data["days"])
        extensions.append((days, str(e.data.get("approved_by") or "")))
        if statutory_limit is not None:
            due_then = rules.due_date(decision_start, statutory_limit, statutory_paused + lawful)
            if day(e.at) > due_then:
                late += 1
                continue
        lawful += days
    cap = rules.extension_cap(kind)
    statutory_extended = lawful if cap is None else min(lawful, cap)
    extended = lawful
    used = max(0, rules.days_used(accepted_on, stop_date) - paused_days)

    statutory_due = (
        None
        if statutory_limit is None
        else rules.due_date(decision_start, statutory_limit, statutory_paused + statutory_extended)
    )
    committed_due = (
        None
        if committed_limit is None
        else rules.due_date(accepted_on, committed_limit, paused_days + extended)
    )
    completed = end if end is not None and end.event == "complete" else None

    def settle(remaining: int | None) -> tuple[Settlement | None, int | None]:
        if completed is None or remaining is None:
            return None, None
        if remaining > 0:
            return "early", remaining
        if remaining == 0:
            return "on_time", 0
        return "overdue", -remaining

    settlement, settlement_days = settle(
        None if committed_limit is None else committed_limit + extended - used
    )
    statutory_settlement, _ = settle(
        None if statutory_limit is None else statutory_limit + statutory_extended - statutory_used
    )
    # Art. 44: the certificate delivered within its period of the decision
    decision = first.get("approve")
    delivered = first.get("deliver")
    delivery_used = None
    if decision is not None:
        delivery_used = count(
            day(decision.at) + _ONE_DAY, day(delivered.at if delivered is not None else now)
        )
    state = _state(ordered, end)
    horizon = [d for d in (statutory_due, committed_due) if d is not None]
    provisional = any(rules.calendar.is_provisional(d) for d in [accepted_on, stop_date, *horizon])
    return CaseClock(
        case=accept.case,
        item=accept.item,
        kind=kind,
        accepted_at=accept.at,
        accepted_on=accepted_on,
        as_of=now.astimezone(rules.zone),
        state=state,
        statutory_limit=statutory_limit,
        committed_limit=committed_limit,
        extended_days=extended,
        extensions=tuple(extensions),
        paused_days=paused_days,
        used_days=used,
        statutory_due=statutory_due,
        committed_due=committed_due,
        completed_at=completed.at if completed is not None else None,
        settlement=settlement,
        settlement_days=settlement_days,
        statutory_settlement=statutory_settlement,
        pauses=pauses,
        stages=_stages(first, rules, day, pauses, stage_budgets or {}, now),
        provisional=provisional,
        statutory_deadline_at=rules.end_of(statutory_due) if statutory_due else None,
        committed_deadline_at=rules.end_of(committed_due) if committed_due else None,
        statutory_started_on=decision_start,
        statutory_used_days=statutory_used,
        statutory_paused_days=statutory_paused,
        statutory_extended_days=statutory_extended,
        late_extensions=late,
        correction_notice_days_used=notice_used,
        lower_review_days=lower_review,
        delivery_days_used=delivery_used,
    )


def _state(ordered: Sequence[Event], end: Event | None) -> str:
    if end is not None:
        return {"complete": "completed", "withdraw": "withdrawn", "reject": "rejected"}[end.event]
    paused = False
    for e in ordered:
        if e.event == "pause":
            paused = True
        elif e.event == "resume":
            paused = False
    return "paused" if paused else "open"


LocalDates = Callable[[dt.datetime], dt.date]


def _local_dates(rules: CountingRules) -> LocalDates:
    """``rules.local_date``, remembered for the instants of one clock: each event's local
    date is computed once however many periods it bounds."""
    zone = rules.zone
    memo: dict[dt.datetime, dt.date] = {}

    def day(moment: dt.datetime) -> dt.date:
        found = memo.get(moment)
        if found is None:
            found = memo[moment] = moment.astimezone(zone).date()
        return found

    return day


def _stopped_days(
    rules: CountingRules, day: LocalDates, start: dt.datetime, end: dt.datetime
) -> int:
    """Working days after the day ``start`` falls on, through the day of ``end``."""
    return rules.calendar.count_working_days(day(start) + _ONE_DAY, day(end))


_ONE_DAY = dt.timedelta(days=1)


def _pauses(
    ordered: Sequence[Event],
    rules: CountingRules,
    day: LocalDates,
    procedures: Mapping[str, ProcedureLimits],
    stop_at: dt.datetime,
) -> tuple[Pause, ...]:
    out: list[Pause] = []
    open_pause: Event | None = None

    def close(pause: Event, ended: dt.datetime | None) -> None:
        reason = str(pause.data.get("reason"))
        limits = procedures.get(reason)
        counted = pause.data.get("counted")
        if counted is None:
            counted = limits.counted if limits is not None else False
        notice = pause.data.get("notice")
        out.append(
            Pause(
                reason=reason,
                started_at=pause.at,
                ended_at=ended,
                counted=bool(counted),
                max_days=limits.max_days if limits is not None else None,
                days=_stopped_days(rules, day, pause.at, ended or stop_at),
                statutory=limits.article45 if limits is not None else False,
                notified=isinstance(notice, str) and bool(notice.strip()),
            )
        )

    for e in ordered:
        if e.at > stop_at:
            break
        if e.event == "pause" and open_pause is None:
            open_pause = e
        elif e.event == "resume" and open_pause is not None:
            close(open_pause, e.at)
            open_pause = None
    if open_pause is not None:
        close(open_pause, None)
    return tuple(out)


def _paused_within(
    pauses: Sequence[Pause],
    rules: CountingRules,
    day: LocalDates,
    start: dt.datetime,
    end: dt.datetime,
    *,
    statutory_only: bool = False,
) -> int:
    total = 0
    for p in pauses:
        if p.counted or (statutory_only and not p.statutory):
            continue
        lo = max(p.started_at, start)
        hi = min(p.ended_at or end, end)
        if hi > lo:
            total += _stopped_days(rules, day, lo, hi)
    return total


def _stages(
    first: Mapping[str, Event],
    rules: CountingRules,
    day: LocalDates,
    pauses: Sequence[Pause],
    budgets: Mapping[str, int],
    now: dt.datetime,
) -> tuple[StageTime, ...]:
    """Each stage from the milestone before it to the event that ends it; the stage under way
    (the next budgeted one after the last milestone) runs until ``now``. ``first`` is the
    first event of each kind, in the order they first came: a milestone is the first event
    that ends its stage."""
    names: list[str] = []  # the milestones, in order (at most one per stage)
    times: list[dt.datetime] = []
    for kind, e in first.items():
        name = _STAGE_EVENT.get(kind, kind)
        if name in _STAGES and name not in names:
            names.append(name)
            times.append(e.at)
    out: list[StageTime] = []
    count = rules.calendar.count_working_days
    # each milestone's local date, computed once
    dates = [day(at) for at in times]
    for k in range(1, len(names)):
        started, ended, name = times[k - 1], times[k], names[k]
        days = count(dates[k - 1] + _ONE_DAY, dates[k])
        if pauses:
            days -= _paused_within(pauses, rules, day, started, ended)
        out.append(StageTime(name, started, ended, max(0, days), budgets.get(name)))
    if names and _CLOSED_UNSETTLED.isdisjoint(first):
        last, since = names[-1], times[-1]
        after = STAGE_ORDER[STAGE_ORDER.index(last) + 1 :]
        running = next((s for s in after if s in budgets), None)
        if running is not None and now > since:
            days = _stopped_days(rules, day, since, now)
            if pauses:
                days -= _paused_within(pauses, rules, day, since, now)
            out.append(StageTime(running, since, None, max(0, days), budgets.get(running)))
    return tuple(out)
