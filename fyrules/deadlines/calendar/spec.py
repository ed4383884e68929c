"""``calendar.yaml``: the rulebook's working-day calendar, as policy staff write it.

The national schedule (法定节假日 statutory holidays and 调休 make-up workdays) comes from the
``holidays`` package; this file says how far that schedule is trusted (``published_through``)
and adds what the package does not know: local days off and make-up workdays, or the schedule
of a year the State Council has just published. Every added day cites its basis.

:func:`parse_calendar` validates a parsed file (:func:`read_calendar` the ``calendar:`` section
alone) and reports what pydantic cannot see: a date listed twice, or both as a day off and as a
workday, or outside the calendar's years, each at its line and column.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator

from fyrules.engine.load.model import Title, as_title
from fyrules.engine.load.source import KeyPath, SourceMap
from fyrules.engine.load.validation import Strict, validate
from fyrules.engine.problems import Problem

from . import problems as calendar_problems

# The holidays package records official schedules from 2001; earlier years would be guesses.
FIRST_YEAR = 2001
# Years past this are beyond what the holidays package can compute for China.
LAST_SUPPORTED_YEAR = 2100
# How many years past ``published_through`` the calendar computes, provisionally: enough for the
# longest statutory limits counted from a case accepted late in the last trusted year.
PROVISIONAL_YEARS = 5


def _plain_date(value: Any) -> Any:
    """Only a calendar date: ``2027-01-01`` in YAML or an ISO string, never a time or a number."""
    if isinstance(value, dt.datetime):
        raise ValueError(
            f"应为日期（如 2027-01-01），不能带时间：{value} / "
            f"expected a date such as 2027-01-01, without a time: {value}"
        )
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"不是有效日期：{value!r}（应为 YYYY-MM-DD，且该日真实存在） / "
                f"not a real date: {value!r} (expected YYYY-MM-DD, a day that exists)"
            ) from None
    raise ValueError(
        f"应为日期（如 2027-01-01）：{value!r} / expected a date such as 2027-01-01: {value!r}"
    )


CalendarDate = Annotated[
    dt.date,
    BeforeValidator(_plain_date),
    Field(description="日期，格式 YYYY-MM-DD / date, as YYYY-MM-DD"),
]


class ExtraDaySpec(Strict):
    """One day the rulebook adds to the national schedule, with the document that sets it."""

    date: CalendarDate
    name: Title = Field(
        description="名称：一个中文字符串，或 {zh, en} / name: a Chinese string, or {zh, en}"
    )
    basis: str = Field(
        min_length=1,
        description="依据：发文机关、文号或链接 / basis: issuing office, document number or link",
    )

    _name = field_validator("name", mode="before")(as_title)


class CalendarSpec(Strict):
    """The ``calendar:`` section of ``calendar.yaml``."""

    country: Literal["CN"] = Field(
        default="CN", description="国家，目前仅支持 CN（中国） / country; only CN (China) for now"
    )
    timezone: str | None = Field(
        default=None,
        description="时区（IANA），省略时使用规则集的时区 / "
        "IANA time zone; the rulebook's own zone when left out",
    )
    published_through: int = Field(
        ge=FIRST_YEAR,
        le=LAST_SUPPORTED_YEAR,
        description="本规则集认可的国务院放假安排截至哪一年；之后的年份按“暂定”计算 / "
        "last year whose official State Council schedule this rulebook trusts; "
        "later years are computed provisionally",
    )
    basis: str = Field(
        min_length=1,
        description="依据：最近一年的国务院办公厅放假安排通知 / "
        "basis: the latest State Council General Office notice on public holidays",
    )
    extra_holidays: tuple[ExtraDaySpec, ...] = Field(
        default=(),
        description="增加的放假日：地方放假，或 holidays 包尚未收录的新放假安排 / "
        "added days off: local ones, or a newly published schedule the holidays package lacks",
    )
    extra_workdays: tuple[ExtraDaySpec, ...] = Field(
        default=(),
        description="增加的上班日（调休上班），holidays 包尚未收录的 / "
        "added workdays (make-up workdays, 调休上班) the holidays package lacks",
    )
    full_schedule_years: tuple[int, ...] = Field(
        default=(),
        description="这些年份的放假安排以本文件为准、完整列出，忽略 holidays 包对该年的推算 / "
        "years whose whole schedule this file lists; the holidays package's days for those "
        "years (guesses, for a year it does not know) are ignored",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return value
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        from ...engine.messages import unknown_timezone

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(unknown_timezone(value)) from None
        return value


class CalendarFile(Strict):
    """The whole of ``calendar.yaml``: one ``calendar:`` section."""

    calendar: CalendarSpec


def parse_calendar(
    data: Any, source: SourceMap, keys: KeyPath = ()
) -> tuple[CalendarSpec | None, list[Problem]]:
    """Validate a whole parsed ``calendar.yaml`` (found at ``keys`` in ``source``).

    Returns the spec, or ``None`` when it has errors, and every problem found, positioned.
    """
    parsed, problems = validate(CalendarFile, data, source, keys)
    if parsed is None:
        return None, problems
    return _checked(parsed.calendar, source, (*keys, "calendar"))


def read_calendar(
    data: Any, source: SourceMap, keys: KeyPath = ("calendar",)
) -> tuple[CalendarSpec | None, list[Problem]]:
    """Validate the ``calendar:`` section alone (``data`` is its value, found at ``keys``).

    This is the section's builder for the rulebook loader; :func:`parse_calendar` reads a file.
    """
    spec, problems = validate(CalendarSpec, data, source, keys)
    if spec is None:
        return None, problems
    return _checked(spec, source, keys)


def _checked(
    spec: CalendarSpec, source: SourceMap, keys: KeyPath
) -> tuple[CalendarSpec | None, list[Problem]]:
    problems = check_calendar(spec, source, keys)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return spec, problems


def check_calendar(spec: CalendarSpec, source: SourceMap, keys: KeyPath = ()) -> list[Problem]:
    """What the model alone cannot see: repeated dates, a day both off and worked, dates and
    full-schedule years outside the calendar's years, a full-schedule year without days off."""
    problems: list[Problem] = []
    first = dt.date(FIRST_YEAR, 1, 1)
    last_year = min(spec.published_through + PROVISIONAL_YEARS, LAST_SUPPORTED_YEAR)
    last = dt.date(last_year, 12, 31)
    first_seen: dict[dt.date, tuple[str, int]] = {}
    # a day both off and worked, or outside the years, is reported as such, not also as
    # an entry without effect
    both = {e.date for e in spec.extra_holidays} & {e.date for e in spec.extra_workdays}
    for field in ("extra_holidays", "extra_workdays"):
        for i, entry in enumerate(getattr(spec, field)):
            where = source.locate((*keys, field, i, "date"))
            day = entry.date
            if not first <= day <= last:
                problems.append(calendar_problems.outside_years(day, first, last, where))
            in_range = first <= day <= last
            if in_range and day not in both and (day.weekday() >= 5) == (field == "extra_holidays"):
                problems.append(calendar_problems.no_effect(day, field, where))
            seen = first_seen.setdefault(day, (field, i))
            if seen == (field, i):
                continue
            line = source.locate((*keys, *seen, "date")).line
            if seen[0] == field:
                problems.append(calendar_problems.listed_twice(day, field, line, where))
            else:
                problems.append(calendar_problems.off_and_worked(day, line, where))
    years_off = {e.date.year for e in spec.extra_holidays}
    for i, year in enumerate(spec.full_schedule_years):
        where = source.locate((*keys, "full_schedule_years", i))
        if not FIRST_YEAR <= year <= last_year:
            problems.append(calendar_problems.outside_years(year, first, last, where))
        elif year not in years_off:
            problems.append(calendar_problems.full_year_without_holidays(year, where))
    return problems
