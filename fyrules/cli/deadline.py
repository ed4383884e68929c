"""``fyrules deadline``: the due dates of an item accepted at a time, or of a real case."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from ..deadlines.clock import CaseClock
from ..engine.problems import FyrulesError, UsageError
from ._common import loaded

HELP = "due dates of an item accepted at a time, or of a case"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook")
    p.add_argument("--item", metavar="CODE", help="item code")
    p.add_argument(
        "--accepted", metavar="TIME", help="acceptance time (ISO, e.g. 2025-10-09T09:30+08:00)"
    )
    p.add_argument("--events", metavar="FILE", help="events (JSON Lines) of a real case")
    p.add_argument("--case", metavar="ID", help="the case in --events (or in --store)")
    p.add_argument(
        "--store",
        metavar="PATH|URL",
        help="replay --events into this store (a SQLite file, sqlite:///FILE or "
        "postgresql+psycopg://USER@HOST/DB) and count every event of the case it holds",
    )
    p.add_argument("--at", metavar="TIME", help="as of this time (default: the last event)")
    p.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    text, code = report(loaded(args.rulebook), args)
    sys.stdout.write(text + "\n")
    return code


def parse_moment(text: str, timezone: str) -> dt.datetime:
    """An ISO date-time; without an offset it is read in the rulebook's zone."""
    from zoneinfo import ZoneInfo

    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"不是 ISO 时间（如 2025-10-09T09:30+08:00）/ not an ISO date-time: {text!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(timezone))


def report(rulebook: Any, args: argparse.Namespace) -> tuple[str, int]:
    """The report and the exit code."""
    as_of = parse_moment(args.at, rulebook.timezone) if args.at else None
    try:
        if args.events or getattr(args, "store", None):
            clock = _case(rulebook, args.events, args.case, as_of, getattr(args, "store", None))
        else:
            if not args.item or not args.accepted:
                raise UsageError(
                    "需要 --item 与 --accepted，或 --events 与 --case / "
                    "give --item and --accepted, or --events and --case"
                )
            clock = rulebook.deadline(args.item, parse_moment(args.accepted, rulebook.timezone))
    except FyrulesError as exc:
        problem = getattr(exc, "problem", None)
        raise UsageError(problem.message() if problem is not None else str(exc)) from None
    if args.format == "json":
        return json.dumps(clock.to_dict(), ensure_ascii=False, indent=2), 0
    return _text(clock, bool(args.events or getattr(args, "store", None))), 0


def _case(
    rulebook: Any,
    path: str | None,
    case: str | None,
    as_of: dt.datetime | None,
    store_text: str | None = None,
) -> CaseClock:
    """The clock of ``case`` from the events of ``path`` that the monitor accepts: an event
    ``fyrules evaluate`` refuses (an extension without its approver's role, after the case
    closed …) counts here no more than there. With ``store_text`` the events are replayed
    into that store, and the case's events are those it accepted, in this run or before."""
    from ..cases.events import Event, read_events
    from ..cases.monitor import Monitor
    from ..cases.state import Accepted

    if not case:
        raise UsageError("--events 需要 --case / --events needs --case")
    if store_text:
        return rulebook.case_clock(_stored(rulebook, path, case, store_text), as_of)
    assert path is not None
    try:
        events = [e for e in read_events(path) if isinstance(e, Event) and e.case == case]
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror}") from None
    if not events:
        raise UsageError(f"{path} 中没有案件 {case} 的事件 / no events of case {case} in {path}")
    monitor = Monitor(rulebook, trail=False)
    accepted = [e for e in events if isinstance(monitor.feed(e), Accepted)]
    if not accepted:
        raise UsageError(
            f"案件 {case} 的事件全部被拒收（见 fyrules evaluate） / every event of case {case} "
            "is refused (see fyrules evaluate)"
        )
    return rulebook.case_clock(accepted, as_of)


def _stored(rulebook: Any, path: str | None, case: str, store_text: str) -> list[Any]:
    """The accepted events of ``case`` in the store, after replaying ``path`` into it."""
    import contextlib
    from pathlib import Path

    from ..cases.events import Event, read_events
    from ..cases.monitor import Monitor
    from ._store import case_store, recorded_events

    if path is not None and not Path(path).is_file():
        raise UsageError(f"{path}: 不存在 / does not exist")
    store = case_store(store_text, case)  # on a partitioned database: the case's partition
    with contextlib.closing(store):
        if path is not None:
            monitor = Monitor(rulebook, store)
            try:
                with store.batch() if hasattr(store, "batch") else contextlib.nullcontext():
                    monitor.feed_all(
                        e for e in read_events(path) if isinstance(e, Event) and e.case == case
                    )
            except OSError as exc:
                raise UsageError(f"{path}: {exc.strerror}") from None
        accepted = recorded_events(store, case=case)
    if not accepted:
        raise UsageError(
            f"存储中没有案件 {case} 受理的事件（见 fyrules evaluate） / the store holds no "
            f"accepted event of case {case} (see fyrules evaluate)"
        )
    return accepted


def _text(c: CaseClock, real_case: bool) -> str:
    lines = [
        f"事项 / item: {c.item}" + (f"    案件 / case: {c.case}" if real_case else ""),
        f"受理 / accepted: {c.accepted_at.isoformat()}  (起算日 / counted from {c.accepted_on})",
        f"法定截止 / statutory due: {c.statutory_due or '—'}  ({c.statutory_limit} 个工作日 / working days)",
        f"承诺截止 / committed due: {c.committed_due or '—'}  ({c.committed_limit} 个工作日 / working days)",
    ]
    if real_case:
        lines.append(
            f"已用 / used: {c.used_days}  暂停 / paused: {c.paused_days}  延长 / extended: "
            f"{c.extended_days}  剩余 / remaining: {c.committed_remaining}  状态 / state: {c.state}"
        )
        if c.settlement:
            lines.append(f"办结 / settled: {c.settlement} ({c.settlement_days})")
        for stage in c.stages:
            budget = "—" if stage.budget is None else stage.budget
            late = f"  超时 / over +{stage.over}" if stage.over else ""
            lines.append(f"  环节 / stage {stage.name}: {stage.days} / {budget}{late}")
    if c.provisional:
        lines.append(
            "暂定：用到了尚未公布的放假安排 / provisional: uses a holiday schedule not yet published"
        )
    return "\n".join(lines)
