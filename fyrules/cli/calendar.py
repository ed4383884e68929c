"""``fyrules calendar RULEBOOK add|count|why|hours``: a rulebook's calendar on the command line.

- ``add DATE N``: the N-th working day after DATE (DATE not counted; N may be 0 or negative);
- ``count START END``: the working days from START to END, both included;
- ``why DATE``: whether DATE is a working day and why, with its opening hours when defined;
- ``hours START HOURS``: the moment HOURS working hours after START (needs ``opening_hours:``);
  a START without a UTC offset is read in the rulebook's time zone.

``--format text|json`` and ``--lang zh|en|both`` may come before or after the action. Bad input
(a malformed date, N not an integer, a date outside the calendar, a rulebook with errors) is a
:class:`UsageError` with a one-line message: ``fyrules`` prints it and exits 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from typing import Any

from ..engine.problems import UsageError

_WEEKDAYS = (
    ("星期一", "Monday"),
    ("星期二", "Tuesday"),
    ("星期三", "Wednesday"),
    ("星期四", "Thursday"),
    ("星期五", "Friday"),
    ("星期六", "Saturday"),
    ("星期日", "Sunday"),
)

_KINDS = {
    "workday": ("工作日（周一至周五）", "working day (Monday to Friday)"),
    "weekend": ("周末，休息", "weekend, off"),
    "holiday": ("法定节假日（含调休放假）", "statutory holiday (or a day off moved next to one)"),
    "makeup_workday": ("调休上班日（周末上班）", "make-up workday (a weekend day worked)"),
    "extra_holiday": ("规则集增加的放假日", "day off the rulebook adds"),
    "extra_workday": ("规则集增加的上班日", "workday the rulebook adds"),
}

HELP = "working days of a rulebook: add, count, why, hours"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``fyrules calendar``: a rulebook, then an action and its operands."""
    parser.add_argument("rulebook", help="rulebook folder (holding rulebook.yaml)")
    _output_options(parser, argparse.SUPPRESS)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("add", help="the N-th working day after DATE (DATE not counted)")
    p.add_argument("date", metavar="DATE", help="YYYY-MM-DD")
    p.add_argument("n", metavar="N", help="working days: an integer, 0 or negative too")
    _output_options(p, argparse.SUPPRESS)

    p = actions.add_parser("count", help="working days from START to END, both included")
    p.add_argument("start", metavar="START", help="YYYY-MM-DD")
    p.add_argument("end", metavar="END", help="YYYY-MM-DD")
    _output_options(p, argparse.SUPPRESS)

    p = actions.add_parser("why", help="whether DATE is a working day, and why")
    p.add_argument("date", metavar="DATE", help="YYYY-MM-DD")
    _output_options(p, argparse.SUPPRESS)

    p = actions.add_parser("hours", help="the moment HOURS working hours after START")
    p.add_argument("start", metavar="START", help="ISO time, e.g. 2026-03-04T11:00+08:00")
    p.add_argument("hours", metavar="HOURS", help="working hours, e.g. 1.5")
    _output_options(p, argparse.SUPPRESS)


def _output_options(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--format", choices=("text", "json"), default=default, help="output")
    parser.add_argument(
        "--lang", choices=("zh", "en", "both"), default=default, help="language of the text"
    )


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(report(args) + "\n")
    return 0


def report(args: argparse.Namespace) -> str:
    """The report of one ``fyrules calendar`` action (text or JSON)."""
    fmt = getattr(args, "format", "text")
    lang = getattr(args, "lang", "both")
    if args.action == "add":
        date, n = _date(args.date, "DATE"), _integer(args.n)
        rulebook = _load(args.rulebook)
        doc, lines = _add(rulebook, date, n)
    elif args.action == "count":
        start, end = _date(args.start, "START"), _date(args.end, "END")
        rulebook = _load(args.rulebook)
        doc, lines = _count(rulebook, start, end)
    elif args.action == "why":
        date = _date(args.date, "DATE")
        rulebook = _load(args.rulebook)
        doc, lines = _why(rulebook, date)
    else:
        hours = _hours(args.hours)
        rulebook = _load(args.rulebook)
        doc, lines = _add_hours(rulebook, _moment(args.start, rulebook.timezone), hours)
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2)
    return "\n".join(_say(*line, lang) for line in lines)


# --- the actions ------------------------------------------------------------------------------

Lines = list[tuple[str, str, str]]  # (the same in every language, Chinese, English)


def _add(rulebook: Any, date: dt.date, n: int) -> tuple[dict[str, Any], Lines]:
    calendar = rulebook.calendar
    result = _ask(lambda: calendar.add_working_days(date, n))
    provisional = calendar.spans_provisional(date, result)
    zh_day, en_day = _WEEKDAYS[result.weekday()]
    if n > 0:
        what = ("", f"{date} 之后第 {n} 个工作日（当日不计）", f"working day {n} after {date}")
    elif n < 0:
        what = ("", f"{date} 之前第 {-n} 个工作日（当日不计）", f"working day {-n} before {date}")
    else:
        what = ("", f"{date} 当日或之后的第一个工作日", f"the first working day on or after {date}")
    lines = [(f"{result} ", zh_day, en_day), what]
    lines += _provisional_line(calendar, provisional)
    doc = {
        "date": date.isoformat(),
        "n": n,
        "result": result.isoformat(),
        "weekday": en_day,
        "provisional": provisional,
        "published_through": calendar.published_through,
    }
    return doc, lines


def _count(rulebook: Any, start: dt.date, end: dt.date) -> tuple[dict[str, Any], Lines]:
    calendar = rulebook.calendar
    count = _ask(lambda: calendar.count_working_days(start, end))
    provisional = calendar.spans_provisional(start, end)
    lines = [
        (str(count), "", ""),
        (
            "",
            f"{start} 至 {end} 的工作日数（首尾两日均计入）",
            f"working days from {start} to {end}, both included",
        ),
    ]
    if end < start:
        lines.append(("", "结束日期早于开始日期，计为 0", "END is before START: 0"))
    lines += _provisional_line(calendar, provisional)
    doc = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "working_days": count,
        "provisional": provisional,
        "published_through": calendar.published_through,
    }
    return doc, lines


def _why(rulebook: Any, date: dt.date) -> tuple[dict[str, Any], Lines]:
    calendar = rulebook.calendar
    info = _ask(lambda: calendar.why(date))
    zh_day, en_day = _WEEKDAYS[date.weekday()]
    verdict = (
        ("是工作日", "a working day") if info.is_working else ("不是工作日", "not a working day")
    )
    lines = [(f"{date} ", f"{zh_day}：{verdict[0]}", f"{en_day}: {verdict[1]}")]
    kind_zh, kind_en = _KINDS[info.kind]
    if info.name_zh and info.kind != "makeup_workday":  # its name only repeats the kind
        kind_zh += f"：{info.name_zh}"
        kind_en += f": {info.name_en or info.name_zh}"
    lines.append(("", kind_zh, kind_en))
    if info.basis:
        lines.append(("", f"依据：{info.basis}", f"basis: {info.basis}"))
    lines += _provisional_line(calendar, info.provisional)
    hours = rulebook.part("working_hours")
    opening = hours.opening_day(date) if hours is not None else None
    if opening is not None:
        lines.append(_opening_line(opening))
    doc = {
        **info.to_dict(),
        "weekday": en_day,
        "published_through": calendar.published_through,
        "opening_hours": opening.to_dict() if opening is not None else None,
    }
    return doc, lines


def _add_hours(rulebook: Any, start: dt.datetime, hours: float) -> tuple[dict[str, Any], Lines]:
    from ..deadlines.hours.problems import WorkingHoursError

    try:
        working_hours = rulebook.working_hours
    except WorkingHoursError as exc:
        raise UsageError(exc.problem.format()) from None
    result = _ask(lambda: working_hours.add_working_hours(start, hours))
    local_start = start.astimezone(result.tzinfo)
    calendar = rulebook.calendar
    provisional = calendar.spans_provisional(local_start.date(), result.date())
    shown = f"{hours:g}"
    lines = [
        (result.isoformat(), "", ""),
        (
            "",
            f"{local_start.isoformat()} 之后 {shown} 个工作小时（按中心办公时间计）",
            f"{shown} working hours after {local_start.isoformat()} (on the center's opening hours)",
        ),
    ]
    lines += _provisional_line(calendar, provisional)
    doc = {
        "start": local_start.isoformat(),
        "hours": hours,
        "result": result.isoformat(),
        "provisional": provisional,
        "published_through": calendar.published_through,
    }
    return doc, lines


def _provisional_line(calendar: Any, provisional: bool) -> Lines:
    if not provisional:
        return []
    year = calendar.published_through
    return [
        (
            "",
            f"暂定：{year} 年之后的国务院放假安排尚未录入，正式安排录入后可能变化",
            f"provisional: the State Council schedule after {year} is not in the rulebook yet; "
            "the result may change once it is",
        )
    ]


def _opening_line(opening: Any) -> tuple[str, str, str]:
    if not opening.sessions:
        return ("", "办公时间：不办公", "opening hours: closed")
    sessions = ", ".join(str(s) for s in opening.sessions)
    zh = f"办公时间：{sessions}（{opening.hours:g} 小时）"
    en = f"opening hours: {sessions} ({opening.hours:g} h)"
    if opening.season_zh:
        zh += f"，{opening.season_zh}"
        en += f", {opening.season_en or opening.season_zh}"
    return "", zh, en


# --- reading the operands -------------------------------------------------------------------


def _load(path: str) -> Any:
    from pathlib import Path

    from ..engine.problems import RulebookError
    from ..rulebook import load

    if not Path(path).exists():
        raise UsageError(f"{path}：不存在 / {path}: does not exist")
    try:
        return load(path)
    except RulebookError as exc:
        raise UsageError(
            f"规则集有错误，请先运行 fyrules check / the rulebook has errors; run fyrules check: {exc}"
        ) from None


def _ask(question: Any) -> Any:
    from ..deadlines.calendar.problems import CalendarError

    try:
        return question()
    except CalendarError as exc:
        raise UsageError(exc.problem.format()) from None


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{name} 不是有效日期（应为 YYYY-MM-DD）：{text!r} / "
            f"{name} is not a date (YYYY-MM-DD): {text!r}"
        ) from None


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"N 应为整数：{text!r} / N must be an integer: {text!r}") from None


def _hours(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise UsageError(
            f"HOURS 应为数字（如 1.5）：{text!r} / HOURS must be a number such as 1.5: {text!r}"
        )
    return value


def _moment(text: str, timezone: str) -> dt.datetime:
    from zoneinfo import ZoneInfo

    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"START 不是有效时间（如 2026-03-04T11:00+08:00）：{text!r} / "
            f"START is not a time such as 2026-03-04T11:00+08:00: {text!r}"
        ) from None
    if moment.utcoffset() is None:  # read on the rulebook's clock
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment


def _say(common: str, zh: str, en: str, lang: str) -> str:
    if lang == "zh" or not en:
        return common + zh
    if lang == "en":
        return common + en
    return f"{common}{zh} / {en}"
