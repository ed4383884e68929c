"""Working hours (工作小时): time limits counted on the service center's opening hours.

Same-day items have limits in hours ("four certificates in 1.5 hours"): the clock runs only
while the center is open, in the sessions ``opening_hours:`` gives a working day
(:mod:`fyrules.deadlines.hours.spec`), on the days the working-day calendar says are worked.
Weekends and holidays have no hours; a make-up workday (调休上班日) has the hours the section
gives it. Times are read on the wall clock of the rulebook's time zone; a moment in another
zone is converted first, and results come back in the rulebook's zone.

:class:`WorkingHours` precomputes, once (at its first question), how many working microseconds
lie before each day of the calendar, so every question is a binary search and a walk over one
day's few sessions.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from bisect import bisect_left, bisect_right
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from ..calendar import WorkingCalendar
from ..calendar import problems as calendar_problems
from . import problems as hours_problems
from .problems import WorkingHoursError
from .spec import DayHoursSpec, OpeningHoursSpec, SeasonSpec, Session

_US_PER_MINUTE = 60_000_000
_US_PER_HOUR = 3_600_000_000

OpeningKind = Literal["workday", "makeup_workday", "closed"]


@attrs.frozen(slots=True)
class OpeningDay:
    """The opening hours of one day, and where they come from."""

    date: dt.date
    kind: OpeningKind
    sessions: tuple[Session, ...]
    season_zh: str | None = None  # the season in force, when one is
    season_en: str | None = None
    basis: str | None = None

    @property
    def is_open(self) -> bool:
        return bool(self.sessions)

    @property
    def hours(self) -> float:
        """The day's working hours."""
        return sum(s.minutes for s in self.sessions) / 60

    def to_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "sessions": [str(s) for s in self.sessions],
            "hours": self.hours,
            "season_zh": self.season_zh,
            "season_en": self.season_en,
            "basis": self.basis,
        }


class WorkingHours:
    """The working hours of a service center over the years of its working-day calendar.

    Built from the rulebook's ``opening_hours:`` (``spec``) and its :class:`WorkingCalendar`,
    in ``timezone`` (the calendar's when left out). Immutable once built, safe to share between
    threads, no global state. Moments must be timezone-aware ``datetime``; a question that
    cannot be answered raises :class:`~fyrules.deadlines.calendar.problems.CalendarError`
    (:class:`WorkingHoursError` for the hours' own problems), carrying the problem.
    """

    __slots__ = (
        "_calendar",
        "_first_ordinal",
        "_index",
        "_ndays",
        "_spec",
        "_timezone",
        "_zone",
    )
    # The slots' types (annotations only: the slots stay plain descriptors).
    _calendar: WorkingCalendar
    _first_ordinal: int
    _index: _Index | None
    _ndays: int
    _spec: OpeningHoursSpec
    _timezone: str
    _zone: ZoneInfo

    def __init__(
        self, spec: OpeningHoursSpec, calendar: WorkingCalendar, timezone: str | None = None
    ):
        timezone = timezone or calendar.timezone
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise WorkingHoursError(calendar_problems.unknown_timezone(timezone)) from None
        first_ordinal = calendar.first_day.toordinal()
        ndays = calendar.last_day.toordinal() - first_ordinal + 1
        init = object.__setattr__
        init(self, "_spec", spec)
        init(self, "_calendar", calendar)
        init(self, "_timezone", timezone)
        init(self, "_zone", zone)
        init(self, "_first_ordinal", first_ordinal)
        init(self, "_ndays", ndays)
        # Built at the first question (``fyrules check`` asks none): see _indexed.
        init(self, "_index", None)

    def _indexed(self) -> _Index:
        """The index over the calendar's days, built once, at the first question (two threads
        asking at once may both build it: the same index, and either is kept)."""
        index = self._index
        if index is None:
            index = _build_index(self._spec, self._calendar, self._first_ordinal, self._ndays)
            object.__setattr__(self, "_index", index)
        return index

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("WorkingHours is immutable")

    def __reduce__(self) -> tuple[object, ...]:
        return (WorkingHours, (self._spec, self._calendar, self._timezone))

    def __repr__(self) -> str:
        return (
            f"WorkingHours({self._calendar.first_year}–{self._calendar.last_year}, "
            f"timezone={self._timezone!r}, seasons={len(self._spec.seasons)})"
        )

    @property
    def calendar(self) -> WorkingCalendar:
        return self._calendar

    @property
    def spec(self) -> OpeningHoursSpec:
        return self._spec

    @property
    def timezone(self) -> str:
        return self._timezone

    # --- questions ------------------------------------------------------------------------

    def is_open(self, moment: dt.datetime) -> bool:
        """Whether the center is open at ``moment``: inside a session (its start included,
        its end not) of a working day."""
        _, i, tod = self._position(moment)
        index = self._indexed()
        return any(a <= tod < b for a, b in index.patterns[index.day_pattern[i]])

    def next_opening(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` itself when the center is open then, else the start of the next session."""
        return self._last_at(self._position(moment)[0], moment, 0)

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """The moment ``hours`` working hours after ``start``.

        Starting outside a session, the count starts at the next session. With ``hours > 0``
        it is the first moment at which that many hours have passed (a limit reached exactly at
        noon ends at the close of the morning session, not when the afternoon opens);
        ``hours == 0`` gives :meth:`next_opening`; ``hours < 0`` counts back, to the last
        moment that lies that many working hours before ``start``.
        """
        amount = _microseconds(hours)
        position = self._position(start)[0]
        if amount > 0:
            return self._first_at(position + amount, start, hours)
        return self._last_at(position + amount, start, hours)

    def working_hours_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """The working hours from ``start`` to ``end``; negative when ``end`` comes first."""
        return (self._position(end)[0] - self._position(start)[0]) / _US_PER_HOUR

    def opening_day(self, day: dt.date) -> OpeningDay:
        """The sessions of ``day`` and where they come from (season, basis)."""
        if not self._calendar.is_working_day(day):  # which also checks the type and the range
            return OpeningDay(day, "closed", ())
        hours, schedule = _hours_of(self._spec, day)
        season = schedule if isinstance(schedule, SeasonSpec) else None
        return OpeningDay(
            day,
            "makeup_workday" if day.weekday() >= 5 else "workday",
            hours.parsed(),
            season.name.zh if season else None,
            season.name.en if season else None,
            hours.basis or schedule.basis,
        )

    # --- the index --------------------------------------------------------------------------

    def _position(self, moment: dt.datetime) -> tuple[int, int, int]:
        """(working microseconds before ``moment`` since the calendar starts, day index,
        microseconds after local midnight)."""
        if not isinstance(moment, dt.datetime):
            raise WorkingHoursError(hours_problems.not_a_moment(moment))
        if moment.utcoffset() is None:
            raise WorkingHoursError(calendar_problems.naive_time(moment))
        local = moment.astimezone(self._zone)
        i = local.toordinal() - self._first_ordinal
        if not 0 <= i < self._ndays:
            raise self._out_of_range(local.date())
        tod = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
        index = self._indexed()
        done = 0
        for a, b in index.patterns[index.day_pattern[i]]:
            if tod <= a:
                break
            done += (tod if tod < b else b) - a
        return index.before[i] + done, i, tod

    def _first_at(self, target: int, start: dt.datetime, hours: float) -> dt.datetime:
        """The first moment by which ``target`` working microseconds have passed."""
        index = self._indexed()
        j = bisect_left(index.before, target)  # the first day that ends with target reached
        if not 0 < j <= self._ndays:
            raise self._result_outside(start, hours)
        i = j - 1
        left = target - index.before[i]
        for a, b in index.patterns[index.day_pattern[i]]:
            if left <= b - a:
                return self._moment(i, a + left)
            left -= b - a
        raise AssertionError("unreachable: the day's sessions hold the rest")  # pragma: no cover

    def _last_at(self, target: int, start: dt.datetime, hours: float) -> dt.datetime:
        """The last moment before more than ``target`` working microseconds have passed."""
        index = self._indexed()
        j = bisect_right(index.before, target)  # the first day that ends past target
        if not 0 < j <= self._ndays:
            raise self._result_outside(start, hours)
        i = j - 1
        left = target - index.before[i]
        for a, b in index.patterns[index.day_pattern[i]]:
            if left < b - a:
                return self._moment(i, a + left)
            left -= b - a
        raise AssertionError("unreachable: the day's sessions hold the rest")  # pragma: no cover

    def _moment(self, i: int, tod: int) -> dt.datetime:
        day = dt.date.fromordinal(self._first_ordinal + i)
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=self._zone)
        return midnight + dt.timedelta(microseconds=tod)  # wall-clock arithmetic; 24:00 too

    def _out_of_range(self, day: dt.date) -> WorkingHoursError:
        return WorkingHoursError(
            calendar_problems.outside_years(day, self._calendar.first_day, self._calendar.last_day)
        )

    def _result_outside(self, start: dt.datetime, hours: float) -> WorkingHoursError:
        return WorkingHoursError(
            hours_problems.result_outside(
                start, hours, self._calendar.first_day, self._calendar.last_day
            )
        )


class _Index(NamedTuple):
    """Each distinct day of sessions once (``patterns``, in microseconds after midnight; 0 is
    "closed"), each day's pattern, and the working microseconds before each day."""

    patterns: tuple[tuple[tuple[int, int], ...], ...]
    day_pattern: tuple[int, ...]
    before: tuple[int, ...]  # before[i]: working microseconds in the first i days


def _build_index(
    spec: OpeningHoursSpec, calendar: WorkingCalendar, first_ordinal: int, ndays: int
) -> _Index:
    patterns: dict[tuple[tuple[int, int], ...], int] = {(): 0}
    # Without one-period seasons a day's hours depend on its month, day and weekday only.
    yearly = all(season.recurring for season in spec.seasons)
    known: dict[object, tuple[int, int]] = {}  # key → (pattern, microseconds)
    day_pattern = [0] * ndays
    before = [0] * (ndays + 1)
    total = 0
    for i in range(ndays):
        day = dt.date.fromordinal(first_ordinal + i)
        if calendar.is_working_day(day):
            key = (day.month, day.day, day.weekday()) if yearly else day
            found = known.get(key)
            if found is None:
                sessions = tuple(
                    (s.start * _US_PER_MINUTE, s.end * _US_PER_MINUTE)
                    for s in _hours_of(spec, day)[0].parsed()
                )
                found = (
                    patterns.setdefault(sessions, len(patterns)),
                    sum(b - a for a, b in sessions),
                )
                known[key] = found
            day_pattern[i] = found[0]
            total += found[1]
        before[i + 1] = total
    return _Index(tuple(patterns), tuple(day_pattern), tuple(before))


def _hours_of(
    spec: OpeningHoursSpec, day: dt.date
) -> tuple[DayHoursSpec, SeasonSpec | OpeningHoursSpec]:
    """The hours of a working ``day``, and the schedule (the section or a season) they are in."""
    schedule: SeasonSpec | OpeningHoursSpec = spec.season_on(day) or spec
    return schedule.for_weekday(day.weekday()), schedule


def _microseconds(hours: object) -> int:
    if isinstance(hours, bool) or not isinstance(hours, numbers.Real):
        raise WorkingHoursError(hours_problems.not_hours(hours))
    if isinstance(hours, numbers.Integral):
        return int(hours) * _US_PER_HOUR
    if not math.isfinite(hours):
        raise WorkingHoursError(hours_problems.not_hours(hours))
    # typeshed's numbers stubs type Real * int as _ComplexLike (PEP 3141 makes it a Real).
    return round(hours * _US_PER_HOUR)  # type: ignore[call-overload]
