"""Every problem the working-day calendar reports, in Chinese and English.

The calendar's file checks (:mod:`fyrules.deadlines.calendar.spec`) and its runtime questions
(:mod:`fyrules.deadlines.calendar`) say the same things in the same words; they are written once
here. Runtime failures reach the caller as :class:`CalendarError`, which carries the problem.
"""

from __future__ import annotations

import datetime as dt

from fyrules.engine.messages import unknown_timezone as timezone_message
from fyrules.engine.problems import FyrulesError, Location, Problem

_STEPS_ZH = "（步骤见 docs/calendar.md）"
_STEPS_EN = " (steps in docs/calendar.md)"


class CalendarError(FyrulesError):
    """A calendar question that cannot be answered: a date outside its years, a bad argument."""

    problem: Problem

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


def outside_years(
    day: object, first: dt.date, last: dt.date, location: Location | None = None
) -> Problem:
    return Problem(
        "CALENDAR-OUT-OF-RANGE",
        f"{day} 不在工作日历覆盖的范围内（{first} 至 {last}）",
        f"{day} is outside the working calendar ({first} to {last})",
        location,
    )


def result_outside_years(day: dt.date, n: int, first: dt.date, last: dt.date) -> Problem:
    way, way_en = ("之后", "after") if n >= 0 else ("之前", "before")
    return Problem(
        "CALENDAR-OUT-OF-RANGE",
        f"{day} {way}第 {abs(n)} 个工作日超出了工作日历的范围（{first} 至 {last}）",
        f"working day {abs(n)} {way_en} {day} falls outside the working calendar "
        f"({first} to {last})",
    )


def invalid_years(first_year: int, published_through: int, lowest: int, highest: int) -> Problem:
    return Problem(
        "CALENDAR-OUT-OF-RANGE",
        f"日历年份无效：first_year={first_year}，published_through={published_through}"
        f"（须在 {lowest}–{highest} 年之间，且前者不晚于后者）",
        f"invalid calendar years: first_year={first_year}, published_through="
        f"{published_through} (both within {lowest}–{highest}, the first not after the second)",
    )


def not_a_date(value: object) -> Problem:
    return Problem("WRONG-TYPE", f"应为日期：{value!r}", f"expected a date: {value!r}")


def time_not_date(value: object) -> Problem:
    return Problem(
        "WRONG-TYPE",
        f"应为日期而不是时间：{value!r}；请先用 local_date() 换算为规则集时区的日期",
        f"expected a date, not a time: {value!r}; convert it with local_date() to a date in "
        "the rulebook's timezone first",
    )


def not_an_integer(
    value: object, what_zh: str = "天数", what_en: str = "a number of days"
) -> Problem:
    return Problem(
        "WRONG-TYPE", f"{what_zh}应为整数：{value!r}", f"{what_en} must be an integer: {value!r}"
    )


def unknown_timezone(name: str) -> Problem:
    zh, _, en = timezone_message(name).partition(" / ")
    return Problem("INVALID-VALUE", zh, en)


def naive_time(value: object) -> Problem:
    return Problem(
        "INVALID-VALUE",
        f"时间必须带时区（如 2025-10-09T09:30:00+08:00）：{value!r}",
        f"a time must carry its timezone (e.g. 2025-10-09T09:30:00+08:00): {value!r}",
    )


def see_line(line: int | None) -> tuple[str, str]:
    """Where the earlier entry a problem points back to stands, in Chinese and English:
    ``（见第 N 行）`` and `` (see line N)``, or nothing when its line is not known. Every
    calendar and working-hours problem that names an earlier entry words it so."""
    if not line:
        return "", ""
    return f"（见第 {line} 行）", f" (see line {line})"


def listed_twice(
    day: dt.date, field: str, first_line: int | None, location: Location | None = None
) -> Problem:
    at_zh, at_en = see_line(first_line)
    return Problem(
        "CALENDAR-DUPLICATE-DATE",
        f"{day} 在 {field} 中重复列出{at_zh}",
        f"{day} is listed twice in {field}{at_en}",
        location,
    )


_WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def no_effect(day: dt.date, field: str, location: Location | None = None) -> Problem:
    """A weekend day listed as a day off, or a weekday as a make-up workday: most likely a
    wrong date (the notice's day was misread), and the entry changes nothing as written."""
    weekday_zh, weekday_en = _WEEKDAYS_ZH[day.weekday()], day.strftime("%A")
    if field == "extra_holidays":
        zh = (
            f"{day} 是{weekday_zh}，本来就休息，列为放假日不起作用：请核对通知中的日期"
            "（extra_holidays 只需列周一至周五的放假日）"
        )
        en = (
            f"{day} is a {weekday_en}, off anyway, so listing it as a day off changes nothing: "
            "check the date against the notice (extra_holidays needs only Monday-to-Friday days)"
        )
    else:
        zh = (
            f"{day} 是{weekday_zh}，本来就上班，列为调休上班日不起作用：请核对通知中的日期"
            "（调休上班日是周六或周日）"
        )
        en = (
            f"{day} is a {weekday_en}, worked anyway, so listing it as a make-up workday changes "
            "nothing: check the date against the notice (make-up workdays are Saturdays or Sundays)"
        )
    return Problem("CALENDAR-NO-EFFECT", zh, en, location, severity="warning")


def off_and_worked(
    day: dt.date, first_line: int | None, location: Location | None = None
) -> Problem:
    at_zh, at_en = see_line(first_line)
    return Problem(
        "CALENDAR-CONFLICT",
        f"{day} 已在 extra_holidays 中列为放假{at_zh}，不能同时列为上班（extra_workdays）",
        f"{day} is already a day off in extra_holidays{at_en}; "
        "it cannot also be a workday (extra_workdays)",
        location,
    )


def schedule_missing_this_year(
    year: int, published_through: int, location: Location | None
) -> Problem:
    return Problem(
        "CALENDAR-SCHEDULE-MISSING",
        f"今年（{year} 年）的国务院放假安排尚未录入：calendar.yaml 的 published_through 仍为 "
        f"{published_through}，{year} 年起的期限都是暂定的。请按国务院办公厅通知在 calendar.yaml "
        f"中补录该年的放假日和调休上班日，并把 published_through 改为 {year}{_STEPS_ZH}",
        f"this year's ({year}) State Council holiday schedule is missing: published_through in "
        f"calendar.yaml is still {published_through}, so every time limit from {year} on is "
        "provisional. Add the year's days off and make-up workdays from the State Council "
        f"notice to calendar.yaml and set published_through to {year}{_STEPS_EN}",
        location,
        severity="warning",
    )


def schedule_missing_next_year(
    year: int, published_through: int, location: Location | None
) -> Problem:
    nxt = year + 1
    return Problem(
        "CALENDAR-SCHEDULE-MISSING",
        f"{nxt} 年的国务院放假安排尚未录入：calendar.yaml 的 published_through 为 "
        f"{published_through}，跨入 {nxt} 年的期限都是暂定的。通知发布后（通常在 11–12 月），"
        f"请在 calendar.yaml 中补录 {nxt} 年的放假日和调休上班日，并把 published_through "
        f"改为 {nxt}{_STEPS_ZH}",
        f"the State Council holiday schedule for {nxt} is missing: published_through in "
        f"calendar.yaml is {published_through}, so time limits reaching into {nxt} are "
        "provisional. Once the notice is out (usually in November or December), add "
        f"{nxt}'s days off and make-up workdays to calendar.yaml and set published_through "
        f"to {nxt}{_STEPS_EN}",
        location,
        severity="warning",
    )


def years_unconfirmed(
    years: tuple[int, ...], published_through: int, location: Location | None
) -> Problem:
    shown = "、".join(str(y) for y in years)
    shown_en = ", ".join(str(y) for y in years)
    return Problem(
        "CALENDAR-YEAR-UNCONFIRMED",
        f"published_through 为 {published_through}，但 {shown} 年没有任何调休上班日："
        "holidays 包没有该年的官方放假安排，calendar.yaml 也未补录。请按国务院办公厅通知补录"
        f"{_STEPS_ZH}",
        f"published_through is {published_through}, but {shown_en} has no make-up workday at "
        "all: the holidays package lacks the official schedule and calendar.yaml does not add "
        f"it. Add it from the State Council notice{_STEPS_EN}",
        location,
        severity="warning",
    )


def full_year_without_holidays(year: int, location: Location | None) -> Problem:
    return Problem(
        "INVALID-VALUE",
        f"full_schedule_years 含 {year} 年，但 extra_holidays 中没有该年的任何放假日；"
        "该年的放假安排须完整列出",
        f"full_schedule_years names {year}, but extra_holidays has no day off in {year}; "
        "that year's whole schedule must be listed",
        location,
    )
