"""Errors of the expression language, each carrying a :class:`~fyrules.engine.problems.Problem`.

:class:`ExpressionError` is raised when an expression is refused at compile time (syntax,
forbidden construct, unknown field or function, type mismatch, limits); :class:`EvaluationError`
when a compiled expression fails on one context (a missing field, ``None`` compared with a
number, division by zero). Both are :class:`~fyrules.engine.problems.FyrulesError`, so a host
that catches the library's errors never sees a raw ``TypeError`` or ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..problems import FyrulesError, Problem

if TYPE_CHECKING:  # pragma: no cover
    from .compiled import TraceStep


class ExpressionError(FyrulesError):
    """An expression was refused when it was compiled; ``problem`` says where and why."""

    problem: Problem

    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


class EvaluationError(FyrulesError):
    """A compiled expression failed on one context; ``problem`` has code ``EXPR-EVALUATION``.

    ``trace`` holds the values computed before the failure, for explanations.
    """

    problem: Problem

    def __init__(self, problem: Problem, trace: Sequence[TraceStep] = ()):
        super().__init__(problem.format())
        self.problem = problem
        self.trace: tuple[TraceStep, ...] = tuple(trace)
