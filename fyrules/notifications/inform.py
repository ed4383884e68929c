"""Supervision after approval (审后监管): each approval is told to the supervising department.

The licensing department records an ``inform`` event on the case (``data.to``: the
department informed, optional) within ``notifications.inform.working_days`` working days after
the day of the ``approve`` event (0: the same day). An approval with no ``inform`` by the end of
that day is a finding (``notifications.inform.rule``), and so is one informed after it; each
carries the limit's basis.

A case's working state keeps its first approval and its first notice (``approved_at``,
``informed_at``), so the monitor reports these findings for open and finished cases alike
(:func:`inform_watch`, the ``track_findings`` hook); :func:`inform_findings` reads them from a
stream of events instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from ..engine.extension import TrackFindings
from ..engine.findings import Finding
from .extension import InformLimit


def inform_findings(
    rulebook: Any, limit: InformLimit, events: Iterable[Any], as_of: dt.datetime
) -> list[Finding]:
    """The missing or late notices among accepted ``approve`` and ``inform`` events up to
    ``as_of``, case by case in the order of their approvals."""
    approved: dict[str, dt.datetime] = {}
    informed: dict[str, dt.datetime] = {}
    for event in events:
        if event.at > as_of:
            continue
        if event.event == "approve":
            approved.setdefault(event.case, event.at)
        elif event.event == "inform":
            informed.setdefault(event.case, event.at)
    out = []
    for case, at in approved.items():
        finding = inform_finding(rulebook, limit, case, at, informed.get(case), as_of)
        if finding is not None:
            out.append(finding)
    return out


def inform_finding(
    rulebook: Any,
    limit: InformLimit,
    case: str,
    approved: dt.datetime,
    informed: dt.datetime | None,
    as_of: dt.datetime,
) -> Finding | None:
    """The finding of ``case``, approved at ``approved`` and told to the supervisors at
    ``informed`` (``None``: not told), as of ``as_of``: ``None`` when the notice is on time or
    not yet due."""
    zone = ZoneInfo(rulebook.timezone)
    approved_on = approved.astimezone(zone).date()
    due = (
        rulebook.calendar.add_working_days(approved_on, limit.working_days)
        if limit.working_days
        else approved_on
    )
    if informed is None and as_of.astimezone(zone).date() > due:
        zh = f"{approved_on} 批准后未告知监管部门（期限 {due}）"
        en = f"approved on {approved_on}; the supervising department was not informed (due {due})"
    elif informed is not None and informed.astimezone(zone).date() > due:
        told_on = informed.astimezone(zone).date()
        zh = f"{approved_on} 批准，{told_on} 才告知监管部门（期限 {due}）"
        en = f"approved on {approved_on}, the supervising department informed only on {told_on} (due {due})"
    else:
        return None
    return Finding(
        rule=limit.rule,
        severity=limit.severity,  # type: ignore[arg-type]
        message_zh=zh,
        message_en=en,
        basis=limit.basis,
        subject=case,
        subject_kind="case",
        at=as_of,
    )


def inform_watch(rulebook: Any) -> TrackFindings | None:
    """The ``track_findings`` hook: the supervision-after-approval finding of a case's working
    state as of a moment (its approval and notice up to that moment), or ``None`` when the
    rulebook sets no ``notifications.inform`` limit."""
    policy = rulebook.part("notifications")
    limit: InformLimit | None = policy.inform if policy is not None else None
    if limit is None:
        return None

    def findings(state: Mapping[str, Any], as_of: dt.datetime) -> list[Finding]:
        approved_text = state.get("approved_at")
        if approved_text is None:
            return []
        approved = dt.datetime.fromisoformat(approved_text)
        if approved > as_of:
            return []
        informed_text = state.get("informed_at")
        informed = None if informed_text is None else dt.datetime.fromisoformat(informed_text)
        if informed is not None and informed > as_of:
            informed = None
        finding = inform_finding(rulebook, limit, state["case"], approved, informed, as_of)
        return [] if finding is None else [finding]

    return findings
