"""Supervision after approval (审后监管): each approval is told to the supervising department.

The licensing department records an ``inform`` event on the case (``data.to``: the
department informed, optional) within ``notifications.inform.working_days`` working days after
the day of the ``approve`` event (0: the same day). An approval with no ``inform`` by the end of
that day is a finding (``notifications.inform.rule``), and so is one informed after it; each
carries the limit's basis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from ..engine.findings import Finding
from .extension import InformLimit


def inform_findings(
    rulebook: Any, limit: InformLimit, events: Iterable[Any], as_of: dt.datetime
) -> list[Finding]:
    """The missing or late notices among accepted ``approve`` and ``inform`` events up to
    ``as_of``, case by case in the order of their approvals."""
    zone = ZoneInfo(rulebook.timezone)
    calendar = rulebook.calendar
    approved: dict[str, dt.datetime] = {}
    informed: dict[str, dt.datetime] = {}
    for event in events:
        if event.at > as_of:
            continue
        if event.event == "approve":
            approved.setdefault(event.case, event.at)
        elif event.event == "inform":
            informed.setdefault(event.case, event.at)
    today = as_of.astimezone(zone).date()
    out = []
    for case, at in approved.items():
        approved_on = at.astimezone(zone).date()
        due = (
            calendar.add_working_days(approved_on, limit.working_days)
            if limit.working_days
            else approved_on
        )
        told = informed.get(case)
        if told is None and today > due:
            zh = f"{approved_on} 批准后未告知监管部门（期限 {due}）"
            en = f"approved on {approved_on}; the supervising department was not informed (due {due})"
        elif told is not None and told.astimezone(zone).date() > due:
            told_on = told.astimezone(zone).date()
            zh = f"{approved_on} 批准，{told_on} 才告知监管部门（期限 {due}）"
            en = f"approved on {approved_on}, the supervising department informed only on {told_on} (due {due})"
        else:
            continue
        out.append(
            Finding(
                rule=limit.rule,
                severity=limit.severity,  # type: ignore[arg-type]
                message_zh=zh,
                message_en=en,
                basis=limit.basis,
                subject=case,
                subject_kind="case",
                at=as_of,
            )
        )
    return out
