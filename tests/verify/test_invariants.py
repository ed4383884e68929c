"""Invariants in rule files: compiled at load like rules, run by rulebook tests, evaluated on
what the monitor accepts."""

from __future__ import annotations

from pathlib import Path

import fyrules
from fyrules.invariants import broken, replay
from tests.conftest import FUYANG, fuyang_rulebook, generated_month
from tests.helpers import codes

NATIONAL = Path(fyrules.__file__).resolve().parent / "baseline" / "national"

INVARIANT = """\
invariants:
  - id: INV-1
    title: 测试
    basis: 测试依据
    scope: {scope}
    statement: {statement}
    message: {{zh: 违反, en: broken}}
"""


def _write(tmp_path: Path, statement: str, scope: str = "case_history") -> Path:
    root = tmp_path / "rb"
    root.mkdir()
    (root / "rulebook.yaml").write_text(
        'rulebook: t\nname: {zh: 测试, en: Test}\njurisdiction: 测试\nversion: "1"\n'
        "extends: national\n",
        encoding="utf-8",
    )
    (root / "invariants.yaml").write_text(
        INVARIANT.format(scope=scope, statement=statement), encoding="utf-8"
    )
    return root


def test_the_shipped_rulebooks_declare_invariants_of_each_kind():
    """Separation of duties, deadlines and process order, each with its basis."""
    national = fyrules.load(NATIONAL).part("invariants")
    fuyang = fuyang_rulebook().part("invariants")
    assert {"NAT-INV-STATUTORY-OVERDUE-FLAGGED", "NAT-INV-DECISION-AFTER-ACCEPTANCE"} <= set(
        national.ids
    )
    assert {
        "FY-INV-REVIEWER-NOT-DECIDER",
        "FY-INV-HANDLER-NOT-INSPECTOR",
        "FY-INV-NO-INSPECTION-OF-OWN-DEPARTMENT",
        "FY-INV-OVERDUE-RED-CARD",
        "FY-INV-LATE-STAGE-CARDED",
    } <= set(fuyang.ids)
    assert set(national.ids) <= set(fuyang.ids)  # the city inherits the baseline's
    assert all(inv.basis for inv in fuyang)


def test_an_unknown_name_in_a_statement_fails_at_load_with_file_line_and_id(tmp_path):
    root = _write(tmp_path, "comitted_remaining >= 0")
    result = fyrules.check(root)
    [problem] = [p for p in result.problems if p.rule == "INV-1"]
    assert problem.code == "EXPR-UNKNOWN-FIELD"
    assert problem.path.endswith("invariants.yaml") and problem.line == 6
    assert "committed_remaining" in problem.message_en  # did you mean …?


def test_a_statement_that_is_not_true_or_false_fails_at_load(tmp_path):
    result = fyrules.check(_write(tmp_path, "used_days + 1"))
    assert [p.code for p in result.problems if p.rule == "INV-1"] == ["EXPR-TYPE"]


def test_an_invariant_in_a_scope_invariants_do_not_have_fails_at_load(tmp_path):
    result = fyrules.check(_write(tmp_path, "used_days >= 0", scope="case"))
    [problem] = [p for p in result.problems if p.rule == "INV-1"]
    assert problem.code == "UNKNOWN-SCOPE" and "case_history" in problem.message_en


def test_an_invariant_with_the_id_of_a_rule_fails_at_load(tmp_path):
    root = _write(tmp_path, "used_days >= 0")
    text = (root / "invariants.yaml").read_text(encoding="utf-8")
    (root / "invariants.yaml").write_text(
        text.replace("INV-1", "NAT-STATUTORY-OVERDUE"), encoding="utf-8"
    )
    assert "DUPLICATE-ID" in codes(fyrules.check(root).problems)


def _with_fuyang_items(root: Path) -> Path:
    (root / "items.yaml").write_text(
        (FUYANG / "items" / "market-regulation.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    for name in ("departments.yaml", "calendar.yaml", "parameters.yaml"):
        (root / name).write_text((FUYANG / name).read_text(encoding="utf-8"), encoding="utf-8")
    return root


def test_a_person_month_invariant_sees_the_persons_month(tmp_path):
    root = _with_fuyang_items(_write(tmp_path, "len(inspected) < 2", scope="person_month"))
    rb = fyrules.load(root)
    case = {"item": "FY-SC-001", "dept": "SC"}
    events = [
        {**case, "case": "C-1", "event": "accept", "actor": "a", "at": "2025-10-09T09:00:00+08:00"},
        {**case, "case": "C-2", "event": "accept", "actor": "a", "at": "2025-10-09T09:00:00+08:00"},
        {
            **case,
            "case": "C-1",
            "event": "inspect",
            "actor": "i",
            "at": "2025-10-20T09:00:00+08:00",
        },
        {
            **case,
            "case": "C-2",
            "event": "inspect",
            "actor": "i",
            "at": "2025-11-03T09:00:00+08:00",
        },
    ]
    assert broken(rb, replay(rb, events)) == []  # one inspection in October, one in November
    events[3]["at"] = "2025-10-21T09:00:00+08:00"
    [finding] = broken(rb, replay(rb, events))
    assert (finding.rule, finding.subject, finding.subject_kind) == ("INV-1", "i", "person")


def test_a_stream_the_monitor_accepts_breaks_no_invariant_of_fuyang():
    """What the generator makes of a month, faults included, breaks none of Fuyang's
    invariants: the monitor refuses or reports everything they forbid."""
    rb = fuyang_rulebook()
    events = list(generated_month(120, 5, faults=True))
    replayed = replay(rb, events)
    assert len(replayed.cases) == 120
    assert broken(rb, replayed) == []


def test_an_invariant_is_broken_on_what_the_monitor_accepted(tmp_path):
    """An invariant stricter than the rules: the accepted events break it, the rejected
    ones do not count."""
    root = _with_fuyang_items(_write(tmp_path, 'not any(e.kind == "extend" for e in events)'))
    rb = fyrules.load(root)
    case = {"case": "C-1", "item": "FY-SC-001", "dept": "SC"}
    events = [  # staff from Fuyang's roster: acceptor, reviewer, and the head approving
        {**case, "event": "accept", "actor": "P-SC-03", "at": "2025-10-09T09:00:00+08:00"},
        {
            **case,
            "event": "extend",
            "actor": "P-SC-02",
            "at": "2025-10-08T09:00:00+08:00",
            "data": {"days": 3, "approved_by": "P-SC-01", "reason": "专家评审未完成"},
        },  # time runs backwards: refused
    ]
    assert broken(rb, replay(rb, events)) == []
    events[1]["at"] = "2025-10-10T09:00:00+08:00"
    [finding] = broken(rb, replay(rb, events))
    assert (finding.rule, finding.subject, finding.message_en) == ("INV-1", "C-1", "broken")


def test_a_case_history_test_whose_case_was_never_accepted_says_so(tmp_path):
    root = _with_fuyang_items(_write(tmp_path, "used_days >= 0"))
    (root / "tests.yaml").write_text(
        "tests:\n"
        "  - id: T-NEVER-ACCEPTED\n"
        "    scope: case_history\n"
        "    events:\n"
        "      - {case: C-1, item: FY-SC-001, event: submit, actor: x,"
        ' at: "2025-10-09T09:00:00+08:00"}\n'
        "    expect: {findings: []}\n",
        encoding="utf-8",
    )
    results = fyrules.load(root).run_tests().results
    [result] = [r for r in results if r.id == "T-NEVER-ACCEPTED"]
    assert not result.passed
    assert "case C-1 was never accepted by the monitor" in result.message_en
