"""Reading expressions: limits, forbidden constructs, syntax errors and where problems point."""

from __future__ import annotations

import pytest

from fyrules.engine.expr import limits
from fyrules.engine.problems import Location
from tests.engine.expr_support import compiled, evaluate, refused

HERE = Location("rules/catalog.yaml", 12, 16)


# --- limits -----------------------------------------------------------------------------


def test_an_expression_longer_than_the_limit_is_too_long():
    source = "age+" * (limits.MAX_SOURCE_LENGTH // 4) + "1"
    problem = refused(source, "EXPR-TOO-LONG")
    assert str(limits.MAX_SOURCE_LENGTH) in problem.message_en


def test_brackets_nested_past_the_limit_are_refused_before_parsing():
    depth = limits.MAX_NESTING + 1
    problem = refused("(" * depth + "1" + ")" * depth, "EXPR-TOO-DEEP")
    assert problem.column == 1 + limits.MAX_NESTING  # at the bracket that went too deep


def test_brackets_nested_to_the_limit_are_fine():
    depth = limits.MAX_NESTING
    assert evaluate("(" * depth + "age" + ")" * depth) == 30


def test_ten_thousand_nested_brackets_are_refused_without_a_crash():
    refused("(" * 10_000 + ")" * 10_000, "EXPR-TOO-LONG")
    refused("(" * 900 + ")" * 90, "EXPR-TOO-DEEP")


def test_brackets_inside_strings_do_not_count():
    assert evaluate('"((((((((((((((((((((((((((((((((((((" != region')


def test_long_operator_chains_are_bounded_by_the_node_count():
    source = " or ".join(["1<2"] * 110)  # flat: 331 pieces in 770 characters
    assert len(source) < limits.MAX_SOURCE_LENGTH
    problem = refused(source, "EXPR-TOO-LONG")
    assert str(limits.MAX_NODES) in problem.message_en


def test_deep_trees_without_brackets_are_bounded_by_the_tree_depth():
    refused("not " * (limits.MAX_TREE_DEPTH + 1) + "flag", "EXPR-TOO-DEEP")
    refused("-" * 500 + "1", "EXPR-TOO-DEEP")


def test_integer_literals_longer_than_the_limit_are_refused():
    assert evaluate("9" * limits.MAX_INT_DIGITS + " > 0")
    refused("9" * (limits.MAX_INT_DIGITS + 1), "EXPR-LITERAL")


def test_float_literals_must_be_finite_and_in_range():
    refused("1e400 > age", "EXPR-LITERAL")
    refused("1e20 > age", "EXPR-LITERAL")
    assert evaluate("1e-3 < age")


def test_string_literals_longer_than_the_limit_are_refused():
    assert compiled('"' + "a" * limits.MAX_STRING_LENGTH + '"')
    refused('"' + "a" * (limits.MAX_STRING_LENGTH + 1) + '"', "EXPR-LITERAL")


def test_list_literals_longer_than_the_limit_are_refused():
    assert compiled("[" + ", ".join(["1"] * limits.MAX_LIST_LENGTH) + "]")
    refused("[" + ", ".join(["1"] * (limits.MAX_LIST_LENGTH + 1)) + "]", "EXPR-LITERAL")


@pytest.mark.parametrize("source", ["age\x00", "age\x1b > 1", "\x7f"])
def test_control_characters_are_refused(source):
    refused(source, "EXPR-SYNTAX")


@pytest.mark.parametrize("source", ["", "   ", "# only a comment"])
def test_an_empty_expression_is_a_syntax_error(source):
    refused(source, "EXPR-SYNTAX")


# --- forbidden constructs ------------------------------------------------------------------

FORBIDDEN = [
    ("().__class__", "_"),
    ("age.__class__", "_"),
    ("_secret", "_"),
    ('item["__class__"]', "_"),
    ("age.real()", "method"),
    ("len(x)(1)", "library functions"),
    ("lambda: 0", "lambda"),
    ("(x := 1)", ":="),
    ('f"{age}"', "f-string"),
    ("len(*tags)", "starred"),
    ('{"a": 1}', "dict"),
    ("{1, 2}", "set"),
    ("[d for d in documents]", "comprehension"),
    ("{d for d in documents}", "comprehension"),
    ("{d: 1 for d in tags}", "comprehension"),
    ("(d for d in documents)", "free-standing"),
    ("len(d for d in documents)", None),
    ("count(count(t for t in tags) for d in documents)", "nested"),
    ("count(d for d in documents for t in tags)", "one 'for'"),
    ("count(1 for a, b in documents)", "single name"),
    ("round(age, ndigits=2)", "keyword"),
    ("tags[0:1]", "slice"),
    ("tags[::-1]", "slice"),
    ("tags[age]", "constant"),
    ("age & 1", "bitwise"),
    ("age | 1", "bitwise"),
    ("age ^ 1", "bitwise"),
    ("~age", "bitwise"),
    ("1 << 10", "shift"),
    ("age >> 1", "shift"),
    ("age @ age", "matrix"),
    ("age ** 9", "exponent"),
    ("age ** income", "exponent"),
    ("2 ** -1", "exponent"),
    ("(age ** 2) ** 2", "base"),
    ('"a" * 3', "repetition"),
    ("[1] * 3", "repetition"),
    ("region * 3", "repetition"),
    ("tags * 2", "repetition"),
    ('"%s" % age', "formatting"),
    ("region % 2", "formatting"),
    ("age is 1", "is None"),
    ('b"x"', "bytes"),
    ("1j", "complex"),
    ("...", "..."),
    ("await age", "await"),
    ("(yield)", "yield"),
]


@pytest.mark.parametrize(("source", "word"), FORBIDDEN)
def test_forbidden_constructs_are_refused_by_name(source, word):
    problem = refused(source)
    assert problem.code in ("EXPR-FORBIDDEN", "EXPR-SYNTAX", "EXPR-ARGUMENTS")
    if word is not None:
        assert word.lower() in problem.message_en.lower(), problem.message_en
    assert "列" in problem.message_zh and "column" in problem.message_en


def test_names_are_checked_after_unicode_normalisation():
    # Python reads identifiers in NFKC form: ｆ is f, so these spell __class__ in the tree.
    refused("age.\ufe4d\ufe4dclass__", None)
    refused("age.__ｃｌａｓｓ__", "EXPR-FORBIDDEN")


def test_is_none_is_allowed():
    assert evaluate("score is not None and note is not None")
    assert evaluate("maybe_flag is None")


def test_power_with_a_small_literal_exponent_is_allowed():
    assert evaluate("age ** 2") == 900
    assert evaluate("(age + 1) ** 0") == 1


# --- syntax errors -------------------------------------------------------------------------


def test_a_syntax_error_points_at_its_column():
    problem = refused("age >= 18 and", "EXPR-SYNTAX", location=HERE)
    assert problem.location == Location("rules/catalog.yaml", 12, 16 + 13)
    assert "第 14 列" in problem.message_zh


def test_a_single_equals_sign_suggests_double():
    problem = refused("region = 'A'", "EXPR-SYNTAX")
    assert "==" in problem.message_zh


@pytest.mark.parametrize(
    ("source", "char"), [("（age）", "（"), ("age，1", "，"), ("“A” == region", "“")]
)
def test_full_width_punctuation_is_named_with_its_ascii_form(source, char):
    problem = refused(source, "EXPR-SYNTAX")
    assert char in problem.message_zh and "半角" in problem.message_zh


def test_full_width_punctuation_inside_strings_is_fine():
    assert not evaluate('region == "（甲）"')


@pytest.mark.parametrize("source", ["(age", "age)", "[age)", "age]"])
def test_unbalanced_brackets_are_syntax_errors(source):
    refused(source, "EXPR-SYNTAX")


def test_several_values_without_a_list_are_refused():
    refused("1, 2", "EXPR-SYNTAX")


def test_unterminated_strings_are_syntax_errors():
    refused('region == "A', "EXPR-SYNTAX")


# --- where problems point ---------------------------------------------------------------


def test_a_problem_on_one_line_points_at_its_own_column():
    problem = refused("age > 1 and agee > 2", "EXPR-UNKNOWN-FIELD", location=HERE)
    assert (problem.line, problem.column) == (12, 16 + 12)
    assert "第 13 列" in problem.message_zh and "column 13" in problem.message_en


def test_columns_count_characters_not_bytes():
    problem = refused('名称 == "中文" and agee', "EXPR-UNKNOWN-FIELD", location=HERE)
    assert problem.column == 16 + len('名称 == "中文" and ')


def test_a_field_name_problem_points_at_the_name():
    problem = refused('"中文" == item.tpye', "EXPR-UNKNOWN-FIELD", location=HERE)
    assert problem.column == 16 + len('"中文" == item.')


def test_a_problem_in_a_multi_line_expression_points_at_its_start():
    problem = refused("age > 1\n  and agee > 2", "EXPR-UNKNOWN-FIELD", location=HERE)
    assert problem.location == HERE
    assert "第 2 行第 7 列" in problem.message_zh and "line 2, column 7" in problem.message_en


def test_multi_line_expressions_are_allowed():
    assert evaluate("age > 1\n  and region == 'A'\r\n  and flag")


def test_without_a_location_problems_still_carry_the_column():
    problem = refused("age > 1 and agee > 2")
    assert problem.column == 13 and problem.line == 1
