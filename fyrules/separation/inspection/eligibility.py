"""Who may inspect which case (抽查人员的资格与回避).

A person may inspect a case when they hold the inspection role (``inspection.role``) for a
scope that covers the case's item on the day of the draw (``INSPECTION-NOT-IN-SCOPE``
otherwise), and :func:`fyrules.separation.history.conflicts` finds no error-level conflict
for them at the ``inspect`` stage on that day: the rulebook's history constraints (whoever
handled the case never inspects it; the licensing department does not inspect its own items)
and its declared recusals. Warnings do not exclude anyone.

Every exclusion is a value with a rule id, a reason in Chinese and English and its basis, so
an infeasible draw can say why each inspector was left out. This module is the one place the
draw asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from ..history import conflicts, history_policy
from ..scopes import Scope
from .extension import InspectionPolicy

SCOPE_RULE = "INSPECTION-NOT-IN-SCOPE"
STAGE = "inspect"


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
        self._history = history_policy(rulebook)
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
        self._by_item: dict[str, tuple[str, ...]] = {}

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

    def conflicts(
        self, person: str, case: CaseFacts, mapping: Mapping[str, Any] | None = None
    ) -> list[Exclusion]:
        """The error-level conflicts (回避) of ``person`` inspecting ``case`` on the draw's day,
        from :func:`fyrules.separation.history.conflicts` (``mapping``: ``case.as_case()``,
        when the caller already has it)."""
        found = conflicts(
            self._history,
            person,
            mapping if mapping is not None else case.as_case(),
            stage=STAGE,
            on=self.on,
        )
        return [
            Exclusion(person, case.case, c.rule, c.reason_zh, c.reason_en, c.basis)
            for c in found
            if c.severity == "error"
        ]

    def eligible(self, case: CaseFacts) -> list[str]:
        """The inspectors who may inspect ``case``, in id order (the scope part is computed
        once per item)."""
        base = self._by_item.get(case.item)
        if base is None:
            base = self._by_item[case.item] = tuple(
                p for p in self.inspectors if self._covers(p, case.item)
            )
        mapping = case.as_case()
        return [p for p in base if not self.conflicts(p, case, mapping)]

    def _covers(self, person: str, item: str) -> bool:
        target = Scope.of_item(item)
        return any(self._directory.contains(s, target) for s in self._scopes.get(person, ()))
