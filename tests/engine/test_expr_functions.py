"""The function library: each default function, and libraries extended by other packages."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from fyrules.engine.expr import (
    ANY,
    BOOL,
    DATE,
    DEFAULT_FUNCTIONS,
    NOT_CONSTANT,
    NUMBER,
    STRING,
    ArgInfo,
    EvaluationError,
    ExpressionError,
    FunctionSpec,
    Type,
    compile_expression,
)
from fyrules.engine.problems import Location, Problem
from fyrules.engine.suggest import hint
from tests.engine.expr_support import SCHEMA, compiled, context, evaluate, refused

# --- each default function ----------------------------------------------------------------


def test_len_counts_list_elements_and_characters():
    assert evaluate("len(tags)") == 2
    assert evaluate("len(名称)") == 2
    refused("len(age)", "EXPR-ARGUMENTS")


def test_count_counts_a_list_or_the_elements_meeting_a_condition():
    assert evaluate("count(documents)") == 2
    assert evaluate("count(d for d in documents if d.original)") == 1
    assert evaluate("count(d for d in documents if d.pages > 5)") == 0


def test_sum_adds_whole_numbers_exactly_and_decimals_without_drift():
    assert evaluate("sum(amounts)") == 6.5
    assert evaluate("sum(d.pages for d in documents)") == 3
    assert evaluate("sum(amounts)", amounts=[0.1] * 10) == 1.0
    assert evaluate("sum(amounts)", amounts=[]) == 0


def test_min_and_max_take_a_list_a_generator_or_several_values():
    assert evaluate("min(amounts)") == 1
    assert evaluate("max(d.pages for d in documents)") == 2
    assert evaluate("min(committed_days, statutory_days, 15)") == 12
    assert evaluate("max(accepted_on, decided_on)") == dt.date(2025, 10, 20)
    assert evaluate("min(tags)") == "online"


def test_min_of_an_empty_list_is_an_evaluation_error():
    with pytest.raises(EvaluationError) as caught:
        compiled("min(amounts)")(context(amounts=[]))
    assert caught.value.problem.code == "EXPR-EVALUATION"


def test_min_of_values_of_different_kinds_is_refused():
    refused("min(age, region)", "EXPR-ARGUMENTS")
    refused("max(flag, flag)", "EXPR-ARGUMENTS")


def test_any_and_all_over_conditions():
    assert evaluate('any(d.kind == "营业执照" for d in documents)')
    assert not evaluate("all(d.original for d in documents)")
    assert evaluate("all(d.original for d in documents)", documents=[])
    assert not evaluate("any(d.original for d in documents)", documents=[])


def test_any_stops_at_the_first_true_element():
    # The second element would fail (None > 1), but any() never looks at it.
    expression = compiled("any(a > 1 for a in amounts)")
    assert expression(context(amounts=[5, None])) is True
    assert expression.evaluate_traced(context(amounts=[5, None]))[0] is True


def test_abs():
    assert evaluate("abs(committed_days - statutory_days)") == 8


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("round(2.5)", 3),
        ("round(3.5)", 4),
        ("round(-2.5)", -3),
        ("round(2.675, 2)", 2.68),
        ("round(1234, -2)", 1200),
        ("round(1250, -2)", 1300),
        ("round(7)", 7),
        ("round(0.125, 2)", 0.13),
        ("round(83.645, 2)", 83.65),
    ],
)
def test_round_rounds_half_away_from_zero(source, value):
    result = evaluate(source)
    assert result == value and type(result) is type(value)


def test_round_limits_its_digits():
    refused("round(age, 16)", "EXPR-ARGUMENTS")
    refused("round(age, 1.5)", "EXPR-ARGUMENTS")
    with pytest.raises(EvaluationError):
        compiled("round(1.5, age)")(context(age=-(10**9)))  # would build 10**1000000000


def test_date_builds_a_date_and_refuses_an_impossible_one():
    assert evaluate("date(2025, 2, 28)") == dt.date(2025, 2, 28)
    problem = refused("date(2025, 2, 30)", "EXPR-ARGUMENTS")
    assert "2025-2-30" in problem.message_en
    with pytest.raises(EvaluationError):
        compiled("date(2025, age, 1)")(context(age=13))


def test_days_between_counts_calendar_days():
    assert evaluate("days_between(accepted_on, decided_on)") == 11
    assert evaluate("days_between(decided_on, accepted_on)") == -11
    assert evaluate("days_between(submitted_at, decided_on)") == 11
    refused("days_between(age, decided_on)", "EXPR-ARGUMENTS")


def test_year_month_weekday():
    assert evaluate("year(accepted_on)") == 2025
    assert evaluate("month(accepted_on)") == 10
    assert evaluate("weekday(accepted_on)") == 4  # a Thursday
    assert evaluate("weekday(submitted_at)") == 4
    refused("year(region)", "EXPR-ARGUMENTS")


def test_coalesce_gives_the_first_value_that_is_not_empty():
    assert evaluate("coalesce(score, 0)") == 4.5
    assert evaluate("coalesce(score, 0)", score=None) == 0
    assert evaluate("coalesce(item.fee, fee, 0)") == 100
    assert compiled("coalesce(score, fee)").type.name == "optional"
    refused("coalesce(score, 'x')", "EXPR-ARGUMENTS")


def test_every_default_function_is_documented_in_both_languages_with_an_example():
    for spec in DEFAULT_FUNCTIONS.values():
        assert spec.doc_zh and spec.doc_en and spec.example, spec.name
        assert spec.name in spec.example


# --- libraries ------------------------------------------------------------------------------


class Calendar:
    """A stand-in for the deadlines package's calendar: working days are Monday to Friday."""

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        day = start
        while days > 0:
            day += dt.timedelta(days=1)
            days -= day.isoweekday() <= 5
        return day


def test_a_library_extended_with_a_bound_method_and_a_closure():
    calendar = Calendar()
    offset = 2

    def plus_offset(n: int) -> int:
        return n + offset

    library = DEFAULT_FUNCTIONS.extend(
        FunctionSpec("add_working_days", (DATE, NUMBER), DATE, calendar.add_working_days,
                     "加工作日", "adds working days"),
        FunctionSpec("plus_offset", (NUMBER,), NUMBER, plus_offset),
    )  # fmt: skip
    expression = compile_expression(
        "add_working_days(accepted_on, plus_offset(3)) == date(2025, 10, 16)",
        SCHEMA,
        functions=library,
    )
    assert expression(context()) is True
    assert "add_working_days" in library and "add_working_days" not in DEFAULT_FUNCTIONS
    assert library.names == DEFAULT_FUNCTIONS.names | {"add_working_days", "plus_offset"}


def test_a_library_bound_to_a_picklable_object_pickles_with_its_expressions():
    library = DEFAULT_FUNCTIONS.extend(
        FunctionSpec("add_working_days", (DATE, NUMBER), DATE, Calendar().add_working_days)
    )
    expression = compile_expression("add_working_days(accepted_on, 1)", SCHEMA, functions=library)
    copy = pickle.loads(pickle.dumps(expression))
    assert copy(context()) == dt.date(2025, 10, 10)
    assert pickle.loads(pickle.dumps(library)).names == library.names


def test_a_function_not_in_the_library_is_unknown():
    refused("add_working_days(accepted_on, 1)", "EXPR-UNKNOWN-FUNCTION")


def test_extending_with_a_name_already_present_is_an_error():
    with pytest.raises(ValueError, match="twice"):
        DEFAULT_FUNCTIONS.extend(FunctionSpec("len", (ANY,), NUMBER, len))


@pytest.mark.parametrize("name", ["_hidden", "not a name", "lambda", "1x"])
def test_function_names_must_be_plain_identifiers(name):
    with pytest.raises(ValueError):
        FunctionSpec(name, (ANY,), ANY, abs)


def test_a_library_is_an_immutable_mapping():
    assert DEFAULT_FUNCTIONS["len"].name == "len"
    assert len(DEFAULT_FUNCTIONS) == len(list(DEFAULT_FUNCTIONS))
    with pytest.raises(TypeError):
        DEFAULT_FUNCTIONS["len"] = DEFAULT_FUNCTIONS["abs"]  # type: ignore[index]


TABLES = {"COMMITTED-CEILING": NUMBER, "SATISFACTION-BAND": STRING}


def check_lookup(args: list[ArgInfo]) -> Type | Problem:
    """A caller-supplied check that names a table in the rulebook, as the engine's lookup does."""
    if not args or not isinstance(args[0].constant, str):
        return Problem(
            "EXPR-ARGUMENTS", "第一个参数须为表编号", "the first argument must be a table id"
        )
    table = args[0].constant
    if table not in TABLES:
        zh, en = hint(table, TABLES)
        return args[0].problem(
            "UNKNOWN-REFERENCE", f"未知的决策表 “{table}”{zh}", f"unknown table '{table}'{en}"
        )
    return TABLES[table]


LOOKUP = FunctionSpec(
    "lookup",
    (STRING, ANY),
    ANY,
    lambda table, *inputs: 12,
    variadic=True,
    min_args=1,
    check=check_lookup,
)


def test_a_custom_check_can_report_an_unknown_reference_at_the_argument():
    library = DEFAULT_FUNCTIONS.extend(LOOKUP)
    where = Location("rules.yaml", 4, 10)
    with pytest.raises(ExpressionError) as caught:
        compile_expression(
            'lookup("COMMITED-CEILING", age) > 1', SCHEMA, functions=library, location=where
        )
    problem = caught.value.problem
    assert problem.code == "UNKNOWN-REFERENCE"
    assert "did you mean 'COMMITTED-CEILING'?" in problem.message_en
    assert problem.location == Location("rules.yaml", 4, 17)


def test_a_custom_check_gives_the_result_type():
    library = DEFAULT_FUNCTIONS.extend(LOOKUP)
    expression = compile_expression('lookup("COMMITTED-CEILING", age)', SCHEMA, functions=library)
    assert expression.type == NUMBER and expression(context()) == 12
    assert (
        compile_expression('lookup("SATISFACTION-BAND")', SCHEMA, functions=library).type == STRING
    )


def test_a_problem_without_a_location_is_placed_at_the_call():
    library = DEFAULT_FUNCTIONS.extend(LOOKUP)
    with pytest.raises(ExpressionError) as caught:
        compile_expression(
            "age + lookup(region)", SCHEMA, functions=library, location=Location("r", 1, 1)
        )
    assert caught.value.problem.code == "EXPR-ARGUMENTS"
    assert caught.value.problem.column == 7


def test_a_custom_check_may_raise_an_expression_error():
    def strict(args: list[ArgInfo]) -> Type:
        raise ExpressionError(Problem("UNKNOWN-REFERENCE", "无", "none", args[0].location))

    library = DEFAULT_FUNCTIONS.extend(FunctionSpec("strict", (ANY,), ANY, abs, check=strict))
    with pytest.raises(ExpressionError) as caught:
        compile_expression(
            "1 + strict(age)", SCHEMA, functions=library, location=Location("r", 2, 1)
        )
    assert caught.value.problem.location == Location("r", 2, 12)


def test_a_check_sees_literal_values_and_not_constant_otherwise():
    seen: list[ArgInfo] = []

    def record(args: list[ArgInfo]) -> Type:
        seen.extend(args)
        return BOOL

    library = DEFAULT_FUNCTIONS.extend(
        FunctionSpec("probe", (ANY,), BOOL, lambda *a: True, variadic=True, check=record)
    )
    compile_expression('probe("T", -3, [1, 2], age, None)', SCHEMA, functions=library)
    assert [a.constant for a in seen[:3]] == ["T", -3, (1, 2)]
    assert seen[3].constant is NOT_CONSTANT and not seen[3].is_constant
    assert seen[4].constant is None and seen[4].is_constant
    assert seen[3].type == NUMBER and seen[3].text == "age"


def test_an_extension_may_raise_its_own_evaluation_error():
    def refuse(_: object) -> object:
        raise EvaluationError(
            Problem("EXPR-EVALUATION", "日历未覆盖该年", "calendar does not cover that year")
        )

    library = DEFAULT_FUNCTIONS.extend(FunctionSpec("refuse", (ANY,), ANY, refuse))
    expression = compile_expression("refuse(age)", SCHEMA, functions=library)
    with pytest.raises(EvaluationError) as caught:
        expression(context())
    assert caught.value.problem.message_en == "calendar does not cover that year"


def test_signature_reads_in_both_languages():
    assert DEFAULT_FUNCTIONS["abs"].signature() == "abs(number) → number"
    assert DEFAULT_FUNCTIONS["abs"].signature("zh") == "abs(数值) → 数值"
