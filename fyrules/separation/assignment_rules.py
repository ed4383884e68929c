"""Rules of the ``assignment`` scope, run on a person's assignment (任职规则).

A rule file may say, in the expression language, what an assignment must satisfy beyond the
(role set, n) constraints: ``role == "approver" and scope.department is not None and
person.department != scope.department`` (an approver belongs to the item's department).
:func:`assignment_findings` evaluates them on one assignment; ``fyrules check`` runs them on
every declared assignment and reports ``ASSIGNMENT-RULE`` at the assignment's line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..engine.expr import EvaluationError
from ..engine.findings import Finding
from ..engine.problems import Problem
from .policy import Assignment


def assignment_context(
    rulebook: Any, assignment: Assignment, existing: Iterable[Assignment] = ()
) -> dict[str, Any]:
    """The ``assignment`` scope's context: the person, the role, the scope (with the
    department it lies in) and every role the person holds among ``existing`` and this one."""
    separation = rulebook.part("separation")
    persons = separation.persons if separation is not None else {}
    person = persons.get(assignment.person)
    scope = assignment.scope
    if scope.kind == "department":
        department = scope.id
    elif scope.kind == "item":
        department = (
            rulebook.items.items[scope.id].department if scope.id in rulebook.items.items else None
        )
    else:
        department = None
    roles = {a.role for a in existing if a.person == assignment.person} | {assignment.role}
    return {
        "person": {
            "id": assignment.person,
            "name": person.name if person is not None else None,
            "department": person.department if person is not None else None,
        },
        "role": assignment.role,
        "scope": {"kind": scope.kind, "id": scope.id, "department": department},
        "valid_from": assignment.valid_from,
        "valid_to": assignment.valid_to,
        "roles": sorted(roles),
    }


def assignment_findings(
    rulebook: Any,
    assignment: Assignment,
    existing: Iterable[Assignment] = (),
    *,
    on: dt.date | None = None,
) -> list[Finding]:
    """The findings of the ``assignment`` rules in force on ``on`` (default: the first day of
    the assignment, else every rule's latest version) for ``assignment`` among ``existing``."""
    context = assignment_context(rulebook, assignment, existing)
    day = on or assignment.valid_from
    out = []
    for rule in rulebook.rules.for_scope("assignment", day):
        try:
            finding = rule.check(context, subject=assignment.person, subject_kind="person")
        except EvaluationError:
            continue
        if finding is not None:
            out.append(finding)
    return out


def assignment_problems(rulebook: Any, *, today: dt.date) -> list[Problem]:
    """``ASSIGNMENT-RULE`` for every declared assignment an ``assignment`` rule reports, at
    the assignment's line (an ``error`` rule: an error; else a warning)."""
    separation = rulebook.part("separation")
    if separation is None or not rulebook.rules.for_scope("assignment", None):
        return []
    everyone = separation.assignments
    problems = []
    for a in everyone:
        for f in assignment_findings(rulebook, a, everyone, on=a.valid_from or today):
            problems.append(
                Problem(
                    "ASSIGNMENT-RULE",
                    f"{a.person} 任 {a.role}（{a.scope.describe()[0]}）：{f.message_zh}。依据：{f.basis}",
                    f"{a.person} as {a.role} ({a.scope.describe()[1]}): {f.message_en}. "
                    f"Basis: {f.basis}",
                    a.location,
                    f.rule,
                    "error" if f.severity == "error" else "warning",
                )
            )
    return problems
