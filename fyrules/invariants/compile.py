"""Invariants compiled like rules: checked at load against their scope's context (unknown
names, types, positions), kept by id and version in a :class:`~fyrules.engine.rules.RuleSet`.

An :class:`Invariant` is a :class:`~fyrules.engine.rules.Rule` whose ``condition`` holds the
statement and whose :meth:`Invariant.check` reports a finding when the statement is *false*,
so rulebook tests, explanations and reports treat a broken invariant as any finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

import attrs

from ..engine.expr import FunctionLibrary
from ..engine.load.sections import Entry, empty_validity
from ..engine.problems import Problem
from ..engine.rules import Rule, RuleSet, compile_condition, compile_messages, compile_versions
from ..engine.scopes import ScopeRegistry
from ..engine.suggest import hint
from .model import InvariantSpec

# The scopes an invariant may be written in: what `fyrules verify` builds contexts for.
INVARIANT_SCOPES = ("case_history", "person_month")


@attrs.frozen(slots=True)
class Invariant(Rule):
    """One version of an invariant: ``condition`` is its statement; :meth:`check` reports a
    finding when it is broken (false)."""

    REPORTS_WHEN: ClassVar[bool] = False


def compile_invariants(
    entries: Iterable[Entry], scopes: ScopeRegistry, functions: FunctionLibrary
) -> tuple[RuleSet, list[Problem]]:
    """Compile ``invariants:`` entries; report every problem, keep what compiles."""
    return compile_versions(entries, _compile_one, scopes, functions)


def _compile_one(
    entry: Entry,
    spec: InvariantSpec,
    scopes: ScopeRegistry,
    functions: FunctionLibrary,
    problems: list[Problem],
) -> Invariant | None:
    if (empty := empty_validity(entry, spec.valid_from, spec.valid_to)) is not None:
        problems.append(empty)
        return None
    scope = scopes.get(spec.scope) if spec.scope in INVARIANT_SCOPES else None
    if scope is None:
        zh_hint, en_hint = hint(spec.scope, INVARIANT_SCOPES)
        known = ", ".join(INVARIANT_SCOPES)
        problems.append(
            Problem(
                "UNKNOWN-SCOPE",
                f"不变式的作用域 “{spec.scope}” 未知{zh_hint}；可用：{known}",
                f"unknown scope '{spec.scope}' for an invariant{en_hint}; known: {known}",
                entry.locate("scope"),
                spec.id,
            )
        )
        return None
    statement = compile_condition(entry, spec, "statement", scope, functions, problems)
    templates = compile_messages(entry, spec, scope, functions, problems)
    if statement is None or len(templates) != 2:
        return None
    return Invariant.compiled(entry, spec, statement, templates)
