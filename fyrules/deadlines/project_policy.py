"""The ``projects:`` section: how a project's clock runs, on the green channel and off it.

A project (项目) groups the cases of one investment project: each case is one item of the
project's approval path (:func:`fyrules.deadlines.parallel.project_path`). The section says,
for a standard project and for one on the green channel (绿色通道), which limits its path
runs on (``committed`` or ``statutory``), how a stage that runs late is reported (its
severity) and the priority of its cases in lists (1 first). Both tracks cite their basis::

    projects:
      id: FY-PROJECTS
      title: {zh: 投资项目并联审批, en: Parallel approval of investment projects}
      basis: …
      standard: {id: FY-PROJECT-STANDARD, days: statutory, late_severity: warning, priority: 2, basis: …}
      green_channel: {id: FY-PROJECT-GREEN, days: committed, late_severity: error, priority: 1, basis: …}
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, field_validator

from ..engine.extension import BuildContext, BuildResult, Extension
from ..engine.load.model import Identifier, Title, as_title
from ..engine.load.sections import Section
from ..engine.load.validation import Strict
from ..engine.problems import Problem


class ProjectTrackSpec(Strict):
    """How the clock of one kind of project runs."""

    id: Identifier = Field(description="规则编号（报告中引用） / rule id findings cite")
    days: Literal["committed", "statutory"] = Field(
        description="按承诺时限或法定时限排项目路径 / the limits the project's path runs on"
    )
    late_severity: Literal["error", "warning", "info"] = Field(
        description="关键路径上环节超期时的级别 / severity of a late stage"
    )
    priority: int = Field(ge=1, description="列表中的优先级，1 最先 / priority in lists, 1 first")
    basis: str = Field(min_length=1, description="依据 / basis")


class ProjectPolicySpec(Strict):
    """The ``projects:`` section."""

    id: Identifier = Field(description="编号 / id")
    title: Title = Field(description="标题 / title")
    basis: str = Field(min_length=1, description="依据 / basis")
    standard: ProjectTrackSpec = Field(description="一般项目 / a standard project")
    green_channel: ProjectTrackSpec = Field(description="绿色通道项目 / a green-channel project")
    _title = field_validator("title", mode="before")(as_title)

    def track(self, green: bool) -> ProjectTrackSpec:
        return self.green_channel if green else self.standard


def _build(ctx: BuildContext) -> BuildResult:
    entries = ctx.sources.section("projects")
    return BuildResult(entries[-1].spec if entries else None)


def _check(rulebook: Any, *, today: dt.date) -> list[Problem]:
    """The green channel may not run slower than a standard project: its priority comes
    first (a smaller number) and its limits are no longer (committed, not statutory, when
    the standard track runs on committed limits)."""
    policy: ProjectPolicySpec | None = rulebook.part("projects")
    if policy is None:
        return []
    entry = rulebook.sources.section("projects")[-1]
    green, standard = policy.green_channel, policy.standard
    problems = []
    if green.priority > standard.priority:
        problems.append(
            Problem(
                "PROJECT-GREEN-SLOWER",
                f"绿色通道的优先级 {green.priority} 排在一般项目（{standard.priority}）之后",
                f"the green channel's priority {green.priority} comes after a standard "
                f"project's ({standard.priority})",
                entry.locate("green_channel", "priority"),
                green.id,
            )
        )
    if green.days == "statutory" and standard.days == "committed":
        problems.append(
            Problem(
                "PROJECT-GREEN-SLOWER",
                "绿色通道按法定时限、一般项目按承诺时限：绿色通道反而更慢",
                "the green channel runs on statutory limits and a standard project on committed "
                "ones: the green channel would be slower",
                entry.locate("green_channel", "days"),
                green.id,
            )
        )
    return problems


SECTIONS = (Section("projects", ProjectPolicySpec, "投资项目", "investment projects", many=False),)

EXTENSION = Extension(name="projects", sections=SECTIONS, build=_build, check=_check)
