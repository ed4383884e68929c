"""Conditions that can never fire, found when a rule file loads.

``online == "nnoe"`` is valid syntax and compares text with text, so nothing would object; but
``online`` is only ever none, apply or full, and the rule never fires. Neither does
``kind == "commitment" and kind == "joint"``, and ``online == "none" or online != "none"``
always does. Each is a mistake a policy officer cannot see from the outside: the rule looks
in force. These checks report them as errors with the declared values and a suggestion.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from ..suggest import closest
from . import ir

if TYPE_CHECKING:  # pragma: no cover
    from .checker import Checker


def check_values(checker: Checker, ops: tuple[str, ...], operands: list[ir.Node]) -> None:
    """A field with declared values compared (``==``, ``!=``, ``in``) with text outside them."""
    for i, op in enumerate(ops):
        if op not in ("==", "!=", "in", "not in"):
            continue
        left, right = operands[i], operands[i + 1]
        pairs = [(left, right), (right, left)] if op in ("==", "!=") else [(left, right)]
        for field, other in pairs:
            allowed = _declared(checker, field)
            if allowed is None:
                continue
            literals = [other] if isinstance(other, ir.Const) else []
            if op in ("in", "not in") and isinstance(other, ir.ListLit):
                literals = [n for n in other.items if isinstance(n, ir.Const)]
            for lit in literals:
                if isinstance(lit.value, str) and lit.value not in allowed:
                    _outside(checker, field, lit, allowed, op)


def unquoted_value(checker: Checker, nodes: list[ast.expr]) -> None:
    """``online == none``: a value of the field written without quotes reads as a field name.
    Said before the name is looked up, so the suggestion is the quoted value, not ``None``."""
    fields = [n.id for n in nodes if isinstance(n, ast.Name) and n.id in checker.schema.fields]
    for node in nodes:
        if not isinstance(node, ast.Name) or node.id in checker.schema.fields:
            continue
        for field in fields:
            if node.id in checker.schema.values.get(field, ()):
                raise checker.error(
                    "EXPR-UNKNOWN-FIELD",
                    f'“{node.id}” 是 “{field}” 的取值，要加引号：写成 "{node.id}"',
                    f"'{node.id}' is a value of '{field}' and needs quotes: write \"{node.id}\"",
                    checker.span(node),
                )


def _declared(checker: Checker, node: ir.Node) -> tuple[str, ...] | None:
    if isinstance(node, ir.Root):
        return checker.schema.values.get(node.name)
    return None


def _outside(
    checker: Checker, field: ir.Node, lit: ir.Const, allowed: tuple[str, ...], op: str
) -> None:
    name = field.span.text
    best = closest(lit.value, allowed)
    zh_hint = f'是否应为 "{best}"？' if best else ""
    en_hint = f' Did you mean "{best}"?' if best else ""
    never = op in ("==", "in")
    zh_effect = "这个比较永远不成立，规则永远不会触发" if never else "这个比较永远成立"
    en_effect = (
        "the comparison never holds, so the rule never fires"
        if never
        else ("the comparison always holds")
    )
    raise checker.error(
        "EXPR-UNKNOWN-VALUE",
        f'“{name}” 只能是 {"、".join(allowed)} 之一，没有 "{lit.value}"：{zh_effect}。{zh_hint}',
        f"'{name}' is one of {', '.join(allowed)}, never \"{lit.value}\": {en_effect}.{en_hint}",
        lit.span,
    )


def _fact(node: ir.Node) -> tuple[str, str, object] | None:
    """``field == literal`` or ``field != literal`` as ``(field, op, value)``."""
    if not isinstance(node, ir.Compare) or len(node.ops) != 1 or node.ops[0] not in ("==", "!="):
        return None
    left, right = node.operands
    if isinstance(right, ir.Root) and isinstance(left, ir.Const):
        left, right = right, left
    if isinstance(left, ir.Root) and isinstance(right, ir.Const):
        return left.name, node.ops[0], right.value
    return None


def check_logic(checker: Checker, op: str, operands: tuple[ir.Node, ...], whole: ir.Node) -> None:
    """``and`` of facts that contradict each other; ``or`` of facts one of which always holds."""
    seen: dict[tuple[str, str], list[object]] = {}
    for node in operands:
        fact = _fact(node)
        if fact is None:
            continue
        field, rel, value = fact
        if op == "and":
            equal = seen.get((field, "=="), [])
            differ = seen.get((field, "!="), [])
            if (rel == "==" and (any(v != value for v in equal) or value in differ)) or (
                rel == "!=" and value in equal
            ):
                raise checker.error(
                    "EXPR-CONSTANT",
                    f"条件自相矛盾，永远不成立：“{field}” 不能同时满足 “{whole.span.text}”，"
                    "规则永远不会触发。是否应当用 or？",
                    f"the condition contradicts itself and never holds: '{field}' cannot meet "
                    f"'{whole.span.text}' at once, so the rule never fires. Did you mean 'or'?",
                    node.span,
                )
        else:
            equal = seen.get((field, "=="), [])
            differ = seen.get((field, "!="), [])
            if (rel == "!=" and (value in equal or any(v != value for v in differ))) or (
                rel == "==" and value in differ
            ):
                raise checker.error(
                    "EXPR-CONSTANT",
                    f"条件永远成立：“{whole.span.text}” 对任何 “{field}” 都成立，"
                    "规则对每一项都会触发。是否应当用 and？",
                    f"the condition always holds: '{whole.span.text}' is true whatever "
                    f"'{field}' is, so the rule fires for everything. Did you mean 'and'?",
                    node.span,
                )
        seen.setdefault((field, rel), []).append(value)
