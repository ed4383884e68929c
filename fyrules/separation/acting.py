"""Who may act (谁可以办理): every staff event checked against the roster, for its item and day.

A process declares, in ``actors:`` (:class:`~fyrules.cases.process.ActorsSpec`), which events
the applicant makes and which roles the person acting at each other event must hold for the
case's item; a decision's roles may depend on the item's ``authorization`` level. The roster
is the rulebook's ``persons:`` (with the days they join and leave) and ``assignments:`` (roles
for scopes, with their own dates). An event is refused when its actor

- is not on the roster that day (``ROSTER-NOT-LISTED``),
- holds none of the roles the event needs for the item that day (``ROSTER-NO-ROLE``), or
  none of those the item's authorization level allows for a decision (``ROSTER-AUTHORIZATION``);

and an event whose ``data.approved_by`` must hold a role (an extension approved by the head of
the organ) is refused when that person does not (``ROSTER-APPROVER``). Each refusal names the
process, the rule and its basis. A rulebook that declares no roster checks nothing here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from ..cases.state import Rejected
from ..engine.problems import Problem
from ..engine.suggest import hint
from .policy import Assignment
from .scopes import Scope, periods_overlap

# Every reason an event can be refused for here (documented in docs/error-codes.md).
ROSTER_CODES: tuple[str, ...] = (
    "ROSTER-NOT-LISTED",
    "ROSTER-NO-ROLE",
    "ROSTER-AUTHORIZATION",
    "ROSTER-APPROVER",
)


_REMEMBERED = 100_000  # (person, item) pairs remembered at most (then forgotten at once)


class ActingCheck:
    """Checks who acts at an event against a rulebook's roster (see the module's doc)."""

    def __init__(self, rulebook: Any):
        separation = rulebook.part("separation")
        self._persons: Mapping[str, Any] = separation.persons if separation is not None else {}
        self._directory = separation.policy.directory if separation is not None else None
        held: dict[str, list[Assignment]] = defaultdict(list)
        for a in separation.assignments if separation is not None else ():
            held[a.person].append(a)
        self._held = dict(held)
        self._processes = rulebook.part("cases")
        self._items = rulebook.items.items if rulebook.part("items") is not None else {}
        self._role_names = self._directory.role_names if self._directory is not None else {}
        declared = self._processes is not None and any(
            p.actors is not None for p in self._processes.processes
        )
        # a rulebook without a roster does not track its staff: nothing to check against
        self.idle = not self._persons or not declared
        # each person's assignments whose scope holds an item: the roster does not change
        # under a monitor, and a month of events asks about the same people and items again
        # and again (the scope test is the costly part; the dates are checked on each call)
        self._scoped: dict[tuple[str, str], tuple[Assignment, ...] | frozenset[str]] = {}

    # --- the roster -----------------------------------------------------------------------

    def on_roster(self, person: str | None, on: dt.date) -> bool:
        """Whether ``person`` is on the roster on ``on`` (listed, and joined and not left)."""
        spec = self._persons.get(person or "")
        if spec is None:
            return False
        return periods_overlap(spec.valid_from, spec.valid_to, on, on)

    def roles_for(self, person: str | None, item: str, on: dt.date) -> frozenset[str]:
        """The roles ``person`` holds for ``item`` on ``on`` (none off the roster)."""
        if not self.on_roster(person, on):
            return frozenset()
        return self._listed_roles(person or "", item, on)

    def _listed_roles(self, person: str, item: str, on: dt.date) -> frozenset[str]:
        """:meth:`roles_for` a person already found on the roster on ``on``."""
        directory = self._directory
        if directory is None:
            return frozenset()
        key = (person, item)
        scoped = self._scoped.get(key)
        if scoped is None:
            if len(self._scoped) >= _REMEMBERED:
                self._scoped.clear()
            target = Scope.of_item(item)
            contains = directory.contains
            held = tuple(a for a in self._held.get(key[0], ()) if contains(a.scope, target))
            undated = all(a.valid_from is None and a.valid_to is None for a in held)
            # assignments without dates hold the same roles on every day: kept as the answer
            scoped = self._scoped[key] = frozenset(a.role for a in held) if undated else held
        if isinstance(scoped, frozenset):
            return scoped
        return frozenset(
            a.role for a in scoped if periods_overlap(a.valid_from, a.valid_to, on, on)
        )

    def needed(self, process: Any, kind: str, item: str) -> tuple[str, ...] | None:
        """The roles one of which the actor of a ``kind`` event of ``item`` must hold under
        ``process``; ``None`` when the event needs no role (or the process says nothing)."""
        actors = process.actors if process is not None else None
        if actors is None:
            return None
        need = actors.roles.get(kind)
        if isinstance(need, dict):
            spec = self._items.get(item)
            return need.get(spec.authorization if spec is not None else "window", ())
        return need

    def eligible(self, process: Any, kind: str, item: str, on: dt.date) -> tuple[str, ...]:
        """Every person who may act at a ``kind`` event of ``item`` on ``on``, sorted."""
        need = self.needed(process, kind, item)
        return tuple(
            sorted(
                p
                for p in self._persons
                if self.on_roster(p, on)
                and (need is None or self.roles_for(p, item, on) & set(need))
            )
        )

    def approvers(self, process: Any, kind: str, item: str, on: dt.date) -> tuple[str, ...]:
        """Every person who may approve a ``kind`` event of ``item`` (``data.approved_by``)."""
        actors = process.actors if process is not None else None
        need = set(actors.approved_by.get(kind, ())) if actors is not None else set()
        return tuple(sorted(p for p in self._persons if self.roles_for(p, item, on) & need))

    # --- the per-event check --------------------------------------------------------------

    def __call__(self, event: Any, state: Mapping[str, Any] | None, on: dt.date) -> Rejected | None:
        """The refusal of ``event`` (at a case in ``state``, on local day ``on``), or ``None``."""
        if self.idle or self._processes is None:
            return None
        process = self._processes.for_event(state, event)
        actors = process.actors if process is not None else None
        kind = event.event
        if actors is None or kind in actors.applicant:
            return None
        item = state.get("item", event.item) if state is not None else event.item
        actor = event.actor
        if not self.on_roster(actor, on):
            rule = f"{process.id} actors"
            return _refuse(
                "ROSTER-NOT-LISTED",
                f"{rule}：{actor!r} 在 {on} 不在人员名册上，不能办理 {kind}；请用名册上的人员编号，"
                "或先在 persons 中登记该人员",
                f"{rule}: {actor!r} is not on the roster on {on} and cannot act at {kind}; use "
                "the id of a person on the roster, or list the person in persons first",
                actors.basis,
            )
        need = self.needed(process, kind, item)
        if need is not None:
            # on the roster (just checked): only the roles are left to find
            held = self._listed_roles(actor or "", item, on)
            if held.isdisjoint(need):
                rule = f"{process.id} actors"
                return self._no_role(rule, actor or "", kind, item, on, need, held, actors)
        approved = actors.approved_by.get(kind)
        if approved:
            approver = event.data.get("approved_by")
            approver = approver if isinstance(approver, str) else None
            if self.roles_for(approver, item, on).isdisjoint(approved):
                rule = f"{process.id} actors"
                names = self._names(approved)
                return _refuse(
                    "ROSTER-APPROVER",
                    f"{rule}：{kind} 的批准人 {approver!r} 在 {on} 对事项 {item} 不担任"
                    f"{names[0]}之一，批准无效；请由有权批准的负责人批准",
                    f"{rule}: {approver!r}, who approved the {kind}, holds none of {names[1]} "
                    f"for item {item} on {on}; have it approved by a head with that power",
                    actors.basis,
                )
        return None

    def _no_role(
        self,
        rule: str,
        actor: str,
        kind: str,
        item: str,
        on: dt.date,
        need: tuple[str, ...],
        held: frozenset[str],
        actors: Any,
    ) -> Rejected:
        names = self._names(need)
        spec = self._items.get(item)
        level = spec.authorization if spec is not None else None
        by_level = isinstance(actors.roles.get(kind), dict)
        has_zh = "、".join(sorted(held)) if held else "无"
        has_en = ", ".join(sorted(held)) if held else "none"
        if by_level and held & _all_roles(actors.roles[kind]):
            return _refuse(
                "ROSTER-AUTHORIZATION",
                f"{rule}：事项 {item} 的审批权限为 {level}，{kind} 须由{names[0]}之一作出；"
                f"{actor} 在 {on} 担任的角色（{has_zh}）超出其授权；请由有权限的人员办理",
                f"{rule}: item {item} is decided at level {level}, so {kind} needs one of "
                f"{names[1]}; {actor}'s roles on {on} ({has_en}) are beyond their "
                "authorization; have it done by someone with that level",
                actors.basis,
            )
        return _refuse(
            "ROSTER-NO-ROLE",
            f"{rule}：{actor} 在 {on} 对事项 {item} 不担任{names[0]}之一（现任：{has_zh}），"
            f"不能办理 {kind}；请由担任该角色的人员办理，或先在 assignments 中任职",
            f"{rule}: {actor} holds none of {names[1]} for item {item} on {on} (holds: "
            f"{has_en}) and cannot act at {kind}; have it done by a holder of that role, or "
            "assign the role first",
            actors.basis,
        )

    def _names(self, roles: Any) -> tuple[str, str]:
        names = [self._role_names.get(r, (r, r)) for r in roles]
        zh = "、".join(f"{n[0]}（{r}）" for n, r in zip(names, roles, strict=True))
        return zh, ", ".join(roles)


def _all_roles(by_level: Mapping[str, tuple[str, ...]]) -> set[str]:
    return {r for roles in by_level.values() for r in roles}


def _refuse(code: str, zh: str, en: str, basis: str) -> Rejected:
    return Rejected(code, f"{zh}。依据：{basis}", f"{en}. Basis: {basis}")


def actor_role_problems(rulebook: Any) -> list[Problem]:
    """UNKNOWN-REFERENCE for each role a process's ``actors`` names that a rulebook with a
    roster does not define (a misspelt role would refuse every event of that kind)."""
    separation = rulebook.part("separation")
    book = rulebook.part("cases")
    if separation is None or not separation.persons or book is None:
        return []
    known = separation.roles
    problems = []
    for process in book.processes:
        actors = process.actors
        if actors is None:
            continue
        named: list[tuple[str, str]] = []
        for event, need in actors.roles.items():
            roles = _all_roles(need) if isinstance(need, dict) else set(need)
            named.extend((event, r) for r in sorted(roles))
        for event, roles in actors.approved_by.items():
            named.extend((event, r) for r in roles)
        for event, role in named:
            if role in known:
                continue
            zh_hint, en_hint = hint(role, known)
            problems.append(
                Problem(
                    "UNKNOWN-REFERENCE",
                    f"流程 {process.id} 要求 {event} 的经办人担任角色 “{role}”，但 roles 中没有"
                    f"该角色{zh_hint}",
                    f"process {process.id} needs role '{role}' for {event}, which roles does "
                    f"not define{en_hint}",
                    process.location,
                    process.id,
                )
            )
    return problems
