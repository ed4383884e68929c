"""The ``notifications:`` section: who is told when a case's clock crosses a threshold, and
the limit within which an approval is told to the supervising department (审后监管告知).

One mapping per rulebook (the most local one wins)::

    notifications:
      id: FY-NOTIFY
      title: {zh: 电子监察预警通知, en: Early-warning notifications}
      basis: …
      triggers:
        - {on: prompt, rules: [FY-PROMPT], to: [handler], basis: …}
        - {on: red, rules: [FY-RED-CARD], to: [handler, approval_head, supervisor], basis: …}
        - {on: stage_overrun, to: [handler, approval_head], basis: …}
        - {on: inspection_assigned, to: [inspector], basis: …}
        - {on: rectification_due, to: [approval_head, supervisor], basis: …}
      inform:
        working_days: 5
        rule: FY-SUPERVISION-INFORM
        basis: …

``to`` names recipients: ``handler`` (whoever acted last at the case's current stage),
``inspector`` (the inspector a draw assigned), or a role id of the rulebook's roster (every
person holding that role for the case's item that day). See ``docs/notifications.md``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..engine.load.model import Identifier, Severity, Title, as_title
from ..engine.load.validation import Strict

TriggerKind = Literal[
    "prompt", "yellow", "red", "stage_overrun", "inspection_assigned", "rectification_due"
]
RULE_TRIGGERS: frozenset[str] = frozenset({"prompt", "yellow", "red"})
"""Triggers that fire when one of their ``case`` rules reports a finding for the case."""
PERSON_WORDS: frozenset[str] = frozenset({"handler", "inspector"})
"""Recipients named by what they did rather than by a role."""


class TriggerSpec(Strict):
    """When a notification is sent, and to whom (通知触发条件与接收人)."""

    on: TriggerKind = Field(
        description="触发：prompt 提示、yellow 黄牌、red 红牌（由 rules 所列规则判定）、"
        "stage_overrun 环节超时、inspection_assigned 抽查指派、rectification_due 整改到期 / "
        "what fires it"
    )
    rules: list[Identifier] = Field(
        default_factory=list,
        description="prompt/yellow/red：判定越过阈值的 case 规则编号 / the case rules whose "
        "finding means the threshold is crossed",
    )
    to: list[str] = Field(
        min_length=1,
        description="接收人：handler 当前环节经办人、inspector 抽查人员，或人员名册中的角色编号 / "
        "recipients: handler, inspector, or a role id",
    )
    basis: str = Field(min_length=1, description="依据 / basis")

    @model_validator(mode="after")
    def _rules_fit_the_trigger(self) -> TriggerSpec:
        if self.on in RULE_TRIGGERS and not self.rules:
            raise ValueError(
                f"{self.on} 须用 rules 列出判定阈值的规则 / {self.on} needs rules: the case "
                "rules that say the threshold is crossed"
            )
        if self.on not in RULE_TRIGGERS and self.rules:
            raise ValueError(
                f"{self.on} 不读规则，请删去 rules / {self.on} reads no rules: remove rules"
            )
        return self


class InformSpec(Strict):
    """Supervision after approval (审后监管): the licensing department informs the supervising
    department of each approval (an ``inform`` event) within a limit in working days."""

    working_days: int = Field(
        ge=0, description="批准后告知监管部门的期限（工作日） / limit in working days"
    )
    rule: Identifier = Field(
        default="SUPERVISION-INFORM",
        description="未告知或逾期告知的发现编号 / rule id of the missing-or-late finding",
    )
    severity: Severity = Field(default="error", description="发现的级别 / its severity")
    basis: str = Field(min_length=1, description="依据 / basis")


class NotificationsSpec(Strict):
    """The ``notifications:`` section."""

    id: Identifier = Field(description="通知制度编号 / id")
    title: Title = Field(description="标题 / title")
    basis: str = Field(min_length=1, description="依据 / basis")
    triggers: list[TriggerSpec] = Field(default_factory=list, description="触发条件 / triggers")
    inform: InformSpec | None = Field(
        default=None, description="审批结果告知监管部门 / informing the supervisors"
    )
    _title = field_validator("title", mode="before")(as_title)

    @model_validator(mode="after")
    def _each_trigger_once(self) -> NotificationsSpec:
        kinds = [t.on for t in self.triggers]
        repeated = sorted({k for k in kinds if kinds.count(k) > 1})
        if repeated:
            raise ValueError(
                f"触发条件重复：{', '.join(repeated)} / a trigger repeats: {', '.join(repeated)}"
            )
        return self
