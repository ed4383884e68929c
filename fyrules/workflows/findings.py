"""Findings of the complaint and accountability workflows, as of a moment.

- a complaint not answered by the end of its answer deadline (``complaints.answer_days``
  working days after the day it came in) is a finding of the ``complaints.rule``, answered
  late or still unanswered as of the moment;
- an accountability decision that the ``accountability:`` section does not declare is a
  finding of its ``unknown_decision_rule``.

These are read from each case's ``tracks`` (open or finished) by :func:`case_findings`;
``monitor.findings()`` reports them through the workflows extension's ``track_findings`` hook,
and :func:`workflow_findings` gives them alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from ..cases.tracks import complaints
from ..engine.findings import Finding
from .policy import Workflows
from .responsibility import _end_of


def case_states(monitor: Any) -> Iterator[Mapping[str, Any]]:
    """The working state of every case the monitor knows: open ones, then finished ones."""
    for _case, state in monitor.store.open_cases():
        yield state
    for _case, summary in monitor.store.closed_cases():
        state = summary.get("state") if isinstance(summary, Mapping) else None
        if isinstance(state, Mapping):
            yield state


def workflow_findings(monitor: Any, as_of: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The workflows' findings of every case the monitor replayed, as of ``as_of`` (default:
    each case's last event), as finding JSON: those of ``monitor.findings()`` that come from
    the complaint and accountability workflows, alone."""
    rulebook = monitor.rulebook
    workflows: Workflows | None = rulebook.part("workflows")
    if workflows is None:
        return []
    out: list[dict[str, Any]] = []
    for state in case_states(monitor):
        tracks = state.get("tracks")
        if not tracks:
            continue
        moment = as_of or dt.datetime.fromisoformat(state["last_at"])
        out.extend(f.to_dict() for f in case_findings(rulebook, workflows, state, moment))
    return out


def case_findings(
    rulebook: Any, workflows: Workflows, state: Mapping[str, Any], as_of: dt.datetime
) -> list[Finding]:
    """The workflows' findings of one case (its ``state``) as of ``as_of``."""
    out: list[Finding] = []
    case = state["case"]
    tracks = state.get("tracks") or ()
    policy = workflows.complaints
    if policy is not None:
        zone = ZoneInfo(rulebook.timezone)
        for c in complaints(tracks):
            due = rulebook.calendar.add_working_days(
                c.at.astimezone(zone).date(), policy.answer_days
            )
            passed = _end_of(due, zone)
            if as_of < passed or (c.answered_at is not None and c.answered_at < passed):
                continue
            answered = (
                c.answered_at if c.answered_at is not None and c.answered_at <= as_of else None
            )
            late = answered is not None
            answered_on = answered.date() if answered is not None else None
            out.append(
                Finding(
                    rule=policy.rule,
                    severity=policy.severity,  # type: ignore[arg-type]
                    message_zh=(
                        f"投诉 {c.id} 答复期限为 {due}（{policy.answer_days} 个工作日），"
                        + (f"逾期于 {answered_on} 才答复" if late else "至今未答复")
                        + "；请窗口尽快答复，并由监管部门认定是否属实"
                    ),
                    message_en=(
                        f"complaint {c.id} was due an answer by {due} ({policy.answer_days} "
                        "working days); "
                        + (f"answered late, on {answered_on}" if late else "still unanswered")
                        + "; have the window answer it, and the supervising department rule "
                        "whether it is substantiated"
                    ),
                    basis=policy.answer_basis,
                    subject=case,
                    subject_kind="case",
                    at=passed,
                )
            )
    accountability = workflows.accountability
    if accountability is not None:
        for entry in tracks:
            if entry["kind"] != "accountability_decided":
                continue
            decision = (entry.get("data") or {}).get("decision")
            if decision in accountability.decisions:
                continue
            known = ", ".join(accountability.decisions)
            out.append(
                Finding(
                    rule=accountability.unknown_decision_rule,
                    severity="error",
                    message_zh=f"问责决定 “{decision}” 未在规则集中声明（可用：{known}）；请按规定的决定重新作出",
                    message_en=f"accountability decision '{decision}' is not declared in the "
                    f"rulebook (known: {known}); record one of the declared decisions",
                    basis=accountability.basis,
                    subject=case,
                    subject_kind="case",
                    at=dt.datetime.fromisoformat(entry["at"]),
                )
            )
    return out
