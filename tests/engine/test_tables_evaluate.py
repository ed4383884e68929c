"""Evaluating decision tables: the DMN 1.3 hit policies, aggregations, defaults and input errors."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import pytest

from fyrules.engine.problems import FyrulesError
from fyrules.engine.tables import TableError, TableResult

from .table_helpers import make_table, yaml_table

LIMITS = """
tables:
  - id: COMMITTED-LIMIT-BY-TYPE
    title: {zh: 按事项类型确定承诺时限上限, en: Committed-limit ceiling by item type}
    basis: 《中华人民共和国行政许可法》第四十二条
    hit_policy: UNIQUE
    inputs:
      - {name: item_type, type: string, values: [immediate, commitment, joint, report_up]}
      - {name: statutory_days, type: number, range: [0, 60]}
    outputs:
      - {name: max_committed_days, type: number}
    rows:
      - [immediate, "-", 0]
      - {item_type: commitment, statutory_days: "[0..20]", max_committed_days: 15}
      - [commitment, "> 20", 20]
      - [joint, "-", 20]
      - [report_up, "-", 10]
"""

NUMBER_IN = [{"name": "x", "type": "number"}]
LEVEL_OUT = [{"name": "level", "type": "string"}]


def raised(table, inputs) -> TableError:
    with pytest.raises(TableError) as caught:
        table.evaluate(inputs)
    return caught.value


def test_unique_table_gives_the_one_matching_row() -> None:
    table = yaml_table(LIMITS)
    result = table.evaluate({"item_type": "commitment", "statutory_days": 25})
    assert result == TableResult("COMMITTED-LIMIT-BY-TYPE", 20, (3,))
    assert table.evaluate({"item_type": "immediate", "statutory_days": 7}).value == 0
    assert table.title_zh == "按事项类型确定承诺时限上限"
    assert table.basis == "《中华人民共和国行政许可法》第四十二条"


def test_unique_table_with_two_matching_rows_is_an_error() -> None:
    table = make_table(NUMBER_IN, LEVEL_OUT, [["[0..10]", "low"], ["[10..20]", "high"]])
    error = raised(table, {"x": 10})
    assert error.problem.code == "TABLE-MULTIPLE-MATCH"
    assert "1, 2" in error.problem.message_en
    assert error.problem.rule == "T"
    assert isinstance(error, FyrulesError)


def test_no_matching_row_is_an_error_that_shows_the_inputs() -> None:
    table = make_table(NUMBER_IN, LEVEL_OUT, [["[0..10]", "low"]])
    error = raised(table, {"x": 11})
    assert error.problem.code == "TABLE-NO-MATCH"
    assert "x=11" in error.problem.message_en
    assert "x=11" in error.problem.message_zh


def test_first_returns_the_first_matching_row_from_the_top() -> None:
    table = make_table(
        NUMBER_IN, LEVEL_OUT, [["> 10", "high"], ["> 5", "mid"], ["-", "low"]], hit_policy="FIRST"
    )
    assert table.evaluate({"x": 11}) == TableResult("T", "high", (1,))
    assert table.evaluate({"x": 6}) == TableResult("T", "mid", (2,))
    assert table.evaluate({"x": 0}) == TableResult("T", "low", (3,))


def test_priority_returns_the_match_whose_output_comes_first_in_the_priority_list() -> None:
    outputs = [{"name": "level", "type": "string", "priority": ["red", "yellow", "green"]}]
    rows = [["-", "green"], [">= 3", "yellow"], [">= 5", "red"], ["[3..4]", "yellow"]]
    table = make_table(NUMBER_IN, outputs, rows, hit_policy="PRIORITY")
    assert table.evaluate({"x": 0}) == TableResult("T", "green", (1,))
    assert table.evaluate({"x": 6}) == TableResult("T", "red", (3,))
    # rows 2 and 4 tie on "yellow": the first of them wins
    assert table.evaluate({"x": 3}) == TableResult("T", "yellow", (2,))


def test_any_accepts_several_matches_with_the_same_output() -> None:
    rows = [["< 5", "small"], ["< 3", "small"], [">= 5", "big"]]
    table = make_table(NUMBER_IN, LEVEL_OUT, rows, hit_policy="ANY")
    assert table.evaluate({"x": 1}) == TableResult("T", "small", (1, 2))
    assert table.evaluate({"x": 9}).value == "big"


def test_any_with_different_outputs_is_an_error() -> None:
    table = make_table(NUMBER_IN, LEVEL_OUT, [["< 5", "small"], ["< 3", "tiny"]], hit_policy="ANY")
    error = raised(table, {"x": 1})
    assert error.problem.code == "TABLE-MULTIPLE-MATCH"
    assert "rows 1 and 2" in error.problem.message_en


COLLECT_ROWS = [["> 0", 1], ["> 5", 2], ["> 10", 4]]
POINTS = [{"name": "points", "type": "number"}]


@pytest.mark.parametrize(
    ("aggregation", "x", "value", "rows"),
    [
        (None, 7, [1, 2], (1, 2)),
        (None, 0, [], ()),
        ("SUM", 11, 7, (1, 2, 3)),
        ("SUM", 0, 0, ()),
        ("COUNT", 11, 3, (1, 2, 3)),
        ("COUNT", 0, 0, ()),
        ("MIN", 11, 1, (1, 2, 3)),
        ("MIN", 0, None, ()),
        ("MAX", 7, 2, (1, 2)),
        ("MAX", 0, None, ()),
    ],
)
def test_collect_and_its_aggregations(aggregation, x, value, rows) -> None:
    extra = {"aggregation": aggregation} if aggregation else {}
    table = make_table(NUMBER_IN, POINTS, COLLECT_ROWS, hit_policy="COLLECT", **extra)
    assert table.evaluate({"x": x}) == TableResult("T", value, rows)


def test_min_and_max_work_on_dates() -> None:
    outputs = [{"name": "due", "type": "date"}]
    rows = [["-", "2025-10-08"], ["> 1", "2025-10-01"]]
    table = make_table(NUMBER_IN, outputs, rows, hit_policy="COLLECT", aggregation="MIN")
    assert table.evaluate({"x": 2}).value == dt.date(2025, 10, 1)


def test_several_outputs_give_a_dict_and_collect_a_list_of_dicts() -> None:
    outputs = [{"name": "days", "type": "number"}, {"name": "level", "type": "string"}]
    rows = [["< 5", 1, "a"], ["-", 2, "b"]]
    first = make_table(NUMBER_IN, outputs, rows, hit_policy="FIRST")
    assert first.evaluate({"x": 1}).value == {"days": 1, "level": "a"}
    collect = make_table(NUMBER_IN, outputs, rows, hit_policy="COLLECT")
    assert collect.evaluate({"x": 1}).value == [
        {"days": 1, "level": "a"},
        {"days": 2, "level": "b"},
    ]


def test_a_fresh_dict_each_time_so_callers_cannot_change_the_table() -> None:
    outputs = [{"name": "days", "type": "number"}, {"name": "level", "type": "string"}]
    table = make_table(NUMBER_IN, outputs, [["-", 1, "a"]])
    table.evaluate({"x": 1}).value["days"] = 99
    assert table.evaluate({"x": 1}).value["days"] == 1


def test_default_is_the_result_when_no_row_matches() -> None:
    table = make_table(NUMBER_IN, LEVEL_OUT, [["> 10", "high"]], default="normal")
    assert table.evaluate({"x": 1}) == TableResult("T", "normal", ())
    outputs = [{"name": "days", "type": "number"}, {"name": "level", "type": "string"}]
    table = make_table(NUMBER_IN, outputs, [["> 10", 1, "x"]], default={"days": 0, "level": "none"})
    assert table.evaluate({"x": 1}).value == {"days": 0, "level": "none"}


def test_string_date_and_bool_inputs() -> None:
    inputs = [
        {"name": "kind", "type": "string"},
        {"name": "accepted", "type": "date"},
        {"name": "urgent", "type": "bool"},
    ]
    rows = [
        ["a, b", ">= 2025-10-01", True, "new-urgent"],
        ["a, b", ">= 2025-10-01", False, "new"],
        ["-", "-", "-", "old"],
    ]
    table = make_table(inputs, LEVEL_OUT, rows, hit_policy="FIRST")
    assert table.evaluate(
        {"kind": "a", "accepted": dt.date(2025, 10, 2), "urgent": True}
    ).value == ("new-urgent")
    assert (
        table.evaluate({"kind": "b", "accepted": dt.date(2025, 10, 2), "urgent": False}).value
        == "new"
    )
    assert (
        table.evaluate({"kind": "c", "accepted": dt.date(2025, 10, 2), "urgent": True}).value
        == "old"
    )


def test_numbers_of_any_kind_compare_by_value() -> None:
    table = make_table(NUMBER_IN, LEVEL_OUT, [["[1..2]", "in"], ["not([1..2])", "out"]])
    assert table.evaluate({"x": 1.5}).value == "in"
    assert table.evaluate({"x": Decimal("2")}).value == "in"
    assert table.evaluate({"x": 2.0000001}).value == "out"


def test_extra_inputs_are_ignored() -> None:
    table = make_table(NUMBER_IN, LEVEL_OUT, [["-", "any"]])
    assert table.evaluate({"x": 1, "unrelated": object()}).value == "any"


@pytest.mark.parametrize(
    ("inputs", "fragment"),
    [
        ({}, "missing input: x"),
        ({"y": 1}, "missing input: x"),
        ({"x": "5"}, "should be a number, got the string"),
        ({"x": True}, "should be a number, got the bool"),
        ({"x": None}, "should be a number, got the null"),
        ({"x": float("nan")}, "should be a number"),
        ({"x": [1]}, "should be a number"),
        (None, "must be a mapping"),
        ([("x", 1)], "must be a mapping"),
    ],
)
def test_bad_inputs_are_table_errors_not_python_errors(inputs, fragment) -> None:
    table = make_table(NUMBER_IN, LEVEL_OUT, [["-", "any"]])
    error = raised(table, inputs)
    assert error.problem.code == "TABLE-INPUT"
    assert fragment in error.problem.message_en
    assert error.problem.message_zh


def test_datetime_is_not_a_date_input() -> None:
    table = make_table([{"name": "d", "type": "date"}], LEVEL_OUT, [["-", "any"]])
    error = raised(table, {"d": dt.datetime(2025, 10, 1, 9, 0)})
    assert "should be a date, got the datetime" in error.problem.message_en


def test_inputs_outside_the_declared_domain_are_rejected() -> None:
    table = yaml_table(LIMITS)
    error = raised(table, {"item_type": "mystery", "statutory_days": 3})
    assert error.problem.code == "TABLE-INPUT"
    assert "outside its declared domain" in error.problem.message_en
    error = raised(table, {"item_type": "joint", "statutory_days": 61})
    assert "[0..60]" in error.problem.message_en


def test_errors_point_at_the_table() -> None:
    table = yaml_table(LIMITS)
    error = raised(table, {})
    assert error.problem.location is not None
    assert (error.problem.line, error.problem.column) == (3, 5)
    assert error.problem.rule == "COMMITTED-LIMIT-BY-TYPE"


def test_a_table_travels_to_worker_processes_by_pickle() -> None:
    table = yaml_table(LIMITS)
    copy = pickle.loads(pickle.dumps(table))
    assert copy == table
    inputs = {"item_type": "commitment", "statutory_days": 25}
    assert copy.evaluate(inputs) == table.evaluate(inputs)
    with pytest.raises(TableError):
        copy.evaluate({"item_type": "mystery", "statutory_days": 1})
