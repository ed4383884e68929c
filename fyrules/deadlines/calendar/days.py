"""What each day is, and why: the national schedule merged with the rulebook's own days.

A :class:`DaySchedule` answers "is this day worked, and on whose word?" from three sources, the
first that speaks winning: the rulebook's ``calendar.yaml`` (its extra days off and workdays),
the ``holidays`` package (statutory holidays, 法定节假日, and make-up workdays, 调休上班; kept in
the user's cache by :mod:`.package_days`), and the week (Monday to Friday worked, Saturday and
Sunday not). It is slow and exact;
:class:`~fyrules.deadlines.calendar.WorkingCalendar` asks it once per day to build its index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Literal

import attrs

from . import problems
from .package_days import china_days, schedule_through
from .problems import CalendarError
from .spec import FIRST_YEAR, LAST_SUPPORTED_YEAR, PROVISIONAL_YEARS, ExtraDaySpec

DayKind = Literal[
    "workday", "weekend", "holiday", "makeup_workday", "extra_holiday", "extra_workday"
]
DaySource = Literal["week", "holidays", "rulebook"]

_MAKEUP_NAME = ("调休上班日", "make-up workday")


@attrs.frozen(slots=True)
class ExtraDay:
    """A day the rulebook adds to the national schedule (a day off or a workday)."""

    date: dt.date
    name_zh: str
    name_en: str | None = None
    basis: str | None = None

    @classmethod
    def from_spec(cls, spec: ExtraDaySpec) -> ExtraDay:
        return cls(spec.date, spec.name.zh, spec.name.en, spec.basis)


@attrs.frozen(slots=True)
class DayInfo:
    """Why a day is, or is not, a working day."""

    date: dt.date
    is_working: bool
    kind: DayKind
    provisional: bool
    source: DaySource
    name_zh: str | None = None
    name_en: str | None = None
    basis: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "is_working": self.is_working,
            "kind": self.kind,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "provisional": self.provisional,
            "source": self.source,
            "basis": self.basis,
        }


@attrs.frozen(slots=True, eq=False)  # compared by identity: it holds mappings
class DaySchedule:
    """The days off and make-up workdays of ``first_year`` … ``last_year``, by source."""

    first_year: int
    last_year: int
    extras: Mapping[dt.date, tuple[ExtraDay, bool]]  # the rulebook's days, each with "worked?"
    holiday_names: Mapping[dt.date, tuple[str, str | None]]  # package days off: (zh, en)
    makeup: frozenset[dt.date]  # package make-up workdays

    @classmethod
    def build(
        cls,
        first_year: int,
        last_year: int,
        extra_holidays: Iterable[ExtraDay] = (),
        extra_workdays: Iterable[ExtraDay] = (),
        full_schedule_years: Iterable[int] = (),
    ) -> DaySchedule:
        """The package's schedule for the years, under the rulebook's days.

        For a year in ``full_schedule_years`` the package says nothing: the rulebook's days are
        that year's whole schedule.
        """
        extras = _merge_extras(extra_holidays, extra_workdays, first_year, last_year)
        replaced = frozenset(full_schedule_years)
        package_names, package_makeup = china_days(first_year, last_year)

        def kept(day: dt.date) -> bool:
            return first_year <= day.year <= last_year and day.year not in replaced

        holiday_names = {day: names for day, names in package_names.items() if kept(day)}
        makeup = frozenset(day for day in package_makeup if kept(day))
        return cls(
            first_year,
            last_year,
            MappingProxyType(extras),
            MappingProxyType(holiday_names),
            makeup,
        )

    def is_working(self, day: dt.date) -> bool:
        extra = self.extras.get(day)
        if extra is not None:
            return extra[1]
        if day.weekday() >= 5:
            return day in self.makeup
        return day not in self.holiday_names

    def explain(self, day: dt.date, provisional: bool) -> DayInfo:
        extra = self.extras.get(day)
        if extra is not None:
            added, working = extra
            kind: DayKind = "extra_workday" if working else "extra_holiday"
            return DayInfo(
                day,
                working,
                kind,
                provisional,
                "rulebook",
                added.name_zh,
                added.name_en,
                added.basis,
            )
        # Decide from is_working, so an explanation can never contradict the index.
        working = self.is_working(day)
        names = self.holiday_names.get(day)
        if names is not None and not working:
            return DayInfo(day, False, "holiday", provisional, "holidays", *names)
        if day in self.makeup and working:
            return DayInfo(day, True, "makeup_workday", provisional, "holidays", *_MAKEUP_NAME)
        return DayInfo(day, working, "workday" if working else "weekend", provisional, "week")

    def years_with_makeup_workdays(self) -> frozenset[int]:
        """Years with at least one make-up workday, from the package or the rulebook."""
        years = {d.year for d in self.makeup}
        years.update(d.year for d, (_, working) in self.extras.items() if working)
        return frozenset(years)


def package_schedule_through(first_year: int = FIRST_YEAR) -> int:
    """The last year for which the ``holidays`` package records official make-up workdays.

    The package guesses later years (it gives them no make-up workdays), so this is as far as
    its schedule can be trusted when a rulebook has no ``calendar.yaml``.
    """
    return schedule_through(first_year, LAST_SUPPORTED_YEAR - PROVISIONAL_YEARS)


def _merge_extras(
    extra_holidays: Iterable[ExtraDay],
    extra_workdays: Iterable[ExtraDay],
    first_year: int,
    last_year: int,
) -> dict[dt.date, tuple[ExtraDay, bool]]:
    """The rulebook's days by date, each with whether it is worked; clashes are errors."""
    merged: dict[dt.date, tuple[ExtraDay, bool]] = {}
    for days, working in ((extra_holidays, False), (extra_workdays, True)):
        for day in days:
            if not first_year <= day.date.year <= last_year:
                first, last = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
                raise CalendarError(problems.outside_years(day.date, first, last))
            seen = merged.get(day.date)
            if seen is not None:
                field = "extra_workdays" if working else "extra_holidays"
                raise CalendarError(
                    problems.off_and_worked(day.date, None)
                    if seen[1] != working
                    else problems.listed_twice(day.date, field, None)
                )
            merged[day.date] = (day, working)
    return merged
