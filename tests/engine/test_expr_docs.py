"""docs/expressions.md and the code say the same: functions, limits, codes, examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fyrules.engine.codes import CODES
from fyrules.engine.expr import BOOL, DEFAULT_FUNCTIONS, limits
from tests.engine.expr_support import compiled

DOC = (Path(__file__).parents[2] / "docs" / "expressions.md").read_text(encoding="utf-8")


def section(number: int) -> str:
    start = DOC.index(f"\n## {number}. ")
    end = DOC.find("\n## ", start + 1)
    return DOC[start : end if end > 0 else None]


@pytest.mark.parametrize("name", sorted(DEFAULT_FUNCTIONS))
def test_every_function_is_documented(name):
    assert f"`{name}(" in section(6)


@pytest.mark.parametrize("name", [n for n in dir(limits) if n.startswith("MAX_")])
def test_every_limit_is_documented_with_its_value(name):
    row = next(line for line in section(8).splitlines() if f"`{name}`" in line)
    assert f"| {getattr(limits, name)} |" in row


@pytest.mark.parametrize("code", [c for c in CODES if c.startswith("EXPR-")])
def test_every_expression_error_code_is_documented(code):
    assert f"`{code}`" in section(10)


def function_table_examples() -> list[str]:
    rows = [line for line in section(6).splitlines() if line.startswith("| `")]
    return [re.findall(r"`([^`]+)`", row)[-1] for row in rows]


@pytest.mark.parametrize("example", function_table_examples())
def test_the_examples_of_the_function_table_compile(example):
    assert compiled(example, expected=BOOL).type == BOOL


@pytest.mark.parametrize("name", sorted(DEFAULT_FUNCTIONS))
def test_the_example_of_each_function_spec_compiles(name):
    assert compiled(DEFAULT_FUNCTIONS[name].example, expected=BOOL)


def test_the_operator_and_loop_examples_compile():
    rows = [line for line in section(4).splitlines() if line.startswith("| `")]
    operators = [re.findall(r"`([^`]+)`", row)[-1] for row in rows]
    loops = section(5).split("```python")[1].split("```")[0].strip().splitlines()
    for example in operators + loops:
        compiled(example)
