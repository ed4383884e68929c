"""The separation-of-duties model: what rule files say about persons, roles, assignments and
static constraints (职责分离：人员、角色、任职与静态约束).

These pydantic models are the border for the ``persons:``, ``roles:``, ``assignments:`` and
``sod_constraints:`` sections, and give ``fyrules schema`` the JSON Schema editors use.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..engine.load.model import Identifier, Title, as_title
from ..engine.load.validation import Strict

Same = Literal["scope", "person", "department"]


class PersonSpec(Strict):
    """A person (人员) who may hold roles in the center."""

    id: Identifier = Field(description="人员编号 / person id")
    name: str = Field(min_length=1, description="姓名 / name")
    department: str | None = Field(
        default=None,
        description="所属部门编号（中心自有人员可省略） / department id (left out for the "
        "center's own staff)",
    )
    valid_from: dt.date | None = Field(
        default=None, description="到岗日期（含） / first day on the roster (joined)"
    )
    valid_to: dt.date | None = Field(
        default=None, description="离岗日期（含） / last day on the roster (left)"
    )


class RoleSpec(Strict):
    """A role (角色): acceptor 受理, reviewer 审核, approver 审批, supervisor 监管 …"""

    id: Identifier = Field(description="角色编号 / role id")
    name: Title = Field(description="角色名称 / role name")
    description: str | None = Field(default=None, description="说明 / description")
    _title = field_validator("name", mode="before")(as_title)


class ScopeSpec(Strict):
    """Where a role is held: the whole center, one department, or one item. Exactly one key."""

    center: Literal[True] | None = Field(default=None, description="整个中心 / the whole center")
    department: str | None = Field(default=None, description="部门编号 / department id")
    item: str | None = Field(default=None, description="事项编码 / item code")

    @model_validator(mode="after")
    def _exactly_one(self) -> ScopeSpec:
        given = [k for k in ("center", "department", "item") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "范围须且只须写 center、department、item 之一 / a scope names exactly one of "
                "center, department, item"
            )
        return self


class AssignmentSpec(Strict):
    """A person holding a role for a scope (任职), optionally for a period."""

    id: Identifier | None = Field(default=None, description="任职编号（可选） / assignment id")
    person: str = Field(description="人员编号 / person id")
    role: str = Field(description="角色编号 / role id")
    scope: ScopeSpec = Field(description="任职范围 / scope the role is held for")
    valid_from: dt.date | None = Field(default=None, description="起始日期 / first day")
    valid_to: dt.date | None = Field(default=None, description="截止日期（含） / last day")
    basis: str | None = Field(default=None, description="任命依据 / basis of the appointment")


class ConstraintSpec(Strict):
    """A static separation-of-duties constraint (静态职责分离约束) in the RBAC (role set, n)
    form: no person holds ``n`` or more of ``roles`` where ``same`` says they meet."""

    id: Identifier = Field(description="约束编号 / constraint id")
    title: Title | None = Field(default=None, description="标题 / title")
    roles: list[str] = Field(min_length=1, description="角色集 / the role set")
    n: int = Field(default=2, ge=1, description="不得同时担任的角色数 / how many is too many")
    same: Same = Field(
        default="scope",
        description="scope：范围重叠的任职；person：同一人的任何任职；department：本部门"
        "实施事项所在的范围 / scope: overlapping scopes; person: anywhere; department: "
        "scopes that cover the items the person's own department licenses",
    )
    basis: str = Field(min_length=1, description="依据 / legal or policy basis")
    message: Title | None = Field(default=None, description="违反时的说明 / message")
    _title = field_validator("title", "message", mode="before")(as_title)

    @model_validator(mode="after")
    def _n_within_roles(self) -> ConstraintSpec:
        if len(set(self.roles)) != len(self.roles):
            raise ValueError("角色集中有重复 / the role set repeats a role")
        if self.n > len(self.roles):
            raise ValueError(
                f"n = {self.n} 大于角色数 {len(self.roles)}，约束永远不会违反 / n = {self.n} "
                f"exceeds the {len(self.roles)} roles: the constraint could never be broken"
            )
        return self
