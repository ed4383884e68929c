"""``opening_hours:``: the service center's opening hours (办公时间), as policy staff write them.

Items handled on the spot (即办件) and joint items such as the "four certificates in 1.5 hours"
have limits in *working hours*, counted on the center's opening hours: the sessions (时段) of a
working day, morning and afternoon. The section says::

    opening_hours:
      basis: 阜阳市政务服务中心作息时间公告
      working_days: {sessions: ["09:00-12:00", "13:30-17:30"]}   # every working day …
      weekdays: {friday: {sessions: ["09:00-12:00", "13:30-16:30"]}}  # … unless its weekday differs
      makeup_workdays: {sessions: ["09:00-12:00"]}   # 调休上班日; default: working_days
      seasons:                                       # e.g. summer hours, every year
        - {name: 夏季作息, from: 05-01, to: 09-30, basis: …,
           working_days: {sessions: ["09:00-12:00", "14:30-18:00"]}}

A session is ``"HH:MM-HH:MM"`` (a string: YAML would read an unquoted ``13:30`` alone as the
number 810). A season's ``from``/``to`` are month-days (``05-01``: every year; a range may run
over the new year, ``10-01`` to ``04-30``) or full dates (``2026-05-01``: that period only, and
then it wins over a month-day season on the same days).

:func:`read_opening_hours` validates the section and reports what pydantic cannot see, each at
its line and column: a session that ends before it starts, sessions out of order or overlapping
(``HOURS-SESSION-ORDER``), a season's range that is mixed or reversed (``HOURS-SEASON-RANGE``),
two seasons of the same kind on the same day (``HOURS-SEASON-OVERLAP``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Annotated, Any

import attrs
from pydantic import BeforeValidator, Field, field_validator

from fyrules.engine.load.model import Title, as_title
from fyrules.engine.load.source import KeyPath, SourceMap
from fyrules.engine.load.validation import Strict, validate
from fyrules.engine.problems import Problem

from . import problems as hours_problems

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday")
MINUTES_PER_DAY = 24 * 60

_SESSION = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–—~～]\s*(\d{1,2}):(\d{2})\s*$")
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})-(\d{1,2})\s*$")


@attrs.frozen(slots=True, order=True)
class Session:
    """One opening session of a day, in minutes after midnight: ``start`` to ``end``."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> Session:
        """A session from its normalized text (``"09:00-12:00"``)."""
        match = _SESSION.match(text)
        if match is None:  # the model normalized it: cannot happen for a validated spec
            raise ValueError(text)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        return cls(h1 * 60 + m1, h2 * 60 + m2)

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def __str__(self) -> str:
        return f"{_clock(self.start)}-{_clock(self.end)}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _session_text(value: Any) -> Any:
    """``"9:00 - 12:00"`` → ``"09:00-12:00"``; the times must exist (24:00 only as an end)."""
    if not isinstance(value, str):
        raise ValueError(
            f"时段应写成带引号的 “09:00-12:00”：{value!r} / "
            f'a session is written as "09:00-12:00", in quotes: {value!r}'
        )
    match = _SESSION.match(value)
    if match is None:
        raise ValueError(
            f"时段格式应为 HH:MM-HH:MM（如 09:00-12:00）：{value!r} / "
            f"a session is HH:MM-HH:MM, such as 09:00-12:00: {value!r}"
        )
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2 != 0):
        raise ValueError(
            f"时段中的时间不存在（开始 00:00–23:59，结束至多 24:00）：{value!r} / "
            f"a time in the session does not exist (starts 00:00–23:59, ends by 24:00): {value!r}"
        )
    return f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}"


def _season_day(value: Any) -> Any:
    """``05-01`` (every year) or ``2026-05-01`` (that day only), normalized to text."""
    if isinstance(value, dt.datetime):
        raise ValueError(
            f"应为日期，不能带时间：{value} / expected a date, without a time: {value}"
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        match = _MONTH_DAY.match(value)
        if match is not None:
            month, day = (int(g) for g in match.groups())
            try:
                dt.date(2000, month, day)  # a leap year: 02-29 exists
            except ValueError:
                pass
            else:
                return f"{month:02d}-{day:02d}"
        else:
            try:
                return dt.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
    raise ValueError(
        f"应为月-日（如 05-01，每年适用）或日期（如 2026-05-01）：{value!r} / "
        f"expected a month-day such as 05-01 (every year) or a date such as 2026-05-01: {value!r}"
    )


SessionText = Annotated[
    str,
    BeforeValidator(_session_text),
    Field(description='时段，如 “09:00-12:00” / a session, such as "09:00-12:00"'),
]
SeasonDay = Annotated[
    str,
    BeforeValidator(_season_day),
    Field(
        description="月-日（如 05-01，每年适用）或日期（如 2026-05-01） / "
        "a month-day such as 05-01 (every year) or a date such as 2026-05-01"
    ),
]


class DayHoursSpec(Strict):
    """The sessions of one kind of day, morning first."""

    sessions: tuple[SessionText, ...] = Field(
        min_length=1,
        description="办公时段，按时间先后排列，互不重叠 / sessions, in order of time, not overlapping",
    )
    basis: str | None = Field(
        default=None,
        min_length=1,
        description="依据；省略时沿用所在作息的依据 / basis; the enclosing schedule's when left out",
    )

    def parsed(self) -> tuple[Session, ...]:
        return tuple(Session.parse(s) for s in self.sessions)


class WeekdayHoursSpec(Strict):
    """Weekdays whose sessions differ from ``working_days`` (Monday to Friday only)."""

    monday: DayHoursSpec | None = None
    tuesday: DayHoursSpec | None = None
    wednesday: DayHoursSpec | None = None
    thursday: DayHoursSpec | None = None
    friday: DayHoursSpec | None = None


class ScheduleSpec(Strict):
    """A whole week's hours: working days, the weekdays that differ, make-up workdays."""

    working_days: DayHoursSpec = Field(
        description="工作日的办公时段 / the sessions of a working day"
    )
    weekdays: WeekdayHoursSpec | None = Field(
        default=None,
        description="与 working_days 不同的星期几（monday…friday） / "
        "weekdays that differ from working_days (monday … friday)",
    )
    makeup_workdays: DayHoursSpec | None = Field(
        default=None,
        description="调休上班日（上班的周六、周日）的时段；省略时同 working_days / "
        "sessions of a make-up workday (a Saturday or Sunday worked); working_days when left out",
    )

    def days(self) -> Iterator[tuple[KeyPath, DayHoursSpec]]:
        """Every day kind the schedule names, with its key path below the schedule."""
        yield ("working_days",), self.working_days
        if self.weekdays is not None:
            for name in WEEKDAY_NAMES:
                day = getattr(self.weekdays, name)
                if day is not None:
                    yield ("weekdays", name), day
        if self.makeup_workdays is not None:
            yield ("makeup_workdays",), self.makeup_workdays

    def for_weekday(self, weekday: int) -> DayHoursSpec:
        """The hours of a working day that falls on ``weekday`` (0 Monday … 6 Sunday)."""
        if weekday >= 5:
            return self.makeup_workdays or self.working_days
        if self.weekdays is not None:
            day = getattr(self.weekdays, WEEKDAY_NAMES[weekday])
            if day is not None:
                return day
        return self.working_days


class SeasonSpec(ScheduleSpec):
    """Hours in force over part of the year (夏季作息 summer hours …)."""

    name: Title = Field(description="名称，如 夏季作息时间 / name, such as summer hours")
    start: SeasonDay = Field(alias="from", description="起始日（含） / first day (included)")
    end: SeasonDay = Field(alias="to", description="结束日（含） / last day (included)")
    basis: str = Field(min_length=1, description="依据 / basis")

    _name = field_validator("name", mode="before")(as_title)

    @property
    def recurring(self) -> bool:
        """Whether the season comes back every year (month-days) or is one period (dates)."""
        return len(self.start) == 5

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls in the season (``from`` and ``to`` both included)."""
        if not self.recurring:
            return self.start <= day.isoformat() <= self.end
        md = (day.month, day.day)
        start, end = _month_day(self.start), _month_day(self.end)
        if start <= end:
            return start <= md <= end
        return md >= start or md <= end  # over the new year


class OpeningHoursSpec(ScheduleSpec):
    """The ``opening_hours:`` section: the center's published hours."""

    basis: str = Field(
        min_length=1,
        description="依据：中心的作息时间公告 / basis: the center's notice of its opening hours",
    )
    seasons: tuple[SeasonSpec, ...] = Field(
        default=(),
        description="季节作息：一年中某段时间的不同时段 / seasonal hours over part of the year",
    )

    def season_on(self, day: dt.date) -> SeasonSpec | None:
        """The season in force on ``day``: a one-period season first, then a yearly one."""
        found = None
        for season in self.seasons:
            if season.covers(day):
                if not season.recurring:
                    return season
                found = found or season
        return found


def _month_day(text: str) -> tuple[int, int]:
    return int(text[:2]), int(text[3:])


def read_opening_hours(
    data: Any, source: SourceMap, keys: KeyPath = ("opening_hours",)
) -> tuple[OpeningHoursSpec | None, list[Problem]]:
    """Validate the ``opening_hours:`` section (``data`` is its value, found at ``keys``).

    Returns the spec, or ``None`` when it has errors, and every problem found, positioned.
    """
    spec, problems = validate(OpeningHoursSpec, data, source, keys)
    if spec is None:
        return None, problems
    problems = check_opening_hours(spec, source, keys)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return spec, problems


def check_opening_hours(
    spec: OpeningHoursSpec, source: SourceMap, keys: KeyPath = ()
) -> list[Problem]:
    """What the model alone cannot see: sessions reversed, out of order or overlapping;
    seasons whose range is mixed or reversed, or that overlap another of the same kind."""
    problems: list[Problem] = []
    schedules: list[tuple[KeyPath, ScheduleSpec]] = [(keys, spec)]
    schedules += [((*keys, "seasons", i), s) for i, s in enumerate(spec.seasons)]
    for where, schedule in schedules:
        for sub, day in schedule.days():
            problems.extend(_check_sessions(day, source, (*where, *sub, "sessions")))
    problems.extend(_check_seasons(spec.seasons, source, (*keys, "seasons")))
    return problems


def _check_sessions(day: DayHoursSpec, source: SourceMap, keys: KeyPath) -> list[Problem]:
    problems = []
    previous: tuple[int, Session] | None = None
    for i, session in enumerate(day.parsed()):
        where = source.locate((*keys, i))
        if session.end <= session.start:
            problems.append(hours_problems.session_reversed(str(session), where))
            continue
        if previous is not None and session.start < previous[1].end:
            line = source.locate((*keys, previous[0])).line
            problems.append(
                hours_problems.session_overlaps(str(session), str(previous[1]), line, where)
            )
        previous = (i, session)
    return problems


def _check_seasons(
    seasons: tuple[SeasonSpec, ...], source: SourceMap, keys: KeyPath
) -> list[Problem]:
    problems = []
    # each valid season so far: (index, the yearly days it covers | its first and last ordinal)
    yearly: list[tuple[int, frozenset[int]]] = []
    periods: list[tuple[int, tuple[int, int]]] = []
    for i, season in enumerate(seasons):
        where = source.locate((*keys, i, "to"))
        if len(season.start) != len(season.end):
            problems.append(hours_problems.season_mixed(where))
            continue
        clash = None
        if season.recurring:
            covered = _yearly_days(season.start, season.end)
            clash = next((j for j, other in yearly if covered & other), None)
            yearly.append((i, covered))
        else:
            start, end = dt.date.fromisoformat(season.start), dt.date.fromisoformat(season.end)
            if end < start:
                problems.append(hours_problems.season_reversed(start, end, where))
                continue
            span = (start.toordinal(), end.toordinal())
            clash = next((j for j, (a, b) in periods if a <= span[1] and span[0] <= b), None)
            periods.append((i, span))
        if clash is not None:
            line = source.locate((*keys, clash)).line
            problems.append(
                hours_problems.season_overlap(
                    season.name.zh, seasons[clash].name.zh, line, source.locate((*keys, i, "from"))
                )
            )
    return problems


def _yearly_days(start: str, end: str) -> frozenset[int]:
    """The days of a leap year (1–366) a month-day range covers, over the new year if need be."""

    def day_of_year(text: str) -> int:
        month, day = _month_day(text)
        return dt.date(2000, month, day).timetuple().tm_yday

    first, last = day_of_year(start), day_of_year(end)
    if first <= last:
        return frozenset(range(first, last + 1))
    return frozenset(range(first, 367)) | frozenset(range(1, last + 1))
