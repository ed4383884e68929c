"""The expression language of rule files: conditions, formulas and message templates.

A small, safe language in the syntax of a Python expression, checked against the scope's
schema when the rulebook loads and compiled to a Python function that runs fast::

    from fyrules.engine.expr import compile_expression, object_type, NUMBER, STRING, BOOL
    schema = object_type("applicant", {"age": NUMBER, "region": STRING})
    adult = compile_expression('age >= 18 and region in ["A", "B"]', schema, expected=BOOL)
    adult({"age": 20, "region": "A"})         # True
    adult.evaluate_traced({"age": 20, "region": "A"})   # (True, [TraceStep('age', 20) …])

``docs/expressions.md`` is the reference for policy staff and developers.
"""

from __future__ import annotations

from .compiled import CompiledExpression, compile_expression
from .errors import EvaluationError, ExpressionError
from .functions import NOT_CONSTANT, ArgInfo, FunctionLibrary, FunctionSpec
from .library import DEFAULT_FUNCTIONS
from .template import CompiledTemplate, parse_template, render_value
from .tracer import TraceStep
from .types import (
    ANY,
    BOOL,
    DATE,
    DATETIME,
    NULL,
    NUMBER,
    STRING,
    ListType,
    ObjectType,
    OptionalType,
    Type,
    list_of,
    object_type,
    optional,
)

__all__ = [
    "ANY",
    "BOOL",
    "DATE",
    "DATETIME",
    "DEFAULT_FUNCTIONS",
    "NOT_CONSTANT",
    "NULL",
    "NUMBER",
    "STRING",
    "ArgInfo",
    "CompiledExpression",
    "CompiledTemplate",
    "EvaluationError",
    "ExpressionError",
    "FunctionLibrary",
    "FunctionSpec",
    "ListType",
    "ObjectType",
    "OptionalType",
    "TraceStep",
    "Type",
    "compile_expression",
    "list_of",
    "object_type",
    "optional",
    "parse_template",
    "render_value",
]
