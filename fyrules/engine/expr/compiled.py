"""Compiling an expression: :func:`compile_expression` and :class:`CompiledExpression`.

Compiling reads the text (:mod:`.syntax`), checks it against the scope's schema and the
function library (:mod:`.checker`) and turns it into a Python function (:mod:`.codegen`).
The result is immutable and keeps no state between calls, so one compiled rulebook can be
shared by any number of threads or workers.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..problems import Location, Problem
from . import ir
from .checker import check
from .codegen import build
from .errors import ExpressionError
from .functions import FunctionLibrary
from .library import DEFAULT_FUNCTIONS
from .positions import SourceText
from .syntax import parse
from .tracer import TraceStep, explain_failure, trace
from .types import ObjectType, Type


@attrs.frozen(slots=True, eq=False, kw_only=True)
class CompiledExpression:
    """A checked expression, ready to run on contexts of its scope.

    ``type`` is its static type; ``fields`` the dotted paths of the context fields it reads
    (``"item.type"``; a field of a list's elements reads ``"documents[].kind"``);
    ``functions`` the names of the functions it calls.

    Calling it (``compiled(context)``) is the fast path; it raises
    :class:`~.errors.EvaluationError` on failure. :meth:`evaluate_traced` also returns the
    value of every piece, for explanations.
    """

    source: str
    type: Type
    fields: frozenset[str]
    functions: frozenset[str]
    location: Location | None = None
    _schema: ObjectType = attrs.field(repr=False)
    _library: FunctionLibrary = attrs.field(repr=False)
    _expected: Type | None = attrs.field(repr=False)
    _text: SourceText = attrs.field(repr=False)
    _tree: ir.Node = attrs.field(repr=False)
    _fast: Any = attrs.field(repr=False)

    if TYPE_CHECKING:

        def __call__(self, context: Mapping[str, Any]) -> Any: ...

    else:
        # The generated function itself is what a call runs: looking it up through a C-level
        # property skips a Python-level __call__ frame, a third of the cost of a condition.
        __call__ = property(operator.attrgetter("_fast"))

    def evaluate_traced(self, context: Mapping[str, Any]) -> tuple[Any, list[TraceStep]]:
        """The value on ``context`` and, in evaluation order, the value of each piece
        (constants left out). Raises :class:`~.errors.EvaluationError` like a call does."""
        return trace(self._tree, context, self._text)

    def __reduce__(self) -> tuple[Any, ...]:
        # A generated function cannot be pickled; a worker process compiles the text again.
        return (
            _recompile,
            (self.source, self._schema, self._library, self._expected, self.location),
        )

    def __repr__(self) -> str:
        return f"CompiledExpression({self.source!r}, type={self.type})"


def compile_expression(
    source: str,
    schema: ObjectType,
    *,
    functions: FunctionLibrary = DEFAULT_FUNCTIONS,
    expected: Type | None = None,
    location: Location | None = None,
) -> CompiledExpression:
    """Check ``source`` against ``schema`` and compile it.

    ``expected`` is the type the whole expression must have (``BOOL`` for a condition).
    ``location`` is where the expression starts in its rule file; a problem inside a
    one-line expression is reported at its own column. Raises
    :class:`~.errors.ExpressionError` when the expression is refused.
    """
    if not isinstance(source, str):
        kind = type(source).__name__
        raise ExpressionError(
            Problem(
                "EXPR-SYNTAX",
                f"表达式应为文本，而不是 {kind}",
                f"an expression must be text, not {kind}",
                location,
            )
        )
    text = SourceText.of(source, location)
    checked = check(parse(text), text, schema, functions, expected)
    tree = checked.tree

    def fail(context: Mapping[str, Any], exc: Exception) -> Exception:
        return explain_failure(tree, context, text, exc)

    return CompiledExpression(
        source=source,
        type=tree.type,
        fields=checked.fields,
        functions=checked.functions,
        location=location,
        schema=schema,
        library=functions,
        expected=expected,
        text=text,
        tree=tree,
        fast=build(tree, functions, fail),
    )


def _recompile(
    source: str,
    schema: ObjectType,
    functions: FunctionLibrary,
    expected: Type | None,
    location: Location | None,
) -> CompiledExpression:
    return compile_expression(
        source, schema, functions=functions, expected=expected, location=location
    )
