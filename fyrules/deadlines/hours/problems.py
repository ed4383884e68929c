"""Every problem the center's opening hours (办公时间) report, in Chinese and English.

The file checks (:mod:`fyrules.deadlines.hours.spec`) and the runtime questions
(:mod:`fyrules.deadlines.hours`) word them once, here. Runtime failures reach the caller as
:class:`WorkingHoursError`, a :class:`~fyrules.deadlines.calendar.problems.CalendarError`: one
``except CalendarError`` catches every failure of working-day and working-hour arithmetic.
"""

from __future__ import annotations

import datetime as dt

from fyrules.engine.problems import Location, Problem

from ..calendar.problems import CalendarError, see_line

_SEE_ZH = "（写法见 docs/calendar.md 第 8 节）"
_SEE_EN = " (see docs/calendar.md, section 8)"


class WorkingHoursError(CalendarError):
    """A working-hours question that cannot be answered; ``problem`` says why."""


def undefined(rulebook: str | None = None) -> Problem:
    who = f"规则集 {rulebook} " if rulebook else "规则集"
    who_en = f"rulebook {rulebook}" if rulebook else "the rulebook"
    return Problem(
        "HOURS-UNDEFINED",
        f"{who}没有定义办公时间（opening_hours），无法按工作小时计算当日办结的时限。"
        f"请在 calendar.yaml 中加入中心公告的作息时间{_SEE_ZH}",
        f"{who_en} defines no opening hours (opening_hours), so limits in working hours "
        f"cannot be computed. Add the center's published hours to calendar.yaml{_SEE_EN}",
    )


def session_reversed(text: str, location: Location | None) -> Problem:
    return Problem(
        "HOURS-SESSION-ORDER",
        f"时段 {text} 的结束时间不晚于开始时间",
        f"session {text} does not end after it starts",
        location,
    )


def session_overlaps(
    text: str, previous: str, previous_line: int | None, location: Location | None
) -> Problem:
    at_zh, at_en = see_line(previous_line)
    return Problem(
        "HOURS-SESSION-ORDER",
        f"时段 {text} 开始于上一时段 {previous}{at_zh} 结束之前：时段须按时间先后排列，互不重叠",
        f"session {text} starts before the previous session {previous}{at_en} ends: "
        "sessions must be in order of time and must not overlap",
        location,
    )


def season_mixed(location: Location | None) -> Problem:
    return Problem(
        "HOURS-SEASON-RANGE",
        "季节作息的 from 和 to 须同为月-日（如 05-01，每年适用）或同为完整日期"
        "（如 2026-05-01，仅该时段适用）",
        "a season's from and to must both be month-days (05-01, every year) or both full "
        "dates (2026-05-01, that period only)",
        location,
    )


def season_reversed(start: dt.date, end: dt.date, location: Location | None) -> Problem:
    return Problem(
        "HOURS-SEASON-RANGE",
        f"季节作息的结束日期 {end} 早于开始日期 {start}",
        f"the season ends ({end}) before it starts ({start})",
        location,
    )


def season_overlap(
    name: str, other: str, other_line: int | None, location: Location | None
) -> Problem:
    at_zh, at_en = see_line(other_line)
    return Problem(
        "HOURS-SEASON-OVERLAP",
        f"季节作息 “{name}” 与 “{other}”{at_zh} 的日期范围重叠：某一天只能适用一种作息",
        f"season '{name}' overlaps '{other}'{at_en}: a day can follow one schedule only",
        location,
    )


def not_hours(value: object) -> Problem:
    return Problem(
        "WRONG-TYPE",
        f"工作小时数应为有限的数字：{value!r}",
        f"a number of working hours must be a finite number: {value!r}",
    )


def not_a_moment(value: object) -> Problem:
    return Problem(
        "WRONG-TYPE",
        f"应为带时区的时间（datetime）：{value!r}",
        f"expected a timezone-aware time (datetime): {value!r}",
    )


def result_outside(start: dt.datetime, hours: float, first: dt.date, last: dt.date) -> Problem:
    way, way_en = ("之后", "after") if hours >= 0 else ("之前", "before")
    shown = f"{float(abs(hours)):g}"  # a Fraction has no "g" format before Python 3.12
    return Problem(
        "CALENDAR-OUT-OF-RANGE",
        f"{start.isoformat()} {way} {shown} 个工作小时超出了工作日历的范围（{first} 至 {last}）",
        f"{shown} working hours {way_en} {start.isoformat()} fall outside the working "
        f"calendar ({first} to {last})",
    )
