"""Rules: compile errors at their positions, versions in force by date, evaluation, findings."""

from __future__ import annotations

import datetime as dt

import pytest

import fyrules
from fyrules.engine.context import with_empty_fields
from fyrules.engine.expr import EvaluationError
from fyrules.items.scope import ITEM_CONTEXT
from tests.helpers import codes, write_rulebook

ITEM_RULE = """\
rules:
  - id: R-LATE
    title: {{zh: 承诺过长, en: Commitment too long}}
    basis: 测试依据第一条
    severity: {severity}
    scope: item
    condition: {condition}
    message: {{zh: "承诺 {{committed_days}} 天", en: "committed {{committed_days}} days"}}
{extra}"""


def rule(condition: str = "committed_days > 10", severity: str = "error", extra: str = "") -> str:
    return ITEM_RULE.format(condition=condition, severity=severity, extra=extra)


# As of a fixed day: from 1 December the calendar warns that next year's schedule is missing,
# and the tests below expect exactly the problems of their rule files.
TODAY = dt.date(2025, 10, 15)


def check(tmp_path, files):
    return fyrules.check(write_rulebook(tmp_path, files), today=TODAY)


def test_misspelled_field_is_reported_at_its_column_with_a_suggestion(tmp_path):
    result = check(tmp_path, {"r.yaml": rule("comitted_days > 10")})
    (problem,) = result.problems
    assert problem.code == "EXPR-UNKNOWN-FIELD"
    assert problem.rule == "R-LATE"
    assert "committed_days" in problem.message_en
    assert (problem.line, problem.column) == (7, 16)


def test_unknown_scope_lists_the_known_ones(tmp_path):
    text = rule().replace("scope: item", "scope: itme")
    (problem,) = check(tmp_path, {"r.yaml": text}).problems
    assert problem.code == "UNKNOWN-SCOPE"
    assert "'item'" in problem.message_en


def test_condition_must_be_true_or_false(tmp_path):
    (problem,) = check(tmp_path, {"r.yaml": rule("committed_days + 1")}).problems
    assert problem.code == "EXPR-TYPE"


def test_hostile_condition_is_refused_at_load_time(tmp_path):
    text = rule('"().__class__.__bases__[0].__subclasses__()"')
    (problem,) = check(tmp_path, {"r.yaml": text}).problems
    assert problem.code == "EXPR-FORBIDDEN"
    with pytest.raises(fyrules.RulebookError) as err:
        fyrules.load(tmp_path)
    assert err.value.problems[0].code == "EXPR-FORBIDDEN"


def test_unknown_parameter_in_param_is_a_reference_error(tmp_path):
    (problem,) = check(
        tmp_path, {"r.yaml": rule('committed_days > param("decison_days")')}
    ).problems
    assert problem.code == "UNKNOWN-REFERENCE"


def test_param_reads_the_parameter_of_the_most_local_layer(tmp_path):
    params = "parameters:\n  - {id: decision_days, title: 期限, value: 15, tighten: lower, basis: 本市}\n"
    root = write_rulebook(
        tmp_path,
        {
            "r.yaml": rule('committed_days > param("decision_days")'),
            "p.yaml": params,
            "d.yaml": "departments: [{id: D, name: 部门}]\n",
        },
        extends="national",
    )
    rb = fyrules.load(root)
    assert [f.rule for f in rb.evaluate("item", _item(statutory_days=10, committed_days=16))] == [
        "NAT-COMMITTED-WITHIN-STATUTORY",
        "R-LATE",
    ]
    assert rb.evaluate("item", _item(statutory_days=15, committed_days=15)) == []


def test_lookup_of_an_unknown_table_is_a_reference_error(tmp_path):
    text = rule('committed_days > lookup("NO-SUCH-TABLE", type)')
    (problem,) = check(tmp_path, {"r.yaml": text}).problems
    assert problem.code == "UNKNOWN-REFERENCE"


def test_overlapping_versions_are_an_error(tmp_path):
    text = rule(extra="    valid_from: 2025-01-01\n") + rule(
        extra="    valid_from: 2025-06-01\n"
    ).replace("rules:\n", "")
    text = text.replace(
        "valid_from: 2025-01-01", "valid_from: 2025-01-01\n    valid_to: 2025-06-30"
    )
    assert "VALIDITY-OVERLAP" in codes(check(tmp_path, {"r.yaml": text}).problems)


def test_validity_that_ends_before_it_starts(tmp_path):
    text = rule(extra="    valid_from: 2025-06-01\n    valid_to: 2025-01-01\n")
    assert codes(check(tmp_path, {"r.yaml": text}).problems) == ["VALIDITY-EMPTY"]


def test_the_version_in_force_on_a_date_applies(tmp_path):
    v1 = rule("committed_days > 10", extra="    valid_to: 2025-06-30\n")
    v2 = rule("committed_days > 5", extra="    valid_from: 2025-07-01\n").replace("rules:\n", "")
    rb = fyrules.load(write_rulebook(tmp_path, {"r.yaml": v1 + v2}))
    item = _item(committed_days=7)
    assert rb.evaluate("item", item, on=dt.date(2025, 6, 30)) == []
    assert [f.rule for f in rb.evaluate("item", item, on=dt.date(2025, 7, 1))] == ["R-LATE"]
    assert rb.rules.in_force("R-LATE", dt.date(2025, 1, 1)).valid_to == dt.date(2025, 6, 30)


def test_finding_carries_message_basis_subject_and_trace(tmp_path):
    rb = fyrules.load(write_rulebook(tmp_path, {"r.yaml": rule()}))
    (finding,) = rb.evaluate("item", _item(code="FY-9", committed_days=12), explain=True)
    doc = finding.to_dict()
    assert doc["rule"] == "R-LATE" and doc["item"] == "FY-9"
    assert doc["message"] == "承诺 12 天" and doc["message_en"] == "committed 12 days"
    assert doc["basis"] == "测试依据第一条"
    assert {"text": "committed_days", "value": 12} in doc["trace"]


def test_evaluation_error_names_the_rule(tmp_path):
    rb = fyrules.load(write_rulebook(tmp_path, {"r.yaml": rule()}))
    with pytest.raises(EvaluationError) as err:
        rb.evaluate("item", _item(committed_days=None))
    assert err.value.problem.rule == "R-LATE"
    assert err.value.problem.path.endswith("r.yaml")


def test_catalog_rules_run_over_every_item_in_check(tmp_path):
    items = """\
    departments: [{id: D, name: 部门}]
    items:
      - {code: I-1, name: 甲, department: D, type: commitment, committed_days: 12}
      - {code: I-2, name: 乙, department: D, type: commitment, committed_days: 3}
    """
    result = check(tmp_path, {"r.yaml": rule(), "items.yaml": items})
    (problem,) = result.problems
    assert problem.code == "R-LATE" and "I-1" in problem.message_zh
    assert problem.line == 3


def test_item_referring_to_a_missing_department(tmp_path):
    items = "departments: [{id: SC, name: 市场}]\nitems:\n  - {code: I-1, name: 甲, department: CS, type: immediate}\n"
    root = write_rulebook(tmp_path, {"items.yaml": items}, extends="national")
    problems = [p for p in fyrules.check(root).problems if p.severity == "error"]
    assert codes(problems) == ["NAT-DEPARTMENT-EXISTS"]
    assert "'CS'" in problems[0].message_en


def _item(**fields):
    """An item context with every field empty but those a test sets."""
    base = {
        "code": "I",
        "name": "事项",
        "department": "D",
        "type": "commitment",
        "kind": "commitment",
        "statutory_days": 20,
        "committed_days": 5,
        "consult_phone": "1",
        "complaint_phone": "2",
        "online": "none",
        "authorization": "window",
    }
    base.update(fields)
    return with_empty_fields(ITEM_CONTEXT, base)


CEILING = """\
tables:
  - id: CEILING
    title: 上限
    basis: 测试依据
    hit_policy: FIRST
    inputs: [{name: type, type: string}, {name: statutory_days, type: number}]
    outputs: [{name: days, type: number}]
    rows:
      - [immediate, "-", 0]
      - ["-", "<= 10", 5]
      - ["-", "-", 12]
"""


def test_a_rule_looks_up_a_decision_table(tmp_path):
    text = rule('committed_days > lookup("CEILING", type, statutory_days)')
    rb = fyrules.load(write_rulebook(tmp_path, {"r.yaml": text, "t.yaml": CEILING}))
    assert [f.rule for f in rb.evaluate("item", _item(statutory_days=8, committed_days=6))] == [
        "R-LATE"
    ]
    assert rb.evaluate("item", _item(statutory_days=20, committed_days=12)) == []


def test_lookup_result_is_typed_by_the_table_output(tmp_path):
    text = rule('lookup("CEILING", type, statutory_days) == "five"')
    (problem,) = check(tmp_path, {"r.yaml": text, "t.yaml": CEILING}).problems
    assert problem.code == "EXPR-TYPE"


def test_lookup_with_the_wrong_number_of_inputs(tmp_path):
    text = rule('committed_days > lookup("CEILING", type)')
    (problem,) = check(tmp_path, {"r.yaml": text, "t.yaml": CEILING}).problems
    assert problem.code == "EXPR-ARGUMENTS" and "type, statutory_days" in problem.message_en


def test_test_with_an_unknown_field_is_invalid(tmp_path):
    test = """\
    tests:
      - id: T-1
        scope: item
        given: {comitted_days: 3}
        expect: {findings: []}
    """
    (problem,) = check(tmp_path, {"t.yaml": test}).problems
    assert problem.code == "TEST-INVALID" and "committed_days" in problem.message_en


def test_failing_test_result_is_a_test_failed_problem(tmp_path):
    test = """\
    tests:
      - id: T-1
        scope: item
        given: {committed_days: 30}
        expect: {findings: []}
    """
    rb = fyrules.load(write_rulebook(tmp_path, {"t.yaml": test, "r.yaml": rule()}))
    (result,) = rb.run_tests().results
    assert not result.passed and result.fired == ("R-LATE",)
    assert result.problem().code == "TEST-FAILED"
    assert "R-LATE" in result.problem().message_en
