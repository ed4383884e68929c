"""The ``event`` and ``assignment`` scopes: what rules of separation of duties see.

- ``event`` (an arriving event with its case, 事件): ``event.kind``, ``event.actor``,
  ``event.data`` …; ``case.actors.review`` (who acted at each stage so far), ``case.stage``,
  ``case.department`` (the item's licensing department) …; ``actor.department`` and
  ``actor.roles`` (the roles the actor holds for the case's item on the event's day). An
  ``error`` rule rejects the event; a ``warning`` accepts it and records a finding.
- ``assignment`` (a person's role for a scope, 任职): ``person``, ``role``, ``scope``
  (``kind``, ``id``, ``department``), validity, and ``roles`` (every role the person holds).
  Run on every declared assignment by ``fyrules check``; an ``error`` rule is an
  ``ASSIGNMENT-RULE`` problem at the assignment's line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..cases.events import EVENT_KINDS
from ..engine.expr.types import ANY, BOOL, DATE, DATETIME, NUMBER, STRING, list_of, object_type
from ..engine.expr.types import optional as opt
from ..engine.scopes import Scope

ACTORS = object_type(
    "actors",
    dict.fromkeys(EVENT_KINDS, list_of(STRING)),
    {kind: f"在 {kind} 环节办理过本案的人员 / who acted at {kind}" for kind in EVENT_KINDS},
)

EVENT = object_type(
    "event",
    {
        "id": opt(STRING),
        "kind": STRING,
        "actor": opt(STRING),
        "at": DATETIME,
        "dept": opt(STRING),
        "window": opt(STRING),
        "data": ANY,
    },
    {
        "id": "事件编号 / event id",
        "kind": "事件类型：accept, review, approve, inspect … / the event kind",
        "actor": "经办人 / who acts",
        "at": "发生时间 / when",
        "dept": "部门 / department",
        "window": "窗口 / window",
        "data": "附加数据，如 data.approved_by / the event's data",
    },
)

CASE = object_type(
    "case",
    {
        "case": STRING,
        "item": STRING,
        "dept": opt(STRING),
        "department": opt(STRING),
        "stage": opt(STRING),
        "closed": BOOL,
        "events": NUMBER,
        "accepted_at": opt(DATETIME),
        "applicant": opt(STRING),
        "actors": ACTORS,
    },
    {
        "case": "案件编号 / case number",
        "item": "事项编码 / item code",
        "dept": "事件所写的部门 / the department the events name",
        "department": "实施该事项的部门 / the department that licenses the item",
        "stage": "当前环节（新案件为空） / the current stage (empty for a new case)",
        "closed": "是否已结束 / closed",
        "events": "已接受的事件数 / events accepted so far",
        "accepted_at": "受理时间 / accepted at",
        "applicant": "申请人（提交人） / the applicant (who submitted)",
        "actors": "各环节的经办人，如 case.actors.review / who acted at each stage",
    },
)

ACTOR = object_type(
    "actor",
    {"id": opt(STRING), "department": opt(STRING), "known": BOOL, "roles": list_of(STRING)},
    {
        "id": "人员编号 / person id",
        "department": "所属部门 / the person's department",
        "known": "是否为登记的人员 / a person the rule files declare",
        "roles": "当日对该事项担任的角色 / roles held for the item on the event's day",
    },
)

EVENT_CONTEXT = object_type(
    "event_context",
    {"event": EVENT, "case": CASE, "actor": ACTOR},
    {
        "event": "到达的事件 / the arriving event",
        "case": "事件之前的案件 / the case before the event",
        "actor": "经办人 / the person acting",
    },
)

ASSIGNMENT_SCOPE_KIND = object_type(
    "assignment_scope",
    {"kind": STRING, "id": opt(STRING), "department": opt(STRING)},
    {
        "kind": "范围：center, department, item / the scope's kind",
        "id": "部门编号或事项编码 / department id or item code",
        "department": "范围所在的部门（事项为其实施部门） / the department of the scope",
    },
)

ASSIGNMENT_CONTEXT = object_type(
    "assignment",
    {
        "person": object_type(
            "person",
            {"id": STRING, "name": opt(STRING), "department": opt(STRING)},
            {"id": "人员编号 / id", "name": "姓名 / name", "department": "所属部门 / department"},
        ),
        "role": STRING,
        "scope": ASSIGNMENT_SCOPE_KIND,
        "valid_from": opt(DATE),
        "valid_to": opt(DATE),
        "roles": list_of(STRING),
    },
    {
        "person": "任职人员 / the person",
        "role": "所任角色 / the role",
        "scope": "任职范围 / where the role is held",
        "valid_from": "起始日期 / first day",
        "valid_to": "截止日期 / last day",
        "roles": "该人员担任的全部角色 / every role the person holds",
    },
)


def _event_from_events(raw_events: list[Any], as_of: dt.datetime | None, host: Any) -> dict:
    """A rulebook test written as events: the last one arrives, the earlier ones make the
    case."""
    from ..cases.events import EventError, parse_numbered_events
    from ..engine.problems import Problem
    from .gate import EventGate

    events = parse_numbered_events(raw_events)
    if not events:
        raise EventError(Problem("TEST-INVALID", "events 不能为空", "events cannot be empty"))
    *earlier, arriving = events
    state: dict[str, Any] | None = None
    for e in earlier:
        state = _replayed(state, e)
    return EventGate(host).context(arriving, state)


def _replayed(state: dict[str, Any] | None, e: Any) -> dict[str, Any]:
    if state is None:
        state = {"case": e.case, "item": e.item, "dept": e.dept, "events": 0, "actors": {}}
    new = dict(state, stage=e.event, events=state["events"] + 1)
    if e.event == "accept":
        new["accepted_at"] = e.at.isoformat()
    if e.actor:
        seen = state["actors"].get(e.event, [])
        if e.actor not in seen:
            new["actors"] = {**state["actors"], e.event: [*seen, e.actor]}
    return new


EVENT_SCOPE = Scope(
    name="event",
    context=EVENT_CONTEXT,
    title_zh="到达的事件",
    title_en="arriving event",
    subject=None,
    from_events=_event_from_events,
)

ASSIGNMENT_SCOPE = Scope(
    name="assignment",
    context=ASSIGNMENT_CONTEXT,
    title_zh="任职",
    title_en="assignment",
)
