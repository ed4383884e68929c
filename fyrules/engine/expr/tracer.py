"""The slow path: an interpreter over the checked tree that records every value it computes.

Explanations ("why was this case flagged?") need the value of each piece of a condition:
``age >= 18`` → ``age`` was 17, the comparison was false. :func:`trace` evaluates the same
:mod:`.ir` tree as the compiled fast path, with the same operators and run-time helpers and
the same order and short-circuits, and returns the steps in evaluation order. A test checks
on random contexts that both paths agree.

It also explains failures: when the fast path raises, the context is traced again to find
the piece that failed and say why, at its column.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from ..problems import Problem
from . import ir, runtime
from .errors import EvaluationError
from .positions import SourceText


@attrs.frozen(slots=True)
class TraceStep:
    """The value of one piece of an expression: its ``text`` as written, where it starts
    (``line`` 1-based, ``offset`` 0-based in characters) and the ``value`` it had."""

    text: str
    value: Any
    line: int = 1
    offset: int = 0


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "any+": runtime.add,
}  # fmt: skip
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge, "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b, "is": operator.is_, "is not": operator.is_not,
}  # fmt: skip
_UNARY: dict[str, Callable[[Any], Any]] = {
    "-": operator.neg,
    "+": operator.pos,
    "not": operator.not_,
}


class _Failed(Exception):
    """A piece of the expression failed: which one, why, and the values of its operands."""

    def __init__(
        self, node: ir.Node, cause: Exception, operands: tuple[Any, ...], parts: tuple[ir.Node, ...]
    ):
        super().__init__(str(cause))
        self.node, self.cause, self.operands, self.parts = node, cause, operands, parts


def trace(
    tree: ir.Node, context: Mapping[str, Any], text: SourceText
) -> tuple[Any, list[TraceStep]]:
    """The value of ``tree`` on ``context`` and the steps that computed it."""
    run = _Run(context)
    try:
        value = run.eval(tree)
    except _Failed as failed:
        raise _failure_error(failed, text, run.steps) from failed.cause
    return value, run.steps


def explain_failure(
    tree: ir.Node, context: Mapping[str, Any], text: SourceText, exc: Exception
) -> EvaluationError:
    """The :class:`EvaluationError` for a failure ``exc`` of the fast path on ``context``."""
    if isinstance(exc, EvaluationError):
        return exc
    try:
        trace(tree, context, text)
    except EvaluationError as error:
        error.__cause__ = exc
        return error
    except Exception:  # pragma: no cover - the tracer fails where the fast path failed
        pass
    failure = EvaluationError(
        _problem(text, None, f"表达式求值出错：{exc}", f"evaluation failed: {exc}")
    )
    failure.__cause__ = exc
    return failure


def _get(target: Any, name: str) -> Any:
    return target.get(name)


class _Run:
    def __init__(self, context: Mapping[str, Any]):
        self.context = context
        self.loop: dict[int, Any] = {}
        self.steps: list[TraceStep] = []

    def eval(self, node: ir.Node) -> Any:
        value = getattr(self, type(node).__name__)(node)
        if not isinstance(node, ir.Const | ir.Ensure | ir.Generator):
            self.steps.append(TraceStep(node.span.text, value, node.span.line, node.span.offset))
        return value

    def apply(
        self,
        node: ir.Node,
        parts: tuple[ir.Node, ...],
        function: Callable[..., Any],
        *operands: Any,
    ) -> Any:
        """``function(*operands)`` for ``node``, whose operands were computed by ``parts``."""
        try:
            return function(*operands)
        except (_Failed, EvaluationError):
            raise
        except Exception as exc:
            raise _Failed(node, exc, operands, parts) from exc

    def Const(self, node: ir.Const) -> Any:
        return node.value

    def Root(self, node: ir.Root) -> Any:
        read = self.context.get if node.optional else self.context.__getitem__
        return self.apply(node, (), read, node.name)

    def LoopVar(self, node: ir.LoopVar) -> Any:
        return self.loop[node.index]

    def Member(self, node: ir.Member) -> Any:
        target = self.eval(node.target)
        if node.checked:
            return self.apply(
                node, (node.target,), runtime.member, target, node.name, node.optional
            )
        if node.optional:
            return self.apply(node, (node.target,), _get, target, node.name)
        return self.apply(node, (node.target,), operator.getitem, target, node.name)

    def Index(self, node: ir.Index) -> Any:
        target = self.eval(node.target)
        read = runtime.index if node.checked else operator.getitem
        return self.apply(node, (node.target,), read, target, node.key)

    def Unary(self, node: ir.Unary) -> Any:
        return self.apply(node, (node.operand,), _UNARY[node.op], self.eval(node.operand))

    def Binary(self, node: ir.Binary) -> Any:
        left = self.eval(node.left)
        right = self.eval(node.right)
        return self.apply(node, (node.left, node.right), _BINARY[node.op], left, right)

    def Logic(self, node: ir.Logic) -> Any:
        stop_at = node.op == "or"  # "and" stops at the first false value, "or" at the first true
        value: Any = None
        for operand in node.operands:
            value = self.eval(operand)
            if bool(value) is stop_at:
                return value
        return value

    def Compare(self, node: ir.Compare) -> Any:
        left = self.eval(node.operands[0])
        result: Any = True
        for i, op in enumerate(node.ops):
            right = self.eval(node.operands[i + 1])
            parts = (node.operands[i], node.operands[i + 1])
            result = self.apply(node, parts, _COMPARE[op], left, right)
            if not result:
                return result
            left = right
        return result

    def Choice(self, node: ir.Choice) -> Any:
        return self.eval(node.body) if self.eval(node.test) else self.eval(node.orelse)

    def ListLit(self, node: ir.ListLit) -> Any:
        return [self.eval(item) for item in node.items]

    def Call(self, node: ir.Call) -> Any:
        args = [self.eval(arg) for arg in node.args]
        return self.apply(node, node.args, node.function.impl, *args)

    def Generator(self, node: ir.Generator) -> Iterator[Any]:
        iterator = self.apply(node, (node.iterable,), iter, self.eval(node.iterable))

        def produce() -> Iterator[Any]:
            for item in iterator:
                self.loop[node.var] = item
                if all(self.eval(condition) for condition in node.conditions):
                    yield self.eval(node.element)

        return produce()

    def Ensure(self, node: ir.Ensure) -> Any:
        return self.apply(node, (node.operand,), runtime.ENSURE[node.kind], self.eval(node.operand))


def _failure_error(failed: _Failed, text: SourceText, steps: list[TraceStep]) -> EvaluationError:
    node, cause, piece = failed.node, failed.cause, failed.node.span.text
    if isinstance(cause, KeyError) and isinstance(node, ir.Root | ir.Member):
        name = node.path or piece
        zh, en = f"上下文中缺少字段 “{name}”", f"the context has no field '{name}'"
    elif any(v is None for v in failed.operands) and isinstance(cause, TypeError):
        empty = _empty_operand(failed)
        zh = f"“{empty}” 为空（None），无法计算 “{piece}”"
        en = f"'{empty}' is empty (None), so '{piece}' cannot be computed"
    elif isinstance(cause, ZeroDivisionError):
        zh, en = f"除数为零：“{piece}”", f"division by zero in '{piece}'"
    elif isinstance(cause, IndexError):
        zh, en = f"下标超出列表范围：“{piece}”", f"index out of range in '{piece}'"
    elif isinstance(cause, OverflowError):
        zh, en = f"数值超出范围：“{piece}”", f"number out of range in '{piece}'"
    else:
        zh = f"“{piece}” 求值出错：{cause}"
        en = f"'{piece}' failed: {cause}"
    return EvaluationError(_problem(text, node, zh, en), steps)


def _empty_operand(failed: _Failed) -> str:
    """The text of the first operand of the failed piece whose value was ``None``."""
    for part, value in zip(failed.parts, failed.operands, strict=False):
        if value is None:
            return part.span.text
    return failed.node.span.text


def _problem(text: SourceText, node: ir.Node | None, zh: str, en: str) -> Problem:
    if node is None:
        return Problem("EXPR-EVALUATION", zh, en, text.locate(1, 0))
    return text.problem("EXPR-EVALUATION", zh, en, node.span.line, node.span.offset)
