"""Message templates: ``承诺时限 {committed_days} 天超过法定时限 {statutory_days} 天``.

Each ``{…}`` is an expression, compiled in the same scope as the rule's condition; ``{{``
and ``}}`` stand for literal braces. Templates are never handed to ``str.format`` (whose
``{0.__class__}`` reaches Python internals): they are cut into text and expressions here,
and values are rendered plainly by :func:`render_value`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from ..problems import Location, Problem
from . import limits
from .compiled import CompiledExpression, compile_expression
from .errors import EvaluationError, ExpressionError
from .functions import FunctionLibrary
from .library import DEFAULT_FUNCTIONS
from .positions import DEFAULT_LOCATION
from .types import ObjectType

_QUOTES = "'\""


@attrs.frozen(slots=True, eq=False)
class CompiledTemplate:
    """A message template, ready to render on contexts of its scope."""

    text: str
    parts: tuple[str | CompiledExpression, ...]
    fields: frozenset[str]
    functions: frozenset[str]

    def __call__(self, context: Mapping[str, Any]) -> str:
        """The message for ``context``; raises :class:`~.errors.EvaluationError` on failure."""
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            value = part(context)
            try:
                out.append(render_value(value))
            except Exception as exc:  # e.g. an int too long to print
                raise EvaluationError(
                    Problem(
                        "EXPR-EVALUATION",
                        f"“{part.source}” 的值无法显示：{exc}",
                        f"the value of '{part.source}' cannot be shown: {exc}",
                        part.location,
                    )
                ) from exc
        return "".join(out)


def render_value(value: Any) -> str:
    """A value as a person reads it: dates in ISO form, ``20`` not ``20.0``, lists joined
    with ``、``, nothing for an empty value, ``true``/``false``."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    if isinstance(value, Mapping):
        return "、".join(f"{k}：{render_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(render_value(v) for v in value)
    return str(value)


def parse_template(
    text: str,
    schema: ObjectType,
    functions: FunctionLibrary = DEFAULT_FUNCTIONS,
    location: Location | None = None,
) -> CompiledTemplate:
    """Cut ``text`` into literal pieces and compiled expressions; raises
    :class:`~.errors.ExpressionError` (code ``MESSAGE-PLACEHOLDER`` for a broken ``{…}``)."""
    base = location or DEFAULT_LOCATION
    single_line = "\n" not in text

    def problem(index: int, zh: str, en: str) -> ExpressionError:
        where = base.shifted(index) if single_line else base
        return ExpressionError(
            Problem(
                "MESSAGE-PLACEHOLDER",
                f"{zh}（第 {index + 1} 个字符）",
                f"{en} (character {index + 1})",
                where,
            )
        )

    if len(text) > limits.MAX_TEMPLATE_LENGTH:
        raise problem(
            0,
            f"消息模板超过 {limits.MAX_TEMPLATE_LENGTH} 个字符",
            f"message template longer than {limits.MAX_TEMPLATE_LENGTH} characters",
        )
    parts: list[str | CompiledExpression] = []
    literal: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char in "{}" and text.startswith(char * 2, index):
            literal.append(char)
            index += 2
            continue
        if char == "}":
            raise problem(
                index,
                "多余的 “}”：字面的花括号要写成 “}}”",
                "stray '}': write '}}' for a literal brace",
            )
        if char != "{":
            literal.append(char)
            index += 1
            continue
        end = _closing_brace(text, index + 1)
        if end < 0:
            raise problem(index, "“{” 没有对应的 “}”", "'{' is never closed")
        source = text[index + 1 : end]
        if not source.strip():
            raise problem(index, "空的占位符 “{}”", "empty placeholder '{}'")
        if literal:
            parts.append("".join(literal))
            literal = []
        where = base.shifted(index + 1) if single_line else base
        parts.append(compile_expression(source, schema, functions=functions, location=where))
        index = end + 1
    if literal:
        parts.append("".join(literal))
    expressions = [p for p in parts if isinstance(p, CompiledExpression)]
    return CompiledTemplate(
        text,
        tuple(parts),
        frozenset().union(*(e.fields for e in expressions)),
        frozenset().union(*(e.functions for e in expressions)),
    )


def _closing_brace(text: str, start: int) -> int:
    """The index of the ``}`` that closes a placeholder, skipping string literals; -1 if none."""
    quote = ""
    index = start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in _QUOTES:
            quote = char
        elif char == "}":
            return index
        elif char == "{":
            return -1
        index += 1
    return -1
