"""The ``workflows`` extension: the ``complaints:`` and ``accountability:`` sections, the
monitor's ``finding_note`` hook that names who held an overdue case, and its
``track_findings`` hook that reports complaints not answered in time and accountability
decisions the rulebook does not declare.

``rulebook.part("workflows")`` is a :class:`~fyrules.workflows.policy.Workflows`, or ``None``
when the rulebook declares neither section.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from ..engine.extension import BuildContext, BuildResult, Extension, FindingNote, TrackFindings
from ..engine.findings import Finding
from ..engine.load.sections import Section
from .findings import case_findings
from .policy import AccountabilityPolicy, ComplaintPolicy, Decision, Workflows
from .responsibility import holder
from .spec import AccountabilitySpec, ComplaintsSpec


def _build(ctx: BuildContext) -> BuildResult:
    complaints = ctx.sources.section("complaints")
    accountability = ctx.sources.section("accountability")
    if not complaints and not accountability:
        return BuildResult(None)
    complaint_policy = None
    if complaints:
        c: ComplaintsSpec = complaints[-1].spec  # the most local wins
        complaint_policy = ComplaintPolicy(
            id=c.id,
            title_zh=c.title.zh,
            title_en=c.title.en or c.title.zh,
            basis=c.basis,
            answer_days=c.answer_days,
            answer_basis=c.answer_basis,
            rule=c.rule,
            severity=c.severity,
        )
    accountability_policy = None
    if accountability:
        a: AccountabilitySpec = accountability[-1].spec
        accountability_policy = AccountabilityPolicy(
            id=a.id,
            title_zh=a.title.zh,
            title_en=a.title.en or a.title.zh,
            basis=a.basis,
            triggers={t.rule: t.deadline for t in a.triggers},
            decisions={
                d.id: Decision(
                    d.id, d.name.zh, d.name.en or d.name.zh, d.basis, d.fault, d.published
                )
                for d in a.decisions
            },
            unknown_decision_rule=a.unknown_decision_rule,
        )
    return BuildResult(Workflows(complaint_policy, accountability_policy))


def _finding_note(rulebook: Any) -> FindingNote | None:
    """The ``finding_note`` hook: who held the case, for the findings the ``accountability:``
    section names as triggers; ``None`` when the rulebook declares no such section."""
    workflows: Workflows | None = rulebook.part("workflows")
    policy = workflows.accountability if workflows is not None else None
    if policy is None:
        return None
    calendar = rulebook.calendar
    zone = ZoneInfo(rulebook.timezone)
    triggers = policy.triggers

    def note(finding: Any, clock: Any, state: Mapping[str, Any]) -> Mapping[str, Any] | None:
        deadline = triggers.get(finding.rule)
        if deadline is None:
            return None
        return holder(
            deadline=deadline,
            clock=clock,
            state=state,
            calendar=calendar,
            zone=zone,
            rule=policy.id,
            basis=policy.basis,
        )

    return note


def _track_findings(rulebook: Any) -> TrackFindings | None:
    """The ``track_findings`` hook: the workflows' findings of a case's state as of a moment
    (:func:`~fyrules.workflows.findings.case_findings`); ``None`` when the rulebook declares
    neither section."""
    workflows: Workflows | None = rulebook.part("workflows")
    if workflows is None:
        return None

    def findings(state: Mapping[str, Any], as_of: dt.datetime) -> list[Finding]:
        if not state.get("tracks"):
            return []
        return case_findings(rulebook, workflows, state, as_of)

    return findings


SECTIONS = (
    Section("complaints", ComplaintsSpec, "投诉办理", "complaint handling", many=False),
    Section("accountability", AccountabilitySpec, "问责", "accountability", many=False),
)

EXTENSION = Extension(
    name="workflows",
    sections=SECTIONS,
    build=_build,
    finding_note=_finding_note,
    track_findings=_track_findings,
)
