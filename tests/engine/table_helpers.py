"""Helpers for the decision-table tests: compiling small tables from YAML text or Python data."""

from __future__ import annotations

import textwrap
from typing import Any

from fyrules.engine.load.source import SourceMap, parse_yaml
from fyrules.engine.problems import Problem
from fyrules.engine.tables import DecisionTable, table_from_spec_data


def compile_yaml(
    text: str, path: str = "tables/t.yaml"
) -> tuple[DecisionTable | None, list[Problem]]:
    """Compile the first entry of ``tables:`` in ``text`` (dedented)."""
    doc, problems = parse_yaml(textwrap.dedent(text), path)
    assert doc is not None and not problems, problems
    return table_from_spec_data(doc.data["tables"][0], doc.source, ("tables", 0))


def yaml_table(text: str) -> DecisionTable:
    table, problems = compile_yaml(text)
    assert table is not None, [str(p) for p in problems]
    return table


def make_data(
    inputs: list[dict[str, Any]],
    outputs: list[dict[str, Any]],
    rows: list[Any],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": "T",
        "basis": "测试依据",
        "inputs": inputs,
        "outputs": outputs,
        "rows": rows,
        **extra,
    }


def compile_data(data: Any) -> tuple[DecisionTable | None, list[Problem]]:
    return table_from_spec_data(data, SourceMap("t.yaml"), ())


def make_table(
    inputs: list[dict[str, Any]], outputs: list[dict[str, Any]], rows: list[Any], **extra: Any
) -> DecisionTable:
    table, problems = compile_data(make_data(inputs, outputs, rows, **extra))
    assert table is not None, [str(p) for p in problems]
    return table


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def where(problem: Problem) -> tuple[int | None, int | None]:
    return problem.line, problem.column
