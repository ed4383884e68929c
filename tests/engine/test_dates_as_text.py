"""YAML 1.2 reads ``2025-10-01`` as text: wherever a rule file expects a date, that text is a
date — in rule validity, parameters, rulebook tests' contexts and decision-table lookups — and
text that is not a real date is still refused."""

from __future__ import annotations

import datetime as dt

import fyrules
from fyrules.engine.context import context_errors, with_empty_fields
from fyrules.engine.expr.types import DATE, DATETIME, STRING, list_of, object_type, optional
from fyrules.engine.load.model import ParameterSpec, RuleSpec
from tests.helpers import write_rulebook

SCHEMA = object_type(
    "probe",
    {
        "day": DATE,
        "maybe": optional(DATE),
        "days": list_of(DATE),
        "at": DATETIME,
        "label": STRING,
    },
    {},
)


def test_a_context_may_give_dates_and_times_as_iso_text():
    given = {
        "day": "2025-10-01",
        "maybe": "2025-02-28",
        "days": ["2025-01-01"],
        "at": "2025-10-09T09:30:00+08:00",
        "label": "2025-10-01",
    }
    assert context_errors(SCHEMA, given) == []
    filled = with_empty_fields(SCHEMA, given)
    assert filled["day"] == dt.date(2025, 10, 1)
    assert filled["maybe"] == dt.date(2025, 2, 28)
    assert filled["days"] == [dt.date(2025, 1, 1)]
    assert filled["at"] == dt.datetime(2025, 10, 9, 1, 30, tzinfo=dt.UTC)
    assert filled["label"] == "2025-10-01"  # a text field keeps its text


def test_a_context_refuses_text_that_is_not_a_real_date_or_time():
    errors = context_errors(SCHEMA, {"day": "2025-02-30", "at": "2025-10-09", "days": ["x"]})
    assert [en.split(" must")[0] for _, en in errors] == ["given.day", "given.at", "given.days[0]"]
    assert context_errors(SCHEMA, {"day": "2025-10-01 08:00"}) != []


def test_rule_validity_and_parameters_read_iso_text_as_dates():
    rule = RuleSpec.model_validate(
        {
            "id": "R",
            "title": "t",
            "basis": "b",
            "scope": "item",
            "condition": "true",
            "message": {"zh": "甲", "en": "a"},
            "valid_from": "2025-01-01",
        }
    )
    assert rule.valid_from == dt.date(2025, 1, 1)
    spec = ParameterSpec(id="start", title="t", value="2025-10-01", basis="b")
    assert spec.value == dt.date(2025, 10, 1)
    assert ParameterSpec(id="n", title="t", value="FY-2025", basis="b").value == "FY-2025"


def test_a_parameter_that_looks_like_a_date_but_is_not_one_is_refused():
    try:
        ParameterSpec(id="start", title="t", value="2025-02-30", basis="b")
    except ValueError as exc:
        assert "2025-02-30" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("2025-02-30 was accepted")


TABLE = """\
tables:
  - id: PHASE
    title: {zh: 阶段, en: Phase}
    basis: 测试
    hit_policy: UNIQUE
    inputs:
      - {name: day, type: date}
    outputs:
      - {name: phase, type: string}
      - {name: since, type: date}
    rows:
      - ["< 2025-07-01", first, 2025-01-01]
      - [">= 2025-07-01", second, 2025-07-01]
tests:
  - id: T-FIRST
    table: PHASE
    given: {day: 2025-03-01}
    expect: {output: {phase: first, since: 2025-01-01}}
  - id: T-SECOND
    table: PHASE
    given: {day: "2025-08-15"}
    expect: {output: {phase: second, since: 2025-07-01}}
"""


def test_table_tests_give_and_expect_dates_as_text(tmp_path):
    rulebook = fyrules.load(write_rulebook(tmp_path, {"tables.yaml": TABLE}))
    report = rulebook.run_tests()
    assert [(r.id, r.passed, r.message_en) for r in report.results] == [
        ("T-FIRST", True, ""),
        ("T-SECOND", True, ""),
    ]
