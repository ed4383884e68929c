"""The fast path: checked expressions become Python functions, compiled once.

Each :mod:`.ir` node is written as a Python expression over names user text cannot write
(every name starting with ``_`` is refused in rule files): the context is ``_c``, a field
``age`` is ``_c["age"]``, a library function is ``_f3(…)``, a loop variable ``_v0``, a
run-time check ``_rt_number(…)``. The text is compiled into a function whose globals (a dict
of its own) hold only those functions and no builtins, so evaluation is a single Python call
with no tree walking. A failure inside is handed to ``fail``, which turns it into an
:class:`~.errors.EvaluationError` (a ``try`` costs nothing in Python 3.11 until it raises).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import ir
from .functions import FunctionLibrary
from .runtime import NAMESPACE

_TEMPLATE = """\
def _expression(_c):
    try:
        return {body}
    except _Exception as _e:
        raise _fail(_c, _e)
"""

Failure = Callable[[Mapping[str, Any], Exception], Exception]


def build(tree: ir.Node, functions: FunctionLibrary, fail: Failure) -> Callable[[Any], Any]:
    """The Python function that evaluates ``tree`` on a context."""
    source = _TEMPLATE.format(body=python_source(tree, functions))
    namespace: dict[str, Any] = {
        "__builtins__": {},
        "_Exception": Exception,
        "_fail": fail,
        **NAMESPACE,
        **functions.implementations(),
    }
    exec(compile(source, "<fyrules expression>", "exec"), namespace)
    return namespace["_expression"]  # type: ignore[no-any-return]


def python_source(node: ir.Node, functions: FunctionLibrary) -> str:
    """The Python expression for ``node`` (every user-given string goes through ``repr``)."""
    return _Writer(functions).write(node)


class _Writer:
    def __init__(self, functions: FunctionLibrary):
        self.functions = functions

    def write(self, node: ir.Node) -> str:
        return getattr(self, type(node).__name__)(node)  # type: ignore[no-any-return]

    def Const(self, node: ir.Const) -> str:
        return f"({node.value!r})"

    def Root(self, node: ir.Root) -> str:
        return f"_c.get({node.name!r})" if node.optional else f"_c[{node.name!r}]"

    def LoopVar(self, node: ir.LoopVar) -> str:
        return f"_v{node.index}"

    def Member(self, node: ir.Member) -> str:
        target = self.write(node.target)
        if node.checked:
            return f"_rt_member({target}, {node.name!r}, {node.optional!r})"
        return f"{target}.get({node.name!r})" if node.optional else f"{target}[{node.name!r}]"

    def Index(self, node: ir.Index) -> str:
        target = self.write(node.target)
        return f"_rt_index({target}, {node.key!r})" if node.checked else f"{target}[{node.key!r}]"

    def Unary(self, node: ir.Unary) -> str:
        op = "not " if node.op == "not" else node.op
        return f"({op}{self.write(node.operand)})"

    def Binary(self, node: ir.Binary) -> str:
        left, right = self.write(node.left), self.write(node.right)
        if node.op == "any+":
            return f"_rt_add({left}, {right})"
        return f"({left} {node.op} {right})"

    def Logic(self, node: ir.Logic) -> str:
        return "(" + f" {node.op} ".join(self.write(o) for o in node.operands) + ")"

    def Compare(self, node: ir.Compare) -> str:
        parts = [self.write(node.operands[0])]
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            parts += [op, self.write(operand)]
        return "(" + " ".join(parts) + ")"

    def Choice(self, node: ir.Choice) -> str:
        body, test, orelse = self.write(node.body), self.write(node.test), self.write(node.orelse)
        return f"({body} if {test} else {orelse})"

    def ListLit(self, node: ir.ListLit) -> str:
        return "[" + ", ".join(self.write(i) for i in node.items) + "]"

    def Call(self, node: ir.Call) -> str:
        args = ", ".join(self.write(a) for a in node.args)
        return f"{self.functions.alias(node.function.name)}({args})"

    def Generator(self, node: ir.Generator) -> str:
        var = f"_v{node.var}"
        conditions = "".join(f" if {self.write(c)}" for c in node.conditions)
        return f"({self.write(node.element)} for {var} in {self.write(node.iterable)}{conditions})"

    def Ensure(self, node: ir.Ensure) -> str:
        return f"_rt_{node.kind}({self.write(node.operand)})"
