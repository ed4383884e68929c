"""The ``complaints:`` and ``accountability:`` sections, as policy staff write them.

``complaints:`` (投诉办理): how many working days a complaint may wait for its answer, and the
finding an unanswered complaint past that deadline makes. ``accountability:`` (问责): which
findings open an accountability record (a red card, a stage over its budget …) and which
deadline each ran over, and the decisions the record may end in. Every number carries its
``basis``. See ``docs/complaints-accountability.md``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ..engine.load.model import Identifier, Severity, Title, as_title
from ..engine.load.validation import Strict

Deadline = Literal["committed", "statutory", "stage"]


class ComplaintsSpec(Strict):
    """The ``complaints:`` section: a complaint's handling track."""

    id: Identifier = Field(description="投诉办理制度编号 / id of the complaint procedure")
    title: Title = Field(description="标题 / title")
    basis: str = Field(min_length=1, description="依据 / basis")
    answer_days: int = Field(
        ge=0,
        description="答复期限：投诉当日之后的工作日数 / working days after the complaint's day "
        "to answer it",
    )
    answer_basis: str = Field(min_length=1, description="答复期限的依据 / basis of the deadline")
    rule: Identifier = Field(
        default="COMPLAINT-UNANSWERED",
        description="逾期未答复的发现编号 / rule id of the unanswered-complaint finding",
    )
    severity: Severity = Field(default="error", description="该发现的级别 / its severity")

    _title = field_validator("title", mode="before")(as_title)


class TriggerSpec(Strict):
    """A finding that opens an accountability record, and the deadline it is about."""

    rule: Identifier = Field(description="发现的规则编号 / the finding's rule id")
    deadline: Deadline = Field(
        description="超过的期限：committed 承诺时限、statutory 法定时限、stage 环节时限 / the "
        "deadline run over: committed, statutory, or a stage's budget"
    )


class DecisionSpec(Strict):
    """One decision an accountability record may end in."""

    id: Identifier = Field(description="决定编号（data.decision） / decision id")
    name: Title = Field(description="名称 / name")
    basis: str = Field(min_length=1, description="依据 / basis")
    fault: bool = Field(
        default=True, description="是否认定过错 / whether it finds the holder at fault"
    )
    published: bool = Field(
        default=False,
        description="是否在月度通报中点名 / whether the monthly notification names the holder",
    )

    _name = field_validator("name", mode="before")(as_title)


class AccountabilitySpec(Strict):
    """The ``accountability:`` section: who answers for an overdue case, and how it ends."""

    id: Identifier = Field(description="问责制度编号 / id of the accountability procedure")
    title: Title = Field(description="标题 / title")
    basis: str = Field(min_length=1, description="依据 / basis")
    triggers: list[TriggerSpec] = Field(
        min_length=1, description="开启问责记录的发现 / findings that open a record"
    )
    decisions: list[DecisionSpec] = Field(
        min_length=1, description="可作出的问责决定 / the decisions a record may end in"
    )
    unknown_decision_rule: Identifier = Field(
        default="ACCOUNTABILITY-UNKNOWN-DECISION",
        description="决定不在 decisions 中时的发现编号 / rule id of a decision not declared",
    )

    _title = field_validator("title", mode="before")(as_title)
