"""Separation of duties as events arrive: the monitor refuses or records what the history
constraints, the recusals and the ``event`` rules say; ``assignment`` rules in ``fyrules check``."""

from __future__ import annotations

import datetime as dt

import pytest

import fyrules
from fyrules.cases.monitor import Monitor
from fyrules.cases.state import Accepted, Rejected
from fyrules.rulebook import check as check_as_of
from fyrules.separation.gate import EventGate, event_kinds
from tests.helpers import codes, write_rulebook

TZ = dt.timezone(dt.timedelta(hours=8))


class Case:
    """Events of one case, an hour apart, fed to one monitor."""

    def __init__(self, monitor: Monitor, case: str, item: str = "FY-SC-001", dept: str = "SC"):
        self.monitor, self.case, self.item, self.dept = monitor, case, item, dept
        self.clock = dt.datetime(2025, 10, 9, 9, 0, tzinfo=TZ)
        self.n = 0

    def send(self, kind: str, actor: str, **data):
        self.n += 1
        self.clock += dt.timedelta(hours=1)
        return self.monitor.feed(
            {
                "id": f"{self.case}-{self.n}",
                "case": self.case,
                "item": self.item,
                "event": kind,
                "at": self.clock.isoformat(),
                "actor": actor,
                "dept": self.dept,
                "window": "W02",
                "data": data,
            }
        )

    def path(self, *steps: tuple[str, str]) -> None:
        for kind, actor in steps:
            assert isinstance(self.send(kind, actor), Accepted), (kind, actor)


HANDLED = (
    ("submit", "applicant-1"),
    ("accept", "P-SC-11"),
    ("undertake", "P-SC-13"),
    ("review", "P-SC-13"),
)


def test_the_reviewer_who_approves_is_refused_and_the_case_waits_for_an_approver(rb):
    m = Monitor(rb)
    c = Case(m, "C-1")
    c.path(*HANDLED)
    before = m.store.get_case("C-1")
    refused = c.send("approve", "P-SC-13")  # a reviewer holds no role that may decide
    assert isinstance(refused, Rejected) and refused.reason_code == "ROSTER-NO-ROLE"
    assert "P-SC-13" in refused.message_en and "approver" in refused.message_en
    assert "Basis" in refused.message_en
    assert m.store.get_case("C-1") == before
    assert isinstance(c.send("approve", "P-SC-15"), Accepted)
    assert [r["reason"] for r in m.rejected()] == ["ROSTER-NO-ROLE"]


def test_a_recused_person_is_refused_on_the_applicants_case(rb):
    m = Monitor(rb)
    c = Case(m, "C-2")
    c.path(("submit", "applicant-00042"), ("accept", "P-SC-11"))
    refused = c.send("undertake", "P-SC-13")
    assert isinstance(refused, Rejected) and refused.reason_code == "SOD-RECUSAL"
    assert "REC-2025-001" in refused.message_en and "applicant-00042" in refused.message_en


def test_a_warning_recusal_accepts_the_event_and_records_a_finding(rb):
    m = Monitor(rb)
    c = Case(m, "C-3", item="FY-WJ-002", dept="WJ")
    c.path(("accept", "P-WJ-11"), ("undertake", "P-WJ-13"))
    found = [f.to_dict() for f in m.findings() if f.rule == "REC-2025-003"]
    assert len(found) == 1
    finding = found[0]
    assert finding["severity"] == "warning" and finding["case"] == "C-3"
    assert {"rule", "severity", "case", "at", "message", "basis", "trace"} <= set(finding)


def test_a_handler_may_not_inspect_the_closed_case_and_a_supervisor_may(rb):
    m = Monitor(rb)
    c = Case(m, "C-4")
    c.path(*HANDLED, ("approve", "P-SC-15"), ("complete", "P-SC-11"), ("deliver", "P-SC-11"))
    assert m.store.get_case("C-4") is None  # finished: a side event goes to the closed case
    refused = c.send("inspect", "P-SC-13")
    assert isinstance(refused, Rejected) and refused.reason_code == "SOD-HISTORY"
    assert "SOD-HANDLER-NO-INSPECT" in refused.message_en
    assert "SOD-LICENSING-DEPT-NO-INSPECT" in refused.message_en
    closed_before = m.store.get_closed("C-4")
    assert isinstance(c.send("inspect", "P-ZJ-02"), Accepted)
    assert closed_before["state"]["actors"].get("inspect") is None


def test_an_error_event_rule_refuses_the_event(rb):
    m = Monitor(rb)
    c = Case(m, "C-5", item="FY-SC-003")
    c.path(("accept", "P-SC-11"), ("undertake", "P-SC-13"))
    # P-SC-01 is an approver and the person in charge of approval: the roster lets them ask
    # for an extension and approve one, but not their own
    refused = c.send("extend", "P-SC-01", days=3, approved_by="P-SC-01", reason="待核查")
    assert isinstance(refused, Rejected) and refused.reason_code == "EVENT-RULE"
    assert "FY-EXTEND-NOT-SELF-APPROVED" in refused.message_en
    assert isinstance(
        c.send("extend", "P-SC-15", days=3, approved_by="P-SC-01", reason="待核查"), Accepted
    )


def test_a_warning_event_rule_records_a_finding(rb):
    m = Monitor(rb)
    c = Case(m, "C-6")
    c.path(("accept", "P-SC-11"), ("inspect", "P-MZ-11"))
    assert [f.rule for f in m.findings() if f.rule.startswith("FY-INSPECTOR")] == [
        "FY-INSPECTOR-APPOINTED"
    ]


def test_event_rules_are_indexed_by_the_kinds_their_condition_names(rb):
    kinds = {r.id: event_kinds(r) for r in rb.rules if r.scope == "event"}
    assert kinds["FY-EXTEND-NOT-SELF-APPROVED"] == {"extend"}
    assert kinds["FY-INSPECTOR-APPOINTED"] == {"inspect"}


def test_a_rulebook_without_separation_rules_has_no_gate(tmp_path):
    root = write_rulebook(
        tmp_path,
        {
            "catalog.yaml": """\
            departments:
              - {id: SC, name: 市场监管局}
            items:
              - {code: SC-1, name: 食品经营许可, department: SC, type: CN}
            item_types:
              - {id: CN, kind: commitment, name: 承诺件}
            """
        },
        extends="national",
    )
    rb = fyrules.load(root)
    assert EventGate(rb).idle and Monitor(rb)._gate is None


ASSIGNMENT_RULEBOOK = {
    "catalog.yaml": """\
    departments:
      - {id: SC, name: 市场监管局}
      - {id: ZJ, name: 住建局}
    items:
      - {code: SC-1, name: 食品经营许可, department: SC, type: CN}
    item_types:
      - {id: CN, kind: commitment, name: 承诺件}
    """,
    "people.yaml": """\
    roles:
      - {id: approver, name: 审批}
    persons:
      - {id: wang, name: 王建国, department: SC}
      - {id: liu, name: 刘洋, department: ZJ}
    assignments:
      - {person: wang, role: approver, scope: {item: SC-1}}
      - {person: liu, role: approver, scope: {item: SC-1}}
    """,
    "rules.yaml": """\
    rules:
      - id: APPROVER-OWN-DEPT
        title: 审批人须为本部门人员
        basis: 窗口授权
        severity: error
        scope: assignment
        condition: role == "approver" and person.department != scope.department
        message: {zh: "{person.id} 不属于 {scope.department}", en: "{person.id} is not of {scope.department}"}
    """,
}


def test_an_assignment_rule_reports_the_assignment_at_its_line(tmp_path):
    root = write_rulebook(tmp_path, ASSIGNMENT_RULEBOOK)
    result = check_as_of(root, today=dt.date(2025, 10, 15))
    assert codes(result.problems) == ["ASSIGNMENT-RULE"]
    problem = result.problems[0]
    assert problem.path.endswith("people.yaml") and problem.line == 8
    assert problem.rule == "APPROVER-OWN-DEPT" and "liu" in problem.message_en


def test_an_event_test_written_as_events_needs_at_least_one_event(rb):
    from fyrules.cases.events import EventError

    with pytest.raises(EventError):
        rb.scopes["event"].from_events([], None, rb)
