"""The allow-list: every construct an expression may use, and a named refusal for the rest.

:class:`Gate` walks Python's syntax tree in reading order. It accepts the constructs the
language has and refuses every other one with a message that names it, says why, and points
at its column; a construct Python adds tomorrow is refused too, because nothing is allowed
unless listed here.

Types are not looked at here (that is :mod:`.checker`), except where a construct is unsafe
whatever its types: ``"%s" % x`` and ``"a" * n`` on literals, ``**`` with a large exponent.
"""

from __future__ import annotations

import ast
import math
import unicodedata

from . import limits
from .errors import ExpressionError
from .positions import SourceText, Span

# Constructs Python has and the language refuses: what each is, and why it is refused.
_AGGREGATES_ONLY = (
    "只有 any、all、count、sum、min、max 的唯一参数可以写成 (… for … in …)",
    "only the sole argument of any, all, count, sum, min or max may be (… for … in …)",
)
_FORMAT_STRINGS = (
    "格式化字符串可以访问 Python 内部对象",
    "format strings can reach Python internals",
)
_NO_GENERATORS = ("表达式不能产生生成器", "expressions cannot yield")
_USE_A_LIST = ("请改用列表 […]", "use a list […]")
_FORBIDDEN: dict[type[ast.AST], tuple[tuple[str, str], tuple[str, str]]] = {
    ast.Lambda: ((" lambda 函数", "lambda functions"),
                 ("规则中不能定义函数", "rules cannot define functions")),
    ast.NamedExpr: (("赋值表达式 “:=”", "assignment expressions ':='"),
                    ("表达式不能修改任何值", "expressions cannot change anything")),
    ast.JoinedStr: ((" f 字符串", "f-strings"), _FORMAT_STRINGS),
    ast.FormattedValue: ((" f 字符串", "f-strings"), _FORMAT_STRINGS),
    ast.Dict: (("字典 {…}", "dict literals {…}"), _USE_A_LIST),
    ast.Set: (("集合 {…}", "set literals {…}"), _USE_A_LIST),
    ast.ListComp: (("列表推导式 […for…]", "list comprehensions […for…]"), _AGGREGATES_ONLY),
    ast.SetComp: (("集合推导式", "set comprehensions"), _AGGREGATES_ONLY),
    ast.DictComp: (("字典推导式", "dict comprehensions"), _AGGREGATES_ONLY),
    ast.GeneratorExp: (("单独的 (… for … in …)", "a free-standing (… for … in …)"),
                       _AGGREGATES_ONLY),
    ast.Await: ((" await", "await"), ("表达式不能等待", "expressions cannot wait")),
    ast.Yield: ((" yield", "yield"), _NO_GENERATORS),
    ast.YieldFrom: ((" yield from", "yield from"), _NO_GENERATORS),
    ast.Starred: (("星号展开 *x", "starred expressions *x"),
                  ("参数要逐个写出", "write the arguments one by one")),
    ast.Slice: (("切片 x[a:b]", "slices x[a:b]"),
                ("只能用常数下标读取单个元素",
                 "only single elements can be read, by a constant index")),
    ast.BitAnd: (("位运算 &", "the bitwise operator &"),
                 ("条件请用 and", "use 'and' in conditions")),
    ast.BitOr: (("位运算 |", "the bitwise operator |"), ("条件请用 or", "use 'or' in conditions")),
    ast.BitXor: (("位运算 ^", "the bitwise operator ^"), ("乘方请用 **", "use ** for powers")),
    ast.LShift: (("移位运算 <<", "the shift operator <<"),
                 ("移位可以产生巨大的数（1 << 10**9）", "shifts build huge numbers (1 << 10**9)")),
    ast.RShift: (("移位运算 >>", "the shift operator >>"),
                 ("规则中不需要移位", "rules need no shifts")),
    ast.Invert: (("位运算 ~", "the bitwise operator ~"),
                 ("条件取反请用 not", "use 'not' to negate a condition")),
    ast.MatMult: (("矩阵乘法 @", "matrix multiplication @"),
                  ("规则中不需要矩阵运算", "rules need no matrices")),
}  # fmt: skip

_ALLOWED_OPERATORS = (
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.UAdd, ast.USub,
    ast.Not, ast.And, ast.Or, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In,
    ast.NotIn, ast.Is, ast.IsNot,
)  # fmt: skip


class Gate:
    """Walks the tree in reading order and refuses, by name, every construct not allowed."""

    def __init__(self, text: SourceText):
        self.text = text

    def refuse(
        self, node: ast.AST, zh: str, en: str, code: str = "EXPR-FORBIDDEN"
    ) -> ExpressionError:
        span = self.text.span(node) if hasattr(node, "lineno") else Span(1, 0, "")
        return self.text.error(code, zh, en, span)

    def forbidden(self, kind: type[ast.AST], at: ast.AST) -> ExpressionError:
        (what_zh, what_en), (why_zh, why_en) = _FORBIDDEN[kind]
        return self.refuse(at, f"不允许使用{what_zh}：{why_zh}", f"{what_en} not allowed: {why_en}")

    def visit(self, node: ast.AST, in_generator: bool = False) -> None:
        if type(node) in _FORBIDDEN:
            raise self.forbidden(type(node), node)
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            name = type(node).__name__
            raise self.refuse(
                node, f"不允许使用 “{name}” 写法", f"the construct '{name}' is not allowed"
            )
        method(node, in_generator)

    def operator(self, node: ast.AST, op: ast.AST) -> None:
        if type(op) in _FORBIDDEN:
            raise self.forbidden(type(op), node)
        if not isinstance(op, _ALLOWED_OPERATORS):
            name = type(op).__name__
            raise self.refuse(
                node, f"不允许使用运算符 “{name}”", f"the operator '{name}' is not allowed"
            )

    def name(self, node: ast.AST, name: str) -> None:
        if name.startswith("_"):
            raise self.refuse(
                node,
                f"不允许使用以下划线开头的名称 “{name}”：这类名称可以访问 Python 内部对象",
                f"names starting with '_' are not allowed ('{name}'): they reach Python internals",
            )

    # --- leaves -------------------------------------------------------------------------
    def visit_Constant(self, node: ast.Constant, in_generator: bool) -> None:
        value = node.value
        if value is None or isinstance(value, bool):
            return
        if isinstance(value, int):
            if len(str(abs(value))) > limits.MAX_INT_DIGITS:
                raise self.refuse(
                    node,
                    f"整数超过 {limits.MAX_INT_DIGITS} 位",
                    f"integer literal longer than {limits.MAX_INT_DIGITS} digits",
                    "EXPR-LITERAL",
                )
        elif isinstance(value, float):
            if not math.isfinite(value) or abs(value) >= 10.0**limits.MAX_INT_DIGITS:
                raise self.refuse(
                    node,
                    f"小数超出范围（须小于 10 的 {limits.MAX_INT_DIGITS} 次方）",
                    f"number literal out of range (must be below 10**{limits.MAX_INT_DIGITS})",
                    "EXPR-LITERAL",
                )
        elif isinstance(value, str):
            if len(value) > limits.MAX_STRING_LENGTH:
                raise self.refuse(
                    node,
                    f"字符串超过 {limits.MAX_STRING_LENGTH} 个字符",
                    f"string literal longer than {limits.MAX_STRING_LENGTH} characters",
                    "EXPR-LITERAL",
                )
        else:
            kind = {
                bytes: ("字节串 b'…'", "bytes literals b'…'"),
                complex: ("复数", "complex numbers"),
            }
            zh, en = kind.get(type(value), ("“...”", "'...'"))
            raise self.refuse(node, f"不允许使用{zh}", f"{en} are not allowed")

    def visit_Name(self, node: ast.Name, in_generator: bool) -> None:
        self.name(node, node.id)

    # --- compound -----------------------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute, in_generator: bool) -> None:
        self.visit(node.value, in_generator)
        self.name(node, node.attr)

    def visit_Subscript(self, node: ast.Subscript, in_generator: bool) -> None:
        self.visit(node.value, in_generator)
        key = node.slice
        if isinstance(key, ast.Slice):
            raise self.forbidden(ast.Slice, key)
        value = constant_key(key)
        if value is None:
            raise self.refuse(
                key,
                '下标只能是整数常量或字符串常量，如 x[0]、x["名称"]',
                'an index must be a constant whole number or string, e.g. x[0], x["name"]',
            )
        self.visit(key, in_generator)
        if isinstance(value, str):
            self.name(key, unicodedata.normalize("NFKC", value))

    def visit_UnaryOp(self, node: ast.UnaryOp, in_generator: bool) -> None:
        self.operator(node, node.op)
        self.visit(node.operand, in_generator)

    def visit_BinOp(self, node: ast.BinOp, in_generator: bool) -> None:
        self.visit(node.left, in_generator)
        self.operator(node, node.op)
        if isinstance(node.op, ast.Pow):
            self.power(node)
        if isinstance(node.op, ast.Mult) and any(
            _is_sequence_literal(n) for n in (node.left, node.right)
        ):
            raise self.refuse(
                node,
                "不允许对字符串或列表做乘法（重复）：可能产生巨大的值",
                "multiplying a string or list (repetition) is not allowed: "
                "it can build huge values",
            )
        if isinstance(node.op, ast.Mod) and _is_string_literal(node.left):
            raise self.refuse(
                node,
                "不允许对字符串使用 “%” 格式化：请用消息模板",
                "'%' formatting of strings is not allowed: use a message template",
            )
        self.visit(node.right, in_generator)

    def power(self, node: ast.BinOp) -> None:
        exponent = node.right
        if not (
            isinstance(exponent, ast.Constant)
            and type(exponent.value) is int
            and 0 <= exponent.value <= limits.MAX_POWER
        ):
            raise self.refuse(
                node,
                f"乘方 “**” 的指数只能是 0 到 {limits.MAX_POWER} 的整数常量："
                "更大的指数可以产生巨大的数",
                "the exponent of '**' must be a whole-number literal "
                f"from 0 to {limits.MAX_POWER}: "
                "larger ones build huge numbers",
            )
        if any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) for n in ast.walk(node.left)):
            raise self.refuse(
                node,
                "乘方 “**” 的底数中不能再有乘方：嵌套乘方可以产生巨大的数",
                "the base of '**' cannot contain another '**': nested powers build huge numbers",
            )

    def visit_BoolOp(self, node: ast.BoolOp, in_generator: bool) -> None:
        self.operator(node, node.op)
        for value in node.values:
            self.visit(value, in_generator)

    def visit_Compare(self, node: ast.Compare, in_generator: bool) -> None:
        self.visit(node.left, in_generator)
        for op, right in zip(node.ops, node.comparators, strict=True):
            self.operator(node, op)
            if isinstance(op, ast.Is | ast.IsNot) and not (
                isinstance(right, ast.Constant) and right.value is None
            ):
                raise self.refuse(
                    node,
                    "“is” 只能用于 “x is None”，比较值请用 “==”",
                    "'is' is only for 'x is None'; compare values with '=='",
                )
            self.visit(right, in_generator)

    def visit_IfExp(self, node: ast.IfExp, in_generator: bool) -> None:
        for part in (node.body, node.test, node.orelse):
            self.visit(part, in_generator)

    def visit_List(self, node: ast.List | ast.Tuple, in_generator: bool) -> None:
        if len(node.elts) > limits.MAX_LIST_LENGTH:
            raise self.refuse(
                node,
                f"列表超过 {limits.MAX_LIST_LENGTH} 个元素",
                f"list literal longer than {limits.MAX_LIST_LENGTH} elements",
                "EXPR-LITERAL",
            )
        for element in node.elts:
            self.visit(element, in_generator)

    visit_Tuple = visit_List

    def visit_Call(self, node: ast.Call, in_generator: bool) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            raise self.refuse(
                node,
                f"不允许调用方法 “….{func.attr}()”：只能调用函数库中的函数",
                f"method calls ('….{func.attr}()') are not allowed: "
                "only library functions can be called",
            )
        if not isinstance(func, ast.Name):
            raise self.refuse(
                node,
                "只能按名称调用函数库中的函数，如 len(x)",
                "only library functions can be called, by name, e.g. len(x)",
            )
        self.name(func, func.id)
        if node.keywords:
            raise self.refuse(
                node.keywords[0],
                "不允许使用关键字参数 f(x=…)：参数按位置写",
                "keyword arguments f(x=…) are not allowed: pass arguments by position",
            )
        for arg in node.args:
            if isinstance(arg, ast.GeneratorExp) and len(node.args) == 1 and not in_generator:
                self.generator(arg)
            elif isinstance(arg, ast.GeneratorExp) and in_generator:
                raise self.refuse(
                    arg,
                    "不允许嵌套 (… for … in …)",
                    "nested (… for … in …) are not allowed",
                )
            else:
                self.visit(arg, in_generator)

    def generator(self, node: ast.GeneratorExp) -> None:
        if len(node.generators) != 1:
            raise self.refuse(
                node, "(… for … in …) 中只能有一个 for", "(… for … in …) may have only one 'for'"
            )
        loop = node.generators[0]
        if loop.is_async:
            raise self.forbidden(ast.Await, node)
        if not isinstance(loop.target, ast.Name):
            raise self.refuse(
                loop.target,
                "for 后面只能是一个名称，如 for d in 材料",
                "'for' must be followed by a single name, e.g. for d in documents",
            )
        self.visit(node.elt, True)
        self.name(loop.target, loop.target.id)
        self.visit(loop.iter, True)
        for condition in loop.ifs:
            self.visit(condition, True)


def constant_key(node: ast.AST) -> int | str | None:
    """The value of a subscript key that is a constant whole number or string, else ``None``."""
    if isinstance(node, ast.Constant):
        value = node.value
        if type(value) is int or type(value) is str:
            return value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) is int
    ):
        return -node.operand.value
    return None


def _is_string_literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str | bytes)


def _is_sequence_literal(node: ast.AST) -> bool:
    return _is_string_literal(node) or isinstance(node, ast.List | ast.Tuple)
