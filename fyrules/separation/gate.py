"""The gate the monitor asks before it accepts an event: history constraints, recusals and the
rules of the ``event`` scope (事件关口).

:class:`EventGate` is built once per monitor. For each event it answers either a
:class:`~fyrules.cases.state.Rejected` (an ``error`` conflict or rule: ``SOD-HISTORY``,
``SOD-RECUSAL``, ``EVENT-RULE``) or the findings to record with the accepted event (warnings;
usually none). The common answer costs a few dictionary lookups: constraints are indexed by
stage, recusals by person, and ``event`` rules by the event kinds their condition names
(``event.kind == "extend" and …`` runs on ``extend`` events only).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any, TypeGuard
from zoneinfo import ZoneInfo

from ..cases.state import Rejected
from ..engine.expr import EvaluationError, ir
from ..engine.rules import Rule
from .acting import ActingCheck
from .history import Conflict, HistoryPolicy
from .policy import Assignment
from .scopes import Scope, periods_overlap

_NOTHING: tuple[dict[str, Any], ...] = ()


class _Actors(dict):
    """A case's actors by stage; a stage nobody acted at reads as empty."""

    def __missing__(self, key: str) -> tuple[str, ...]:
        return ()


class _Actor(dict):
    """The person acting; ``roles`` is looked up only when a rule reads it."""

    def __init__(self, gate: EventGate, person: str | None, item: str, on: dt.date):
        super().__init__(
            id=person,
            department=gate.history.person_department.get(person or ""),
            known=person in gate.history.person_department,
        )
        self._gate, self._item, self._on = gate, item, on

    def __missing__(self, key: str) -> Any:
        if key != "roles":
            raise KeyError(key)
        roles = self["roles"] = self._gate.roles_for(self["id"], self._item, self._on)
        return roles


class EventGate:
    """What separation of duties says about one arriving event (see the module's doc)."""

    def __init__(self, rulebook: Any):
        separation = rulebook.part("separation")
        self.history: HistoryPolicy = (
            separation.history if separation is not None else HistoryPolicy()
        )
        self._zone = ZoneInfo(rulebook.timezone)
        assignments = separation.assignments if separation is not None else ()
        self._directory = separation.policy.directory if separation is not None else None
        by_person: dict[str, list[Assignment]] = defaultdict(list)
        for a in assignments:
            by_person[a.person].append(a)
        self._assignments = dict(by_person)
        rules = [r for r in rulebook.rules if r.scope == "event"]
        any_kind = tuple(r for r in rules if event_kinds(r) is None)
        by_kind: dict[str, list[Rule]] = defaultdict(list)
        for r in rules:
            for kind in sorted(event_kinds(r) or ()):
                by_kind[kind].append(r)
        self._any_kind = any_kind
        self._by_kind = {k: (*v, *any_kind) for k, v in by_kind.items()}
        self.acting = ActingCheck(rulebook)
        self.idle = self.history.empty and not rules and self.acting.idle

    # --- the per-event check --------------------------------------------------------------

    def __call__(
        self, event: Any, state: Mapping[str, Any] | None
    ) -> Rejected | tuple[dict[str, Any], ...]:
        """A rejection, or the findings to record if the event is accepted (before
        ``state``, the case's state, ``None`` for a new case, changes)."""
        kind, actor = event.event, event.actor
        day = None  # the event's local day, computed once, when something reads it
        if not self.acting.idle:  # who acts, before what they may do on this case
            day = event.at.astimezone(self._zone).date()
            refused = self.acting(event, state, day)
            if refused is not None:
                return refused
        rules = self._by_kind.get(kind, self._any_kind)
        history = self.history
        concerns = history.concerns(kind, actor)
        if not concerns and not rules:
            return _NOTHING
        # the day only when a validity or an event rule will read it
        on = None
        if rules or history.needs_day(actor):
            on = day if day is not None else event.at.astimezone(self._zone).date()
        findings: list[dict[str, Any]] = []
        if concerns:
            case = state if state is not None else _new_case(event)
            found = history.check(kind, actor, case, on)
            if found:
                errors = [c for c in found if c.severity == "error"]
                if errors:
                    return _rejection(errors)
                findings = [c.to_finding(event.case, event.at) for c in found]
            elif not rules:
                return _NOTHING
        if rules:
            context = self.context(event, state, on)
            for rule in rules:
                if not rule.in_force(on):
                    continue
                try:
                    finding = rule.check(
                        context, subject=event.case, subject_kind="case", at=event.at
                    )
                except EvaluationError:
                    continue  # a rule that cannot read this event says nothing about it
                if finding is None:
                    continue
                if finding.severity == "error":
                    return Rejected(
                        "EVENT-RULE",
                        f"{rule.id}：{finding.message_zh}。依据：{rule.basis}",
                        f"{rule.id}: {finding.message_en}. Basis: {rule.basis}",
                    )
                findings.append(finding.to_dict())
        return tuple(findings) if findings else _NOTHING

    # --- contexts --------------------------------------------------------------------------

    def context(
        self, event: Any, state: Mapping[str, Any] | None, on: dt.date | None = None
    ) -> dict[str, Any]:
        """The ``event`` scope's context of ``event`` arriving at a case in ``state``."""
        on = on or event.at.astimezone(self._zone).date()
        case = state if state is not None else _new_case(event)
        actors = _Actors(case.get("actors") or {})
        item = case.get("item") or event.item
        accepted = case.get("accepted_at")
        submitted = actors.get("submit") or ()
        return {
            "event": {
                "id": event.id,
                "kind": event.event,
                "actor": event.actor,
                "at": event.at,
                "dept": event.dept,
                "window": event.window,
                "data": dict(event.data),
            },
            "case": {
                "case": case.get("case") or event.case,
                "item": item,
                "dept": case.get("dept"),
                "department": self.history.item_department.get(item),
                "stage": case.get("stage") if state is not None else None,
                "closed": bool(case.get("closed")),
                "events": case.get("events", 0) if state is not None else 0,
                "accepted_at": dt.datetime.fromisoformat(accepted) if accepted else None,
                "applicant": case.get("applicant") or (submitted[0] if submitted else None),
                "actors": actors,
            },
            "actor": _Actor(self, event.actor, item, on),
        }

    def roles_for(self, person: str | None, item: str, on: dt.date) -> list[str]:
        """The roles ``person`` holds for ``item`` on ``on``."""
        held = self._assignments.get(person or "", ())
        if not held or self._directory is None:
            return []
        target = Scope.of_item(item)
        return sorted(
            {
                a.role
                for a in held
                if self._directory.contains(a.scope, target)
                and periods_overlap(a.valid_from, a.valid_to, on, on)
            }
        )


def _new_case(event: Any) -> dict[str, Any]:
    return {"case": event.case, "item": event.item, "dept": event.dept, "actors": {}}


def _rejection(errors: list[Conflict]) -> Rejected:
    first = errors[0]
    code = "SOD-RECUSAL" if first.kind == "recusal" else "SOD-HISTORY"
    zh = "；".join(f"{c.rule}：{c.reason_zh}。依据：{c.basis}" for c in errors)
    en = "; ".join(f"{c.rule}: {c.reason_en}. Basis: {c.basis}" for c in errors)
    return Rejected(code, zh, en)


def event_kinds(rule: Rule) -> frozenset[str] | None:
    """The event kinds on which ``rule``'s condition can be true, read from its text
    (``event.kind == "x"``, ``event.kind in ["x", "y"]``, joined by ``and``/``or``), or
    ``None`` when it may be true on any kind."""
    tree = getattr(rule.condition, "_tree", None)
    return _kinds(tree) if tree is not None else None


def _kinds(node: Any) -> frozenset[str] | None:
    if isinstance(node, ir.Logic):
        parts = [_kinds(o) for o in node.operands]
        if node.op == "and":
            known = [p for p in parts if p is not None]
            return frozenset.intersection(*known) if known else None
        if any(p is None for p in parts):
            return None
        return frozenset().union(*parts)  # type: ignore[arg-type]
    if isinstance(node, ir.Compare) and len(node.ops) == 1:
        left, right = node.operands
        op = node.ops[0]
        if op == "==":
            if _is_kind(left) and _is_text(right):
                return frozenset({right.value})
            if _is_kind(right) and _is_text(left):
                return frozenset({left.value})
        if op == "in" and _is_kind(left) and isinstance(right, ir.ListLit):
            texts = [i for i in right.items if _is_text(i)]
            if len(texts) == len(right.items):
                return frozenset(i.value for i in texts)
    return None


def _is_kind(node: Any) -> bool:
    return isinstance(node, ir.Member) and node.path == "event.kind"


def _is_text(node: Any) -> TypeGuard[ir.Const]:
    return isinstance(node, ir.Const) and isinstance(node.value, str)
