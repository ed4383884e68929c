"""What rule files say about history-based separation of duties and recusals
(基于办件历史的职责分离与回避).

These pydantic models are the border for the ``history_constraints:`` and ``recusals:``
sections, and give ``fyrules schema`` the JSON Schema editors use. The compiled forms live in
:mod:`fyrules.separation.history`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ...cases.events import HANDLING_KINDS
from ...engine.load.model import Identifier, Severity, Title, as_title
from ...engine.load.validation import Strict

# The pseudo-stage that stands for every stage of handling a case (办理环节): whoever acted at
# one of these "handled" the case. Policy staff write ``handling`` in a constraint's stages.
HANDLING = "handling"
HANDLING_STAGES: frozenset[str] = HANDLING_KINDS

HistorySame = Literal["person", "department", "licensing_department"]


class HistoryConstraintSpec(Strict):
    """A history-based constraint (基于办件历史的职责分离约束): on one case, whoever acted at
    one of the groups of ``stages`` may not act at another (``same: person``), nor may anyone
    of their department (``same: department``); with ``same: licensing_department`` no one of
    the department that licenses the case's item may act at ``stages`` at all."""

    id: Identifier = Field(description="约束编号 / constraint id")
    title: Title = Field(description="标题 / title")
    same: HistorySame = Field(
        default="person",
        description="person：同一人；department：同一部门的人员；licensing_department：实施该"
        "事项的部门的人员 / person: the same person; department: anyone of the same department; "
        "licensing_department: anyone of the department that licenses the item",
    )
    stages: list[str | list[str]] = Field(
        min_length=1,
        description="互斥的环节组：每一项是一个环节（review）、handling（任一办理环节）或环节"
        "列表 / the conflicting groups: a stage (review), handling (any stage of handling) or "
        "a list of stages",
    )
    severity: Severity = Field(
        default="error",
        description="error：拒绝该事件；warning：接受并记录发现 / error rejects the event, "
        "warning accepts it and records a finding",
    )
    basis: str = Field(min_length=1, description="依据 / legal or policy basis")
    message: Title | None = Field(default=None, description="违反时的说明 / message")
    valid_from: dt.date | None = Field(default=None, description="生效日期 / first day")
    valid_to: dt.date | None = Field(default=None, description="失效日期（含） / last day")
    _title = field_validator("title", "message", mode="before")(as_title)

    @field_validator("stages")
    @classmethod
    def _groups(cls, stages: list[str | list[str]], info: ValidationInfo) -> list[str | list[str]]:
        same = info.data.get("same", "person")
        if same == "licensing_department" and len(stages) != 1:
            raise ValueError(
                "same: licensing_department 只写一组环节 / same: licensing_department takes "
                "one group of stages"
            )
        if same != "licensing_department" and len(stages) < 2:
            raise ValueError(
                "same 为 person 或 department 时须至少列出两组环节 / with same: person or "
                "department, stages lists at least two groups"
            )
        seen: set[str] = set()
        for group in stages:
            names = [group] if isinstance(group, str) else group
            expanded: set[str] = set()
            for name in names:
                expanded |= HANDLING_STAGES if name == HANDLING else {name}
            if expanded & seen:
                both = ", ".join(sorted(expanded & seen))
                raise ValueError(
                    f"环节 {both} 出现在两组中 / the stages {both} appear in two groups"
                )
            seen |= expanded
        return stages


class RecusalSpec(Strict):
    """A declared conflict of interest (回避): ``person`` does not act on the cases of an
    applicant, on one case, on an item's cases or on a department's cases. Exactly one of
    ``applicant``, ``case``, ``item``, ``department``."""

    id: Identifier = Field(description="回避编号 / recusal id")
    person: str = Field(description="须回避的人员编号 / the person who recuses")
    applicant: str | None = Field(default=None, description="申请人 / the applicant")
    case: str | None = Field(default=None, description="案件编号 / the case")
    item: str | None = Field(default=None, description="事项编码 / the item")
    department: str | None = Field(
        default=None, description="部门编号（其实施事项的案件） / the department (its items' cases)"
    )
    reason: Title = Field(description="回避事由 / the reason")
    severity: Severity = Field(
        default="error",
        description="error：拒绝该人员的事件；warning：接受并记录发现 / error rejects the "
        "person's events, warning accepts them and records a finding",
    )
    basis: str = Field(min_length=1, description="依据 / legal or policy basis")
    valid_from: dt.date | None = Field(default=None, description="生效日期 / first day")
    valid_to: dt.date | None = Field(default=None, description="失效日期（含） / last day")
    _title = field_validator("reason", mode="before")(as_title)

    @model_validator(mode="after")
    def _exactly_one(self) -> RecusalSpec:
        given = [k for k in ("applicant", "case", "item", "department") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError(
                "回避对象须且只须写 applicant、case、item、department 之一 / a recusal names "
                "exactly one of applicant, case, item, department"
            )
        return self

    @property
    def target(self) -> tuple[str, str]:
        """(kind, id) of what the person is recused from."""
        for kind in ("applicant", "case", "item", "department"):
            value = getattr(self, kind)
            if value:
                return kind, value
        raise AssertionError("validated: exactly one target")  # pragma: no cover
