"""China's working-day calendar (工作日历): which days count in a time limit, and their arithmetic.

Administrative Licensing Law Art. 82 counts an organ's time limits in working days, statutory
holidays excluded. A day is a working day when it is Monday to Friday and not a statutory holiday
(法定节假日), or when it is a weekend day the State Council's yearly schedule turns into a make-up
workday (调休上班). The national schedule comes from the ``holidays`` package; the rulebook's
``calendar.yaml`` (:mod:`fyrules.deadlines.calendar.spec`) adds local days and newly published
schedules, and says through which year the schedule is official. Later years are *provisional*:
computed with the package's guesses, and marked so by callers.

:class:`WorkingCalendar` precomputes, once, an index over ordinal dates: for each day of its
years, how many working days come before it, and the working days in order. Adding and counting
working days are then two lookups each, whatever the distance, with no loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fyrules.engine.problems import Location, Problem

from . import problems
from .days import DayInfo, DaySchedule, ExtraDay, package_schedule_through
from .problems import CalendarError
from .spec import FIRST_YEAR, LAST_SUPPORTED_YEAR, PROVISIONAL_YEARS, CalendarSpec

_date = dt.date

# The State Council usually publishes next year's schedule in November or December; from this
# day of the year on, a rulebook without next year's schedule gets a warning.
SCHEDULE_WARNING_FROM = (12, 1)


class WorkingCalendar:
    """Working days of China, 1 January ``first_year`` to 31 December ``last_year``.

    Immutable once built and safe to share between threads. ``published_through`` is the last
    year whose official schedule is trusted; the calendar reaches ``provisional_years`` beyond
    it (``last_year``). ``extra_holidays`` and ``extra_workdays`` override the ``holidays``
    package on their dates; for each year in ``full_schedule_years`` the package is ignored and
    the extras are that year's whole schedule.

    Out-of-range dates and arguments of the wrong type raise :class:`CalendarError`.
    """

    __slots__ = (
        "_before",
        "_first_ordinal",
        "_first_year",
        "_last_year",
        "_ndays",
        "_nworking",
        "_published_through",
        "_recipe",
        "_schedule",
        "_timezone",
        "_working",
        "_working_dates",
        "_zone",
    )
    # The slots' types (annotations only: the slots stay plain descriptors).
    _before: tuple[int, ...]
    _first_ordinal: int
    _first_year: int
    _last_year: int
    _ndays: int
    _nworking: int
    _published_through: int
    _recipe: _Recipe
    _schedule: DaySchedule
    _timezone: str
    _working: bytes
    _working_dates: tuple[dt.date, ...]
    _zone: ZoneInfo

    def __init__(
        self,
        published_through: int,
        *,
        extra_holidays: Iterable[ExtraDay] = (),
        extra_workdays: Iterable[ExtraDay] = (),
        full_schedule_years: Iterable[int] = (),
        timezone: str = "Asia/Shanghai",
        first_year: int = FIRST_YEAR,
        provisional_years: int = PROVISIONAL_YEARS,
    ):
        for year in (published_through, first_year, provisional_years):
            if not isinstance(year, int):
                raise CalendarError(problems.not_an_integer(year, "年份", "a year"))
        full_schedule_years = tuple(sorted(set(full_schedule_years)))
        last_year = min(published_through + max(provisional_years, 0), LAST_SUPPORTED_YEAR)
        if not FIRST_YEAR <= first_year <= published_through <= last_year:
            raise CalendarError(
                problems.invalid_years(
                    first_year, published_through, FIRST_YEAR, LAST_SUPPORTED_YEAR
                )
            )
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CalendarError(problems.unknown_timezone(timezone)) from None
        schedule = DaySchedule.build(
            first_year, last_year, extra_holidays, extra_workdays, full_schedule_years
        )

        first_ordinal = dt.date(first_year, 1, 1).toordinal()
        ndays = dt.date(last_year, 12, 31).toordinal() - first_ordinal + 1
        working = bytearray(ndays)
        before = [0] * (ndays + 1)  # before[i]: working days among the first i days
        working_dates = []
        for i in range(ndays):
            day = dt.date.fromordinal(first_ordinal + i)
            if schedule.is_working(day):
                working[i] = 1
                working_dates.append(day)
            before[i + 1] = len(working_dates)

        init = object.__setattr__
        recipe = _Recipe(
            published_through=published_through,
            extra_holidays=tuple(e for e, working in schedule.extras.values() if not working),
            extra_workdays=tuple(e for e, working in schedule.extras.values() if working),
            full_schedule_years=full_schedule_years,
            timezone=timezone,
            first_year=first_year,
            provisional_years=provisional_years,
        )
        init(self, "_recipe", recipe)
        init(self, "_first_year", first_year)
        init(self, "_last_year", last_year)
        init(self, "_published_through", published_through)
        init(self, "_timezone", timezone)
        init(self, "_zone", zone)
        init(self, "_schedule", schedule)
        init(self, "_first_ordinal", first_ordinal)
        init(self, "_ndays", ndays)
        # bytes and tuples: nothing in the index can change after construction.
        init(self, "_working", bytes(working))
        init(self, "_before", tuple(before))
        init(self, "_working_dates", tuple(working_dates))
        init(self, "_nworking", len(working_dates))

    @classmethod
    def from_spec(cls, spec: CalendarSpec | None, *, timezone: str) -> WorkingCalendar:
        """The calendar of a rulebook: its ``calendar.yaml`` (``spec``) in ``timezone``.

        Without a ``calendar.yaml`` the official schedule is trusted as far as the ``holidays``
        package records make-up workdays (see :func:`package_schedule_through`).
        ``spec.timezone``, when given, wins over the rulebook's ``timezone``.
        """
        if spec is None:
            return cls(package_schedule_through(), timezone=timezone)
        return cls(
            spec.published_through,
            extra_holidays=[ExtraDay.from_spec(e) for e in spec.extra_holidays],
            extra_workdays=[ExtraDay.from_spec(e) for e in spec.extra_workdays],
            full_schedule_years=spec.full_schedule_years,
            timezone=spec.timezone or timezone,
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("WorkingCalendar is immutable")

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled as the recipe, not the index: a worker process rebuilds it in a few ms.
        return (_rebuild, (self._recipe,))

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar({self._first_year}–{self._last_year}, "
            f"published_through={self._published_through}, timezone={self._timezone!r})"
        )

    # --- what the calendar covers --------------------------------------------------------

    @property
    def first_year(self) -> int:
        return self._first_year

    @property
    def last_year(self) -> int:
        return self._last_year

    @property
    def published_through(self) -> int:
        """The last year whose official State Council schedule the rulebook trusts."""
        return self._published_through

    @property
    def timezone(self) -> str:
        return self._timezone

    @property
    def first_day(self) -> dt.date:
        return dt.date(self._first_year, 1, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self._last_year, 12, 31)

    # --- the hot path: each is a couple of lookups in the precomputed index ---------------

    def is_working_day(self, d: dt.date) -> bool:
        if d.__class__ is not _date:
            d = _plain_date(d)
        i = d.toordinal() - self._first_ordinal
        if not 0 <= i < self._ndays:
            raise self._out_of_range(d)
        return self._working[i] == 1

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``d``; ``d`` itself is not counted.

        ``n > 0`` moves forward, ``n < 0`` backward (``-1`` is the last working day before
        ``d``). ``n == 0`` gives ``d`` when it is a working day, else the next working day:
        the first day on or after ``d`` that counts (as ``holidays`` does).
        """
        if d.__class__ is not _date:
            d = _plain_date(d)
        i = d.toordinal() - self._first_ordinal
        if not 0 <= i < self._ndays:
            raise self._out_of_range(d)
        # before[i] working days lie before d; before[i + 1] also counts d itself.
        try:
            if n > 0:
                k = self._before[i + 1] + n - 1
            elif n < 0:
                k = self._before[i] + n
            else:
                k = self._before[i]
            if 0 <= k < self._nworking:
                return self._working_dates[k]
        except TypeError:
            raise CalendarError(problems.not_an_integer(n)) from None
        raise CalendarError(problems.result_outside_years(d, n, self.first_day, self.last_day))

    def count_working_days(self, start: dt.date, end: dt.date) -> int:
        """Working days from ``start`` to ``end``, both included; 0 when ``end`` < ``start``."""
        if start.__class__ is not _date:
            start = _plain_date(start)
        if end.__class__ is not _date:
            end = _plain_date(end)
        i = start.toordinal() - self._first_ordinal
        j = end.toordinal() - self._first_ordinal
        if not 0 <= i < self._ndays:
            raise self._out_of_range(start)
        if not 0 <= j < self._ndays:
            raise self._out_of_range(end)
        if j < i:
            return 0
        return self._before[j + 1] - self._before[i]

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day after ``d`` (``d`` itself excluded)."""
        return self.add_working_days(d, 1)

    def previous_working_day(self, d: dt.date) -> dt.date:
        """The last working day before ``d`` (``d`` itself excluded)."""
        return self.add_working_days(d, -1)

    # --- provisional years ----------------------------------------------------------------

    def is_provisional(self, d: dt.date) -> bool:
        """Whether ``d`` lies in a year whose official schedule the rulebook does not have yet."""
        return d.year > self._published_through

    def spans_provisional(self, start: dt.date, end: dt.date) -> bool:
        """Whether any day from ``start`` to ``end`` (in either order) is provisional."""
        return max(start, end).year > self._published_through

    # --- explanations ---------------------------------------------------------------------

    def why(self, d: dt.date) -> DayInfo:
        """Whether ``d`` is a working day, and why: weekday, weekend, holiday, make-up day …"""
        self.is_working_day(d)  # checks the type and the range
        return self._schedule.explain(d, d.year > self._published_through)

    def exceptions(self, year: int) -> tuple[DayInfo, ...]:
        """The days of ``year`` off the Monday-to-Friday rule, and the days the rulebook names.

        This is the list to hold against the State Council's notice for that year.
        """
        if not isinstance(year, int):
            raise CalendarError(problems.not_an_integer(year, "年份", "a year"))
        if not self._first_year <= year <= self._last_year:
            raise self._out_of_range(year)
        provisional = year > self._published_through
        out = []
        day, one = dt.date(year, 1, 1), dt.timedelta(days=1)
        while day.year == year:
            info = self._schedule.explain(day, provisional)
            if info.kind not in ("workday", "weekend"):
                out.append(info)
            day += one
        return tuple(out)

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The calendar day of a timezone-aware ``moment`` in the calendar's timezone."""
        if not isinstance(moment, dt.datetime) or moment.utcoffset() is None:
            raise CalendarError(problems.naive_time(moment))
        return moment.astimezone(self._zone).date()

    # --- what `fyrules check` reports -----------------------------------------------------

    def missing_schedule_warning(
        self, today: dt.date, location: Location | None = None
    ) -> Problem | None:
        """A warning when an official schedule should be in ``calendar.yaml`` and is not.

        At any time the rulebook should trust the current year; from 1 December of year Y it
        should trust Y + 1 as well. ``location`` is where ``calendar.yaml`` is, when known.
        """
        year = today.year
        if self._published_through < year:
            return problems.schedule_missing_this_year(year, self._published_through, location)
        if (today.month, today.day) >= SCHEDULE_WARNING_FROM and self._published_through == year:
            return problems.schedule_missing_next_year(year, self._published_through, location)
        return None

    def unconfirmed_years(self) -> tuple[int, ...]:
        """Trusted years (up to ``published_through``) without a single make-up workday.

        Every official schedule since 2001 has some; a trusted year without any usually means
        ``published_through`` was raised without adding that year's schedule.
        """
        known = self._schedule.years_with_makeup_workdays()
        return tuple(
            y for y in range(self._first_year, self._published_through + 1) if y not in known
        )

    def unconfirmed_schedule_warning(self, location: Location | None = None) -> Problem | None:
        """A warning naming the years :meth:`unconfirmed_years` finds, or ``None``."""
        years = self.unconfirmed_years()
        if not years:
            return None
        return problems.years_unconfirmed(years, self._published_through, location)

    def _out_of_range(self, what: object) -> CalendarError:
        return CalendarError(problems.outside_years(what, self.first_day, self.last_day))


def _plain_date(value: object) -> dt.date:
    """``value`` when it is a date (of a subclass too), never a time: a ``datetime`` has a
    timezone question to settle first, with :meth:`WorkingCalendar.local_date`."""
    if isinstance(value, dt.datetime):
        raise CalendarError(problems.time_not_date(value))
    if isinstance(value, dt.date):
        return value
    raise CalendarError(problems.not_a_date(value))


class _Recipe(NamedTuple):
    """What a :class:`WorkingCalendar` is built from: its pickled form."""

    published_through: int
    extra_holidays: tuple[ExtraDay, ...]
    extra_workdays: tuple[ExtraDay, ...]
    full_schedule_years: tuple[int, ...]
    timezone: str
    first_year: int
    provisional_years: int


def _rebuild(recipe: _Recipe) -> WorkingCalendar:
    return WorkingCalendar(
        recipe.published_through,
        extra_holidays=recipe.extra_holidays,
        extra_workdays=recipe.extra_workdays,
        full_schedule_years=recipe.full_schedule_years,
        timezone=recipe.timezone,
        first_year=recipe.first_year,
        provisional_years=recipe.provisional_years,
    )
