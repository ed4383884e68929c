"""A project's clock on its critical path (项目关键路径时钟).

The cases of one investment project carry the project's id in ``data.project`` on their
``submit`` or ``accept`` event (:data:`fyrules.cases.events.PROJECT_FIELD`), and
``data.green_channel: true`` puts the project on the green channel. The project's target is
the item of its cases with the longest approval path (the construction permit, say); the path
(:func:`fyrules.deadlines.parallel.project_path`) runs on the limits the rulebook's
``projects:`` section gives the project's track (``committed`` or ``statutory``), and starts on
the day the project's first case is accepted.

Each stage (an item of the path) has a planned start and due date, and a latest due date: the
day it may finish without delaying the project (the same as its due date on the critical path).
A stage that finishes after its latest due date, or that is still open (or not begun) after it,
runs late; a stage that adds lateness of its own (beyond what its prerequisites passed on) is
a finding at the track's severity, citing the track's basis. The project's projected
finish is its planned finish moved by the working days of its latest stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from ..cases.events import (
    GREEN_CHANNEL_FIELD,
    LINK_KINDS,
    PROJECT_FIELD,
    PROJECT_TARGET_FIELD,
    Event,
)
from ..engine.problems import FyrulesError, Problem
from .parallel import ProjectPath, ProjectPathError
from .project_policy import ProjectPolicySpec, ProjectTrackSpec

StageState = Literal["not_started", "open", "done"]
NOT_ACCEPTED = dt.datetime.max.replace(tzinfo=dt.UTC)  # a case submitted, not yet accepted


@attrs.frozen(slots=True)
class StageClock:
    """One item of a project: when it should run, and when it did."""

    item: str
    case: str | None
    critical: bool
    planned_start: dt.date
    planned_due: dt.date
    latest_due: dt.date
    accepted_on: dt.date | None
    completed_on: dt.date | None
    state: StageState
    late_days: int  # working days past ``latest_due`` (as of the clock's moment when open)
    # of those, the days this stage added itself: beyond what its prerequisites' lateness
    # passed on to it (a stage that started late but kept to its limit adds none)
    own_late_days: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "case": self.case,
            "critical": self.critical,
            "planned_start": self.planned_start.isoformat(),
            "planned_due": self.planned_due.isoformat(),
            "latest_due": self.latest_due.isoformat(),
            "accepted_on": None if self.accepted_on is None else self.accepted_on.isoformat(),
            "completed_on": None if self.completed_on is None else self.completed_on.isoformat(),
            "state": self.state,
            "late_days": self.late_days,
            "own_late_days": self.own_late_days,
        }


@attrs.frozen(slots=True)
class ProjectClock:
    """One project's clock as of ``as_of``."""

    project: str
    green_channel: bool
    track: ProjectTrackSpec
    target: str
    path: ProjectPath
    start: dt.date
    due: dt.date
    projected_finish: dt.date
    as_of: dt.datetime
    stages: tuple[StageClock, ...]
    findings: tuple[dict[str, Any], ...]
    provisional: bool
    outside_path: tuple[str, ...] = ()  # cases of the project whose items are not on its path

    @property
    def late(self) -> bool:
        return self.projected_finish > self.due

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "green_channel": self.green_channel,
            "track": self.track.id,
            "priority": self.track.priority,
            "days": self.track.days,
            "target": self.target,
            "serial_total": self.path.serial_total,
            "critical_total": self.path.critical_total,
            "critical_path": list(self.path.critical_path),
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "projected_finish": self.projected_finish.isoformat(),
            "late": self.late,
            "as_of": self.as_of.isoformat(),
            "provisional": self.provisional,
            "stages": [s.to_dict() for s in self.stages],
            "findings": list(self.findings),
            "outside_path": list(self.outside_path),
        }


class ProjectClockError(FyrulesError):
    """A project whose clock cannot run: no ``projects:`` section, or a path that cannot be
    computed (``problems`` names why)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(p.format() for p in self.problems))


def project_links(events: Iterable[Event]) -> dict[str, tuple[str, bool, str | None]]:
    """Case → (project, green channel, target) from the link fields of its ``submit`` and
    ``accept`` events (the green channel once declared stays; the last target written counts)."""
    links: dict[str, tuple[str, bool, str | None]] = {}
    for event in events:
        if event.event not in LINK_KINDS:
            continue
        project = event.data.get(PROJECT_FIELD)
        if isinstance(project, str):
            green = event.data.get(GREEN_CHANNEL_FIELD) is True
            target = event.data.get(PROJECT_TARGET_FIELD)
            _, was_green, was_target = links.get(event.case, (project, False, None))
            links[event.case] = (project, green or was_green, target or was_target)
    return links


def project_clocks(
    rulebook: Any, events: Iterable[Event], as_of: dt.datetime
) -> list[ProjectClock]:
    """The clock of every project the events link cases to, by priority then project id.
    ``events`` are the accepted events (those a monitor refuses do not count). Raises
    :class:`ProjectClockError` when the rulebook has no ``projects:`` section or a
    project's path cannot be computed."""
    policy: ProjectPolicySpec | None = rulebook.part("projects")
    if policy is None:
        raise ProjectClockError(
            [
                Problem(
                    "UNKNOWN-REFERENCE",
                    "规则集没有 projects: 部分，无法计算项目时钟",
                    "the rulebook has no projects: section, so no project clock can run",
                )
            ]
        )
    by_case: dict[str, list[Event]] = {}
    for event in events:
        by_case.setdefault(event.case, []).append(event)
    links = project_links(e for case in by_case.values() for e in case)
    projects: dict[str, dict[str, list[Event]]] = {}
    green: dict[str, bool] = {}
    targets: dict[str, str] = {}
    for case, (project, is_green, target) in links.items():
        projects.setdefault(project, {})[case] = by_case[case]
        green[project] = green.get(project, False) or is_green
        if target is not None:
            targets[project] = target
    clocks = [
        _clock(rulebook, project, cases, green[project], targets.get(project), policy, as_of)
        for project, cases in sorted(projects.items())
    ]
    return sorted(clocks, key=lambda c: (c.track.priority, c.project))


def _clock(
    rulebook: Any,
    project: str,
    cases: Mapping[str, list[Event]],
    green: bool,
    target: str | None,
    policy: ProjectPolicySpec,
    as_of: dt.datetime,
) -> ProjectClock:
    track = policy.track(green)
    calendar = rulebook.calendar
    first: dict[str, tuple[dt.datetime, str]] = {}  # item → (acceptance, case): its first case
    completed: dict[str, dt.datetime] = {}
    for case, case_events in cases.items():
        accepts = [e.at for e in case_events if e.event == "accept" and e.at <= as_of]
        code = case_events[0].item
        if not accepts:
            first.setdefault(code, (NOT_ACCEPTED, case))
            continue
        if code not in first or accepts[0] < first[code][0]:
            first[code] = (accepts[0], case)
            done = [e.at for e in case_events if e.event == "complete" and e.at <= as_of]
            if done:
                completed[case] = done[0]
    path = _longest_path(rulebook, [target] if target else list(first), track)
    accepted = [at for at, _ in first.values() if at != NOT_ACCEPTED]
    start = calendar.local_date(min(accepted)) if accepted else calendar.local_date(as_of)
    plan = path.plan(calendar, start)
    today = calendar.local_date(as_of)
    scheduled = {s.code: s for s in plan.items}
    needs = _prerequisites(rulebook, path)
    lateness: dict[str, int] = {}
    stages = []
    for item in path.items:
        when = scheduled[item.code]
        at, found = first.get(item.code, (NOT_ACCEPTED, ""))
        stage_case = found or None
        accepted_on = None if at == NOT_ACCEPTED else calendar.local_date(at)
        done_at = completed.get(found)
        completed_on = None if done_at is None else calendar.local_date(done_at)
        state: StageState = (
            "done" if completed_on else "open" if accepted_on is not None else "not_started"
        )
        reached = completed_on or today
        late = 0
        if reached > when.latest_due:
            late = calendar.count_working_days(when.latest_due + dt.timedelta(days=1), reached)
        lateness[item.code] = late
        inherited = max((lateness.get(c, 0) for c in needs[item.code]), default=0)
        stages.append(
            StageClock(
                item.code,
                stage_case,
                item.critical,
                when.start,
                when.due,
                when.latest_due,
                accepted_on,
                completed_on,
                state,
                late,
                max(0, late - inherited),
            )
        )
    delay = max((s.late_days for s in stages), default=0)
    projected = calendar.add_working_days(plan.finish, delay) if delay else plan.finish
    findings = [_late_finding(project, s, track, policy, as_of) for s in stages if s.own_late_days]
    findings += [
        _not_eligible(project, code, case, track, as_of)
        for code, (_, case) in sorted(first.items())
        if green and code in rulebook.items and not rulebook.items[code].green_channel
    ]
    on_path = {i.code for i in path.items}
    return ProjectClock(
        project=project,
        green_channel=green,
        track=track,
        target=path.target,
        path=path,
        start=start,
        due=plan.finish,
        projected_finish=projected,
        as_of=as_of,
        stages=tuple(stages),
        findings=tuple(findings),
        provisional=plan.provisional,
        outside_path=tuple(
            sorted(case for code, (_, case) in first.items() if code not in on_path)
        ),
    )


def _prerequisites(rulebook: Any, path: ProjectPath) -> dict[str, set[str]]:
    """The items each item of the path waits for: its own prerequisites and, for a member of
    a parallel group, every prerequisite of the group outside it (the group starts together)."""
    items = rulebook.items.items
    groups: dict[str, set[str]] = {}
    members: dict[str, set[str]] = {}
    for stage in path.items:
        group = items[stage.code].parallel_group
        if group is not None:
            groups.setdefault(group, set()).update(items[stage.code].depends_on)
            members.setdefault(group, set()).add(stage.code)
    out = {}
    for stage in path.items:
        group = items[stage.code].parallel_group
        extra = groups[group] - members[group] if group is not None else set()
        out[stage.code] = set(items[stage.code].depends_on) | extra
    return out


def _longest_path(rulebook: Any, items: list[str], track: ProjectTrackSpec) -> ProjectPath:
    """The path of the item with the most items before it (ties: the smaller code)."""
    paths = []
    problems: list[Problem] = []
    for code in sorted(items):
        try:
            paths.append(rulebook.project_path(code, days=track.days))
        except ProjectPathError as exc:
            problems.extend(exc.problems)
    if not paths:
        raise ProjectClockError(problems)
    return sorted(paths, key=lambda p: (-len(p.items), -p.serial_total, p.target))[0]


def _late_finding(
    project: str,
    stage: StageClock,
    track: ProjectTrackSpec,
    policy: ProjectPolicySpec,
    as_of: dt.datetime,
) -> dict[str, Any]:
    where_zh = "关键路径上的" if stage.critical else ""
    where_en = "on the critical path " if stage.critical else ""
    what_zh = (
        "办结" if stage.state == "done" else "仍未办结" if stage.state == "open" else "尚未受理"
    )
    what_en = (
        "finished"
        if stage.state == "done"
        else "is still open"
        if stage.state == "open"
        else "has not been accepted"
    )
    zh = (
        f"项目 {project} {where_zh}环节 {stage.item}（案件 {stage.case or '—'}）{what_zh}，"
        f"超过最迟完成日 {stage.latest_due} {stage.late_days} 个工作日（本环节超出 "
        f"{stage.own_late_days} 个工作日），项目将推迟"
    )
    en = (
        f"project {project}: stage {stage.item} {where_en}(case {stage.case or '—'}) "
        f"{what_en} {stage.late_days} working day(s) past its latest due date "
        f"{stage.latest_due} ({stage.own_late_days} of them its own): the project is delayed"
    )
    return {
        "rule": track.id,
        "code": "PROJECT-STAGE-LATE",
        "severity": track.late_severity,
        "project": project,
        "case": stage.case,
        "item": stage.item,
        "critical": stage.critical,
        "at": as_of.isoformat(),
        "message": zh,
        "message_en": en,
        "basis": f"{track.basis}；{policy.basis}",
        "trace": [stage.to_dict()],
    }


def _not_eligible(
    project: str, item: str, case: str, track: ProjectTrackSpec, as_of: dt.datetime
) -> dict[str, Any]:
    return {
        "rule": track.id,
        "code": "PROJECT-GREEN-NOT-ELIGIBLE",
        "severity": "warning",
        "project": project,
        "case": case,
        "item": item,
        "critical": False,
        "at": as_of.isoformat(),
        "message": (
            f"绿色通道项目 {project} 含不可走绿色通道的事项 {item}（green_channel: false），"
            "该环节不享受绿色通道"
        ),
        "message_en": (
            f"green-channel project {project} includes item {item}, which is not "
            "green-channel eligible"
        ),
        "basis": track.basis,
        "trace": [],
    }
