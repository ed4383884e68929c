"""Static separation of duties (静态职责分离): assignments, constraints, violations, and the
immutable :class:`SeparationPolicy` that checks them.

A constraint is the RBAC (role set, n) pair of ANSI INCITS 359 with a word saying where the
roles meet (``same``):

- ``scope``: no person holds ``n`` or more distinct roles of the set for scopes that pairwise
  overlap (see :mod:`fyrules.separation.scopes`) during periods that pairwise overlap;
- ``person``: the same, wherever the roles are held (the person in charge of approval does no
  supervision work anywhere);
- ``department``: only assignments whose scope overlaps the person's own department count, and
  only if that department licenses items (the licensing department does not supervise what it
  licenses: ``roles: [supervisor], n: 1``).

A violation is a set of exactly ``n`` assignments of one person, with distinct roles of the set,
that meet in that sense. :meth:`SeparationPolicy.audit` reports every such set.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Generic, TypeVar

import attrs

from ..engine.problems import FyrulesError, Location
from .scopes import Directory, Scope, periods_overlap

T = TypeVar("T")


@attrs.frozen(slots=True)
class Assignment:
    """A person holding a role for a scope, from ``valid_from`` to ``valid_to`` (both included;
    ``None`` is open)."""

    person: str
    role: str
    scope: Scope
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    id: str | None = None
    basis: str | None = attrs.field(default=None, eq=False)
    location: Location | None = attrs.field(default=None, eq=False)

    def describe(self) -> tuple[str, str]:
        zh, en = self.scope.describe()
        return f"{self.role}@{zh}", f"{self.role}@{en}"


@attrs.frozen(slots=True)
class Constraint:
    """No person holds ``n`` or more of ``roles`` where ``same`` says they meet."""

    id: str
    roles: frozenset[str]
    basis: str
    n: int = 2
    same: str = "scope"  # scope | person | department
    message_zh: str | None = None
    message_en: str | None = None
    location: Location | None = attrs.field(default=None, eq=False)


@attrs.frozen(slots=True)
class Violation:
    """Assignments of one person that together break a constraint."""

    constraint: str
    person: str
    assignments: tuple[Assignment, ...]
    message_zh: str
    message_en: str
    basis: str

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(a.role for a in self.assignments)

    @property
    def scopes(self) -> tuple[Scope, ...]:
        return tuple(a.scope for a in self.assignments)

    def to_dict(self) -> dict[str, object]:
        return {
            "constraint": self.constraint,
            "person": self.person,
            "roles": list(self.roles),
            "scopes": [str(s) for s in self.scopes],
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "basis": self.basis,
        }


@attrs.frozen(slots=True)
class Accepted(Generic[T]):
    """The operation was accepted; ``value`` is the new policy or roster."""

    value: T
    accepted = True
    violations: tuple[Violation, ...] = ()


@attrs.frozen(slots=True)
class Refused:
    """The operation was refused and changed nothing; ``violations`` says why."""

    violations: tuple[Violation, ...]
    accepted = False


@attrs.frozen(slots=True)
class SeparationPolicy:
    """The static constraints of a rulebook and the directory they are read against. Immutable."""

    constraints: tuple[Constraint, ...] = ()
    directory: Directory = attrs.field(factory=Directory)

    def audit(self, assignments: Iterable[Assignment]) -> list[Violation]:
        """Every violation among ``assignments``, constraint by constraint, person by person."""
        by_person = _by_person(assignments)
        out: list[Violation] = []
        for constraint in self.constraints:
            for person in sorted(by_person):
                out.extend(self._violations(constraint, person, by_person[person], None))
        return out

    def check_assignment(
        self,
        assignment: Assignment,
        existing: Iterable[Assignment] | Mapping[str, Sequence[Assignment]],
    ) -> list[Violation]:
        """The violations that adding ``assignment`` to ``existing`` would bring in.

        ``existing`` is the assignments, or them indexed by person (:func:`by_person`,
        :attr:`Roster.by_person`): then a check reads only the person's own, whatever the
        size of the center."""
        if isinstance(existing, Mapping):
            held: Iterable[Assignment] = existing.get(assignment.person, ())
        else:
            held = existing
        mine = [a for a in held if a.person == assignment.person and a != assignment]
        out: list[Violation] = []
        for constraint in self.constraints:
            out.extend(self._violations(constraint, assignment.person, mine, assignment))
        return out

    def add_constraint(
        self, constraint: Constraint, assignments: Iterable[Assignment]
    ) -> Accepted[SeparationPolicy] | Refused:
        """This policy with ``constraint`` added, or refused with every offender when today's
        ``assignments`` already break it."""
        if any(c.id == constraint.id for c in self.constraints):
            raise FyrulesError(f"constraint {constraint.id} is already in the policy")
        offenders = SeparationPolicy((constraint,), self.directory).audit(assignments)
        if offenders:
            return Refused(tuple(offenders))
        return Accepted(attrs.evolve(self, constraints=(*self.constraints, constraint)))

    # --- the one place that decides what breaks a constraint ---------------------------

    def _violations(
        self,
        constraint: Constraint,
        person: str,
        assignments: Sequence[Assignment],
        new: Assignment | None,
    ) -> list[Violation]:
        """Violations of ``constraint`` by ``person``; with ``new``, only those that include it."""
        relevant = [a for a in assignments if self._counts(constraint, a)]
        if new is not None:
            if not self._counts(constraint, new):
                return []
            combos: Iterable[tuple[Assignment, ...]] = (
                (*rest, new) for rest in itertools.combinations(relevant, constraint.n - 1)
            )
        else:
            combos = itertools.combinations(relevant, constraint.n)
        return [
            self._violation(constraint, person, combo)
            for combo in combos
            if self._meet(constraint, combo)
        ]

    def _counts(self, constraint: Constraint, a: Assignment) -> bool:
        if a.role not in constraint.roles:
            return False
        if constraint.same != "department":
            return True
        own = self.directory.person_department.get(a.person)
        if own is None or own not in self.directory.licensing_departments():
            return False
        return self.directory.overlap(a.scope, Scope.of_department(own))

    def _meet(self, constraint: Constraint, combo: Sequence[Assignment]) -> bool:
        if len({a.role for a in combo}) != len(combo):
            return False
        for a, b in itertools.combinations(combo, 2):
            if not periods_overlap(a.valid_from, a.valid_to, b.valid_from, b.valid_to):
                return False
            if constraint.same == "scope" and not self.directory.overlap(a.scope, b.scope):
                return False
        return True

    def _violation(
        self, constraint: Constraint, person: str, combo: Sequence[Assignment]
    ) -> Violation:
        names = [self.directory.role_name(a.role) for a in combo]
        held_zh = "、".join(
            f"{zh}（{a.scope.describe()[0]}）" for (zh, _), a in zip(names, combo, strict=True)
        )
        held_en = ", ".join(
            f"{en} ({a.scope.describe()[1]})" for (_, en), a in zip(names, combo, strict=True)
        )
        if constraint.same == "department":
            dept = self.directory.person_department.get(person)
            why_zh = f"其所在部门 {dept} 实施的事项不得由本部门人员监管"
            why_en = f"items licensed by {dept}, the person's own department, are not theirs to"
            why_en += " supervise"
        elif constraint.same == "person":
            why_zh = f"同一人不得同时担任其中 {constraint.n} 个角色"
            why_en = f"no one may hold {constraint.n} of these roles anywhere"
        else:
            why_zh = f"同一范围内不得同时担任其中 {constraint.n} 个角色"
            why_en = f"no one may hold {constraint.n} of these roles for overlapping scopes"
        lead_zh = f"{constraint.message_zh}：" if constraint.message_zh else ""
        lead_en = f"{constraint.message_en}: " if constraint.message_en else ""
        return Violation(
            constraint=constraint.id,
            person=person,
            assignments=tuple(combo),
            message_zh=f"{lead_zh}{person} 担任 {held_zh}；{why_zh}",
            message_en=f"{lead_en}{person} holds {held_en}; {why_en}",
            basis=constraint.basis,
        )


def by_person(assignments: Iterable[Assignment]) -> dict[str, list[Assignment]]:
    """``assignments`` indexed by person (each once), for :meth:`SeparationPolicy.check_assignment`."""
    return _by_person(assignments)


def _by_person(assignments: Iterable[Assignment]) -> dict[str, list[Assignment]]:
    out: dict[str, list[Assignment]] = defaultdict(list)
    seen: set[Assignment] = set()
    for a in assignments:
        if a not in seen:
            seen.add(a)
            out[a.person].append(a)
    return out


@attrs.frozen(slots=True)
class Roster:
    """Who holds which role where, under a policy. Immutable: operations return a new roster."""

    policy: SeparationPolicy
    assignments: tuple[Assignment, ...] = ()
    _index: dict[str, list[Assignment]] = attrs.field(
        init=False, factory=dict, eq=False, repr=False
    )

    @property
    def by_person(self) -> Mapping[str, Sequence[Assignment]]:
        """The assignments indexed by person, built on first use."""
        if not self._index and self.assignments:
            self._index.update(_by_person(self.assignments))
        return self._index

    def assign(self, assignment: Assignment) -> Accepted[Roster] | Refused:
        """The roster with ``assignment`` added, or refused (this roster unchanged)."""
        found = self.policy.check_assignment(assignment, self.by_person)
        if found:
            return Refused(tuple(found))
        if assignment in self.assignments:
            return Accepted(self)
        return Accepted(attrs.evolve(self, assignments=(*self.assignments, assignment)))

    def revoke(self, assignment: Assignment) -> Roster:
        """The roster without ``assignment``; removing a role never breaks a constraint."""
        return attrs.evolve(self, assignments=tuple(a for a in self.assignments if a != assignment))

    def add_constraint(self, constraint: Constraint) -> Accepted[Roster] | Refused:
        """The roster under a policy with ``constraint`` added, or refused naming the offenders."""
        result = self.policy.add_constraint(constraint, self.assignments)
        if isinstance(result, Refused):
            return result
        return Accepted(attrs.evolve(self, policy=result.value))

    def audit(self) -> list[Violation]:
        return self.policy.audit(self.assignments)
