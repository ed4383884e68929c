"""The ``case`` scope: what a deadline or warning rule sees of one case as of a moment.

Rules of this scope say what is late and who is warned: a prompt one working day before the
committed deadline, a yellow card when a stage runs over, a red card when the case is overdue.
The fields are the case's clock (:class:`~fyrules.deadlines.clock.CaseClock`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..engine.expr.types import BOOL, DATE, DATETIME, NUMBER, STRING, list_of, object_type, optional
from ..engine.scopes import Scope

PAUSE = object_type(
    "pause",
    {
        "reason": STRING,
        "days": NUMBER,
        "max_days": optional(NUMBER),
        "counted": BOOL,
        "open": BOOL,
        "over": NUMBER,
        "statutory": BOOL,
        "notified": BOOL,
    },
    {
        "reason": "暂停原因（特殊环节） / the special procedure",
        "statutory": "是否为第四十五条所列程序（停止法定时限） / an Art. 45 procedure (stops the "
        "statutory clock)",
        "notified": "是否书面告知申请人（data.notice） / the applicant told in writing",
        "days": "已暂停的工作日 / working days paused",
        "max_days": "该环节的最长工作日 / the procedure's maximum",
        "counted": "是否计入时限 / counted toward the limit",
        "open": "是否仍在暂停 / still paused",
        "over": "超过最长期限的工作日 / working days past the maximum",
    },
)

STAGE = object_type(
    "stage",
    {"name": STRING, "days": NUMBER, "budget": optional(NUMBER), "over": NUMBER, "open": BOOL},
    {
        "name": "环节：accept, undertake, review, approve, complete, deliver",
        "days": "该环节用时（工作日） / working days the stage took",
        "budget": "该环节的时限 / the stage's budget",
        "over": "超出的工作日 / working days over budget",
        "open": "是否仍在进行 / still under way",
    },
)

CASE_CONTEXT = object_type(
    "case",
    {
        "case": STRING,
        "item": STRING,
        "kind": optional(STRING),
        "state": STRING,
        "accepted_at": DATETIME,
        "accepted_on": DATE,
        "as_of": DATETIME,
        "today": DATE,
        "statutory_limit": optional(NUMBER),
        "committed_limit": optional(NUMBER),
        "extended_days": NUMBER,
        "extension_approved": BOOL,
        "paused_days": NUMBER,
        "used_days": NUMBER,
        "statutory_due": optional(DATE),
        "committed_due": optional(DATE),
        "statutory_remaining": optional(NUMBER),
        "committed_remaining": optional(NUMBER),
        "completed": BOOL,
        "settlement": optional(STRING),
        "settlement_days": optional(NUMBER),
        "statutory_settlement": optional(STRING),
        "pauses": list_of(PAUSE),
        "stages": list_of(STAGE),
        "late_stages": list_of(STRING),
        "provisional": BOOL,
        "statutory_started_on": optional(DATE),
        "statutory_used_days": NUMBER,
        "statutory_paused_days": NUMBER,
        "statutory_extended_days": NUMBER,
        "late_extensions": NUMBER,
        "correction_notice_days_used": optional(NUMBER),
        "lower_review_days": optional(NUMBER),
        "delivery_days_used": optional(NUMBER),
        "committed_hours": optional(NUMBER),
        "hours_used": optional(NUMBER),
        "hours_remaining": optional(NUMBER),
        "hours_settlement": optional(STRING),
    },
    {
        "case": "案件编号 / case number",
        "item": "事项编码 / item code",
        "kind": "办件类别 / case kind",
        "state": "状态：open 办理中, paused 暂停, completed 办结, withdrawn 撤回, rejected 不予受理",
        "accepted_at": "受理时间 / accepted at",
        "accepted_on": "起算日（截止时点后受理顺延） / the date counting starts from",
        "as_of": "计算时点 / the moment evaluated",
        "today": "计算日 / the date evaluated",
        "statutory_limit": "法定时限（工作日） / statutory limit",
        "committed_limit": "承诺时限（工作日） / committed limit",
        "extended_days": "已批准延长的工作日 / working days of approved extensions",
        "extension_approved": "每次延长均有批准人 / every extension has an approver",
        "paused_days": "不计时的暂停工作日 / working days paused (not counted)",
        "used_days": "已用工作日 / working days used",
        "statutory_due": "法定截止日 / statutory due date",
        "committed_due": "承诺截止日 / committed due date",
        "statutory_remaining": "距法定截止的剩余工作日（负数为超期） / working days left (negative: overdue)",
        "committed_remaining": "距承诺截止的剩余工作日（负数为超期） / working days left (negative: overdue)",
        "completed": "是否办结 / settled",
        "settlement": "办结情况：early 提前, on_time 按时, overdue 超期",
        "settlement_days": "提前或超期的工作日 / working days early or overdue",
        "statutory_settlement": "相对法定时限的办结情况 / settlement against the statutory limit",
        "pauses": "暂停记录 / pauses",
        "stages": "各环节用时 / stages",
        "late_stages": "超时环节，如 review+2 / stages over budget",
        "provisional": "是否用到尚未公布的放假安排 / uses a holiday schedule not yet published",
        "statutory_started_on": "法定时限起算日（受理当日；补正告知逾期时为收到材料之日；上报件为上级机关收到之日） / "
        "the day the statutory clock counts from",
        "statutory_used_days": "法定时限已用工作日 / working days of the statutory period used",
        "statutory_paused_days": "第四十五条程序停止法定时限的工作日 / working days Art. 45 "
        "procedures stopped the statutory clock",
        "statutory_extended_days": "法定时限的有效延长（期满前、不超过法定上限） / the lawful "
        "extension of the statutory period",
        "late_extensions": "法定期限届满后才作出的延长次数 / extensions made after the statutory "
        "period ran out",
        "correction_notice_days_used": "收到材料至一次告知补正的工作日 / working days from receipt "
        "to the correction notice",
        "lower_review_days": "上报件下级机关初步审查用时（工作日） / working days of the lower "
        "organ's review (report-up cases)",
        "delivery_days_used": "决定后至送达的工作日 / working days from the decision to delivery",
        "committed_hours": "当日办结事项的承诺工作小时 / committed working hours (same-day items)",
        "hours_used": "已用工作小时（按办公时间） / working hours used, on the opening hours",
        "hours_remaining": "剩余工作小时（负数为超时） / working hours left (negative: overdue)",
        "hours_settlement": "按小时计的办结情况：early, on_time, overdue",
    },
)


def _from_events(raw_events: list[Any], as_of: dt.datetime | None, host: Any) -> dict[str, Any]:
    """The context of a rulebook test written as a case's events."""
    from ..cases.events import parse_numbered_events
    from .api import clock_of

    events = parse_numbered_events(raw_events)
    return clock_of(host, events, as_of).to_context()


CASE_SCOPE = Scope(
    name="case",
    context=CASE_CONTEXT,
    title_zh="案件时限",
    title_en="case deadline",
    subject="case",
    from_events=_from_events,
)
