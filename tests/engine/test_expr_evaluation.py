"""Running compiled expressions: values, empty values, failures as EvaluationError, traces."""

from __future__ import annotations

import pickle
import threading
from types import MappingProxyType

import attrs
import pytest

from fyrules.engine.expr import BOOL, EvaluationError, TraceStep, parse_template
from fyrules.engine.problems import FyrulesError, Location
from tests.engine.expr_support import SCHEMA, compiled, context, evaluate


def failure(source: str, location: Location | None = None, **changes: object) -> EvaluationError:
    expression = compiled(source, location=location)
    with pytest.raises(EvaluationError) as caught:
        expression(context(**changes))
    with pytest.raises(EvaluationError) as traced:
        expression.evaluate_traced(context(**changes))
    assert traced.value.problem == caught.value.problem
    assert caught.value.problem.code == "EXPR-EVALUATION"
    return caught.value


# --- values -----------------------------------------------------------------------------


def test_the_benchmark_condition():
    condition = compiled('age >= 18 and income < 30000 and region in ["A", "B"]', expected=BOOL)
    assert condition(context()) is True
    assert condition(context(region="C")) is False
    assert condition(context(age=17)) is False


def test_chained_comparisons():
    assert evaluate("1 <= age < 65")
    assert not evaluate("1 <= age < 18")
    assert evaluate("accepted_on <= decided_on <= decided_on")


def test_in_finds_elements_of_lists_and_pieces_of_text():
    assert evaluate('"urgent" in tags')
    assert evaluate('"online" not in ["a", "b"]')
    assert evaluate('"急" in note')
    assert evaluate("2 in amounts", amounts=(1, 2))


def test_lists_and_tuples_compare_equal_element_by_element():
    assert evaluate('tags == ["urgent", "online"]', tags=("urgent", "online"))
    assert evaluate("amounts != [1]", amounts=(1, 2))


def test_arithmetic_and_string_joining():
    assert evaluate("(committed_days + 1) * 2 - statutory_days / 4") == 21
    assert evaluate("statutory_days // 3 + statutory_days % 3") == 8
    assert evaluate("-age + +age") == 0
    assert evaluate('region + "-" + 名称') == "A-测试"


def test_conditional_expressions_evaluate_one_branch():
    assert evaluate("age / 0 if flag and False else 1") == 1


def test_and_or_short_circuit():
    assert evaluate("flag or score > 1", score=None)
    assert not evaluate("not flag and score > 1", score=None)


def test_subscripts_read_elements_and_fields():
    assert evaluate("documents[0].kind") == "营业执照"
    assert evaluate("documents[-1].pages") == 1
    assert evaluate('item["type"]') == "commitment"
    assert evaluate("tags[1][0]") == "o"


# --- empty values ------------------------------------------------------------------------


def test_an_optional_field_that_is_absent_reads_as_none():
    ctx = context()
    del ctx["score"]
    assert compiled("score is None")(ctx) is True
    assert compiled("coalesce(score, 1)")(ctx) == 1


def test_a_field_of_an_empty_object_reads_as_none():
    assert evaluate("item.owner.name is None", item={"type": "x", "owner": None})
    assert evaluate("item.owner.name", item={"type": "x"}) is None


def test_comparing_an_empty_value_fails_with_its_name():
    error = failure("age > 1 and score > 3", Location("r.yaml", 5, 14), score=None)
    assert "'score' is empty (None)" in error.problem.message_en
    assert "“score” 为空" in error.problem.message_zh
    assert error.problem.location == Location("r.yaml", 5, 14 + 12)


def test_arithmetic_on_an_empty_value_fails():
    error = failure("fee * 2", fee=None)
    assert "'fee' is empty" in error.problem.message_en


def test_a_missing_required_field_fails_with_its_path():
    ctx = context()
    del ctx["age"]
    with pytest.raises(EvaluationError) as caught:
        compiled("income > 1 and age > 1")(ctx)
    assert "the context has no field 'age'" in caught.value.problem.message_en
    assert caught.value.problem.column == 16


def test_a_missing_nested_field_names_the_whole_path():
    error = failure("item.type == 'x'", item={"fee": 1})
    assert "'item.type'" in error.problem.message_en


def test_division_by_zero_fails_at_the_division():
    error = failure("1 + age / (income - income)", Location("r.yaml", 1, 1))
    assert "division by zero" in error.problem.message_en
    assert error.problem.column == 5


def test_an_index_out_of_range_fails():
    error = failure("documents[5].kind == 'x'")
    assert "index out of range" in error.problem.message_en


def test_values_of_the_wrong_type_in_the_context_fail_cleanly():
    expression = compiled(
        "age > 1 and count(d for d in documents) > 0 and item.type != 'x' and year(accepted_on) > 1"
    )
    for changes in ({"age": "old"}, {"documents": 3}, {"item": [1]}, {"accepted_on": 5}):
        with pytest.raises(EvaluationError):
            expression(context(**changes))


def test_a_context_that_is_not_a_dict_works_if_it_is_a_mapping():
    assert compiled("age + 1")(MappingProxyType(context())) == 31


def test_evaluation_errors_are_fyrules_errors_with_their_cause():
    error = failure("age / 0")
    assert isinstance(error, FyrulesError)
    assert isinstance(error.__cause__, ZeroDivisionError)


# --- traces ------------------------------------------------------------------------------


def test_a_trace_lists_each_piece_in_evaluation_order():
    value, steps = compiled("age >= 18 and region in ['A', 'B']").evaluate_traced(context())
    assert value is True
    assert [(s.text, s.value) for s in steps] == [
        ("age", 30),
        ("age >= 18", True),
        ("region", "A"),
        ("['A', 'B']", ["A", "B"]),
        ("region in ['A', 'B']", True),
        ("age >= 18 and region in ['A', 'B']", True),
    ]
    assert steps[2] == TraceStep("region", "A", 1, 14)


def test_a_trace_skips_what_short_circuits_skip():
    _, steps = compiled("age < 18 and region == 'A'").evaluate_traced(context())
    assert [s.text for s in steps] == ["age", "age < 18", "age < 18 and region == 'A'"]


def test_a_trace_records_each_element_of_a_loop():
    value, steps = compiled("count(d for d in documents if d.original)").evaluate_traced(context())
    assert value == 1
    assert [s.value for s in steps if s.text == "d.original"] == [True, False]


def test_an_evaluation_error_carries_the_trace_up_to_the_failure():
    error = failure("age > 1 and fee * 2 > score", fee=None)
    texts = [s.text for s in error.trace]
    assert texts[:3] == ["age", "age > 1", "fee"]


# --- compiled expressions are values ---------------------------------------------------------


def test_a_compiled_expression_is_immutable():
    expression = compiled("age > 1")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        expression.source = "True"  # type: ignore[misc]
    assert "age > 1" in repr(expression)


def test_a_compiled_expression_is_safe_to_share_between_threads():
    expression = compiled("count(d for d in documents if d.pages > age) > 0")
    results: list[bool] = []

    def work(age: int) -> None:
        ctx = context(age=age)
        for _ in range(2000):
            results.append(expression(ctx) == (age < 2))

    threads = [threading.Thread(target=work, args=(age,)) for age in (0, 1, 5, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8000 and all(results)


def test_compiled_functions_see_no_builtins():
    expression = compiled("age")
    fast = type(expression).__call__.__get__(expression)
    assert fast.__globals__["__builtins__"] == {}
    assert not any(name for name in fast.__globals__ if not name.startswith("_"))


def test_a_compiled_expression_travels_to_worker_processes_by_pickle():
    expression = compiled("min(amounts) < days_between(accepted_on, decided_on)", expected=BOOL)
    copy = pickle.loads(pickle.dumps(expression))
    assert copy(context()) is expression(context()) is True
    assert (copy.source, copy.type, copy.fields) == (
        expression.source,
        expression.type,
        expression.fields,
    )
    template = parse_template("{age} 岁，{len(tags)} 个标签", SCHEMA)
    assert pickle.loads(pickle.dumps(template))(context()) == "30 岁，2 个标签"
