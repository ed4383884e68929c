"""The ``separation`` sections in rule files: validation, references, and ``fyrules check``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import fyrules
from fyrules.cli import main
from fyrules.rulebook import check as check_as_of
from fyrules.separation import Scope, Separation
from tests.helpers import codes, write_rulebook
from tests.separation.rulebooks import CATALOG

# As of a fixed day: from 1 December the calendar warns that next year's schedule is missing,
# and these tests expect exactly the problems of their rule files.
TODAY = dt.date(2025, 10, 15)


def check(path):
    return check_as_of(path, today=TODAY)


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fuyang"


ROLES = """\
roles:
  - {id: approver, name: {zh: 审批, en: Approver}}
  - {id: supervisor, name: {zh: 监管, en: Supervisor}}
  - {id: approval_head, name: 审批负责人}
persons:
  - {id: wang, name: 王建国, department: SC}
  - {id: liu, name: 刘洋, department: ZJ}
  - {id: xu, name: 徐芳}
sod_constraints:
  - id: SOD-APPROVE-SUPERVISE
    roles: [approver, supervisor]
    basis: 审管分离
  - id: SOD-LICENSING-DEPT-NO-SUPERVISION
    roles: [supervisor]
    n: 1
    same: department
    basis: 许可部门不监管
"""


def rulebook(tmp_path: Path, assignments: str, roles: str = ROLES) -> Path:
    return write_rulebook(
        tmp_path, {"catalog.yaml": CATALOG, "sod.yaml": roles, "assign.yaml": assignments}
    )


def test_the_fuyang_example_declares_a_clean_separation():
    result = check(EXAMPLE)
    assert [p for p in result.problems if p.severity == "error"] == []
    sep: Separation = result.rulebook.part("separation")
    assert len(sep.persons) >= 12
    assert {c.id for c in sep.policy.constraints} == {
        "SOD-APPROVE-SUPERVISE",
        "SOD-LICENSING-DEPT-NO-SUPERVISION",
        "SOD-APPROVAL-HEAD-NO-SUPERVISION",
    }
    assert all(c.basis for c in sep.policy.constraints)
    assert sep.roster.audit() == []


def test_the_fuyang_policy_refuses_an_approver_who_would_supervise_his_own_scope():
    sep: Separation = fyrules.load(EXAMPLE).part("separation")
    result = sep.roster.assign(
        fyrules.separation.Assignment("P-SC-01", "supervisor", Scope.of_item("FY-SC-001"))
    )
    assert {v.constraint for v in result.violations} == {
        "SOD-APPROVE-SUPERVISE",
        "SOD-LICENSING-DEPT-NO-SUPERVISION",
        "SOD-APPROVAL-HEAD-NO-SUPERVISION",
    }


def test_check_reports_a_violating_assignment_at_its_line(tmp_path):
    root = rulebook(
        tmp_path,
        """\
        assignments:
          - {person: wang, role: approver, scope: {department: SC}}
          - {person: liu, role: approver, scope: {department: ZJ}}
          - {person: wang, role: supervisor, scope: {item: SC-1}}
        """,
    )
    problems = [p for p in check(root).problems if p.code == "SOD-VIOLATION"]
    by_rule = {p.rule: p for p in problems}
    assert set(by_rule) == {"SOD-APPROVE-SUPERVISE", "SOD-LICENSING-DEPT-NO-SUPERVISION"}
    p = by_rule["SOD-APPROVE-SUPERVISE"]
    assert p.path.endswith("assign.yaml") and p.line == 4
    assert "assign.yaml:2" in p.message_en and "审管分离" in p.message_zh
    assert fyrules.load(root).part("separation") is not None  # violations do not stop a load


def test_a_supervisor_from_another_department_or_the_center_passes(tmp_path):
    root = rulebook(
        tmp_path,
        """\
        assignments:
          - {person: wang, role: approver, scope: {department: SC}}
          - {person: liu, role: supervisor, scope: {department: SC}}
          - {person: xu, role: supervisor, scope: {center: true}}
        """,
    )
    assert codes(check(root).problems) == []


def test_unknown_persons_roles_departments_and_items_are_named_with_a_suggestion(tmp_path):
    root = rulebook(
        tmp_path,
        """\
        assignments:
          - {person: wnag, role: approver, scope: {department: SC}}
          - {person: wang, role: aprover, scope: {department: CS}}
          - {person: liu, role: approver, scope: {item: SC-2}}
        """,
    )
    problems = [p for p in check(root).problems if p.code == "UNKNOWN-REFERENCE"]
    assert [(p.line, "did you mean" in p.message_en) for p in problems] == [
        (2, True),
        (3, True),
        (3, True),
        (4, True),
    ]


def test_a_constraint_naming_an_unknown_role_and_a_person_of_an_unknown_department(tmp_path):
    roles = ROLES.replace("roles: [approver, supervisor]", "roles: [approver, superviser]")
    roles = roles.replace("department: ZJ}", "department: XX}")
    problems = check(rulebook(tmp_path, "assignments: []\n", roles)).problems
    assert codes(problems) == ["UNKNOWN-REFERENCE", "UNKNOWN-REFERENCE"]


def test_a_scope_names_exactly_one_of_center_department_item(tmp_path):
    root = rulebook(
        tmp_path,
        """\
        assignments:
          - {person: wang, role: approver, scope: {department: SC, item: SC-1}}
          - {person: wang, role: approver, scope: {}}
          - {person: wang, role: approver, scope: {center: false}}
        """,
    )
    assert codes(check(root).problems) == ["INVALID-VALUE", "INVALID-VALUE", "INVALID-VALUE"]


def test_an_assignment_ending_before_it_starts_is_empty(tmp_path):
    root = rulebook(
        tmp_path,
        """\
        assignments:
          - person: wang
            role: approver
            scope: {department: SC}
            valid_from: 2025-03-01
            valid_to: 2025-02-01
        """,
    )
    assert codes(check(root).problems) == ["VALIDITY-EMPTY"]


def test_a_constraint_needs_a_basis(tmp_path):
    roles = ROLES.replace("    basis: 审管分离\n", "")
    problems = check(rulebook(tmp_path, "assignments: []\n", roles)).problems
    assert codes(problems) == ["MISSING-BASIS"]


def test_a_constraint_needs_an_n_it_can_reach_and_roles_that_do_not_repeat(tmp_path):
    roles = ROLES.replace("    basis: 审管分离\n", "    n: 3\n    basis: 审管分离\n")
    roles = roles.replace("roles: [supervisor]", "roles: [supervisor, supervisor]")
    problems = check(rulebook(tmp_path, "assignments: []\n", roles)).problems
    assert codes(problems) == ["INVALID-VALUE", "INVALID-VALUE"]
    assert "could never be broken" in problems[0].message_en
    assert "repeats" in problems[1].message_en


def test_fyrules_check_exits_1_with_the_violation_at_path_line_column(tmp_path, capsys):
    root = rulebook(
        tmp_path,
        """\
        assignments:
          - {person: liu, role: approver, scope: {department: SC}}
          - {person: liu, role: supervisor, scope: {center: true}}
        """,
    )
    code = main(["check", str(root), "--lang", "en", "--today", "2025-10-15"])
    out = capsys.readouterr().out
    assert code == 1
    assert "assign.yaml:3:5: SOD-VIOLATION: SOD-APPROVE-SUPERVISE: liu holds Approver" in out
    # liu's department ZJ licenses ZJ-1, which the whole center covers
    assert "SOD-VIOLATION: SOD-LICENSING-DEPT-NO-SUPERVISION" in out
    code = main(["check", str(root), "--format", "json", "--today", "2025-10-15"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert {p["rule"] for p in data["problems"] if p["code"] == "SOD-VIOLATION"} == {
        "SOD-APPROVE-SUPERVISE",
        "SOD-LICENSING-DEPT-NO-SUPERVISION",
    }
