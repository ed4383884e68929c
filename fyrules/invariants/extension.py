"""The ``invariants`` extension: the ``invariants:`` section and the scopes it is written in,
compiled against every expression function the rulebook has (it builds last).

``rulebook.part("invariants")`` is a :class:`~fyrules.engine.rules.RuleSet` of
:class:`~fyrules.invariants.compile.Invariant`.
"""

from __future__ import annotations

from ..engine.expr import DEFAULT_FUNCTIONS
from ..engine.extension import BuildContext, BuildResult, Extension
from ..engine.load.sections import Section
from ..engine.problems import Problem
from ..engine.scopes import ScopeRegistry
from .compile import compile_invariants
from .model import InvariantSpec
from .scopes import CASE_HISTORY_SCOPE, PERSON_MONTH_SCOPE


def _build(ctx: BuildContext) -> BuildResult:
    scopes = ctx.scopes or ScopeRegistry.of((CASE_HISTORY_SCOPE, PERSON_MONTH_SCOPE))
    entries = ctx.sources.section("invariants")
    invariants, problems = compile_invariants(entries, scopes, ctx.functions or DEFAULT_FUNCTIONS)
    rule_ids = {e.id for e in ctx.sources.section("rules")}
    for entry in entries:
        if entry.id in rule_ids:
            problems.append(
                Problem(
                    "DUPLICATE-ID",
                    f"不变式 {entry.id} 与一条规则同名，请改名",
                    f"invariant {entry.id} has the id of a rule; rename it",
                    entry.locate("id"),
                    entry.id,
                )
            )
    return BuildResult(invariants, tuple(problems))


EXTENSION = Extension(
    name="invariants",
    sections=(Section("invariants", InvariantSpec, "不变式", "invariants", versioned=True),),
    scopes=(CASE_HISTORY_SCOPE, PERSON_MONTH_SCOPE),
    build=_build,
)
