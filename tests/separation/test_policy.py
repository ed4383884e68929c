"""Static separation of duties: scopes, each constraint kind, assign, audit, add_constraint."""

from __future__ import annotations

import datetime as dt

import pytest

from fyrules.engine.problems import FyrulesError
from fyrules.separation import (
    Accepted,
    Assignment,
    Constraint,
    Directory,
    Refused,
    Roster,
    Scope,
    SeparationPolicy,
)

CENTER = Scope.whole_center()
SC = Scope.of_department("SC")
ZJ = Scope.of_department("ZJ")
SC_001 = Scope.of_item("FY-SC-001")
SC_002 = Scope.of_item("FY-SC-002")
ZJ_001 = Scope.of_item("FY-ZJ-001")

DIRECTORY = Directory(
    person_department={"wang": "SC", "liu": "ZJ", "xu": None, "gao": "JC"},
    item_department={"FY-SC-001": "SC", "FY-SC-002": "SC", "FY-ZJ-001": "ZJ"},
    role_names={"approver": ("审批", "Approver"), "supervisor": ("监管", "Supervisor")},
)

APPROVE_SUPERVISE = Constraint(
    "SOD-APPROVE-SUPERVISE", frozenset({"approver", "supervisor"}), "审管分离", n=2, same="scope"
)
LICENSING_DEPT = Constraint(
    "SOD-LICENSING-DEPT-NO-SUPERVISION",
    frozenset({"supervisor", "inspector"}),
    "许可部门不监管",
    n=1,
    same="department",
)
HEAD = Constraint(
    "SOD-APPROVAL-HEAD-NO-SUPERVISION",
    frozenset({"approval_head", "supervisor"}),
    "审批负责人不监管",
    n=2,
    same="person",
)


def a(person: str, role: str, scope: Scope, start=None, end=None) -> Assignment:
    return Assignment(person, role, scope, valid_from=start, valid_to=end)


def policy(*constraints: Constraint) -> SeparationPolicy:
    return SeparationPolicy(constraints, DIRECTORY)


# --- scopes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        (CENTER, SC, True),
        (CENTER, ZJ_001, True),
        (SC, SC_001, True),
        (SC, ZJ_001, False),
        (SC, ZJ, False),
        (SC_001, SC_002, False),
        (SC_001, SC_001, True),
        (Scope.of_item("UNKNOWN"), SC, False),
        (Scope.of_item("UNKNOWN"), CENTER, True),
    ],
)
def test_scopes_overlap_when_one_contains_the_other(x, y, expected):
    assert DIRECTORY.overlap(x, y) is expected
    assert DIRECTORY.overlap(y, x) is expected


def test_a_department_contains_its_items_but_an_item_does_not_contain_its_department():
    assert DIRECTORY.contains(SC, SC_001)
    assert not DIRECTORY.contains(SC_001, SC)


# --- same: scope --------------------------------------------------------------------------


def test_approving_and_supervising_the_same_department_is_refused():
    found = policy(APPROVE_SUPERVISE).check_assignment(
        a("wang", "supervisor", SC), [a("wang", "approver", SC)]
    )
    assert [v.constraint for v in found] == ["SOD-APPROVE-SUPERVISE"]
    v = found[0]
    assert v.person == "wang"
    assert sorted(v.roles) == ["approver", "supervisor"]
    assert set(v.scopes) == {SC}
    assert v.basis == "审管分离"
    assert "审批" in v.message_zh and "Supervisor" in v.message_en


def test_supervising_the_center_overlaps_approving_one_item():
    found = policy(APPROVE_SUPERVISE).check_assignment(
        a("wang", "supervisor", CENTER), [a("wang", "approver", SC_001)]
    )
    assert len(found) == 1


def test_approving_one_department_and_supervising_another_is_allowed():
    assert (
        policy(APPROVE_SUPERVISE).check_assignment(
            a("wang", "supervisor", ZJ_001), [a("wang", "approver", SC)]
        )
        == []
    )


def test_roles_held_in_periods_that_do_not_overlap_do_not_conflict():
    before = a("wang", "approver", SC, end=dt.date(2024, 12, 31))
    after = a("wang", "supervisor", SC, start=dt.date(2025, 1, 1))
    assert policy(APPROVE_SUPERVISE).check_assignment(after, [before]) == []
    touching = a("wang", "supervisor", SC, start=dt.date(2024, 12, 31))
    assert len(policy(APPROVE_SUPERVISE).check_assignment(touching, [before])) == 1


def test_two_people_may_split_approval_and_supervision():
    assert (
        policy(APPROVE_SUPERVISE).check_assignment(
            a("liu", "supervisor", SC), [a("wang", "approver", SC)]
        )
        == []
    )


def test_three_roles_of_which_two_are_too_many_count_each_meeting_pair():
    c = Constraint("C3", frozenset({"acceptor", "reviewer", "approver"}), "b", n=3)
    held = [a("wang", "acceptor", SC), a("wang", "reviewer", SC_001)]
    assert (
        len(SeparationPolicy((c,), DIRECTORY).check_assignment(a("wang", "approver", CENTER), held))
        == 1
    )
    # the three scopes must pairwise overlap: two items of one department do not
    held = [a("wang", "acceptor", SC_001), a("wang", "reviewer", SC_002)]
    assert SeparationPolicy((c,), DIRECTORY).check_assignment(a("wang", "approver", SC), held) == []


# --- same: department ---------------------------------------------------------------------


@pytest.mark.parametrize("scope", [SC, SC_001, CENTER])
def test_a_licensing_departments_staff_may_not_supervise_its_items(scope):
    found = policy(LICENSING_DEPT).check_assignment(a("wang", "supervisor", scope), [])
    assert [v.constraint for v in found] == ["SOD-LICENSING-DEPT-NO-SUPERVISION"]
    assert "SC" in found[0].message_zh


@pytest.mark.parametrize("scope", [ZJ, ZJ_001])
def test_a_licensing_departments_staff_may_supervise_another_departments_items(scope):
    assert policy(LICENSING_DEPT).check_assignment(a("wang", "supervisor", scope), []) == []


def test_staff_of_no_licensing_department_may_supervise_the_whole_center():
    p = policy(LICENSING_DEPT)
    assert p.check_assignment(a("xu", "supervisor", CENTER), []) == []
    assert p.check_assignment(a("gao", "inspector", CENTER), []) == []  # JC licenses nothing


# --- same: person -------------------------------------------------------------------------


def test_the_person_in_charge_of_approval_does_no_supervision_anywhere():
    found = policy(HEAD).check_assignment(
        a("wang", "supervisor", ZJ_001), [a("wang", "approval_head", SC)]
    )
    assert [v.constraint for v in found] == ["SOD-APPROVAL-HEAD-NO-SUPERVISION"]


# --- assign, audit, add_constraint --------------------------------------------------------


def test_a_refused_assignment_leaves_the_roster_unchanged():
    roster = Roster(policy(APPROVE_SUPERVISE), (a("wang", "approver", SC),))
    before = roster.assignments
    result = roster.assign(a("wang", "supervisor", SC_001))
    assert isinstance(result, Refused) and not result.accepted
    assert roster.assignments == before
    assert [v.constraint for v in result.violations] == ["SOD-APPROVE-SUPERVISE"]


def test_an_accepted_assignment_returns_a_new_roster():
    roster = Roster(policy(APPROVE_SUPERVISE))
    result = roster.assign(a("wang", "approver", SC))
    assert isinstance(result, Accepted) and result.accepted
    assert result.value.assignments == (a("wang", "approver", SC),)
    assert roster.assignments == ()
    assert result.value.assign(a("wang", "approver", SC)).value == result.value


def test_revoking_a_role_makes_room_for_the_other():
    roster = Roster(policy(APPROVE_SUPERVISE), (a("wang", "approver", SC),))
    assert not roster.assign(a("wang", "supervisor", SC)).accepted
    assert roster.revoke(a("wang", "approver", SC)).assign(a("wang", "supervisor", SC)).accepted


def test_audit_reports_every_offending_pair():
    assignments = [
        a("wang", "approver", SC),
        a("wang", "supervisor", SC_001),
        a("wang", "supervisor", SC_002),
        a("liu", "approver", ZJ),
        a("liu", "supervisor", SC),
    ]
    found = policy(APPROVE_SUPERVISE).audit(assignments)
    assert {frozenset(v.scopes) for v in found} == {
        frozenset({SC, SC_001}),
        frozenset({SC, SC_002}),
    }
    assert len(found) == 2
    assert {v.person for v in found} == {"wang"}


def test_adding_a_constraint_that_todays_assignments_break_is_refused_naming_the_offenders():
    roster = Roster(policy(), (a("wang", "approver", SC), a("wang", "supervisor", SC)))
    result = roster.add_constraint(APPROVE_SUPERVISE)
    assert isinstance(result, Refused)
    assert [(v.constraint, v.person) for v in result.violations] == [
        ("SOD-APPROVE-SUPERVISE", "wang")
    ]
    assert roster.policy.constraints == ()


def test_adding_a_constraint_nobody_breaks_is_accepted():
    roster = Roster(policy(), (a("wang", "approver", SC), a("liu", "supervisor", SC)))
    result = roster.add_constraint(APPROVE_SUPERVISE)
    assert isinstance(result, Accepted)
    assert result.value.policy.constraints == (APPROVE_SUPERVISE,)
    assert not result.value.assign(a("liu", "approver", SC_001)).accepted


def test_adding_a_constraint_twice_is_a_programming_error():
    with pytest.raises(FyrulesError):
        policy(HEAD).add_constraint(HEAD, [])


def test_a_violation_serialises_to_plain_data():
    (v,) = policy(HEAD).audit([a("wang", "approval_head", SC), a("wang", "supervisor", ZJ)])
    data = v.to_dict()
    assert data["constraint"] == "SOD-APPROVAL-HEAD-NO-SUPERVISION"
    assert data["scopes"] == ["department:SC", "department:ZJ"]
