"""Errors of the case layer that the domains above it share."""

from __future__ import annotations

from ..engine.problems import FyrulesError, Problem


class ClockError(FyrulesError):
    """A clock cannot be computed (no acceptance, an unknown item, a moment without a time
    zone …); ``problem`` says why."""

    problem: Problem

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())
