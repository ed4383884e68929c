"""Compiling the ``history_constraints:`` and ``recusals:`` sections into a
:class:`~fyrules.separation.history.HistoryPolicy`, naming every bad reference at its line."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ...cases.events import EVENT_KINDS
from ...engine.load.loader import Sources
from ...engine.load.sections import Entry, empty_validity, loosened
from ...engine.problems import Problem
from . import HistoryConstraint, HistoryPolicy, Recusal
from .model import HANDLING, HANDLING_STAGES, HistoryConstraintSpec, RecusalSpec

Unknown = Callable[..., Problem]
_STAGE_WORDS = (*EVENT_KINDS, HANDLING)


def build_history(
    sources: Sources,
    *,
    persons: Mapping[str, Any],
    departments: Mapping[str, Any],
    items: Mapping[str, Any],
    unknown: Unknown,
) -> tuple[HistoryPolicy, list[Problem]]:
    """The history policy of the rule files, and the problems of the entries left out."""
    problems: list[Problem] = []
    constraints = []
    for entry in sources.section("history_constraints"):
        built = _constraint(entry, unknown, problems)
        if built is not None:
            constraints.append(built)
    recusals = []
    for entry in sources.section("recusals"):
        spec: RecusalSpec = entry.spec
        found = []
        if spec.person not in persons:
            found.append(unknown("人员", "person", spec.person, persons, entry, "person"))
        kind, target = spec.target
        known = {"department": departments, "item": items}.get(kind)
        if known is not None and target not in known:
            what = ("部门", "department") if kind == "department" else ("事项", "item")
            found.append(unknown(*what, target, known, entry, kind))
        if (empty := empty_validity(entry, spec.valid_from, spec.valid_to)) is not None:
            found.append(empty)
        problems.extend(found)
        if not found:
            recusals.append(
                Recusal(
                    id=spec.id,
                    person=spec.person,
                    target_kind=kind,
                    target=target,
                    reason_zh=spec.reason.zh,
                    reason_en=spec.reason.en or spec.reason.zh,
                    basis=spec.basis,
                    severity=spec.severity,
                    valid_from=spec.valid_from,
                    valid_to=spec.valid_to,
                    location=entry.location,
                )
            )
    policy = HistoryPolicy(
        tuple(constraints),
        tuple(recusals),
        person_department={pid: p.department for pid, p in persons.items()},
        item_department={code: item.department for code, item in items.items()},
    )
    return policy, problems


def _constraint(
    entry: Entry, unknown: Unknown, problems: list[Problem]
) -> HistoryConstraint | None:
    spec: HistoryConstraintSpec = entry.spec
    found = []
    groups = []
    for i, group in enumerate(spec.stages):
        names = [group] if isinstance(group, str) else group
        stages: set[str] = set()
        for j, name in enumerate(names):
            at = ("stages", i) if isinstance(group, str) else ("stages", i, j)
            if name == HANDLING:
                stages |= HANDLING_STAGES
            elif name in EVENT_KINDS:
                stages.add(name)
            else:
                found.append(unknown("环节", "stage", name, _STAGE_WORDS, entry, *at))
        groups.append(frozenset(stages))
    if (empty := empty_validity(entry, spec.valid_from, spec.valid_to)) is not None:
        found.append(empty)
    problems.extend(found)
    if found:
        return None
    return HistoryConstraint(
        id=spec.id,
        title_zh=spec.title.zh,
        title_en=spec.title.en or spec.title.zh,
        groups=tuple(groups),
        basis=spec.basis,
        same=spec.same,
        severity=spec.severity,
        message_zh=spec.message.zh if spec.message else None,
        message_en=(spec.message.en or spec.message.zh) if spec.message else None,
        valid_from=spec.valid_from,
        valid_to=spec.valid_to,
        location=entry.location,
    )


_RANK = {"info": 0, "warning": 1, "error": 2}


def _pairs(spec: HistoryConstraintSpec) -> set[tuple[str, str]]:
    """The (stage, stage) pairs a constraint keeps apart (one group: the stages themselves)."""
    groups = []
    for group in spec.stages:
        names = [group] if isinstance(group, str) else group
        stages: set[str] = set()
        for name in names:
            stages |= HANDLING_STAGES if name == HANDLING else {name}
        groups.append(stages)
    if len(groups) == 1:
        return {(s, s) for s in groups[0]}
    return {(a, b) for g in groups for h in groups if g is not h for a in g for b in h}


_SAME_REACH = {"person": {"person"}, "department": {"person", "department"}}


def tighten_history(parent: Entry, child: Entry) -> list[Problem]:
    """A local version of a higher history constraint may add stages or raise its severity,
    never drop a pair of stages it keeps apart, narrow ``same`` or lower its severity."""
    p: HistoryConstraintSpec = parent.spec
    c: HistoryConstraintSpec = child.spec
    problems = []
    if _RANK[c.severity] < _RANK[p.severity]:
        problems.append(
            loosened(
                parent,
                child,
                "severity",
                f"约束 {c.id} 的级别从 {p.severity} 降为 {c.severity}",
                f"constraint {c.id} lowers its severity from {p.severity} to {c.severity}",
            )
        )
    narrower = p.same != c.same and p.same not in _SAME_REACH.get(c.same, {c.same})
    if narrower or not _pairs(p) <= _pairs(c):
        problems.append(
            loosened(
                parent,
                child,
                "stages",
                f"约束 {c.id} 不再分离上级约束分离的全部环节（或改变了 same）",
                f"constraint {c.id} no longer keeps apart every stage the higher one does "
                "(or changes same)",
            )
        )
    return problems


def tighten_recusal(parent: Entry, child: Entry) -> list[Problem]:
    """A local version of a higher recusal may not lower its severity."""
    p: RecusalSpec = parent.spec
    c: RecusalSpec = child.spec
    if _RANK[c.severity] < _RANK[p.severity]:
        return [
            loosened(
                parent,
                child,
                "severity",
                f"回避 {c.id} 的级别从 {p.severity} 降为 {c.severity}",
                f"recusal {c.id} lowers its severity from {p.severity} to {c.severity}",
            )
        ]
    return []
