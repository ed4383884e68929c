"""Message templates: text with {expressions}, rendered plainly, never through str.format."""

from __future__ import annotations

import datetime as dt

import pytest

from fyrules.engine.expr import (
    EvaluationError,
    ExpressionError,
    limits,
    parse_template,
    render_value,
)
from fyrules.engine.problems import Location
from tests.engine.expr_support import SCHEMA, context


def render(text: str, **changes: object) -> str:
    return parse_template(text, SCHEMA)(context(**changes))


def refused(text: str, location: Location | None = None) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        parse_template(text, SCHEMA, location=location)
    return caught.value


def test_placeholders_are_expressions_in_the_rule_scope():
    text = "承诺时限 {committed_days} 天超过法定时限 {statutory_days} 天"
    assert render(text) == "承诺时限 12 天超过法定时限 20 天"
    assert render("还差 {statutory_days - committed_days} 天") == "还差 8 天"


def test_double_braces_are_literal_braces():
    assert render("{{age}} = {age}") == "{age} = 30"
    assert render("}}{{") == "}{"


def test_a_brace_inside_a_string_literal_does_not_close_the_placeholder():
    assert render('{region + "}"}') == "A}"


def test_a_template_without_placeholders_is_its_text():
    template = parse_template("材料齐全", SCHEMA)
    assert template(context()) == "材料齐全" and template.fields == frozenset()


def test_fields_and_functions_of_a_template():
    template = parse_template("{len(tags)} 个标签，{item.type}", SCHEMA)
    assert template.fields == {"tags", "item.type"} and template.functions == {"len"}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (20.0, "20"),
        (83.65, "83.65"),
        (1 / 3, "0.333333"),
        (-0.0000001, "0"),
        (7, "7"),
        (dt.date(2025, 10, 9), "2025-10-09"),
        (["营业执照", "身份证"], "营业执照、身份证"),
        ((1, 2.5), "1、2.5"),
        ("文本", "文本"),
    ],
)
def test_values_are_rendered_plainly(value, text):
    assert render_value(value) == text


def test_a_broken_placeholder_is_reported_at_its_character():
    assert refused("承诺 {committed_days 天").problem.code == "MESSAGE-PLACEHOLDER"
    problem = refused("多余的 } 括号", Location("rules.yaml", 3, 10)).problem
    assert problem.code == "MESSAGE-PLACEHOLDER" and problem.column == 14
    assert refused("空的 {} 占位").problem.code == "MESSAGE-PLACEHOLDER"
    assert refused("{ {age} }").problem.code == "MESSAGE-PLACEHOLDER"


def test_an_expression_problem_points_inside_the_template():
    problem = refused("年龄 {agee} 岁", Location("rules.yaml", 3, 10)).problem
    assert problem.code == "EXPR-UNKNOWN-FIELD" and problem.column == 14


def test_format_string_tricks_are_not_run():
    refused("{0.__class__}")
    refused("{age.__class__.__mro__}")
    refused("{age!r}")
    refused("{age:>10}")
    assert render("{'{0.__class__}'}") == "{0.__class__}"  # a string literal is just text


def test_a_template_longer_than_the_limit_is_refused():
    assert refused("字" * (limits.MAX_TEMPLATE_LENGTH + 1)).problem.code == "MESSAGE-PLACEHOLDER"


def test_a_failing_placeholder_is_an_evaluation_error():
    with pytest.raises(EvaluationError):
        render("{age / 0}")
    with pytest.raises(EvaluationError):
        render("{extra}", extra=10**5000)  # too long to print
