"""Properties of static separation of duties, over random people, roles, scopes and periods."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from fyrules.separation import Assignment, Constraint, Directory, Roster, Scope, SeparationPolicy
from fyrules.separation.scopes import periods_overlap

PERSONS = ["p1", "p2", "p3"]
ROLES = ["approver", "supervisor", "reviewer", "approval_head", "inspector"]
DIRECTORY = Directory(
    person_department={"p1": "A", "p2": "B", "p3": None},
    item_department={"A-1": "A", "A-2": "A", "B-1": "B"},
)
SCOPES = [
    Scope.whole_center(),
    Scope.of_department("A"),
    Scope.of_department("B"),
    Scope.of_item("A-1"),
    Scope.of_item("A-2"),
    Scope.of_item("B-1"),
]
DAY0 = dt.date(2025, 1, 1)

days = st.one_of(st.none(), st.integers(0, 6).map(lambda n: DAY0 + dt.timedelta(days=30 * n)))


@st.composite
def assignments(draw):
    start, end = draw(days), draw(days)
    if start and end and end < start:
        start, end = end, start
    return Assignment(
        draw(st.sampled_from(PERSONS)),
        draw(st.sampled_from(ROLES)),
        draw(st.sampled_from(SCOPES)),
        valid_from=start,
        valid_to=end,
    )


@st.composite
def constraints(draw, ident=None):
    roles = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=3, unique=True))
    return Constraint(
        ident or draw(st.sampled_from(["C1", "C2", "C3", "C4"])),
        frozenset(roles),
        "basis",
        n=draw(st.integers(1, len(roles))),
        same=draw(st.sampled_from(["scope", "person", "department"])),
    )


constraint_sets = st.lists(constraints(), max_size=3, unique_by=lambda c: c.id)


def brute_force(policy: SeparationPolicy, all_assignments) -> set[tuple[str, frozenset]]:
    """Every (constraint, set of n assignments) that breaks it, straight from the definitions."""
    out = set()
    unique = list(dict.fromkeys(all_assignments))
    d = policy.directory
    for c in policy.constraints:
        for combo in itertools.combinations(unique, c.n):
            if len({x.person for x in combo}) != 1 or len({x.role for x in combo}) != c.n:
                continue
            if not all(x.role in c.roles for x in combo):
                continue
            if c.same == "department":
                own = d.person_department[combo[0].person]
                if own not in d.licensing_departments():
                    continue
                if not all(d.overlap(x.scope, Scope.of_department(own)) for x in combo):
                    continue
            pairs = list(itertools.combinations(combo, 2))
            if not all(
                periods_overlap(x.valid_from, x.valid_to, y.valid_from, y.valid_to)
                for x, y in pairs
            ):
                continue
            if c.same == "scope" and not all(d.overlap(x.scope, y.scope) for x, y in pairs):
                continue
            out.add((c.id, frozenset(combo)))
    return out


@given(constraint_sets, st.lists(assignments(), max_size=12))
def test_audit_agrees_with_a_brute_force_check_over_all_combinations(cs, held):
    """The audit reports exactly the sets of n assignments that break a constraint by its
    definition, each once."""
    policy = SeparationPolicy(tuple(cs), DIRECTORY)
    found = policy.audit(held)
    as_sets = [(v.constraint, frozenset(v.assignments)) for v in found]
    assert len(as_sets) == len(set(as_sets))
    assert set(as_sets) == brute_force(policy, held)


@given(constraint_sets, st.lists(assignments(), max_size=15))
def test_no_accepted_assignment_ever_breaks_a_constraint(cs, sequence):
    """Whatever assignments arrive, a roster built through ``assign`` passes a full audit, and
    each refused assignment really would have broken a constraint."""
    roster = Roster(SeparationPolicy(tuple(cs), DIRECTORY))
    for assignment in sequence:
        result = roster.assign(assignment)
        if result.accepted:
            roster = result.value
        else:
            assert roster.policy.audit([*roster.assignments, assignment])
    assert roster.audit() == []


@given(
    constraint_sets, constraints(ident="NEW"), st.lists(assignments(), max_size=10), assignments()
)
def test_adding_a_constraint_never_makes_a_refused_assignment_succeed(cs, new, held, candidate):
    """If a policy refuses an assignment, every policy it grows into by add_constraint refuses
    it too."""
    policy = SeparationPolicy(tuple(cs), DIRECTORY)
    grown = policy.add_constraint(new, held)
    if not grown.accepted:
        assert grown.violations
        return
    if policy.check_assignment(candidate, held):
        assert grown.value.check_assignment(candidate, held)


class RosterMachine(RuleBasedStateMachine):
    """A roster driven by assignments, revocations and new constraints: it never breaks a
    constraint, and a refused operation leaves it exactly as it was."""

    def __init__(self) -> None:
        super().__init__()
        self.roster = Roster(SeparationPolicy((), DIRECTORY))
        self.count = 0

    @rule(assignment=assignments())
    def assign(self, assignment):
        before = self.roster
        result = self.roster.assign(assignment)
        if result.accepted:
            self.roster = result.value
        else:
            assert self.roster == before
            assert all(assignment in v.assignments for v in result.violations)

    @rule(index=st.integers(0, 20))
    def revoke(self, index):
        if self.roster.assignments:
            held = self.roster.assignments
            self.roster = self.roster.revoke(held[index % len(held)])

    @rule(constraint=constraints(ident="X"))
    def add_constraint(self, constraint):
        self.count += 1
        constraint = Constraint(
            f"X{self.count}", constraint.roles, "basis", n=constraint.n, same=constraint.same
        )
        before = self.roster
        result = self.roster.add_constraint(constraint)
        if result.accepted:
            self.roster = result.value
        else:
            assert self.roster == before
            assert {v.constraint for v in result.violations} == {constraint.id}

    @invariant()
    def passes_a_full_audit(self):
        assert self.roster.audit() == []


TestRosterMachine = RosterMachine.TestCase
