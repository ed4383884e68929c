"""Rules that can never fire (or always fire) are errors when the rulebook loads."""

from __future__ import annotations

import pytest

from fyrules.engine.expr import ExpressionError, compile_expression
from fyrules.engine.expr.types import BOOL
from fyrules.items.scope import ITEM_CONTEXT
from fyrules.rulebook import check
from tests.helpers import write_rulebook


def refused(source: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as err:
        compile_expression(source, ITEM_CONTEXT, expected=BOOL)
    return err.value


@pytest.mark.parametrize(
    ("source", "suggested"),
    [
        ('online == "nnoe"', "none"),
        ('kind == "comitment"', "commitment"),
        ('"aply" == online', "apply"),
        ('authorization in ["window", "cheif"]', "chief"),
    ],
)
def test_a_value_outside_the_declared_ones_is_an_error_with_a_suggestion(source, suggested):
    problem = refused(source).problem
    assert problem.code == "EXPR-UNKNOWN-VALUE"
    assert f'是否应为 "{suggested}"' in problem.message_zh
    assert "never fires" in problem.message_en


def test_not_equal_to_an_undeclared_value_always_holds():
    problem = refused('online != "nnoe"').problem
    assert problem.code == "EXPR-UNKNOWN-VALUE"
    assert "永远成立" in problem.message_zh


@pytest.mark.parametrize(
    "source",
    [
        'kind == "commitment" and kind == "joint"',
        'online == "none" and online != "none"',
        'online != "none" and statutory_days > 3 and online == "none"',
    ],
)
def test_a_condition_that_contradicts_itself_is_an_error(source):
    problem = refused(source).problem
    assert problem.code == "EXPR-CONSTANT"
    assert "永远不成立" in problem.message_zh


@pytest.mark.parametrize(
    "source", ['online == "none" or online != "none"', 'online != "none" or online != "full"']
)
def test_a_condition_that_always_holds_is_an_error(source):
    problem = refused(source).problem
    assert problem.code == "EXPR-CONSTANT"
    assert "永远成立" in problem.message_zh


@pytest.mark.parametrize(
    "source",
    [
        'online == "none"',
        'online == "none" or online == "apply"',
        'kind == "commitment" and online != "full"',
        'online != "none" and online != "apply"',
    ],
)
def test_ordinary_conditions_are_accepted(source):
    compile_expression(source, ITEM_CONTEXT, expected=BOOL)


RULE = """\
rules:
  - id: R-1
    title: 测试
    basis: 测试依据
    scope: item
    condition: {condition}
    message: {{zh: 触发, en: fired}}
"""


def test_a_rulebooks_own_case_types_are_declared_values(tmp_path):
    root = write_rulebook(
        tmp_path,
        {"rules/r.yaml": RULE.format(condition='type == "comitment"')},
        extends="national",
    )
    (problem,) = check(root).problems
    assert problem.code == "EXPR-UNKNOWN-VALUE"
    assert '是否应为 "commitment"' in problem.message_zh


def test_a_condition_that_reads_no_field_is_an_error(tmp_path):
    root = write_rulebook(tmp_path, {"rules/r.yaml": RULE.format(condition="1 == 1")})
    (problem,) = check(root).problems
    assert problem.code == "EXPR-CONSTANT"
    assert problem.rule == "R-1"


CALENDAR = """\
calendar:
  timezone: Asia/Shanghai
  published_through: 2026
  basis: 国办发明电〔2025〕7号
  {field}:
    - {{date: {date}, name: 测试, basis: 国办发明电〔2025〕7号}}
"""


@pytest.mark.parametrize(
    ("field", "date", "weekday"),
    [("extra_holidays", "2026-10-03", "星期六"), ("extra_workdays", "2026-10-09", "星期五")],
)
def test_a_calendar_entry_without_effect_is_a_warning(tmp_path, field, date, weekday):
    root = write_rulebook(tmp_path, {"calendar.yaml": CALENDAR.format(field=field, date=date)})
    problems = check(root, today=__import__("datetime").date(2025, 10, 15)).problems
    assert [(p.code, p.severity) for p in problems] == [("CALENDAR-NO-EFFECT", "warning")]
    assert weekday in problems[0].message_zh


@pytest.mark.parametrize(
    ("source", "value"), [("online == none", "none"), ("joint == kind", "joint")]
)
def test_an_unquoted_value_of_the_field_is_told_to_be_quoted(source, value):
    """Not "did you mean None?": that would make the rule silently never fire."""
    problem = refused(source).problem
    assert problem.code == "EXPR-UNKNOWN-FIELD"
    assert f'要加引号：写成 "{value}"' in problem.message_zh
