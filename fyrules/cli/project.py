"""``fyrules project``: each investment project's clock on its critical path.

    fyrules project RULEBOOK EVENTS [--project ID] [--as-of TIME] [--format text|json]
                    [--output FILE]

Replays EVENTS (events the monitor refuses do not count, as in ``fyrules evaluate``), groups
the cases by ``data.project`` and prints each project's path, its planned and projected finish
and its stages (★ on the critical path), green-channel projects first, with a finding for
each stage that runs late. Exit 0 when no finding is at error level, 1 when some is, 2 on bad
input (a file that does not exist, a bad time, no ``projects:`` section, an unknown project).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from ..deadlines.project_clock import ProjectClock, ProjectClockError, project_clocks
from ..engine.problems import UsageError
from ._common import EXIT_OK, EXIT_PROBLEMS, emit, loaded
from .deadline import parse_moment

HELP = "项目关键路径时钟与绿色通道 / each project's clock on its critical path"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook")
    p.add_argument("events")
    p.add_argument("--project", metavar="ID")
    p.add_argument("--as-of", dest="as_of", metavar="TIME")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--output", "-o", metavar="FILE")


def run(args: argparse.Namespace) -> int:
    rulebook = loaded(args.rulebook)
    clocks = clocks_of(rulebook, args.events, args.as_of, args.project)
    if args.format == "json":
        emit(
            json.dumps({"projects": [c.to_dict() for c in clocks]}, ensure_ascii=False, indent=2),
            args.output,
        )
    else:
        emit(render_text(clocks), args.output)
    errors = any(f["severity"] == "error" for c in clocks for f in c.findings)
    return EXIT_PROBLEMS if errors else EXIT_OK


def clocks_of(
    rulebook: Any, path: str, as_of_text: str | None, project: str | None
) -> list[ProjectClock]:
    """The clocks of the projects in the events file ``path`` (only ``project`` if given)."""
    from ..cases.events import Event, read_events
    from ..cases.monitor import Monitor
    from ..cases.state import Accepted

    try:
        events = [e for e in read_events(path) if isinstance(e, Event)]
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror}") from None
    monitor = Monitor(rulebook, trail=False)
    accepted = [e for e in events if isinstance(monitor.feed(e), Accepted)]
    if as_of_text:
        as_of = parse_moment(as_of_text, rulebook.timezone)
    elif accepted:
        as_of = max(e.at for e in accepted)
    else:  # no event: the end of today
        from zoneinfo import ZoneInfo

        from .._today import today

        zone = ZoneInfo(rulebook.timezone)
        as_of = dt.datetime.combine(today(zone), dt.time(23, 59), zone)
    try:
        clocks = project_clocks(rulebook, accepted, as_of)
    except ProjectClockError as exc:
        raise UsageError("\n".join(p.format() for p in exc.problems)) from None
    if project is not None:
        clocks = [c for c in clocks if c.project == project]
        if not clocks:
            raise UsageError(
                f"事件中没有项目 {project}（data.project） / no project {project} in the events "
                "(data.project)"
            )
    return clocks


def render_text(clocks: list[ProjectClock]) -> str:
    if not clocks:
        return "事件中没有项目（data.project） / no project in the events (data.project)"
    out: list[str] = []
    for c in clocks:
        channel = "绿色通道 / green channel" if c.green_channel else "一般项目 / standard"
        late = "  推迟 / delayed" if c.late else ""
        out += [
            f"项目 / project {c.project}  [{channel}, {c.track.id}, 优先级 / priority "
            f"{c.track.priority}]",
            c.path.summary("zh"),
            c.path.summary("en"),
            f"开始 / start {c.start}  计划完成 / due {c.due}  预计完成 / projected "
            f"{c.projected_finish}{late}  （截至 / as of {c.as_of.isoformat()}）",
            "",
            f"{'事项 item':<12} {'案件 case':<16} {'计划开始':<10} {'最迟完成':<10} "
            f"{'受理':<10} {'办结':<10} 超期 late",
        ]
        for s in c.stages:
            out.append(
                f"{s.item:<12} {s.case or '—':<16} {s.planned_start!s:<10} {s.latest_due!s:<10} "
                f"{s.accepted_on or '—'!s:<10} {s.completed_on or '—'!s:<10} "
                f"{s.late_days:>3}{'  ★' if s.critical else ''}"
            )
        if c.provisional:
            out.append(
                "暂定：用到了尚未公布的放假安排 / provisional: an unpublished holiday schedule"
            )
        for f in c.findings:
            out.append(
                f"{f['severity'].upper()} {f['rule']}: {f['message']}（依据 / basis: {f['basis']}）"
            )
        out.append("")
    return "\n".join(out).rstrip("\n")
