"""Typing rules of function calls and of ``(… for v in list if …)``.

A call's arguments are checked against the function's parameter types, or handed to its own
``check`` (see :mod:`.functions`) when its result depends on them. A ``(… for v in …)`` may
only be the sole argument of an aggregate function; its variable is typed as the list's
element and is known only inside the brackets.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from ..problems import Problem
from ..suggest import hint
from . import ir
from .errors import ExpressionError
from .functions import NOT_CONSTANT, ArgInfo, FunctionSpec
from .positions import Span
from .types import ANY, ListType, Type, accepts, describe, list_of, strip_optional

if TYPE_CHECKING:  # pragma: no cover
    from .checker import Checker


def call(checker: Checker, node: ast.Call) -> ir.Node:
    """A call of a library function, with its arguments checked by type or by its ``check``."""
    assert isinstance(node.func, ast.Name)  # allowlist.py allows calls by name only
    name, span = node.func.id, checker.span(node)
    spec = checker.functions.get(name)
    if spec is None:
        raise _unknown_function(checker, name, checker.span(node.func))
    checker.called.add(name)
    args: list[ir.Node] = []
    for arg in node.args:
        if isinstance(arg, ast.GeneratorExp):
            if not spec.aggregate:
                raise checker.error(
                    "EXPR-ARGUMENTS",
                    f"函数 “{name}” 不接受 (… for … in …)；可以用 any、all、count、sum、min、max",
                    f"'{name}' does not take (… for … in …); any, all, count, sum, min and max do",
                    checker.span(arg),
                )
            args.append(_generator(checker, arg))
        else:
            args.append(checker.expr(arg))
    if spec.check is not None:
        result = _custom_check(checker, spec, args, span)
    else:
        args = _check_arguments(checker, spec, args, span)
        result = spec.returns
    return ir.Call(type=result, span=span, function=spec, args=tuple(args))


def _unknown_function(checker: Checker, name: str, span: Span) -> ExpressionError:
    if checker.schema.field(name) is not None:
        zh, en = f"：“{name}” 是字段，不是函数", f": '{name}' is a field, not a function"
    else:
        zh, en = hint(name, checker.functions.names)
    return checker.error(
        "EXPR-UNKNOWN-FUNCTION",
        f"未知函数 “{name}”{zh}",
        f"unknown function '{name}'{en}",
        span,
    )


def _check_arguments(
    checker: Checker, spec: FunctionSpec, args: list[ir.Node], span: Span
) -> list[ir.Node]:
    count = len(args)
    if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
        if spec.max_args is None:
            zh, en = f"至少 {spec.min_args} 个", f"at least {spec.min_args}"
        elif spec.min_args == spec.max_args:
            zh, en = f"{spec.min_args} 个", f"{spec.min_args}"
        else:
            zh, en = (
                f"{spec.min_args} 到 {spec.max_args} 个",
                f"{spec.min_args} to {spec.max_args}",
            )
        raise checker.error(
            "EXPR-ARGUMENTS",
            f"函数 {spec.signature('zh')} 需要{zh}参数，实际给了 {count} 个",
            f"{spec.signature()} takes {en} argument(s), {count} given",
            span,
        )
    checked = []
    for position, arg in enumerate(args, start=1):
        wanted = spec.param(position - 1)
        if not accepts(arg.type, wanted):
            raise checker.error(
                "EXPR-ARGUMENTS",
                f"函数 {spec.signature('zh')} 的第 {position} 个参数"
                f"应为{describe(wanted, 'zh')}，"
                f"而 “{arg.span.text}” 是{describe(arg.type, 'zh')}",
                f"argument {position} of {spec.signature()} should be a {describe(wanted)}, "
                f"but '{arg.span.text}' is a {describe(arg.type)}",
                arg.span,
            )
        checked.append(checker.ensure(arg, wanted))
    return checked


def _custom_check(checker: Checker, spec: FunctionSpec, args: list[ir.Node], span: Span) -> Type:
    infos = [
        ArgInfo(
            type=arg.type,
            constant=constant_of(arg),
            location=checker.text.locate(arg.span.line, arg.span.offset),
            text=arg.span.text,
            generator=isinstance(arg, ir.Generator),
        )
        for arg in args
    ]
    call_location = checker.text.locate(span.line, span.offset)
    try:
        assert spec.check is not None
        result = spec.check(infos)
    except ExpressionError as exc:
        if exc.problem.location is None:
            raise ExpressionError(exc.problem.at(call_location)) from None
        raise
    if isinstance(result, Problem):
        raise ExpressionError(result if result.location else result.at(call_location))
    if not isinstance(result, Type):
        raise TypeError(f"the check of {spec.name!r} returned {result!r}, not a Type or Problem")
    return result


def _generator(checker: Checker, node: ast.GeneratorExp) -> ir.Node:
    """``(element for v in list if condition)``, the argument of an aggregate function."""
    loop = node.generators[0]
    assert isinstance(loop.target, ast.Name)  # allowlist.py allows a single name only
    iterable = checker.expr(loop.iter)
    kind = strip_optional(iterable.type)
    if isinstance(kind, ListType):
        element = kind.element
    elif kind == ANY:
        element = ANY
    else:
        raise checker.type_error(
            f"for 只能遍历列表，而 “{iterable.span.text}” 是{describe(iterable.type, 'zh')}",
            f"'for' can only go through a list, "
            f"but '{iterable.span.text}' is a {describe(iterable.type)}",
            iterable.span,
        )
    name, index = loop.target.id, checker.loop_count
    checker.loop_count += 1
    outer = checker.loops.get(name)
    checker.loops[name] = (index, element, iterable.path)
    try:
        body = checker.expr(node.elt)
        conditions = tuple(checker.condition(checker.expr(c), "“if” ", "'if'") for c in loop.ifs)
    finally:
        if outer is None:
            del checker.loops[name]
        else:
            checker.loops[name] = outer
    return ir.Generator(
        type=list_of(body.type),
        span=checker.span(node),
        element=body,
        var=index,
        iterable=iterable,
        conditions=conditions,
    )


def constant_of(node: ir.Node) -> Any:
    """A node's value when it is a literal (a list of literals as a tuple), else NOT_CONSTANT."""
    if isinstance(node, ir.Const):
        return node.value
    if isinstance(node, ir.ListLit):
        values = tuple(constant_of(item) for item in node.items)
        return NOT_CONSTANT if any(v is NOT_CONSTANT for v in values) else values
    return NOT_CONSTANT
