"""Typing rules of the operators: arithmetic, signs and comparisons.

Numbers do arithmetic; ``+`` also joins two strings. Everything else is refused with a
message that says what to write instead: arithmetic on true/false or on dates
(``days_between``), repeating a string or list with ``*``, ``%`` formatting. Comparisons
need operands of one kind; ``in`` looks for an element in a list or a piece of text in a
string. An operand that may be ``None`` is accepted: ``None`` fails when the expression runs
(see ``docs/expressions.md``, "empty values").
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from . import ir
from .errors import ExpressionError
from .never import check_values
from .types import (
    ANY,
    BOOL,
    DATE,
    DATETIME,
    NULL,
    NUMBER,
    STRING,
    ListType,
    Type,
    comparable,
    describe,
    orderable,
    strip_optional,
)

if TYPE_CHECKING:  # pragma: no cover
    from .checker import Checker

BINARY_OPS: dict[type[ast.operator], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.Pow: "**",
}  # fmt: skip
COMPARE_OPS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not",
}  # fmt: skip


def unary(checker: Checker, node: ast.UnaryOp, operand: ir.Node) -> ir.Node:
    span = checker.span(node)
    if isinstance(node.op, ast.Not):
        return ir.Unary(
            type=BOOL, span=span, op="not", operand=checker.condition(operand, "“not” ", "'not'")
        )
    op = "-" if isinstance(node.op, ast.USub) else "+"
    operand = _number(checker, operand, op)
    if isinstance(operand, ir.Const):  # -5 is a literal, as the checks of functions expect
        return ir.Const(
            type=NUMBER, span=span, value=-operand.value if op == "-" else operand.value
        )
    return ir.Unary(type=NUMBER, span=span, op=op, operand=operand)


def binary(checker: Checker, node: ast.BinOp, left: ir.Node, right: ir.Node) -> ir.Node:
    op, span = BINARY_OPS[type(node.op)], checker.span(node)
    kinds = {strip_optional(left.type), strip_optional(right.type)}
    if op == "+" and STRING in kinds:
        if kinds <= {STRING, ANY}:
            left, right = checker.ensure(left, STRING), checker.ensure(right, STRING)
            return ir.Binary(type=STRING, span=span, op="+", left=left, right=right)
        raise checker.type_error(
            f"文本不能与{_other_zh(left, right)}相加：“{span.text}”",
            f"text cannot be added to a {_other_en(left, right)}: '{span.text}'",
            span,
        )
    if op == "+" and kinds == {ANY}:
        return ir.Binary(type=ANY, span=span, op="any+", left=left, right=right)
    if op == "*" and (STRING in kinds or any(isinstance(k, ListType) for k in kinds)):
        raise checker.error(
            "EXPR-FORBIDDEN",
            "不允许对文本或列表做乘法（重复）：可能产生巨大的值",
            "multiplying text or a list (repetition) is not allowed: it can build huge values",
            span,
        )
    if op == "%" and strip_optional(left.type) == STRING:
        raise checker.error(
            "EXPR-FORBIDDEN",
            "不允许对文本使用 “%” 格式化：请用消息模板",
            "'%' formatting of text is not allowed: use a message template",
            span,
        )
    left, right = _number(checker, left, op), _number(checker, right, op)
    return ir.Binary(type=NUMBER, span=span, op=op, left=left, right=right)


def _other_zh(left: ir.Node, right: ir.Node) -> str:
    other = right if strip_optional(left.type) == STRING else left
    return describe(other.type, "zh")


def _other_en(left: ir.Node, right: ir.Node) -> str:
    other = right if strip_optional(left.type) == STRING else left
    return describe(other.type)


def _number(checker: Checker, operand: ir.Node, op: str) -> ir.Node:
    """``operand`` of an arithmetic operator, which must be a number."""
    kind = strip_optional(operand.type)
    if kind in (NUMBER, ANY):
        return checker.ensure(operand, NUMBER)
    text = operand.span.text
    if kind == BOOL:
        zh, en = "不能对真/假值做算术", "arithmetic on true/false is not allowed"
    elif kind in (DATE, DATETIME):
        zh = "日期不能直接做算术：请用 days_between(…) 等函数"
        en = "dates do not do arithmetic: use days_between(…) and the like"
    elif kind == NULL:
        zh, en = "None 不能参与算术", "None cannot take part in arithmetic"
    else:
        zh = f"“{op}” 需要数值，而这里是{describe(operand.type, 'zh')}"
        en = f"'{op}' needs numbers, but this is a {describe(operand.type)}"
    raise checker.type_error(f"{zh}：“{text}”", f"{en}: '{text}'", operand.span)


def compare(checker: Checker, node: ast.Compare, operands: list[ir.Node]) -> ir.Node:
    ops = tuple(COMPARE_OPS[type(op)] for op in node.ops)
    as_list: set[int] = set()
    for i, op in enumerate(ops):
        left, right = operands[i], operands[i + 1]
        if op in ("==", "!="):
            if not comparable(left.type, right.type):
                raise _mismatch(checker, left, right, op)
            for j, side in ((i, left), (i + 1, right)):
                if isinstance(strip_optional(side.type), ListType):
                    as_list.add(j)
        elif op in ("<", "<=", ">", ">="):
            if not orderable(left.type, right.type):
                raise _mismatch(checker, left, right, op)
        elif op in ("in", "not in"):
            _membership(checker, left, right, op)
        # "is" / "is not": allowlist.py allows only "is None", which any value may be tested for
    check_values(checker, ops, operands)
    checked = tuple(
        ir.Ensure(type=o.type, span=o.span, kind="list", operand=o) if i in as_list else o
        for i, o in enumerate(operands)
    )
    return ir.Compare(type=BOOL, span=checker.span(node), ops=ops, operands=checked)


def _membership(checker: Checker, left: ir.Node, right: ir.Node, op: str) -> None:
    container = strip_optional(right.type)
    if container == ANY:
        return
    if isinstance(container, ListType):
        if comparable(left.type, container.element):
            return
        raise _mismatch(checker, left, right, op, element=container.element)
    if container == STRING:
        if strip_optional(left.type) in (STRING, ANY):
            return
        raise _mismatch(checker, left, right, op, element=STRING)
    raise checker.type_error(
        f"“{op}” 的右边应为列表或文本，而 “{right.span.text}” 是{describe(right.type, 'zh')}",
        f"the right side of '{op}' must be a list or text, "
        f"but '{right.span.text}' is a {describe(right.type)}",
        right.span,
    )


def _mismatch(
    checker: Checker, left: ir.Node, right: ir.Node, op: str, element: Type | None = None
) -> ExpressionError:
    a, b = left.span.text, right.span.text
    tip_zh, tip_en = _quote_tip(left, right)
    if element is not None:
        return checker.type_error(
            f"“{a}” 是{describe(left.type, 'zh')}，而 “{b}” 中的值是{describe(element, 'zh')}，"
            f"不能用 “{op}” 查找{tip_zh}",
            f"'{a}' is a {describe(left.type)} but '{b}' holds {describe(element)} values, "
            f"so '{op}' cannot find it{tip_en}",
            left.span,
        )
    other = right.type
    return checker.type_error(
        f"“{a}” 是{describe(left.type, 'zh')}，"
        f"不能与{describe(other, 'zh')} “{b}” 用 “{op}” 比较{tip_zh}",
        f"'{a}' is a {describe(left.type)} and cannot be compared with the {describe(other)} "
        f"'{b}' by '{op}'{tip_en}",
        left.span,
    )


def _quote_tip(left: ir.Node, right: ir.Node) -> tuple[str, str]:
    """A number written in quotes is the commonest slip: ``age >= "18"``."""
    for number, other in ((left, right), (right, left)):
        if (
            strip_optional(number.type) == NUMBER
            and isinstance(other, ir.Const)
            and isinstance(other.value, str)
            and _looks_numeric(other.value)
        ):
            return (
                f"（数字不要加引号：{other.value}）",
                f" (write numbers without quotes: {other.value})",
            )
    return "", ""


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
