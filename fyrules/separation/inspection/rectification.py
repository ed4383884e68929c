"""Inspection outcomes and rectification (评查结果、通报与整改反馈).

An ``inspect`` event records what an inspector found in a case file::

    {"case": "FY-202510-000123", "item": "FY-SC-001", "event": "inspect", "actor": "P-C-04",
     "at": "2025-11-05T10:00:00+08:00",
     "data": {"findings": [{"category": "legality", "severity": "error",
                            "description": "缺少现场核查记录"}]}}

``category`` is one of the rulebook's ``inspection.categories``; ``severity`` is ``error``,
``warning`` or ``info``; an empty list means nothing was found. An ``inspect`` event without
``data.findings`` is another kind of inspection (a discipline check during handling, which
the efficiency index reads through ``data.breach``) and is not a case-file inspection. Findings of the severities
``inspection.rectification.severities`` lists must be rectified within
``rectification.working_days`` working days after the inspection day (on the rulebook's
calendar): a ``rectify`` event of the case (``data.feedback``: the department's feedback;
``data.categories``: only those categories, default all) closes every outstanding one. A
rectification not done by the end of its due day is itself a finding
(``rectification.rule``), with the deadline's basis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal
from zoneinfo import ZoneInfo

import attrs

from ...engine.expr.tracer import TraceStep
from ...engine.findings import Finding
from ...engine.problems import FyrulesError, Problem
from .extension import InspectionPolicy

Status = Literal["none", "pending", "done", "late", "overdue"]
SEVERITIES = ("error", "warning", "info")


@attrs.frozen(slots=True)
class InspectionFinding:
    """One problem an inspection found, and its rectification as of some moment."""

    case: str
    item: str
    department: str | None
    inspector: str | None
    inspected_at: dt.datetime
    category: str
    severity: str
    description: str
    due: dt.date | None  # None: this severity needs no rectification
    rectified_at: dt.datetime | None = None
    feedback: str | None = None

    def status(self, zone: ZoneInfo) -> Status:
        """``none`` (needs none), ``done`` (in time), ``late`` (after its due day),
        ``overdue`` (not done, due day passed as of the report) or ``pending``."""
        if self.due is None:
            return "none"
        if self.rectified_at is not None:
            return "done" if self.rectified_at.astimezone(zone).date() <= self.due else "late"
        return "pending"

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "item": self.item,
            "department": self.department,
            "inspector": self.inspector,
            "inspected_at": self.inspected_at.isoformat(),
            "category": self.category,
            "severity": self.severity,
            "description": self.description,
            "due": self.due.isoformat() if self.due else None,
            "rectified_at": self.rectified_at.isoformat() if self.rectified_at else None,
            "feedback": self.feedback,
        }


@attrs.frozen(slots=True)
class Outcomes:
    """Every inspection and finding recorded up to ``as_of``, with rectifications applied."""

    as_of: dt.datetime
    inspections: tuple[tuple[str, str | None, str | None, dt.datetime, int], ...]
    # (case, department, inspector, at, findings) per inspect event
    findings: tuple[InspectionFinding, ...]
    problems: tuple[Problem, ...]
    zone: ZoneInfo

    def status(self, finding: InspectionFinding) -> Status:
        status = finding.status(self.zone)
        if (
            status == "pending"
            and finding.due is not None
            and self.as_of.astimezone(self.zone).date() > finding.due
        ):
            return "overdue"
        return status


def collect(
    rulebook: Any, policy: InspectionPolicy, events: Iterable[Any], as_of: dt.datetime
) -> Outcomes:
    """Outcomes from accepted ``inspect`` and ``rectify`` events (in time order) up to
    ``as_of``. A malformed finding is an ``INSPECTION-FINDING-INVALID`` problem."""
    zone = ZoneInfo(rulebook.timezone)
    calendar = rulebook.calendar
    catalog = rulebook.items.items
    inspections = []
    findings: list[InspectionFinding] = []
    open_by_case: dict[str, list[int]] = {}
    problems: list[Problem] = []
    for event in events:
        if event.at > as_of:
            continue
        if event.event == "inspect":
            if "findings" not in event.data:
                continue  # another kind of inspection (a discipline check: data.breach)
            item = catalog.get(event.item)
            department = item.department if item is not None else event.dept
            raw = event.data["findings"]
            if not isinstance(raw, list):
                problems.append(
                    _invalid(event, None, "data.findings 须为列表", "data.findings must be a list")
                )
                raw = []
            try:
                due = calendar.add_working_days(
                    event.at.astimezone(zone).date(), policy.rectify_days
                )
            except FyrulesError as exc:  # the calendar's: a date outside its years
                problem = getattr(exc, "problem", None)
                problems.append(
                    problem
                    if isinstance(problem, Problem)
                    else _invalid(event, None, str(exc), str(exc))
                )
                continue
            count = 0
            for n, entry in enumerate(raw):
                why = _check_finding(entry, policy)
                if why is not None:
                    problems.append(_invalid(event, n, *why))
                    continue
                count += 1
                needs = entry["severity"] in policy.rectify_severities
                findings.append(
                    InspectionFinding(
                        case=event.case,
                        item=event.item,
                        department=department,
                        inspector=event.actor,
                        inspected_at=event.at,
                        category=entry["category"],
                        severity=entry["severity"],
                        description=entry["description"],
                        due=due if needs else None,
                    )
                )
                if needs:
                    open_by_case.setdefault(event.case, []).append(len(findings) - 1)
            inspections.append((event.case, department, event.actor, event.at, count))
        elif event.event == "rectify":
            only = event.data.get("categories")
            feedback = event.data.get("feedback")
            still = []
            for index in open_by_case.get(event.case, []):
                f = findings[index]
                if isinstance(only, list) and f.category not in only:
                    still.append(index)
                    continue
                findings[index] = attrs.evolve(
                    f,
                    rectified_at=event.at,
                    feedback=feedback if isinstance(feedback, str) else None,
                )
            open_by_case[event.case] = still
    return Outcomes(as_of, tuple(inspections), tuple(findings), tuple(problems), zone)


def overdue_findings(
    outcomes: Outcomes, policy: InspectionPolicy, since: dt.date | None = None
) -> list[Finding]:
    """A finding (docs/architecture.md's contract) for each rectification not done within its deadline:
    still open after its due day, or done late (late ones only if done on or after ``since``)."""
    out = []
    zone = outcomes.zone
    for f in outcomes.findings:
        status = outcomes.status(f)
        if status not in ("overdue", "late") or f.due is None:
            continue
        if (
            status == "late"
            and since is not None
            and f.rectified_at is not None
            and f.rectified_at.astimezone(zone).date() < since
        ):
            continue
        # a late finding is rectified: when it was; an overdue one: as of the outcomes
        rectified = f.rectified_at
        when = rectified if status == "late" and rectified is not None else outcomes.as_of
        inspected = f.inspected_at.astimezone(zone).date()
        category = policy.categories.get(f.category)
        cat_zh = category.name_zh if category else f.category
        cat_en = category.name_en.lower() if category else f.category
        if status == "late":
            zh = f"{cat_zh}问题（{inspected} 抽查）应于 {f.due} 前整改，{when.astimezone(zone).date()} 才整改"
            en = f"the {cat_en} problem found on {inspected} was due for rectification by {f.due} and was rectified only on {when.astimezone(zone).date()}"
        else:
            zh = f"{cat_zh}问题（{inspected} 抽查）应于 {f.due} 前整改，截至 {when.astimezone(zone).date()} 仍未整改"
            en = f"the {cat_en} problem found on {inspected} was due for rectification by {f.due} and is still open as of {when.astimezone(zone).date()}"
        out.append(
            Finding(
                rule=policy.rectify_rule,
                severity=policy.rectify_severity,  # type: ignore[arg-type]
                message_zh=f"{zh}：{f.description}",
                message_en=f"{en}: {f.description}",
                basis=policy.rectify_basis,
                subject=f.case,
                subject_kind="case",
                at=when,
                trace=(
                    TraceStep("inspected_on", inspected),
                    TraceStep("working_days", policy.rectify_days),
                    TraceStep("due", f.due),
                    TraceStep("rectified_at", f.rectified_at),
                ),
            )
        )
    return out


def _check_finding(entry: Any, policy: InspectionPolicy) -> tuple[str, str] | None:
    if not isinstance(entry, Mapping):
        return "每条问题须为对象", "each finding must be an object"
    category = entry.get("category")
    if category not in policy.categories:
        known = ", ".join(policy.categories)
        return (
            f"未知的评查类别 {category!r}（可用：{known}）",
            f"unknown category {category!r} (known: {known})",
        )
    if entry.get("severity") not in SEVERITIES:
        return (
            f"severity 须为 {'、'.join(SEVERITIES)}",
            f"severity must be one of {', '.join(SEVERITIES)}",
        )
    description = entry.get("description")
    if not isinstance(description, str) or not description.strip():
        return "须有 description（问题说明）", "a finding needs a description"
    return None


def _invalid(event: Any, index: int | None, zh: str, en: str) -> Problem:
    where = f"data.findings[{index}]" if index is not None else "data.findings"
    tag = f"{event.case} {event.event} {event.at.isoformat()}" + (
        f" ({event.id})" if event.id else ""
    )
    return Problem(
        "INSPECTION-FINDING-INVALID",
        f"{tag} 的 {where}：{zh}",
        f"{where} of {tag}: {en}",
    )
