"""The checked, typed form of an expression: what the compiler and the tracer both read.

:mod:`.checker` turns Python's syntax tree into these nodes once every name, function and
type has been checked; :mod:`.codegen` turns them into Python source for the fast path and
:mod:`.tracer` interprets them for explanations. Each node knows its static ``type``, its
place in the text (``span``) and, for a field access, the dotted ``path`` it reads.
"""

from __future__ import annotations

from typing import Any

import attrs

from .functions import FunctionSpec
from .positions import Span
from .types import Type


@attrs.frozen(slots=True, kw_only=True)
class Node:
    type: Type
    span: Span
    path: str | None = None


@attrs.frozen(slots=True, kw_only=True)
class Const(Node):
    value: Any


@attrs.frozen(slots=True, kw_only=True)
class Root(Node):
    """A field of the context; ``optional`` fields may be absent (read as ``None``)."""

    name: str
    optional: bool


@attrs.frozen(slots=True, kw_only=True)
class LoopVar(Node):
    """The variable of a ``(… for v in …)``; ``index`` numbers the loops of one expression."""

    index: int


@attrs.frozen(slots=True, kw_only=True)
class Member(Node):
    """``target.name`` (or ``target["name"]``) on an object.

    ``optional``: the field may be absent (read as ``None``). ``checked``: the target may be
    ``None`` or of unknown type, so a run-time helper reads it (never ``getattr``).
    """

    target: Node
    name: str
    optional: bool
    checked: bool


@attrs.frozen(slots=True, kw_only=True)
class Index(Node):
    """``target[key]`` with a constant whole-number ``key`` (or any key on an ``any`` value)."""

    target: Node
    key: int | str
    checked: bool


@attrs.frozen(slots=True, kw_only=True)
class Unary(Node):
    op: str  # "-", "+", "not"
    operand: Node


@attrs.frozen(slots=True, kw_only=True)
class Binary(Node):
    op: str  # "+", "-", "*", "/", "//", "%", "**", or "any+" (checked addition of two any)
    left: Node
    right: Node


@attrs.frozen(slots=True, kw_only=True)
class Logic(Node):
    op: str  # "and", "or"
    operands: tuple[Node, ...]


@attrs.frozen(slots=True, kw_only=True)
class Compare(Node):
    """A comparison, possibly chained: ``operands[0] ops[0] operands[1] ops[1] …``."""

    ops: tuple[str, ...]  # "==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not"
    operands: tuple[Node, ...]


@attrs.frozen(slots=True, kw_only=True)
class Choice(Node):
    """``body if test else orelse``."""

    test: Node
    body: Node
    orelse: Node


@attrs.frozen(slots=True, kw_only=True)
class ListLit(Node):
    items: tuple[Node, ...]


@attrs.frozen(slots=True, kw_only=True)
class Call(Node):
    function: FunctionSpec
    args: tuple[Node, ...]


@attrs.frozen(slots=True, kw_only=True)
class Generator(Node):
    """``(element for v in iterable if c1 if c2 …)``, only as the argument of an aggregate."""

    element: Node
    var: int
    iterable: Node
    conditions: tuple[Node, ...]


@attrs.frozen(slots=True, kw_only=True)
class Ensure(Node):
    """A run-time check that a value of type ``any`` is of ``kind`` (see :mod:`.runtime`)."""

    kind: str  # "bool", "number", "string", "date", "datetime", "list"
    operand: Node
