"""Who may act: every staff event is checked against the roster for its item and day; the
applicant's events are exempt because the process declares them so (issue 13, point 1)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import fyrules
from fyrules.cases.monitor import Monitor
from fyrules.cases.state import Accepted, Rejected
from fyrules.rulebook import check as check_as_of
from tests.conftest import FUYANG
from tests.helpers import codes, write_rulebook

from .rulebooks import CATALOG

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
TZ = dt.timezone(dt.timedelta(hours=8))

# A roster over the two-department catalog: SC-1 is decided at the window, ZJ-1 by the chief.
ROSTER = """\
roles:
  - {id: acceptor, name: 受理}
  - {id: reviewer, name: 审核}
  - {id: approver, name: 审批}
  - {id: approval_head, name: 审批负责人}
  - {id: leader, name: 分管领导}
persons:
  - {id: C-ACC, name: 中心受理员}
  - {id: SC-ACC, name: 甲, department: SC}
  - {id: SC-REV, name: 乙, department: SC}
  - {id: SC-APP, name: 丙, department: SC}
  - {id: SC-HEAD, name: 丁, department: SC}
  - {id: SC-BOTH, name: 戊, department: SC}
  - {id: ZJ-REV, name: 己, department: ZJ}
  - {id: ZJ-APP, name: 庚, department: ZJ}
  - {id: ZJ-HEAD, name: 辛, department: ZJ}
  - {id: SC-GONE, name: 壬, department: SC, valid_to: 2025-09-30}
  - {id: MOVER, name: 癸, department: ZJ}
assignments:
  - {person: C-ACC, role: acceptor, scope: {center: true}}
  - {person: SC-ACC, role: acceptor, scope: {department: SC}}
  - {person: SC-REV, role: reviewer, scope: {department: SC}}
  - {person: SC-APP, role: approver, scope: {department: SC}}
  - {person: SC-HEAD, role: approval_head, scope: {department: SC}}
  - {person: SC-BOTH, role: reviewer, scope: {department: SC}}
  - {person: SC-BOTH, role: approver, scope: {department: SC}}
  - {person: ZJ-REV, role: reviewer, scope: {department: ZJ}}
  - {person: ZJ-APP, role: approver, scope: {department: ZJ}}
  - {person: ZJ-HEAD, role: approval_head, scope: {department: ZJ}}
  - {person: SC-GONE, role: reviewer, scope: {department: SC}}
  # moved from Market Regulation to Housing on 2025-10-10
  - {person: MOVER, role: reviewer, scope: {department: SC}, valid_to: 2025-10-09}
  - {person: MOVER, role: reviewer, scope: {department: ZJ}, valid_from: 2025-10-10}
history_constraints:
  - id: ONE-REVIEW-ONE-APPROVAL
    title: 一审一核
    stages: [review, [approve, deny]]
    same: person
    severity: error
    basis: 一审一核
"""


def rulebook(tmp_path: Path, roster: str = ROSTER, extra: dict[str, str] | None = None):
    catalog = CATALOG.replace(
        "department: ZJ, type: CN}", "department: ZJ, type: CN, authorization: chief}"
    )
    files = {"catalog.yaml": catalog, "separation.yaml": roster, **(extra or {})}
    return fyrules.load(write_rulebook(tmp_path, files, extends="national"))


class Case:
    """Events of one case, an hour apart from 2025-10-09 09:00, fed to one monitor."""

    def __init__(self, monitor: Monitor, case: str, item: str = "SC-1"):
        self.monitor, self.case, self.item = monitor, case, item
        self.clock = dt.datetime(2025, 10, 9, 9, 0, tzinfo=TZ)

    def send(self, kind: str, actor: str | None, **data):
        self.clock += dt.timedelta(hours=1)
        return self.monitor.feed(
            {
                "case": self.case,
                "item": self.item,
                "event": kind,
                "at": self.clock.isoformat(),
                "actor": actor,
                "data": data,
            }
        )

    def path(self, *steps: tuple[str, str]) -> None:
        for kind, actor in steps:
            outcome = self.send(kind, actor)
            assert isinstance(outcome, Accepted), (kind, actor, outcome)


def refused(outcome, code: str) -> Rejected:
    assert isinstance(outcome, Rejected), outcome
    assert outcome.reason_code == code, outcome
    assert "Basis" in outcome.message_en and "依据" in outcome.message_zh
    return outcome


def test_an_actor_not_on_the_roster_is_refused_naming_the_rule_and_basis(tmp_path):
    m = Monitor(rulebook(tmp_path))
    c = Case(m, "C-1")
    c.path(("submit", "applicant-1"))
    out = refused(c.send("accept", "nobody-at-all"), "ROSTER-NOT-LISTED")
    assert "NAT-PROCESS-COMMITMENT actors" in out.message_en
    assert "第二十二条" in out.message_zh and "nobody-at-all" in out.message_zh
    assert m.store.get_case("C-1")["stage"] == "submit"  # nothing changed


def test_the_centers_acceptor_accepts_but_cannot_undertake_review_or_approve(tmp_path):
    m = Monitor(rulebook(tmp_path))
    c = Case(m, "C-2")
    c.path(("submit", "applicant-1"), ("accept", "C-ACC"))
    for kind in ("undertake",):
        refused(c.send(kind, "C-ACC"), "ROSTER-NO-ROLE")
    c.path(("undertake", "SC-REV"))
    refused(c.send("review", "C-ACC"), "ROSTER-NO-ROLE")
    c.path(("review", "SC-REV"))
    refused(c.send("approve", "C-ACC"), "ROSTER-NO-ROLE")
    c.path(("approve", "SC-APP"))


def test_a_reviewer_of_another_department_is_refused(tmp_path):
    m = Monitor(rulebook(tmp_path))
    c = Case(m, "C-3")
    c.path(("submit", "applicant-1"), ("accept", "SC-ACC"), ("undertake", "SC-REV"))
    out = refused(c.send("review", "ZJ-REV"), "ROSTER-NO-ROLE")
    assert "ZJ-REV" in out.message_en and "SC-1" in out.message_en


def test_a_decision_beyond_the_items_authorization_level_is_refused(tmp_path):
    m = Monitor(rulebook(tmp_path))
    c = Case(m, "C-4", item="ZJ-1")  # decided by the chief (approval_head) or a leader
    c.path(("submit", "applicant-1"), ("accept", "C-ACC"), ("undertake", "ZJ-REV"))
    c.path(("review", "ZJ-REV"))
    out = refused(c.send("approve", "ZJ-APP"), "ROSTER-AUTHORIZATION")
    assert "chief" in out.message_en and "approval_head" in out.message_en
    c.path(("approve", "ZJ-HEAD"))


def test_the_roster_has_dates_staff_join_move_and_leave(tmp_path):
    m = Monitor(rulebook(tmp_path))
    c = Case(m, "C-5")
    c.path(("submit", "applicant-1"), ("accept", "SC-ACC"))
    refused(c.send("undertake", "SC-GONE"), "ROSTER-NOT-LISTED")  # left on 2025-09-30
    c.path(("undertake", "MOVER"))  # still Market Regulation's reviewer on 2025-10-09
    c.clock = dt.datetime(2025, 10, 10, 9, 0, tzinfo=TZ)
    refused(c.send("review", "MOVER"), "ROSTER-NO-ROLE")  # moved to Housing on 10-10
    c.path(("review", "SC-REV"))


def test_applicant_events_are_exempt_because_the_process_declares_them(tmp_path):
    m = Monitor(rulebook(tmp_path))
    c = Case(m, "C-6")
    c.path(("submit", "applicant-77"), ("withdraw", "applicant-77"))
    # the same events under a process that declares no applicant events are checked
    process = """\
processes:
  - id: NAT-PROCESS-COMMITMENT
    title: 承诺件（不设申请人事件）
    basis: 测试
    applies_to: {kinds: [commitment]}
    valid_from: 2019-04-23
    stages: [submit, accept, undertake, review, approve, complete, deliver]
    actors:
      basis: 测试：每个事件都查名册
      roles: {accept: [acceptor]}
"""
    strict = Monitor(rulebook(tmp_path / "strict", extra={"processes.yaml": process}))
    out = refused(Case(strict, "C-7").send("submit", "applicant-77"), "ROSTER-NOT-LISTED")
    assert "测试：每个事件都查名册" in out.message_zh


def test_an_extension_is_approved_by_a_head_on_the_roster(tmp_path):
    m = Monitor(rulebook(tmp_path))
    c = Case(m, "C-8")
    c.path(("submit", "applicant-1"), ("accept", "SC-ACC"), ("undertake", "SC-REV"))
    out = refused(
        c.send("extend", "SC-REV", days=5, approved_by="SC-APP", reason="待核查"), "ROSTER-APPROVER"
    )
    assert "SC-APP" in out.message_en and "approval_head" in out.message_en
    assert isinstance(
        c.send("extend", "SC-REV", days=5, approved_by="SC-HEAD", reason="待核查"), Accepted
    )


def test_one_review_one_approval_still_refuses_a_reviewer_who_may_decide(tmp_path):
    m = Monitor(rulebook(tmp_path))
    c = Case(m, "C-9")
    c.path(("submit", "applicant-1"), ("accept", "SC-ACC"), ("undertake", "SC-BOTH"))
    c.path(("review", "SC-BOTH"))
    out = c.send("approve", "SC-BOTH")
    assert isinstance(out, Rejected) and out.reason_code == "SOD-HISTORY"
    c.path(("approve", "SC-APP"))


def test_a_rulebook_without_a_roster_checks_no_one(tmp_path):
    m = Monitor(
        fyrules.load(write_rulebook(tmp_path, {"catalog.yaml": CATALOG}, extends="national"))
    )
    c = Case(m, "C-10")
    c.path(("submit", "x"), ("accept", "nobody-at-all"), ("undertake", "nobody-at-all"))


def test_a_misspelt_role_in_a_processes_actors_is_an_unknown_reference(tmp_path):
    process = """\
processes:
  - id: NAT-PROCESS-COMMITMENT
    title: 承诺件
    basis: 测试
    applies_to: {kinds: [commitment]}
    valid_from: 2019-04-23
    stages: [submit, accept, undertake, review, approve, complete, deliver]
    actors:
      basis: 测试
      applicant: [submit]
      roles: {accept: [acceptr]}
"""
    root = tmp_path / "rb"
    write_rulebook(
        root,
        {"catalog.yaml": CATALOG, "separation.yaml": ROSTER, "processes.yaml": process},
        extends="national",
    )
    problems = check_as_of(root, today=dt.date(2025, 10, 9)).problems
    assert "UNKNOWN-REFERENCE" in codes(problems)
    assert any("acceptr" in p.message_en and "acceptor" in p.message_en for p in problems)


def test_a_decision_by_level_must_name_every_level(tmp_path):
    process = """\
processes:
  - id: NAT-PROCESS-COMMITMENT
    title: 承诺件
    basis: 测试
    applies_to: {kinds: [commitment]}
    valid_from: 2019-04-23
    stages: [submit, accept, undertake, review, approve, complete, deliver]
    actors:
      basis: 测试
      roles: {approve: {window: [approver], chief: [approval_head]}}
"""
    root = tmp_path / "rb"
    write_rulebook(root, {"catalog.yaml": CATALOG, "processes.yaml": process}, extends="national")
    problems = check_as_of(root, today=dt.date(2025, 10, 9)).problems
    assert any("leader" in p.message_en for p in problems)


# --- the hand-written event log of the scenario, on Fuyang's rulebook ---------------


def test_the_walk_around_log_is_refused_event_by_event(fuyang):
    """tests/scenarios/roster-walk-around.jsonl: an unknown id, the center's acceptor and a
    reviewer of another department try to take a case through; a window approver tries a
    leader-level item; only the lawful events are accepted."""
    m = Monitor(fuyang)
    m.replay_file(SCENARIOS / "roster-walk-around.jsonl")
    reasons = [(r["event"]["id"], r["reason"]) for r in m.rejected()]
    assert reasons == [
        ("w-02", "ROSTER-NOT-LISTED"),
        ("w-03", "ROSTER-NOT-LISTED"),
        ("w-05", "ROSTER-NO-ROLE"),
        ("w-06", "ROSTER-NO-ROLE"),
        ("w-09", "ROSTER-NO-ROLE"),
        ("w-11", "ROSTER-NO-ROLE"),
        ("w-17", "ROSTER-APPROVER"),
        ("w-20", "ROSTER-AUTHORIZATION"),
        ("w-21", "ROSTER-AUTHORIZATION"),
    ]
    assert m.store.get_closed("FY-2025-W1") is not None  # the lawful path finished the case
    assert m.store.get_case("FY-2025-W2")["stage"] == "approve"
    for r in m.rejected():
        assert "依据" in r["message_zh"] and "Basis" in r["message_en"]


def test_evaluate_on_the_walk_around_log_lists_the_refusals(capsys):
    from fyrules.cli import main

    main(["evaluate", str(FUYANG), str(SCENARIOS / "roster-walk-around.jsonl"), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert {r["reason"] for r in doc["rejected"]} == {
        "ROSTER-NOT-LISTED",
        "ROSTER-NO-ROLE",
        "ROSTER-AUTHORIZATION",
        "ROSTER-APPROVER",
    }
