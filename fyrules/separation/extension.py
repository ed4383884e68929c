"""The ``separation`` extension: the ``persons:``, ``roles:``, ``assignments:`` and
``sod_constraints:`` sections, compiled into a :class:`Separation`, and the check that the
rule files' own assignments break no constraint.

``rulebook.part("separation")`` is the :class:`Separation`: its ``policy`` checks new
assignments, its ``roster`` holds the assignments the rule files declare.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from ..engine.extension import BuildContext, BuildResult, Extension
from ..engine.load.sections import Entry, Section, empty_validity
from ..engine.problems import Location, Problem
from ..engine.suggest import hint
from .acting import actor_role_problems
from .assignment_rules import assignment_problems
from .gate import EventGate
from .history import HistoryPolicy
from .history.build import build_history, tighten_history, tighten_recusal
from .history.model import HistoryConstraintSpec, RecusalSpec
from .model import AssignmentSpec, ConstraintSpec, PersonSpec, RoleSpec, ScopeSpec
from .policy import Assignment, Constraint, Roster, SeparationPolicy
from .scopes import Directory, Scope
from .scopes_rules import ASSIGNMENT_SCOPE, EVENT_SCOPE


@attrs.frozen(slots=True)
class Separation:
    """What a rulebook says about separation of duties, compiled."""

    persons: Mapping[str, PersonSpec]
    roles: Mapping[str, RoleSpec]
    roster: Roster
    # history-based constraints and recusals (history_constraints:, recusals:)
    history: HistoryPolicy = attrs.field(factory=HistoryPolicy)

    @property
    def policy(self) -> SeparationPolicy:
        return self.roster.policy

    @property
    def assignments(self) -> tuple[Assignment, ...]:
        return self.roster.assignments


def _unknown(what_zh: str, what_en: str, value: str, known: Any, entry: Entry, *at: str | int):
    zh_hint, en_hint = hint(value, known)
    return Problem(
        "UNKNOWN-REFERENCE",
        f"{what_zh} “{value}” 不存在{zh_hint}",
        f"{what_en} '{value}' does not exist{en_hint}",
        entry.locate(*at),
        entry.id or getattr(entry.spec, "id", None),
    )


def _scope(spec: ScopeSpec) -> Scope:
    if spec.center:
        return Scope.whole_center()
    if spec.department is not None:
        return Scope.of_department(spec.department)
    return Scope.of_item(spec.item or "")


def _build(ctx: BuildContext) -> BuildResult:
    sources = ctx.sources
    catalog = ctx.built.get("items")
    departments = dict(catalog.departments) if catalog is not None else {}
    items = dict(catalog.items) if catalog is not None else {}
    persons = {e.id: e.spec for e in sources.section("persons") if e.id}
    roles = {e.id: e.spec for e in sources.section("roles") if e.id}
    problems: list[Problem] = []

    for entry in sources.section("persons"):
        dept = entry.spec.department
        if dept is not None and dept not in departments:
            problems.append(_unknown("部门", "department", dept, departments, entry, "department"))

    assignments: list[Assignment] = []
    for entry in sources.section("assignments"):
        spec: AssignmentSpec = entry.spec
        found = []
        if spec.person not in persons:
            found.append(_unknown("人员", "person", spec.person, persons, entry, "person"))
        if spec.role not in roles:
            found.append(_unknown("角色", "role", spec.role, roles, entry, "role"))
        if spec.scope.department is not None and spec.scope.department not in departments:
            found.append(
                _unknown(
                    "部门",
                    "department",
                    spec.scope.department,
                    departments,
                    entry,
                    "scope",
                    "department",
                )
            )
        if spec.scope.item is not None and spec.scope.item not in items:
            found.append(_unknown("事项", "item", spec.scope.item, items, entry, "scope", "item"))
        empty = empty_validity(entry, spec.valid_from, spec.valid_to)
        if empty is not None:
            found.append(empty)
        problems.extend(found)
        if not found:
            assignments.append(
                Assignment(
                    person=spec.person,
                    role=spec.role,
                    scope=_scope(spec.scope),
                    valid_from=spec.valid_from,
                    valid_to=spec.valid_to,
                    id=spec.id,
                    basis=spec.basis,
                    location=entry.location,
                )
            )

    constraints: list[Constraint] = []
    for entry in sources.section("sod_constraints"):
        cspec: ConstraintSpec = entry.spec
        found = [
            _unknown("角色", "role", role, roles, entry, "roles", i)
            for i, role in enumerate(cspec.roles)
            if role not in roles
        ]
        problems.extend(found)
        if not found:
            constraints.append(
                Constraint(
                    id=cspec.id,
                    roles=frozenset(cspec.roles),
                    basis=cspec.basis,
                    n=cspec.n,
                    same=cspec.same,
                    message_zh=cspec.message.zh if cspec.message else None,
                    message_en=(cspec.message.en or cspec.message.zh) if cspec.message else None,
                    location=entry.location,
                )
            )

    directory = Directory(
        person_department={pid: p.department for pid, p in persons.items()},
        item_department={code: item.department for code, item in items.items()},
        role_names={rid: (r.name.zh, r.name.en or r.name.zh) for rid, r in roles.items()},
    )
    policy = SeparationPolicy(tuple(constraints), directory)
    history, history_problems = build_history(
        sources, persons=persons, departments=departments, items=items, unknown=_unknown
    )
    problems.extend(history_problems)
    separation = Separation(persons, roles, Roster(policy, tuple(assignments)), history)
    return BuildResult(separation, tuple(problems))


def _check(rulebook: Any, *, today: dt.date) -> list[Problem]:
    """SOD-VIOLATION for every set of declared assignments that breaks a constraint, at the
    line of the last of them, naming where the others are."""
    separation: Separation | None = rulebook.part("separation")
    if separation is None:
        return []
    problems = []
    for violation in separation.roster.audit():
        placed = sorted(violation.assignments, key=_reading_order)
        others = [str(a.location) for a in placed[:-1] if a.location is not None]
        see_zh = f"（另见 {'、'.join(others)}）" if others else ""
        see_en = f" (see also {', '.join(others)})" if others else ""
        problems.append(
            Problem(
                "SOD-VIOLATION",
                f"{violation.message_zh}{see_zh}。依据：{violation.basis}",
                f"{violation.message_en}{see_en}. Basis: {violation.basis}",
                placed[-1].location,
                violation.constraint,
            )
        )
    problems.extend(assignment_problems(rulebook, today=today))
    problems.extend(actor_role_problems(rulebook))
    return problems


def _reading_order(a: Assignment) -> tuple[str, int, int]:
    loc = a.location or Location("")
    return (loc.path, loc.line or 0, loc.column or 0)


SECTIONS = (
    Section("persons", PersonSpec, "人员", "persons"),
    Section("roles", RoleSpec, "角色", "roles"),
    Section("assignments", AssignmentSpec, "任职", "assignments"),
    Section("sod_constraints", ConstraintSpec, "职责分离约束", "separation-of-duties constraints"),
    Section(
        "history_constraints",
        HistoryConstraintSpec,
        "基于办件历史的职责分离约束",
        "history-based separation-of-duties constraints",
        tighten=tighten_history,
    ),
    Section("recusals", RecusalSpec, "回避", "recusals", tighten=tighten_recusal),
)


def _event_gate(rulebook: Any) -> EventGate | None:
    """The monitor's hook: the separation-of-duties gate, or ``None`` when it checks nothing."""
    gate = EventGate(rulebook)
    return None if gate.idle else gate


EXTENSION = Extension(
    name="separation",
    sections=SECTIONS,
    scopes=(EVENT_SCOPE, ASSIGNMENT_SCOPE),
    build=_build,
    check=_check,
    event_gate=_event_gate,
)
