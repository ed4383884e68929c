"""Invariants compiled like rules: checked at load against their scope's context (unknown
names, types, positions), kept by id and version in a :class:`~fyrules.engine.rules.RuleSet`.

An :class:`Invariant` is a :class:`~fyrules.engine.rules.Rule` whose ``condition`` holds the
statement and whose :meth:`Invariant.check` reports a finding when the statement is *false*,
so rulebook tests, explanations and reports treat a broken invariant as any finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..engine.expr import (
    EvaluationError,
    ExpressionError,
    FunctionLibrary,
    TraceStep,
    compile_expression,
    parse_template,
)
from ..engine.expr.types import BOOL
from ..engine.findings import Finding
from ..engine.load.sections import Entry, empty_validity
from ..engine.problems import Problem
from ..engine.rules import Rule, RuleSet
from ..engine.scopes import ScopeRegistry
from ..engine.suggest import hint
from .model import InvariantSpec

# The scopes an invariant may be written in: what `fyrules verify` builds contexts for.
INVARIANT_SCOPES = ("case_history", "person_month")


@attrs.frozen(slots=True)
class Invariant(Rule):
    """One version of an invariant: ``condition`` is its statement; it reports when broken."""

    def check(
        self,
        context: Mapping[str, Any],
        *,
        subject: str | None = None,
        subject_kind: str = "subject",
        at: dt.datetime | dt.date | None = None,
        explain: bool = False,
    ) -> Finding | None:
        """The finding that says this invariant is broken on ``context``, or ``None`` when its
        statement holds."""
        trace: Sequence[TraceStep]
        try:
            if explain:
                holds, trace = self.condition.evaluate_traced(context)
            else:
                holds, trace = self.condition(context), ()
            if holds:
                return None
            message_zh = self.message_zh(context)
            message_en = self.message_en(context)
        except EvaluationError as exc:
            raise EvaluationError(exc.problem.with_rule(self.id).at(self.location)) from None
        return Finding(
            rule=self.id,
            severity=self.severity,
            message_zh=message_zh,
            message_en=message_en,
            basis=self.basis,
            subject=subject,
            subject_kind=subject_kind,
            at=at,
            trace=tuple(trace),
            rule_location=self.location,
        )


def compile_invariants(
    entries: Iterable[Entry], scopes: ScopeRegistry, functions: FunctionLibrary
) -> tuple[RuleSet, list[Problem]]:
    """Compile ``invariants:`` entries; report every problem, keep what compiles."""
    problems: list[Problem] = []
    grouped: dict[str, list[Rule]] = {}
    for entry in entries:
        invariant = _compile_one(entry, entry.spec, scopes, functions, problems)
        if invariant is not None:
            grouped.setdefault(invariant.id, []).append(invariant)
    versions = {
        key: tuple(sorted(found, key=lambda r: r.valid_from or dt.date.min))
        for key, found in grouped.items()
    }
    return RuleSet(versions), problems


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
    statement = None
    templates = []
    try:
        statement = compile_expression(
            spec.statement,
            scope.context,
            functions=functions,
            expected=BOOL,
            location=entry.locate("statement"),
        )
    except ExpressionError as exc:
        problems.append(exc.problem.with_rule(spec.id))
    for lang in ("zh", "en"):
        try:
            templates.append(
                parse_template(
                    getattr(spec.message, lang),
                    scope.context,
                    functions=functions,
                    location=entry.locate("message", lang),
                )
            )
        except ExpressionError as exc:
            problems.append(exc.problem.with_rule(spec.id))
    if statement is None or len(templates) != 2:
        return None
    return Invariant(
        id=spec.id,
        title_zh=spec.title.zh,
        title_en=spec.title.en or spec.title.zh,
        basis=spec.basis,
        severity=spec.severity,
        scope=spec.scope,
        condition=statement,
        message_zh=templates[0],
        message_en=templates[1],
        valid_from=spec.valid_from,
        valid_to=spec.valid_to,
        location=entry.location,
        layer=entry.layer,
        tags=spec.tags,
    )
