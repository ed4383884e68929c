"""Who may inspect which case (抽查人员的资格与回避).

A person may inspect a case when they hold the inspection role (``inspection.role``) for a
scope that covers the case's item on the day of the draw, and nothing makes them recuse
themselves:

- whoever acted on the case (accepted, reviewed, approved … it) never inspects it;
- the licensing department does not inspect its own items (its staff do not inspect cases of
  the department they belong to).

Every exclusion is a value with a rule id, a reason in Chinese and English and its basis, so
an infeasible draw can say why each inspector was left out. This module is the one place that
decides eligibility for the draw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .inspection_extension import InspectionPolicy
from .scopes import Scope

SCOPE_RULE = "INSPECTION-NOT-IN-SCOPE"
ACTED_RULE = "INSPECTION-RECUSAL-ACTED"
OWN_DEPARTMENT_RULE = "INSPECTION-RECUSAL-OWN-DEPARTMENT"


@attrs.frozen(slots=True)
class CaseFacts:
    """What the draw knows of a closed case: from the monitor's case summary."""

    case: str
    item: str
    department: str | None  # the licensing department (the item's, else the case's own)
    closed_at: str
    closed_by: str | None
    # who acted at each kind of event, as the case state keeps it
    by_stage: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, eq=False)
    last_at: str | None = None  # the case's last event, so later events can follow it

    @property
    def actors(self) -> frozenset[str]:
        """Everyone who acted on the case, inspections aside."""
        return frozenset(a for k, names in self.by_stage.items() if k != "inspect" for a in names)

    @classmethod
    def from_summary(cls, summary: Mapping[str, Any], catalog: Any = None) -> CaseFacts:
        """From a case summary (``store.closed_cases()``) or an open case's state."""
        state = summary.get("state", summary)
        item = str(summary.get("item"))
        known = catalog.items.get(item) if catalog is not None else None
        department = known.department if known is not None else summary.get("dept")
        by_stage = {kind: tuple(names) for kind, names in (state.get("actors") or {}).items()}
        return cls(
            case=str(summary.get("case")),
            item=item,
            department=department,
            closed_at=str(summary.get("closed_at")),
            closed_by=summary.get("closed_by"),
            by_stage=by_stage,
            last_at=state.get("last_at"),
        )

    def as_case(self) -> dict[str, Any]:
        """The case as a mapping: ``case``, ``item``, ``dept``, ``actors`` ({stage: [ids]})."""
        return {
            "case": self.case,
            "item": self.item,
            "dept": self.department,
            "actors": {k: list(v) for k, v in self.by_stage.items()},
        }


@attrs.frozen(slots=True)
class Exclusion:
    """Why ``person`` may not inspect ``case``."""

    person: str
    case: str
    rule: str
    reason_zh: str
    reason_en: str
    basis: str

    def to_dict(self) -> dict[str, str]:
        return attrs.asdict(self)


class Eligibility:
    """The inspectors of a rulebook on one day, and who of them may inspect a case."""

    def __init__(self, rulebook: Any, policy: InspectionPolicy, on: dt.date):
        separation = rulebook.part("separation")
        self.policy = policy
        self.on = on
        self._directory = separation.policy.directory
        self._department = {pid: spec.department for pid, spec in separation.persons.items()}
        scopes: dict[str, list[Scope]] = {}
        for a in separation.assignments:
            if a.role != policy.role:
                continue
            if (a.valid_from is None or a.valid_from <= on) and (
                a.valid_to is None or on <= a.valid_to
            ):
                scopes.setdefault(a.person, []).append(a.scope)
        self._scopes = scopes
        self.inspectors: tuple[str, ...] = tuple(sorted(scopes))
        self._own_rule, self._own_basis = _own_department_rule(separation, policy)
        self._by_item: dict[tuple[str, str | None], tuple[str, ...]] = {}

    def exclusions(self, person: str, case: CaseFacts) -> list[Exclusion]:
        """Every reason ``person`` may not inspect ``case`` (empty: eligible)."""
        out = []
        if not self._covers(person, case.item):
            out.append(
                Exclusion(
                    person,
                    case.case,
                    SCOPE_RULE,
                    f"{person} 的抽查任职范围不含事项 {case.item}",
                    f"{person} holds no {self.policy.role} role for a scope covering item "
                    f"{case.item}",
                    self.policy.basis,
                )
            )
        out.extend(self.conflicts(person, case))
        return out

    def conflicts(self, person: str, case: CaseFacts) -> list[Exclusion]:
        """The recusals (回避) of ``person`` for ``case``: acted on it, or its own department's."""
        out = []
        if person in case.actors:
            out.append(
                Exclusion(
                    person,
                    case.case,
                    ACTED_RULE,
                    f"{person} 经办过案件 {case.case}，不得抽查",
                    f"{person} acted on case {case.case} and may not inspect it",
                    self.policy.basis,
                )
            )
        own = self._department.get(person)
        if own is not None and own == case.department:
            out.append(
                Exclusion(
                    person,
                    case.case,
                    self._own_rule,
                    f"{person} 属于许可部门 {own}，不得抽查本部门实施的事项 {case.item}",
                    f"{person} belongs to {own}, the licensing department of item {case.item}, "
                    "and may not inspect its cases",
                    self._own_basis,
                )
            )
        return out

    def eligible(self, case: CaseFacts) -> list[str]:
        """The inspectors who may inspect ``case``, in id order (fast: the scope and department
        part is computed once per item)."""
        key = (case.item, case.department)
        base = self._by_item.get(key)
        if base is None:
            own_ok = [
                p
                for p in self.inspectors
                if self._covers(p, case.item)
                and not (
                    self._department.get(p) is not None
                    and self._department.get(p) == case.department
                )
            ]
            base = self._by_item[key] = tuple(own_ok)
        actors = case.actors
        if not actors or actors.isdisjoint(base):
            return list(base)
        return [p for p in base if p not in actors]

    def _covers(self, person: str, item: str) -> bool:
        target = Scope.of_item(item)
        return any(self._directory.contains(s, target) for s in self._scopes.get(person, ()))


def _own_department_rule(separation: Any, policy: InspectionPolicy) -> tuple[str, str]:
    """The static constraint that keeps a licensing department from supervising its own items
    (``same: department`` over the inspection role), when the rulebook has one."""
    constraints: Iterable[Any] = separation.policy.constraints
    for c in constraints:
        if c.same == "department" and policy.role in c.roles:
            return c.id, c.basis
    return OWN_DEPARTMENT_RULE, policy.basis
