"""Parallel approval (并联审批): how long a project's approvals take handled one after
another, and how long side by side.

A project is a target item (the construction permit, say) and every item it needs first,
directly or through others (``depends_on``). The **serial total** (串联合计) adds up the
items' limits, as if each were handled after the one before. The **critical-path total**
(关键路径) is the length of the longest chain of items that must wait for each other: an item
starts when all its prerequisites are done, and the items of one ``parallel_group`` (a stage
of parallel approval) start together once every prerequisite, outside the group, of any
member is done, then run side by side (see :mod:`fyrules.deadlines.dependencies`).

Days are working days counted from day 0, the day the project starts; :meth:`ProjectPath.plan`
turns them into calendar dates with the rulebook's working-day calendar
(:mod:`fyrules.deadlines.parallel_calendar`).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Literal

import attrs

from ..engine.load.model import Title
from ..engine.problems import FyrulesError, Lang, Problem, sort_problems
from ..engine.suggest import hint
from ..items import Catalog, ItemSpec
from .calendar import WorkingCalendar
from .dependencies import DependencyGraph, cycle_problems, dependency_graph
from .parallel_calendar import ProjectPlan, ScheduledItem, plan_on_calendar

__all__ = [
    "DaysKind",
    "ParallelStage",
    "PathItem",
    "ProjectPath",
    "ProjectPathError",
    "ProjectPlan",
    "ScheduledItem",
    "project_path",
]

DaysKind = Literal["committed", "statutory"]
_DAYS_ZH = {"committed": "承诺时限", "statutory": "法定时限"}


class ProjectPathError(FyrulesError):
    """A project path that cannot be computed; ``problems`` says every reason, with locations
    when the catalog knows them (an unknown item, a missing limit, a dependency cycle)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(sort_problems(problems))
        first = self.problems[0].format() if self.problems else "unknown problem"
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more)" if more > 0 else ""))


@attrs.frozen(slots=True)
class PathItem:
    """One item of a project: its limit and when it can run, in working days from day 0.

    ``slack`` (总时差) is how many days the item may slip without delaying the project;
    it is 0 exactly for the items on a critical path. ``starts_after`` names the items whose
    finish fixes its earliest start (through its parallel group when that is the reason)."""

    code: str
    name: Title
    days: int
    depends_on: tuple[str, ...]
    parallel_group: str | None
    earliest_start: int
    earliest_finish: int
    latest_start: int
    latest_finish: int
    starts_after: tuple[str, ...]

    @property
    def slack(self) -> int:
        return self.latest_start - self.earliest_start

    @property
    def critical(self) -> bool:
        return self.slack == 0

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": {"zh": self.name.zh, "en": self.name.en},
            "days": self.days,
            "depends_on": list(self.depends_on),
            "parallel_group": self.parallel_group,
            "earliest_start": self.earliest_start,
            "earliest_finish": self.earliest_finish,
            "latest_start": self.latest_start,
            "latest_finish": self.latest_finish,
            "slack": self.slack,
            "critical": self.critical,
            "starts_after": list(self.starts_after),
        }


@attrs.frozen(slots=True)
class ParallelStage:
    """The items of one parallel group in the project: they start together on ``start``;
    the stage is done on ``finish``, when its slowest member is."""

    group: str
    items: tuple[str, ...]
    start: int
    finish: int

    def to_dict(self) -> dict[str, object]:
        return {
            "group": self.group,
            "items": list(self.items),
            "start": self.start,
            "finish": self.finish,
        }


@attrs.frozen(slots=True)
class ProjectPath:
    """The approvals of one project, handled in parallel where the dependencies allow."""

    target: str
    days: DaysKind
    items: tuple[PathItem, ...]  # in order of earliest start, each after its prerequisites
    stages: tuple[ParallelStage, ...]
    critical_path: tuple[str, ...]  # item codes, first prerequisite to the target

    @property
    def serial_total(self) -> int:
        """Working days with every item handled after the one before (串联审批)."""
        return sum(item.days for item in self.items)

    @property
    def critical_total(self) -> int:
        """Working days with items handled side by side where they may (并联审批)."""
        return max((item.earliest_finish for item in self.items), default=0)

    @property
    def saving_days(self) -> int:
        return self.serial_total - self.critical_total

    @property
    def saving_rate(self) -> float:
        """The saving as a fraction of the serial total (0 when that is 0)."""
        return self.saving_days / self.serial_total if self.serial_total else 0.0

    @property
    def saving_percent(self) -> float:
        return 100 * self.saving_rate

    def item(self, code: str) -> PathItem:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def summary(self, lang: Lang = "both") -> str:
        """The arithmetic in one sentence, e.g. for a report or a log."""
        length = {item.code: item.days for item in self.items}
        chain = " → ".join(f"{code} {length[code]}" for code in self.critical_path)
        zh = (
            f"{self.target}（{_DAYS_ZH[self.days]}）：串联合计 {self.serial_total} 个工作日，"
            f"关键路径 {self.critical_total} 个工作日（{chain}），"
            f"节省 {self.saving_days} 日（{self.saving_percent:.1f}%）"
        )
        en = (
            f"{self.target} ({self.days} limits): {self.serial_total} working days one after "
            f"another, {self.critical_total} on the critical path ({chain}), "
            f"{self.saving_days} days saved ({self.saving_percent:.1f}%)"
        )
        return zh if lang == "zh" else en if lang == "en" else f"{zh} / {en}"

    def plan(self, calendar: WorkingCalendar, start: dt.date | dt.datetime) -> ProjectPlan:
        """The path on the calendar: day ``n`` is the ``n``-th working day after ``start``
        (day 0 is ``start`` itself, or the next working day when it is not one), as an item
        accepted on ``start`` is due ``n`` working days later. Raises ``CalendarError`` for
        dates outside the calendar's years."""
        return plan_on_calendar(self, calendar, start)

    def to_dict(self) -> dict[str, object]:
        return {
            "target": self.target,
            "days": self.days,
            "serial_total": self.serial_total,
            "critical_total": self.critical_total,
            "saving_days": self.saving_days,
            "saving_rate": self.saving_rate,
            "saving_percent": round(self.saving_percent, 2),
            "critical_path": list(self.critical_path),
            "items": [item.to_dict() for item in self.items],
            "stages": [stage.to_dict() for stage in self.stages],
        }


def project_path(catalog: Catalog, target: str, *, days: DaysKind = "committed") -> ProjectPath:
    """The serial and critical-path totals of the project that ends with the item ``target``.

    ``days`` chooses the limit: ``committed`` (承诺时限, ``committed_days``) or ``statutory``
    (法定时限, ``statutory_days``). Raises :class:`ProjectPathError` naming every problem: an
    unknown item, an item of the project without that limit, a dependency cycle."""
    if days not in _DAYS_ZH:
        raise ProjectPathError(
            [
                Problem(
                    "INVALID-VALUE",
                    f"时限种类 “{days}” 无效，应为 committed 或 statutory",
                    f"days must be 'committed' or 'statutory', not '{days}'",
                )
            ]
        )
    items, problems = _project_items(catalog, target)
    durations: dict[str, int] = {}
    field = f"{days}_days"
    for code, item in items.items():
        value = getattr(item, field)
        if value is None:
            problems.append(_missing_limit(catalog, item, days))
        else:
            durations[code] = value
    graph = dependency_graph(items)
    problems.extend(cycle_problems(graph, catalog.entries))
    if problems:
        raise ProjectPathError(problems)
    return _schedule(graph, items, durations, target, days)


# --- the project's items ------------------------------------------------------------------


def _project_items(catalog: Catalog, target: str) -> tuple[dict[str, ItemSpec], list[Problem]]:
    """The target and all its prerequisites, in catalog order, and the unknown ones."""
    if target not in catalog.items:
        zh_hint, en_hint = hint(target, catalog.items)
        problem = Problem(
            "UNKNOWN-REFERENCE",
            f"事项 “{target}” 不在事项目录中{zh_hint}",
            f"item '{target}' is not in the catalog{en_hint}",
        )
        return {}, [problem]
    problems: list[Problem] = []
    wanted = {target}
    todo = [target]
    while todo:
        code = todo.pop()
        for k, dep in enumerate(catalog.items[code].depends_on):
            if dep in wanted:
                continue
            if dep not in catalog.items:
                zh_hint, en_hint = hint(dep, catalog.items)
                entry = catalog.entries.get(code)
                problems.append(
                    Problem(
                        "UNKNOWN-REFERENCE",
                        f"事项 {code} 的前置事项 “{dep}” 不在事项目录中{zh_hint}",
                        f"prerequisite '{dep}' of item {code} is not in the catalog{en_hint}",
                        entry.locate("depends_on", k) if entry is not None else None,
                        code,
                    )
                )
                continue
            wanted.add(dep)
            todo.append(dep)
    return {code: item for code, item in catalog.items.items() if code in wanted}, problems


def _missing_limit(catalog: Catalog, item: ItemSpec, days: DaysKind) -> Problem:
    entry = catalog.entries.get(item.code)
    hours_zh = hours_en = ""
    if days == "committed" and item.committed_hours is not None:
        hours_zh = "；当日办结的事项请另写 committed_days（如 0）"
        hours_en = "; for an item done the same day, add committed_days too (0, say)"
    return Problem(
        "PROJECT-LIMIT-MISSING",
        f"事项 {item.code} 没有{_DAYS_ZH[days]}（{days}_days），无法计算项目的审批路径{hours_zh}",
        f"item {item.code} has no {days} limit ({days}_days), so the project's approval "
        f"path cannot be computed{hours_en}",
        entry.location if entry is not None else None,
        item.code,
    )


# --- earliest and latest times ------------------------------------------------------------


def _schedule(
    graph: DependencyGraph,
    items: Mapping[str, ItemSpec],
    durations: Mapping[str, int],
    target: str,
    days: DaysKind,
) -> ProjectPath:
    order, _ = graph.topological_order()
    length = [durations[graph.label(n)] if graph.is_item(n) else 0 for n in range(graph.size)]
    start = [0] * graph.size
    for node in order:
        start[node] = max(
            (start[link.before] + length[link.before] for link in graph.before[node]), default=0
        )
    finish = [s + d for s, d in zip(start, length, strict=True)]
    total = max(finish[: len(graph.codes)], default=0)
    latest_finish = [total] * graph.size
    for node in reversed(order):
        latest_finish[node] = min(
            (latest_finish[link.after] - length[link.after] for link in graph.after[node]),
            default=total,
        )

    def binding(node: int) -> list[int]:
        """The items whose finish fixes the earliest start of ``node``, in link order."""
        out: list[int] = []
        todo = deque([node])
        while todo:
            current = todo.popleft()
            for link in graph.before[current]:
                if finish[link.before] == start[current]:
                    if graph.is_item(link.before):
                        out.append(link.before)
                    else:
                        todo.append(link.before)
        return list(dict.fromkeys(out))

    position = {code: i for i, code in enumerate(graph.codes)}
    path_items = {}
    for code, item in items.items():
        n = position[code]
        path_items[code] = PathItem(
            code=code,
            name=item.name,
            days=length[n],
            depends_on=item.depends_on,
            parallel_group=item.parallel_group,
            earliest_start=start[n],
            earliest_finish=finish[n],
            latest_start=latest_finish[n] - length[n],
            latest_finish=latest_finish[n],
            starts_after=tuple(graph.codes[b] for b in binding(n)),
        )
    critical = [position[target]]
    while True:
        # Walk back from the target along items that finish just as the current one starts.
        before = binding(critical[-1])
        if not before:
            break
        critical.append(before[0])
    critical.reverse()
    stages = tuple(
        ParallelStage(
            group,
            tuple(graph.codes[m] for m in members),
            start[len(graph.codes) + g],
            max(finish[m] for m in members),
        )
        for g, (group, members) in enumerate(zip(graph.groups, graph.groups_members, strict=True))
    )
    return ProjectPath(
        target=target,
        days=days,
        items=tuple(path_items[graph.codes[n]] for n in _reading_order(graph, start)),
        stages=stages,
        critical_path=tuple(graph.codes[n] for n in critical),
    )


def _reading_order(graph: DependencyGraph, start: list[int]) -> list[int]:
    """Items by earliest start, then declaration order, each after everything it waits for."""
    waiting = [len(links) for links in graph.before]
    ready = [(start[n], n) for n in range(graph.size) if waiting[n] == 0]
    heapq.heapify(ready)
    out = []
    while ready:
        _, node = heapq.heappop(ready)
        if graph.is_item(node):
            out.append(node)
        for link in graph.after[node]:
            waiting[link.after] -= 1
            if waiting[link.after] == 0:
                heapq.heappush(ready, (start[link.after], link.after))
    return out
