"""History-based separation of duties and recusals: the sections, :func:`conflicts`, audits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import fyrules
from fyrules.rulebook import check as check_as_of
from fyrules.separation import Conflict, HistoryPolicy, audit_history, conflicts
from tests.helpers import codes, write_rulebook
from tests.separation.rulebooks import CATALOG

TODAY = dt.date(2025, 10, 15)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fuyang"


PEOPLE = """\
roles:
  - {id: reviewer, name: 审核}
persons:
  - {id: wang, name: 王建国, department: SC}
  - {id: li, name: 李秀英, department: SC}
  - {id: liu, name: 刘洋, department: ZJ}
  - {id: xu, name: 徐芳}
"""

HISTORY = """\
history_constraints:
  - id: H-REVIEW-APPROVE
    title: 一审一核
    stages: [review, [approve, deny]]
    basis: 一审一核
  - id: H-NO-INSPECT
    title: 经办人不抽查
    stages: [handling, inspect]
    basis: 审管分离
  - id: H-DEPT-REVIEW-APPROVE
    title: 同部门提示
    stages: [review, approve]
    same: department
    severity: warning
    basis: 内控
  - id: H-LICENSING
    title: 许可部门不抽查
    stages: [inspect]
    same: licensing_department
    basis: 审管分离
recusals:
  - id: R-APPLICANT
    person: xu
    applicant: app-1
    reason: 近亲属
    basis: 回避规定
  - id: R-DEPT
    person: liu
    department: SC
    reason: 配偶任职
    basis: 回避规定
    valid_from: 2025-06-01
    valid_to: 2025-12-31
  - id: R-ITEM
    person: li
    item: ZJ-1
    reason: 曾兼职
    severity: warning
    basis: 回避规定
"""


def load(tmp_path: Path, history: str = HISTORY):
    root = write_rulebook(
        tmp_path, {"catalog.yaml": CATALOG, "people.yaml": PEOPLE, "history.yaml": history}
    )
    return fyrules.load(root)


def case(item="SC-1", **actors):
    return {"case": "C-1", "item": item, "actors": {k: list(v) for k, v in actors.items()}}


def rules(found: list[Conflict]) -> list[str]:
    return sorted(c.rule for c in found)


def test_the_reviewer_may_not_approve_or_deny(tmp_path):
    rb = load(tmp_path)
    c = case(review=["wang"])
    # the same person is also of the same department: the warning comes along
    assert rules(conflicts(rb, "wang", c, stage="approve")) == [
        "H-DEPT-REVIEW-APPROVE",
        "H-REVIEW-APPROVE",
    ]
    assert rules(conflicts(rb, "wang", c, stage="deny")) == ["H-REVIEW-APPROVE"]
    found = conflicts(rb, "wang", c, stage="deny")[0]
    assert (found.earlier_stage, found.earlier_actor, found.severity) == ("review", "wang", "error")
    assert "review" in found.reason_en and "审核" in found.reason_zh and found.basis == "一审一核"


def test_a_department_constraint_names_the_colleague_who_acted(tmp_path):
    rb = load(tmp_path)
    found = conflicts(rb, "li", case(review=["wang"]), stage="approve")
    assert rules(found) == ["H-DEPT-REVIEW-APPROVE"]
    assert found[0].earlier_actor == "wang" and found[0].severity == "warning"


def test_whoever_handled_a_case_never_inspects_it(tmp_path):
    rb = load(tmp_path)
    c = case(item="ZJ-1", accept=["xu"], review=["wang"])
    assert rules(conflicts(rb, "xu", c)) == ["H-NO-INSPECT"]
    assert conflicts(rb, "xu", case(item="ZJ-1", rate=["xu"])) == []


def test_the_licensing_department_does_not_inspect_its_own_cases(tmp_path):
    rb = load(tmp_path)
    assert rules(conflicts(rb, "wang", case(item="SC-1"))) == ["H-LICENSING"]
    assert conflicts(rb, "wang", case(item="ZJ-1")) == []


def test_recusals_cover_an_applicant_a_department_and_an_item_within_their_validity(tmp_path):
    rb = load(tmp_path)
    assert rules(conflicts(rb, "xu", case(submit=["app-1"]))) == ["R-APPLICANT"]
    assert rules(conflicts(rb, "xu", {**case(), "applicant": "app-1"})) == ["R-APPLICANT"]
    assert rules(conflicts(rb, "liu", case(item="SC-1"), on=dt.date(2025, 7, 1))) == ["R-DEPT"]
    assert conflicts(rb, "liu", case(item="SC-1"), on=dt.date(2025, 1, 1)) == []
    assert rules(conflicts(rb, "li", case(item="ZJ-1"), stage="review")) == ["R-ITEM"]


def test_conflicts_accepts_the_rulebook_its_part_or_the_policy(tmp_path):
    rb = load(tmp_path)
    c = case(review=["wang"])
    part = rb.part("separation")
    expected = conflicts(rb, "wang", c, stage="approve")
    assert conflicts(part, "wang", c, stage="approve") == expected
    assert conflicts(part.history, "wang", c, stage="approve") == expected
    assert conflicts(HistoryPolicy(), "wang", c, stage="approve") == []


def test_the_fuyang_policy_keeps_handlers_and_the_licensing_department_from_inspecting():
    rb = fyrules.load(EXAMPLE)
    c = {"case": "C", "item": "FY-ZJ-001", "actors": {"review": ["P-ZJ-13"]}}
    assert rules(conflicts(rb, "P-ZJ-13", c)) == [
        "SOD-HANDLER-NO-INSPECT",
        "SOD-LICENSING-DEPT-NO-INSPECT",
    ]
    assert conflicts(rb, "P-MZ-02", c) == []


def test_an_audit_reports_each_conflict_as_a_finding_and_skips_the_rejected_actor(tmp_path):
    rb = load(tmp_path)
    at = "2025-10-09T09:00:00+08:00"
    base = {"case": "C-1", "item": "SC-1", "dept": "SC", "at": at}
    events = [
        {**base, "event": "accept", "actor": "li"},
        {**base, "event": "review", "actor": "wang"},
        {**base, "event": "approve", "actor": "wang"},
        {**base, "event": "approve", "actor": "li"},
    ]
    found = audit_history(events, rb)
    assert [(f["rule"], f["severity"]) for f in found] == [
        ("H-REVIEW-APPROVE", "error"),
        ("H-DEPT-REVIEW-APPROVE", "warning"),
        ("H-DEPT-REVIEW-APPROVE", "warning"),  # li approves after wang, of SC, reviewed
    ]
    first = found[0]
    assert set(first) >= {"rule", "severity", "case", "at", "message", "basis", "trace"}
    assert first["case"] == "C-1" and first["at"] == at


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        (
            HISTORY.replace("[review, [approve, deny]]", "[review, [aprove, deny]]"),
            "UNKNOWN-REFERENCE",
            4,
        ),
        (HISTORY.replace("    basis: 一审一核\n", ""), "MISSING-BASIS", 2),
        (HISTORY.replace("person: liu", "person: nobody"), "UNKNOWN-REFERENCE", 28),
        (
            HISTORY.replace("department: SC\n    reason", "department: XX\n    reason"),
            "UNKNOWN-REFERENCE",
            29,
        ),
        (HISTORY.replace("stages: [review, approve]", "stages: [review]"), "INVALID-VALUE", 12),
        (HISTORY.replace("[handling, inspect]", "[handling, approve]"), "INVALID-VALUE", 8),
    ],
)
def test_bad_history_sections_are_named_at_their_file_and_line(tmp_path, text, code, line):
    root = write_rulebook(
        tmp_path, {"catalog.yaml": CATALOG, "people.yaml": PEOPLE, "history.yaml": text}
    )
    result = check_as_of(root, today=TODAY)
    assert code in codes(result.problems)
    problem = next(p for p in result.problems if p.code == code)
    assert problem.path.endswith("history.yaml") and problem.line == line
    assert problem.message_zh and problem.message_en


def test_a_constraint_out_of_force_on_the_events_day_does_not_refuse_it(tmp_path):
    from fyrules.cases.events import parse_event
    from fyrules.cases.state import Rejected
    from fyrules.separation.gate import EventGate

    dated = HISTORY.replace(
        "    basis: 一审一核\n", "    basis: 一审一核\n    valid_to: 2025-06-30\n", 1
    )
    gate = EventGate(load(tmp_path, dated))
    state = {"case": "C-1", "item": "ZJ-1", "actors": {"review": ["xu"]}}

    def approve(at):
        raw = {"case": "C-1", "item": "ZJ-1", "event": "approve", "actor": "xu", "at": at}
        return gate(parse_event(raw), state)

    assert isinstance(approve("2025-06-30T23:30:00+08:00"), Rejected)  # local day: 30 June
    assert approve("2025-07-01T09:00:00+08:00") == ()


def _layered(tmp_path: Path, local: str):
    write_rulebook(
        tmp_path / "city",
        {"catalog.yaml": CATALOG, "people.yaml": PEOPLE, "history.yaml": HISTORY},
        rulebook_id="city",
    )
    root = write_rulebook(tmp_path / "town", {"local.yaml": local}, extends="../city")
    return check_as_of(root, today=TODAY)


def test_a_local_rulebook_may_tighten_a_history_constraint(tmp_path):
    local = """\
    history_constraints:
      - id: H-REVIEW-APPROVE
        title: 一审一核（含承办）
        stages: [[undertake, review], [approve, deny]]
        same: department
        basis: 一审一核
    """
    result = _layered(tmp_path, local)
    assert result.ok, [p.format("en") for p in result.problems]


@pytest.mark.parametrize(
    ("local", "field"),
    [
        (
            """\
            history_constraints:
              - {id: H-REVIEW-APPROVE, title: 一审一核, stages: [review, approve], basis: 一审一核}
            """,
            "stages",
        ),
        (
            """\
            history_constraints:
              - id: H-DEPT-REVIEW-APPROVE
                title: 同部门提示
                stages: [review, approve]
                same: person
                severity: warning
                basis: 内控
            """,
            "stages",
        ),
        (
            """\
            history_constraints:
              - id: H-NO-INSPECT
                title: 经办人不抽查
                stages: [handling, inspect]
                severity: warning
                basis: 审管分离
            """,
            "severity",
        ),
        (
            """\
            recusals:
              - {id: R-APPLICANT, person: xu, applicant: app-1, reason: 近亲属, basis: 回避规定, severity: info}
            """,
            "severity",
        ),
    ],
)
def test_a_local_rulebook_may_not_loosen_a_history_constraint_or_a_recusal(tmp_path, local, field):
    result = _layered(tmp_path, local)
    loosened = [p for p in result.problems if p.code == "LOOSENED"]
    assert len(loosened) == 1 and loosened[0].path.endswith("local.yaml")
    assert "history.yaml" in loosened[0].message_en  # names where the higher rule is
    assert {"stages": "环节", "severity": "级别"}[field] in loosened[0].message_zh
