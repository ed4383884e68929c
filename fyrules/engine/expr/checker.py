"""Static checking: Python's syntax tree in, typed :mod:`.ir` nodes out.

Every name is looked up in the scope's schema (or among the variables of a
``(… for v in …)``), every function in the library, and every operator is checked against
its operands' types, so that a misspelled field or a date compared with a number fails when
the rulebook loads. The tree has already passed :mod:`.allowlist`, so only allowed constructs
arrive here. Operators are typed in :mod:`.operators`, calls and loops in :mod:`.calls`.

Where a value's type is ``any`` and a specific type is needed, an :class:`~.ir.Ensure` node
checks it at run time instead.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

import attrs

from ..suggest import hint
from . import ir
from .allowlist import constant_key
from .calls import call
from .errors import ExpressionError
from .functions import FunctionLibrary
from .never import check_logic, unquoted_value
from .operators import binary, compare, unary
from .positions import SourceText, Span
from .syntax_messages import CHINESE_WORDS
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
    assignable,
    describe,
    list_of,
    optional,
    strip_optional,
    unify,
)

#: Types an ``any`` value can be checked against at run time (see :mod:`.runtime`).
ENSURABLE = {BOOL: "bool", NUMBER: "number", STRING: "string", DATE: "date", DATETIME: "datetime"}

_LITERAL_WORDS = {"true": "True", "false": "False", "null": "None", "none": "None"}


@attrs.frozen(slots=True)
class Checked:
    """The outcome of checking: the typed tree and what it reads and calls."""

    tree: ir.Node
    fields: frozenset[str]
    functions: frozenset[str]


def check(
    tree: ast.Expression,
    text: SourceText,
    schema: ObjectType,
    functions: FunctionLibrary,
    expected: Type | None,
) -> Checked:
    checker = Checker(text, schema, functions)
    node = checker.expr(tree.body)
    if expected is not None:
        node = checker.conform(node, expected)
    return Checked(node, frozenset(checker.fields), frozenset(checker.called))


class Checker:
    def __init__(self, text: SourceText, schema: ObjectType, functions: FunctionLibrary):
        self.text = text
        self.schema = schema
        self.functions = functions
        self.fields: set[str] = set()
        self.called: set[str] = set()
        # Loop variables in scope: name → (index, element type, path of the list).
        self.loops: dict[str, tuple[int, Type, str | None]] = {}
        self.loop_count = 0

    # --- helpers --------------------------------------------------------------------------
    def span(self, node: ast.AST) -> Span:
        return self.text.span(node)

    def error(self, code: str, zh: str, en: str, span: Span) -> ExpressionError:
        return self.text.error(code, zh, en, span)

    def type_error(self, zh: str, en: str, span: Span) -> ExpressionError:
        return self.error("EXPR-TYPE", zh, en, span)

    def expr(self, node: ast.AST) -> ir.Node:
        """Check ``node`` as a value that is used (so a field it reads is recorded)."""
        result = self.visit(node)
        if result.path is not None:
            self.fields.add(result.path.removesuffix("[]"))
        return result

    def visit(self, node: ast.AST) -> ir.Node:
        method: Callable[[Any], ir.Node] | None = getattr(
            self, "visit_" + type(node).__name__, None
        )
        if method is None:  # pragma: no cover - allowlist.py lets no other construct through
            name = type(node).__name__
            raise self.error(
                "EXPR-FORBIDDEN",
                f"不允许使用 “{name}” 写法",
                f"the construct '{name}' is not allowed",
                self.span(node),
            )
        return method(node)

    def ensure(self, node: ir.Node, wanted: Type) -> ir.Node:
        """``node``, checked at run time to be a ``wanted`` if its static type is ``any``."""
        if node.type == ANY and wanted in ENSURABLE:
            return ir.Ensure(type=wanted, span=node.span, kind=ENSURABLE[wanted], operand=node)
        return node

    def condition(self, node: ir.Node, role_zh: str, role_en: str) -> ir.Node:
        """``node`` where a true/false value is needed (``and``, ``not``, ``if`` …)."""
        if node.type in (BOOL, ANY):
            return self.ensure(node, BOOL)
        text = node.span.text
        if isinstance(node.type, OptionalType) and strip_optional(node.type) == BOOL:
            raise self.type_error(
                f"{role_zh}需要真/假值，而 “{text}” 可能为空："
                f"请写 coalesce({text}, False) 或 {text} == True",
                f"{role_en} needs true or false, but '{text}' may be empty: "
                f"write coalesce({text}, False) or {text} == True",
                node.span,
            )
        raise self.type_error(
            f"{role_zh}需要真/假值，而 “{text}” 是{describe(node.type, 'zh')}",
            f"{role_en} needs true or false, but '{text}' is a {describe(node.type)}",
            node.span,
        )

    def conform(self, node: ir.Node, expected: Type) -> ir.Node:
        """The whole expression, which must give an ``expected`` (a condition: a bool)."""
        if expected == BOOL:
            return self.condition(node, "条件", "a condition")
        if node.type == ANY:
            return self.ensure(node, expected)
        if not assignable(node.type, expected):
            raise self.type_error(
                f"表达式应得到{describe(expected, 'zh')}，实际得到{describe(node.type, 'zh')}",
                f"the expression should give a {describe(expected)}, "
                f"but gives a {describe(node.type)}",
                node.span,
            )
        return node

    # --- leaves ---------------------------------------------------------------------------
    def visit_Constant(self, node: ast.Constant) -> ir.Node:
        value = node.value
        if value is None:
            kind = NULL
        elif isinstance(value, bool):
            kind = BOOL
        elif isinstance(value, int | float):
            kind = NUMBER
        else:
            kind = STRING
        return ir.Const(type=kind, span=self.span(node), value=value)

    def visit_Name(self, node: ast.Name) -> ir.Node:
        name, span = node.id, self.span(node)
        if name in self.loops:
            index, element, path = self.loops[name]
            return ir.LoopVar(type=element, span=span, index=index, path=path and path + "[]")
        kind = self.schema.field(name)
        if kind is not None:
            is_optional = isinstance(kind, OptionalType) or kind == ANY
            return ir.Root(type=kind, span=span, name=name, optional=is_optional, path=name)
        if name in self.functions:
            raise self.type_error(
                f"函数 “{name}” 要加括号调用，如 {name}(…)",
                f"the function '{name}' must be called, e.g. {name}(…)",
                span,
            )
        if name.lower() in _LITERAL_WORDS:
            # "none" may be a value of a field (online: none): quoting is as likely as None
            word = _LITERAL_WORDS[name.lower()]
            zh, en = f"（是否应为 “{word}”？）", f" (did you mean '{word}'?)"
            if word == "None":
                zh = f'（是文字就加引号："{name}"；是空值就写 None）'
                en = f' (text goes in quotes: "{name}"; for an empty value write None)'
        elif name in CHINESE_WORDS:
            zh = f"（“{name}” 要写成 “{CHINESE_WORDS[name]}”）"
            en = f" (write '{name}' as '{CHINESE_WORDS[name]}')"
        elif not name.isascii():
            zh, en = f'（文字要加引号："{name}"）', f' (text goes in quotes: "{name}")'
        else:
            zh, en = hint(name, [*self.schema.fields, *self.loops])
        raise self.error(
            "EXPR-UNKNOWN-FIELD", f"未知字段 “{name}”{zh}", f"unknown field '{name}'{en}", span
        )

    # --- fields and elements -------------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> ir.Node:
        span = self.span(node)
        # Problems point at the field name itself, the last characters of ``target.name``.
        end_line, end = self.text.char_position(node.end_lineno or 1, node.end_col_offset or 0)
        name_at = Span(end_line, max(end - len(node.attr), 0), node.attr)
        return self.member(self.visit(node.value), node.attr, span, name_at)

    def visit_Subscript(self, node: ast.Subscript) -> ir.Node:
        target, span = self.visit(node.value), self.span(node)
        key = constant_key(node.slice)
        if isinstance(key, str):
            return self.member(target, key, span, self.span(node.slice))
        assert isinstance(key, int)  # allowlist.py allows only constant whole numbers or strings
        kind = strip_optional(target.type)
        nullable = isinstance(target.type, OptionalType)
        if isinstance(kind, ListType):
            element = kind.element
        elif kind in (STRING, ANY):
            element = kind
        else:
            raise self.type_error(
                f"“{target.span.text}” 是{describe(target.type, 'zh')}，不能用下标读取",
                f"'{target.span.text}' is a {describe(target.type)} and cannot be indexed",
                span,
            )
        path = target.path and target.path + "[]"
        return ir.Index(
            type=optional(element) if nullable else element,
            span=span,
            target=target,
            key=key,
            checked=nullable or kind == ANY,
            path=path,
        )

    def member(self, target: ir.Node, name: str, span: Span, name_at: Span) -> ir.Node:
        kind = strip_optional(target.type)
        nullable = isinstance(target.type, OptionalType)
        path = target.path and f"{target.path}.{name}"
        if kind == ANY:
            return ir.Member(
                type=ANY,
                span=span,
                target=target,
                name=name,
                optional=True,
                checked=True,
                path=path,
            )
        if not isinstance(kind, ObjectType):
            hint_zh, hint_en = "", ""
            if isinstance(kind, ListType):
                hint_zh = "；列表请用 len(…)、any(… for … in …) 等函数"
                hint_en = "; use len(…), any(… for … in …) and the like on lists"
            raise self.type_error(
                f"“{target.span.text}” 是{describe(target.type, 'zh')}，没有字段 “{name}”{hint_zh}",
                f"'{target.span.text}' is a {describe(target.type)} "
                f"and has no field '{name}'{hint_en}",
                name_at,
            )
        field = kind.field(name)
        if field is None:
            zh, en = hint(name, kind.fields)
            raise self.error(
                "EXPR-UNKNOWN-FIELD",
                f"“{target.span.text}” 没有字段 “{name}”{zh}",
                f"'{target.span.text}' has no field '{name}'{en}",
                name_at,
            )
        return ir.Member(
            type=optional(field) if nullable else field,
            span=span,
            target=target,
            name=name,
            optional=isinstance(field, OptionalType) or field == ANY,
            checked=nullable,
            path=path,
        )

    # --- operators (typed in operators.py) -----------------------------------------------
    def visit_UnaryOp(self, node: ast.UnaryOp) -> ir.Node:
        return unary(self, node, self.expr(node.operand))

    def visit_BinOp(self, node: ast.BinOp) -> ir.Node:
        return binary(self, node, self.expr(node.left), self.expr(node.right))

    def visit_BoolOp(self, node: ast.BoolOp) -> ir.Node:
        op = "and" if isinstance(node.op, ast.And) else "or"
        operands = tuple(self.condition(self.expr(v), f"“{op}” ", f"'{op}'") for v in node.values)
        logic = ir.Logic(type=BOOL, span=self.span(node), op=op, operands=operands)
        check_logic(self, op, operands, logic)
        return logic

    def visit_Compare(self, node: ast.Compare) -> ir.Node:
        unquoted_value(self, [node.left, *node.comparators])
        operands = [self.expr(node.left), *(self.expr(c) for c in node.comparators)]
        return compare(self, node, operands)

    def visit_IfExp(self, node: ast.IfExp) -> ir.Node:
        body = self.expr(node.body)
        test = self.condition(self.expr(node.test), "“if” ", "'if'")
        orelse = self.expr(node.orelse)
        kind = unify(body.type, orelse.type)
        if kind is None:
            raise self.type_error(
                f"“if … else …” 两个分支的类型不同："
                f"{describe(body.type, 'zh')} 与 {describe(orelse.type, 'zh')}",
                f"the two branches of 'if … else …' differ: "
                f"{describe(body.type)} and {describe(orelse.type)}",
                self.span(node),
            )
        return ir.Choice(type=kind, span=self.span(node), test=test, body=body, orelse=orelse)

    def visit_List(self, node: ast.List | ast.Tuple) -> ir.Node:
        items = tuple(self.expr(e) for e in node.elts)
        element: Type = ANY if not items else items[0].type
        for item in items[1:]:
            joined = unify(element, item.type)
            if joined is None:
                raise self.type_error(
                    f"列表元素的类型不一致："
                    f"{describe(element, 'zh')} 与 {describe(item.type, 'zh')}",
                    f"list elements of different types: "
                    f"{describe(element)} and {describe(item.type)}",
                    item.span,
                )
            element = joined
        return ir.ListLit(type=list_of(element), span=self.span(node), items=items)

    visit_Tuple = visit_List

    # --- calls (typed in calls.py) ------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> ir.Node:
        return call(self, node)
