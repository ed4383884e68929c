"""The ``inspection:`` section: the monthly random inspection (双随机、一公开 random draw of
case files and inspectors), as policy staff write it.

One mapping per rulebook (the most local one wins): who inspects (the role), how many closed
cases of each department are drawn (a rate and a minimum), how many cases an inspector takes
in a month, the public value the draw's seed is derived from, the outcome categories, and the
rectification deadline. Every number carries its ``basis``. See ``docs/inspection.md``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from ...engine.load.model import Identifier, Severity, Title, as_title
from ...engine.load.validation import Strict

ClosedBy = Literal["complete", "reject", "withdraw"]


def _completed() -> list[ClosedBy]:
    return ["complete"]


def _errors_and_warnings() -> list[Severity]:
    return ["error", "warning"]


class DepartmentRateSpec(Strict):
    """A department's own sampling rate or minimum (分层抽样：本部门比例)."""

    department: str = Field(description="部门编号 / department id")
    rate: float | None = Field(
        default=None, ge=0, le=1, description="抽查比例（0–1） / share of closed cases drawn"
    )
    minimum: int | None = Field(default=None, ge=0, description="最少抽查件数 / fewest cases drawn")
    basis: str = Field(min_length=1, description="依据 / basis")


class SamplingSpec(Strict):
    """How many closed cases of each department are drawn: ``ceil(rate × closed)``, at least
    ``minimum``, never more than the department closed."""

    rate: float = Field(ge=0, le=1, description="抽查比例（0–1） / share of closed cases drawn")
    minimum: int = Field(
        default=0, ge=0, description="每个部门最少抽查件数 / fewest per department"
    )
    closed_by: list[ClosedBy] = Field(
        default_factory=_completed,
        min_length=1,
        description="哪些结束方式的案件进入抽查范围（默认办结；不予受理、撤回的案件须其流程允许"
        "抽查事件） / which closings make a case a candidate (default: settled; refused or "
        "withdrawn cases only where their process allows inspect events)",
    )
    basis: str = Field(min_length=1, description="依据 / basis")
    departments: list[DepartmentRateSpec] = Field(
        default_factory=list, description="各部门的比例或最少件数 / per-department rates"
    )


class PersonCapacitySpec(Strict):
    """One inspector's own monthly capacity."""

    person: str = Field(description="人员编号 / person id")
    cases: int = Field(ge=0, description="每月最多抽查件数 / most cases a month")
    basis: str = Field(min_length=1, description="依据 / basis")


class CapacitySpec(Strict):
    """How many cases an inspector takes in a month (检查人员每月承担的件数上限)."""

    default: int = Field(ge=0, description="每人每月最多件数 / most cases a month, each")
    basis: str = Field(min_length=1, description="依据 / basis")
    persons: list[PersonCapacitySpec] = Field(
        default_factory=list, description="个别人员的上限 / per-person capacity"
    )


class PublicValueSpec(Strict):
    """The public value the seed is derived from (公开随机源): a number anyone can look up
    and no one can know before the month's cases are closed."""

    name: Title = Field(description="公开值是什么 / what the public value is")
    basis: str = Field(min_length=1, description="依据 / basis")
    _title = field_validator("name", mode="before")(as_title)


class CategorySpec(Strict):
    """An outcome category (评查类别): quality 质量, efficiency 效率, legality 合法性 …"""

    id: Identifier = Field(description="类别编号 / category id")
    name: Title = Field(description="类别名称 / category name")
    basis: str = Field(min_length=1, description="依据 / basis")
    _title = field_validator("name", mode="before")(as_title)


class RectificationSpec(Strict):
    """The rectification deadline (整改期限) and the finding a late rectification makes."""

    working_days: int = Field(ge=1, description="整改期限（工作日） / deadline in working days")
    severities: list[Severity] = Field(
        default_factory=_errors_and_warnings,
        min_length=1,
        description="哪些级别的问题须整改 / severities that need rectifying",
    )
    rule: Identifier = Field(
        default="INSPECTION-RECTIFY-OVERDUE",
        description="逾期整改的发现编号 / rule id of the overdue-rectification finding",
    )
    severity: Severity = Field(default="error", description="逾期整改发现的级别 / its severity")
    basis: str = Field(min_length=1, description="依据 / basis")


class InspectionSpec(Strict):
    """The ``inspection:`` section."""

    id: Identifier = Field(description="抽查制度编号 / id of the inspection policy")
    title: Title = Field(description="标题 / title")
    basis: str = Field(min_length=1, description="依据 / basis")
    role: str = Field(default="inspector", description="抽查人员的角色编号 / the inspectors' role")
    public_value: PublicValueSpec = Field(
        description="随机种子的公开来源 / the seed's public source"
    )
    sampling: SamplingSpec = Field(description="分层抽样 / stratified sampling")
    capacity: CapacitySpec = Field(description="检查人员的承担上限 / inspector capacity")
    rectification: RectificationSpec = Field(description="整改 / rectification")
    categories: list[CategorySpec] = Field(
        min_length=1, description="评查类别 / outcome categories"
    )
    _title = field_validator("title", mode="before")(as_title)

    @model_validator(mode="after")
    def _no_repeats(self) -> InspectionSpec:
        for what, values in (
            ("categories", [c.id for c in self.categories]),
            ("sampling.departments", [d.department for d in self.sampling.departments]),
            ("capacity.persons", [p.person for p in self.capacity.persons]),
        ):
            repeated = sorted({v for v in values if values.count(v) > 1})
            if repeated:
                raise ValueError(
                    f"{what} 中重复：{', '.join(repeated)} / {what} repeats {', '.join(repeated)}"
                )
        return self
