"""Expression functions bound to one rulebook's data: ``param("id")`` and ``lookup("TABLE", …)``.

Both check their first argument when a rule compiles: an unknown parameter or table is a load
error with "did you mean …?", not a surprise when a case arrives.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .expr import ArgInfo, FunctionSpec
from .expr.types import ANY, BOOL, DATE, NUMBER, STRING, Type
from .parameters import Parameter
from .problems import Problem
from .suggest import hint

_TABLE_TYPES: dict[str, Type] = {"number": NUMBER, "string": STRING, "date": DATE, "bool": BOOL}


def _type_of(value: Any) -> Type:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, str):
        return STRING
    return DATE


def _constant_id(args: list[ArgInfo], fn: str, what_zh: str, what_en: str) -> str | Problem:
    if not args or not args[0].is_constant or not isinstance(args[0].constant, str):
        return Problem(
            "EXPR-ARGUMENTS",
            f"{fn}() 的第一个参数必须是写明的{what_zh}编号（带引号的文字）",
            f"the first argument of {fn}() must be a {what_en} id written as quoted text",
            args[0].location if args else None,
        )
    return args[0].constant


def param_function(parameters: Mapping[str, Parameter]) -> FunctionSpec:
    """``param("decision_days")``: the value of a rulebook parameter."""

    def check(args: list[ArgInfo]) -> Type | Problem:
        if len(args) != 1:
            return Problem(
                "EXPR-ARGUMENTS",
                "param() 只接受一个参数：参数编号",
                "param() takes exactly one argument: the parameter id",
                args[0].location if args else None,
            )
        name = _constant_id(args, "param", "参数", "parameter")
        if isinstance(name, Problem):
            return name
        if name not in parameters:
            zh_hint, en_hint = hint(name, parameters)
            return args[0].problem(
                "UNKNOWN-REFERENCE",
                f"参数 “{name}” 不存在{zh_hint}",
                f"parameter '{name}' does not exist{en_hint}",
            )
        return _type_of(parameters[name].value)

    values = {k: p.value for k, p in parameters.items()}

    def impl(name: str) -> Any:
        return values[name]

    return FunctionSpec(
        name="param",
        params=(STRING,),
        returns=ANY,
        impl=impl,
        doc_zh='规则集参数的值，如 param("decision_days")',
        doc_en='the value of a rulebook parameter, e.g. param("decision_days")',
        check=check,
    )


def lookup_function(tables: Mapping[str, Any]) -> FunctionSpec:
    """``lookup("TABLE-ID", input1, input2, …)``: a decision table's output, inputs in order."""

    def check(args: list[ArgInfo]) -> Type | Problem:
        table_id = _constant_id(args, "lookup", "决策表", "decision table")
        if isinstance(table_id, Problem):
            return table_id
        table = tables.get(table_id)
        if table is None:
            zh_hint, en_hint = hint(table_id, tables)
            return args[0].problem(
                "UNKNOWN-REFERENCE",
                f"决策表 “{table_id}” 不存在{zh_hint}",
                f"decision table '{table_id}' does not exist{en_hint}",
            )
        expected = len(table.inputs)
        if len(args) - 1 != expected:
            names = ", ".join(i.name for i in table.inputs)
            return args[0].problem(
                "EXPR-ARGUMENTS",
                f"决策表 {table_id} 需要 {expected} 个输入（{names}），给了 {len(args) - 1} 个",
                f"decision table {table_id} takes {expected} inputs ({names}), got {len(args) - 1}",
            )
        outputs = table.outputs
        if len(outputs) == 1 and table.hit_policy != "COLLECT":
            return _TABLE_TYPES.get(outputs[0].type, ANY)
        if len(outputs) == 1 and getattr(table, "aggregation", None) in ("SUM", "COUNT"):
            return NUMBER
        return ANY

    def impl(table_id: str, *inputs: Any) -> Any:
        table = tables[table_id]
        return table.evaluate({i.name: v for i, v in zip(table.inputs, inputs, strict=True)}).value

    return FunctionSpec(
        name="lookup",
        params=(STRING, ANY),
        returns=ANY,
        impl=impl,
        doc_zh='查决策表，输入按表头顺序，如 lookup("COMMITTED-CEILING", type, statutory_days)',
        doc_en="look a decision table up, inputs in header order, e.g. "
        'lookup("COMMITTED-CEILING", type, statutory_days)',
        variadic=True,
        min_args=1,
        check=check,
    )
