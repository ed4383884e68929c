"""``fyrules parallel``: a project's approvals one after another and side by side (并联审批).

    fyrules parallel RULEBOOK [TARGET] [--days committed|statutory] [--start DATE]
                     [--format text|json] [--output FILE]

For the item ``TARGET`` (the construction permit, say) and everything it needs first, the
serial total (串联合计), the critical path (关键路径) and the days saved: Fuyang's
construction chain is 90 → 50 working days (:meth:`fyrules.Rulebook.project_path`). Without
``TARGET``, every project of the catalog: each item that has prerequisites and is no other
item's prerequisite. ``--start`` puts the path on the rulebook's working-day calendar.
An unknown item, a missing limit or a dependency cycle is exit 2 with the problem named.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..deadlines.parallel import ProjectPath, ProjectPathError
from ..engine.problems import FyrulesError, UsageError
from ._common import EXIT_OK, date_arg, emit, loaded

HELP = "并联审批：串联合计与关键路径 / a project's serial total and critical path"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook")
    p.add_argument("target", nargs="?", metavar="TARGET")
    p.add_argument("--days", choices=("committed", "statutory"), default="committed")
    p.add_argument("--start", metavar="DATE", type=date_arg)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--output", "-o", metavar="FILE")


def project_targets(rulebook: Any) -> list[str]:
    """Items that have prerequisites and are no other item's prerequisite, in catalog order."""
    items = rulebook.items.items
    needed = {dep for item in items.values() for dep in item.depends_on}
    return [code for code, item in items.items() if item.depends_on and code not in needed]


def run(args: argparse.Namespace) -> int:
    rulebook = loaded(args.rulebook)
    targets = [args.target] if args.target else project_targets(rulebook)
    try:
        paths = [rulebook.project_path(t, days=args.days) for t in targets]
        plans = [p.plan(rulebook.calendar, args.start) if args.start else None for p in paths]
    except ProjectPathError as exc:
        raise UsageError("\n".join(p.format() for p in exc.problems)) from None
    except FyrulesError as exc:  # a start date outside the calendar's years
        raise UsageError(str(exc)) from None
    if args.format == "json":
        data = [
            {**path.to_dict(), **({"plan": plan.to_dict()} if plan is not None else {})}
            for path, plan in zip(paths, plans, strict=True)
        ]
        emit(json.dumps({"projects": data}, ensure_ascii=False, indent=2), args.output)
    else:
        emit(render_text(paths, plans), args.output)
    return EXIT_OK


def render_text(paths: list[ProjectPath], plans: list[Any]) -> str:
    """Each project's arithmetic in one sentence, then its items (working days from day 0,
    and the dates when ``--start`` was given; ★ marks the critical path)."""
    if not paths:
        return "目录中没有带前置事项的项目 / no item of the catalog has prerequisites"
    out: list[str] = []
    for path, plan in zip(paths, plans, strict=True):
        out += [path.summary("zh"), path.summary("en"), ""]
        dated = {} if plan is None else {s.code: s for s in plan.items}
        head = f"{'事项 item':<12} {'时限':>4} {'开始':>4} {'完成':>4} {'机动':>4}"
        out.append(head + ("  受理起 start  到期 due" if dated else "") + "  关键路径 critical")
        for item in path.items:
            line = (
                f"{item.code:<12} {item.days:>4} {item.earliest_start:>4} "
                f"{item.earliest_finish:>4} {item.slack:>4}"
            )
            if item.code in dated:
                line += f"  {dated[item.code].start}  {dated[item.code].due}"
            out.append(line + ("  ★" if item.critical else ""))
        if plan is not None:
            mark = "（暂定日历 / provisional calendar）" if plan.provisional else ""
            out.append(
                f"并联 {plan.finish} 完成，串联则 {plan.serial_finish}{mark} / done on "
                f"{plan.finish} in parallel, on {plan.serial_finish} one after another"
            )
        out.append("")
    return "\n".join(out).rstrip("\n")
