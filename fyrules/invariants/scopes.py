"""The scopes invariants are written in, and their contexts.

``case_history``: one accepted case as the monitor recorded it, after a stream of events: its
clock (every field of the ``case`` scope, as of its end or of the stream's end), the events the
monitor accepted for it, who acted at each stage, and the findings it carries.
``person_month``: one person's actions in one month (local dates), over every case.
"""

from __future__ import annotations

from typing import Any

from ..deadlines.scope import CASE_CONTEXT
from ..engine.expr.types import BOOL, DATETIME, NUMBER, STRING, list_of, object_type, optional
from ..engine.scopes import Scope

# stages whose actors a case_history context lists under ``actors``
ACTOR_STAGES = (
    "submit",
    "accept",
    "undertake",
    "review",
    "approve",
    "deny",
    "pause",
    "extend",
    "complete",
    "deliver",
    "inspect",
    "rectify",
)

EVENT = object_type(
    "case_event",
    {
        "kind": STRING,
        "actor": optional(STRING),
        "actor_department": optional(STRING),
        "at": DATETIME,
        "reason": optional(STRING),
        "days": optional(NUMBER),
        "approved_by": optional(STRING),
    },
    {
        "kind": "事件类型 / event kind",
        "actor": "办理人 / who acted",
        "actor_department": "办理人所在部门 / the actor's department",
        "at": "发生时间 / when",
        "reason": "暂停原因（data.reason） / a pause's special procedure",
        "days": "延长的工作日（data.days） / days of an extension",
        "approved_by": "延长的批准人（data.approved_by） / who approved an extension",
    },
)

FINDING = object_type(
    "case_finding",
    {"rule": STRING, "severity": STRING, "tags": list_of(STRING)},
    {
        "rule": "规则编号 / rule id",
        "severity": "级别 / severity",
        "tags": "规则的标签 / the rule's tags",
    },
)

ACTORS = object_type(
    "case_actors",
    {stage: list_of(STRING) for stage in ACTOR_STAGES},
    {stage: f"在 {stage} 环节办理的人 / who acted at {stage}" for stage in ACTOR_STAGES},
)

FIRST = object_type(
    "case_first",
    {stage: optional(DATETIME) for stage in ACTOR_STAGES},
    {stage: f"第一次 {stage} 的时间 / when {stage} first happened" for stage in ACTOR_STAGES},
)

CASE_HISTORY_CONTEXT = object_type(
    "case_history",
    {
        **CASE_CONTEXT.fields,
        "department": optional(STRING),
        "closed": BOOL,
        "closed_by": optional(STRING),
        "events": list_of(EVENT),
        "actors": ACTORS,
        "first": FIRST,
        "handlers": list_of(STRING),
        "findings": list_of(FINDING),
        "fired": list_of(STRING),
    },
    {
        **CASE_CONTEXT.doc,
        "department": "事项的实施部门 / the item's licensing department",
        "closed": "是否已办结或终止 / closed (completed, withdrawn, refused)",
        "closed_by": "以哪个事件终止：complete, withdraw, reject",
        "events": "监控器接受的本案事件，按到达顺序 / the case's events the monitor accepted, as they arrived",
        "actors": "各环节的办理人 / who acted at each stage",
        "first": "各环节第一次发生的时间（未发生为 None） / when each stage first happened (None: never)",
        "handlers": "办理过本案的人（任一办理环节） / everyone who handled the case (any handling stage)",
        "findings": "本案的发现（时限、预警、职责分离） / the case's findings",
        "fired": "本案发现的规则编号 / the rule ids of its findings",
    },
)

PERSON_MONTH_CONTEXT = object_type(
    "person_month",
    {
        "person": STRING,
        "department": optional(STRING),
        "month": STRING,
        "handled": list_of(STRING),
        "reviewed": list_of(STRING),
        "decided": list_of(STRING),
        "inspected": list_of(STRING),
        "inspected_departments": list_of(STRING),
        "events": NUMBER,
    },
    {
        "person": "人员编号 / person id",
        "department": "所在部门 / the person's department",
        "month": "月份 YYYY-MM / month",
        "handled": "本月办理过的案件 / cases handled this month",
        "reviewed": "本月审核的案件 / cases reviewed",
        "decided": "本月审批（批准或不予批准）的案件 / cases decided (approved or denied)",
        "inspected": "本月抽查的案件 / cases inspected",
        "inspected_departments": "所抽查案件的实施部门 / licensing departments of the cases inspected",
        "events": "本月被接受的事件数 / accepted events this month",
    },
)


def _case_from_events(raw_events: list[Any], as_of: Any, host: Any) -> dict[str, Any]:
    """A rulebook test's case_history context: its events replayed through the monitor; the
    context of the case of the first event (which the monitor must have accepted)."""
    from ..cases.events import EventError
    from ..engine.problems import Problem
    from .replay import replay, test_events

    events = test_events(raw_events)
    case = events[0].case
    context = replay(host, events, as_of).case_context(case)
    if context is None:
        raise EventError(
            Problem(
                "TEST-INVALID",
                f"案件 {case} 未被监控器受理（没有被接受的 accept 事件），不变式无从检查",
                f"case {case} was never accepted by the monitor (no accepted accept event): "
                "there is nothing for the invariants to check",
            )
        )
    return context


def _person_from_events(raw_events: list[Any], as_of: Any, host: Any) -> dict[str, Any]:
    """A rulebook test's person_month context: its events replayed through the monitor; the
    month of the person who acted last, in the month of that event."""
    from .replay import replay, test_events

    events = test_events(raw_events)
    last = events[-1]
    return replay(host, events, as_of).person_context(last.actor or "", last.at)


CASE_HISTORY_SCOPE = Scope(
    name="case_history",
    context=CASE_HISTORY_CONTEXT,
    title_zh="案件历史（不变式）",
    title_en="case history (invariants)",
    subject="case",
    from_events=_case_from_events,
)

PERSON_MONTH_SCOPE = Scope(
    name="person_month",
    context=PERSON_MONTH_CONTEXT,
    title_zh="个人当月办件（不变式）",
    title_en="a person's month (invariants)",
    subject="person",
    from_events=_person_from_events,
)
