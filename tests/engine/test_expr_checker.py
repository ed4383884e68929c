"""Static checking: names, functions and types are checked against the schema at load time."""

from __future__ import annotations

import pytest

from fyrules.engine.expr import (
    ANY,
    BOOL,
    DATE,
    NUMBER,
    STRING,
    EvaluationError,
    compile_expression,
    list_of,
    object_type,
    optional,
)
from tests.engine.expr_support import SCHEMA, compiled, context, evaluate, refused

# --- names ------------------------------------------------------------------------------


def test_an_unknown_field_suggests_the_closest_one():
    problem = refused("agee >= 18", "EXPR-UNKNOWN-FIELD")
    assert "“age”" in problem.message_zh and "did you mean 'age'?" in problem.message_en


def test_an_unknown_field_of_an_object_suggests_its_fields():
    problem = refused("item.tpye == 'x'", "EXPR-UNKNOWN-FIELD")
    assert "'item' has no field 'tpye' (did you mean 'type'?)" in problem.message_en


def test_an_unknown_field_of_a_list_element_is_found_inside_a_loop():
    problem = refused("any(d.knd == 'x' for d in documents)", "EXPR-UNKNOWN-FIELD")
    assert "did you mean 'kind'?" in problem.message_en


def test_a_misspelled_field_in_a_string_key_is_found_too():
    problem = refused('item["tpye"]', "EXPR-UNKNOWN-FIELD")
    assert "did you mean 'type'?" in problem.message_en


@pytest.mark.parametrize(("word", "meant"), [("true", "True"), ("false", "False")])
def test_json_words_suggest_python_literals(word, meant):
    problem = refused(f"flag == {word}", "EXPR-UNKNOWN-FIELD")
    assert f"did you mean '{meant}'?" in problem.message_en


@pytest.mark.parametrize("word", ["null", "none"])
def test_none_unquoted_suggests_quoting_as_well_as_none(word):
    """``online == none`` most likely means the value "none": suggesting None alone would make
    the rule silently never fire."""
    problem = refused(f"flag == {word}", "EXPR-UNKNOWN-FIELD")
    assert f'加引号："{word}"' in problem.message_zh
    assert "None" in problem.message_en


def test_an_unknown_function_suggests_the_closest_one():
    problem = refused("leen(tags) > 1", "EXPR-UNKNOWN-FUNCTION")
    assert "did you mean 'len'?" in problem.message_en and "“len”" in problem.message_zh


@pytest.mark.parametrize("name", ["eval", "exec", "open", "getattr", "globals", "type", "range"])
def test_python_builtins_are_unknown_functions(name):
    refused(f"{name}(1)", "EXPR-UNKNOWN-FUNCTION")


def test_calling_a_field_says_it_is_a_field():
    problem = refused("age(1)", "EXPR-UNKNOWN-FUNCTION")
    assert "'age' is a field" in problem.message_en


def test_a_function_used_as_a_value_must_be_called():
    problem = refused("len", "EXPR-TYPE")
    assert "len(…)" in problem.message_en


def test_a_loop_variable_is_only_known_inside_its_loop():
    refused("any(d.original for d in documents) and d.original", "EXPR-UNKNOWN-FIELD")


def test_a_loop_variable_may_shadow_a_field():
    assert evaluate("count(age for age in amounts if age > 1) == 2")


# --- arguments --------------------------------------------------------------------------


def test_too_many_or_too_few_arguments_are_reported():
    assert "takes 1" in refused("abs(1, 2)", "EXPR-ARGUMENTS").message_en
    refused("abs()", "EXPR-ARGUMENTS")
    refused("len(tags, tags)", "EXPR-ARGUMENTS")
    refused("coalesce(score)", "EXPR-ARGUMENTS")


def test_an_argument_of_the_wrong_type_is_reported_at_the_argument():
    problem = refused("abs(region)", "EXPR-ARGUMENTS")
    assert problem.column == 5
    assert "'region' is a string" in problem.message_en


def test_a_generator_is_only_for_aggregate_functions():
    refused("abs(d.pages for d in documents)", "EXPR-ARGUMENTS")


def test_aggregates_check_the_element_type():
    refused("sum(tags)", "EXPR-ARGUMENTS")
    refused("any(d.kind for d in documents)", "EXPR-ARGUMENTS")
    refused("min(documents)", "EXPR-ARGUMENTS")


# --- types ------------------------------------------------------------------------------

TYPE_ERRORS = [
    ("accepted_on > 3", "date"),
    ("accepted_on == 3", "date"),
    ("region + 1", "text cannot be added"),
    ("age + region", "text cannot be added"),
    ("flag + 1", "true/false"),
    ("-flag", "true/false"),
    ("accepted_on - accepted_on", "days_between"),
    ("tags + tags", "needs numbers"),
    ("None + 1", "None"),
    ("age and flag", "true or false"),
    ("not region", "true or false"),
    ("1 if age else 2", "true or false"),
    ("maybe_flag and flag", "coalesce"),
    ("1 if flag else 'x'", "branches"),
    ("[1, 'a']", "different types"),
    ("region in amounts", "holds number"),
    ("age in region", "string"),
    ("age in age", "list or text"),
    ("region.kind", "no field"),
    ("documents.kind", "len("),
    ("age[0]", "cannot be indexed"),
    ("count(1 for x in region)", "only go through a list"),
    ("flag < True", "compared"),
    ("documents == tags", "compared"),
]


@pytest.mark.parametrize(("source", "words"), TYPE_ERRORS)
def test_type_mismatches_are_refused(source, words):
    problem = refused(source, "EXPR-TYPE")
    assert words in problem.message_en, problem.message_en


def test_a_number_in_quotes_gets_a_tip():
    problem = refused('age >= "18"', "EXPR-TYPE")
    assert "without quotes" in problem.message_en and "引号" in problem.message_zh


def test_a_condition_must_be_a_bool():
    problem = refused("age + 1", "EXPR-TYPE", expected=BOOL)
    assert "true or false" in problem.message_en


def test_a_condition_that_may_be_empty_is_refused_with_a_fix():
    problem = refused("maybe_flag", "EXPR-TYPE", expected=BOOL)
    assert "coalesce(maybe_flag, False)" in problem.message_en
    assert compiled("coalesce(maybe_flag, False)", expected=BOOL).type == BOOL


def test_a_formula_must_give_the_expected_type():
    refused("region", "EXPR-TYPE", expected=NUMBER)
    refused("score", "EXPR-TYPE", expected=NUMBER)  # may be empty
    assert compiled("score", expected=optional(NUMBER)).type == optional(NUMBER)
    assert compiled("coalesce(score, 0)", expected=NUMBER).type == NUMBER


def test_static_types_of_expressions():
    assert compiled("age / 2").type == NUMBER
    assert compiled("region + '!'").type == STRING
    assert compiled("[1, 2]").type == list_of(NUMBER)
    assert compiled("[]").type == list_of(ANY)
    assert compiled("score if flag else None").type == optional(NUMBER)
    assert compiled("item.owner.name").type == optional(STRING)
    assert compiled("documents[0].kind").type == STRING
    assert compiled("date(2025, 1, 1)").type == DATE
    assert compiled("min(amounts)").type == NUMBER
    assert compiled("extra").type == ANY


def test_equality_with_none_is_allowed_on_any_value():
    assert not evaluate("age == None")
    assert evaluate("score != None")


# --- values of unknown type are checked when the expression runs ---------------------------


def test_any_values_are_accepted_statically_and_checked_at_run_time():
    expression = compiled("extra * 3")
    assert expression(context(extra=2)) == 6
    with pytest.raises(EvaluationError):
        expression(context(extra="aaa"))  # no string repetition, even at run time
    with pytest.raises(EvaluationError):
        expression(context(extra=[1]))


def test_adding_two_any_values_allows_numbers_or_strings_only():
    schema = object_type("s", {"a": ANY, "b": ANY})
    add = compile_expression("a + b", schema)
    assert add({"a": 1, "b": 2}) == 3
    assert add({"a": "x", "b": "y"}) == "xy"
    for a, b in ((1, "y"), ([1], [2]), (True, 1)):
        with pytest.raises(EvaluationError):
            add({"a": a, "b": b})


def test_an_any_value_in_a_condition_must_be_a_bool_at_run_time():
    condition = compiled("extra", expected=BOOL)
    assert condition(context(extra=True)) is True
    with pytest.raises(EvaluationError):
        condition(context(extra=1))


def test_fields_of_an_any_value_are_read_from_mappings_only():
    reads = compiled("extra.name")
    assert reads(context(extra={"name": "x"})) == "x"
    assert reads(context(extra={})) is None
    with pytest.raises(EvaluationError):
        reads(context(extra="text"))  # no getattr on a str


# --- what an expression reads and calls ------------------------------------------------------


def test_fields_lists_the_dotted_paths_read():
    expression = compiled("item.type == 'x' and age > 1 and item.owner.name == 'y'")
    assert expression.fields == {"item.type", "age", "item.owner.name"}


def test_fields_of_list_elements_are_marked_with_brackets():
    expression = compiled("count(d for d in documents if d.pages > 2) + len(tags[0])")
    assert expression.fields == {"documents", "documents[].pages", "tags"}


def test_functions_lists_the_functions_called():
    assert compiled("len(tags) + abs(min(1, age))").functions == {"len", "abs", "min"}


def test_the_schema_is_not_changed_by_compiling():
    before = dict(SCHEMA.fields)
    compiled("age > 1")
    assert dict(SCHEMA.fields) == before
