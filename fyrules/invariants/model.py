"""The ``invariants:`` section of rule files: statements that must hold of every case.

An invariant is written like a rule, with a ``statement`` instead of a ``condition``: a rule
reports when its condition is true, an invariant is *broken* when its statement is false.
Invariants do not run in the monitor; ``fyrules verify`` searches for event streams the monitor
accepts that break one, and ``fyrules test`` runs them on a test's events.
"""

from __future__ import annotations

from pydantic import Field

from ..engine.load.model import CheckSpec, Text


class InvariantSpec(CheckSpec):
    """An invariant: a statement in the expression language that holds of every case (scope
    ``case_history``) or of every person's month (scope ``person_month``)."""

    scope: str = Field(
        description="作用域：case_history（一个案件）或 person_month（一个人一个月办理的案件） / "
        "case_history (one case) or person_month (one person's cases in a month)"
    )
    statement: str = Field(
        min_length=1,
        description="必须始终成立的表达式；为假即违反 / must always be true; false breaks it",
    )
    message: Text = Field(
        description="违反时的消息，可用 {字段} 占位 / message when broken, with {field} placeholders",
    )
