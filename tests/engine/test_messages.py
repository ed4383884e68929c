"""Messages policy staff read: pydantic, YAML and expression syntax errors in our own words,
and reports (JUnit, SARIF) that CI tools can always read."""

from __future__ import annotations

import json
import typing
import xml.etree.ElementTree as ET

import pydantic_core.core_schema as core_schema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fyrules.engine.load.yaml_pyyaml import read_with_positions
from fyrules.engine.messages import (
    VALIDATION_MESSAGES,
    chinese_number,
    field_path,
    validation_message,
)
from fyrules.engine.problems import Location, Problem
from fyrules.engine.testing.report import problems_report

ERROR_TYPES = typing.get_args(core_schema.ErrorType)


def test_every_pydantic_error_type_has_a_message_of_our_own():
    assert sorted(set(ERROR_TYPES) - set(VALIDATION_MESSAGES)) == []


@pytest.mark.parametrize("kind", ERROR_TYPES)
def test_each_error_type_names_the_field_in_both_languages(kind):
    zh, en = validation_message({"type": kind, "input": "x", "ctx": {}}, "items[0].online")
    assert "items[0].online" in zh and "items[0].online" in en
    assert "Input should" not in en and "Input should" not in zh


def test_field_paths_read_as_in_the_rule_file():
    assert field_path(("rules", 0, "severity")) == "rules[0].severity"
    assert field_path(("items", 2, "materials", 1, "name")) == "items[2].materials[1].name"


@pytest.mark.parametrize(
    ("text", "number"), [("二十", 20), ("十五", 15), ("一百零五", 105), ("二〇二六", 2026)]
)
def test_chinese_numerals_are_read_for_the_hint(text, number):
    assert chinese_number(text) == number


def test_a_literal_lists_the_allowed_values_and_maps_chinese_words():
    zh, en = validation_message(
        {
            "type": "literal_error",
            "input": "警告",
            "ctx": {"expected": "'error', 'warning' or 'info'"},
        },
        "rules[0].severity",
    )
    assert zh.startswith("rules[0].severity 只能是 error、warning、info 之一")
    assert "请写成 warning" in zh
    assert "one of error, warning or info" in en


@pytest.mark.parametrize(
    ("text", "where", "starts"),
    [
        ("a:\n  statutory_days：20\n  b: 1\n", (2, 17), "键后面用了全角冒号"),
        ("a:\n  b: 1\n\tc: 2\n", (3, 1), "缩进中有制表符"),
        ("a: [1, 2\nb: 3\n", (1, 4), "方括号列表"),
        ("a: 'x\n", (1, 4), "引号没有闭合"),
        ("a: b: c\n", (1, 5), "这里不能出现"),
    ],
)
def test_yaml_syntax_errors_are_placed_at_the_slip(text, where, starts):
    parsed, problems = read_with_positions(text, "f.yaml")
    assert parsed is None
    (problem,) = problems
    assert (problem.line, problem.column) == where
    assert problem.message_zh.removeprefix("YAML 语法错误：").startswith(starts)
    assert "expected" not in problem.message_en.replace("expected ',' or", "")


@given(st.text())
def test_junit_is_well_formed_whatever_the_text(text):
    """Invariant: the JUnit report of any problem text parses as XML and keeps the printable
    characters of the text."""
    problem = Problem("UNKNOWN-KEY", text, text, Location(text or "f.yaml", 1, 1), text or None)
    xml = problems_report([problem], "junit", tool_target=text)
    root = ET.fromstring(xml.encode("utf-8"))
    failure = root.find("testcase/failure")
    assert failure is not None
    printable = "".join(c for c in text if c.isprintable() and c.isalnum())
    assert all(c in (failure.text or "") for c in printable)


def test_every_sarif_result_has_a_location(tmp_path):
    problems = [
        Problem("CALENDAR-SCHEDULE-MISSING", "缺", "missing", None, severity="warning"),
        Problem("UNKNOWN-KEY", "键", "key", Location("r/a.yaml", 3, 5)),
    ]
    doc = json.loads(problems_report(problems, "sarif", tool_target=str(tmp_path)))
    results = doc["runs"][0]["results"]
    assert all(r["locations"] for r in results)
    first = results[0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"]["uri"].endswith("rulebook.yaml")
    assert first["region"] == {"startLine": 1}


BROKEN_YAML = [
    "a:\n  b: 1\n c: 2\n",
    'a: "\\q"\n',
    "- a\nb: 1\n",
    "a: {b: 1\n",
    "a: @x\n",
    "a: `x`\n",
    "a: 1\n\tb: 2\n",
    "a: |2x\n  b\n",
    "%YAML 1.3\n---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "a: *x\n",
    'a: "x" y\n',
    "a:\n  - b\n  c: 1\n",
    "a: 1\n  b: 2\n",
    "a: [b, c]]\n",
    "]\n",
    "a: -\n  - b\n",
    'a: "\\x4"\n',
    "a: [b,\n",
    "x: y\nz\n",
    "a: >3\n  b\n",
    "a: b\x01c\n",
]
RAW_YAML = (
    "could not find", "found character", "while scanning", "while parsing", "did not find",
    "mapping values", "found unexpected", "expected <", "found undefined", "unacceptable",
)  # fmt: skip


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_every_yaml_error_is_told_in_our_words_with_a_place(text):
    """libyaml's scanner, parser and reader errors never reach the user as they are."""
    from fyrules.engine.load.yaml_messages import _GENERIC

    parsed, problems = read_with_positions(text, "f.yaml")
    assert parsed is None
    (problem,) = problems
    assert problem.line is not None and problem.column is not None
    assert _GENERIC[0] not in problem.message_zh
    assert not any(raw in problem.message_en for raw in RAW_YAML), problem.message_en
    assert problem.message_zh.startswith("YAML 语法错误：") or problem.code != "YAML-SYNTAX"


EXPRESSION_SLIPS = [
    ('online = "none"', "比较相等要写 “==”", 7),
    ('online == "none" 并且 kind == "joint"', "“并且” 要写成 “and”", 17),
    ('online == "none" 或者 kind == "joint"', "“或者” 要写成 “or”", 17),
    ('不是 online == "none"', "“不是” 要写成 “not”", 0),
    ('online 属于 ["none"]', "“属于” 要写成 “in”", 7),
    ('online == "none" && kind == "joint"', "“&&” 要写成 “and”", 17),
    ('online == "none" || kind == "joint"', "“||” 要写成 “or”", 17),
    ("!green_channel", "“!” 要写成 “not”", 0),
    ("statutory_days => 3", "“=>” 要写成 “>=”", 15),
    ("name == 娱乐 场所", '文字要加引号：写成 "娱乐 场所"', 8),
    ("statutory_days >", "表达式不完整", 16),
    ("statutory_days > 20天", "数字后面不能直接跟字母或文字", 19),
]


@pytest.mark.parametrize(("source", "says", "offset"), EXPRESSION_SLIPS)
def test_expression_slips_are_named_where_they_are(source, says, offset):
    from fyrules.engine.expr import ExpressionError, compile_expression
    from fyrules.engine.expr.types import BOOL
    from fyrules.items.scope import ITEM_CONTEXT

    with pytest.raises(ExpressionError) as err:
        compile_expression(source, ITEM_CONTEXT, expected=BOOL)
    problem = err.value.problem
    assert problem.code == "EXPR-SYNTAX"
    assert problem.message_zh.startswith(says), problem.message_zh
    assert f"第 {offset + 1} 列" in problem.message_zh
    for raw in ("invalid syntax", "Perhaps", "Maybe you meant", "was never closed"):
        assert raw not in problem.message_en
