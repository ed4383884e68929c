"""Compiled rules: versions in force by date, evaluation in a scope, findings with traces.

A rule may have several versions (the same ``id`` with different ``valid_from``/``valid_to``);
on any date at most one is in force, and two versions whose periods overlap are an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Self

import attrs

from .expr import (
    CompiledExpression,
    CompiledTemplate,
    EvaluationError,
    ExpressionError,
    FunctionLibrary,
    TraceStep,
    compile_expression,
    parse_template,
)
from .expr.types import BOOL
from .findings import Finding
from .load.model import RuleSpec
from .load.sections import Entry, empty_validity
from .problems import Location, Problem, Severity
from .scopes import ScopeRegistry
from .suggest import hint


@attrs.frozen(slots=True)
class Rule:
    """One version of a rule, compiled. It reports when its condition is true; a subclass
    sets :attr:`REPORTS_WHEN` ``False`` to report when it is false (an invariant, broken)."""

    REPORTS_WHEN: ClassVar[bool] = True

    id: str
    title_zh: str
    title_en: str
    basis: str
    severity: Severity
    scope: str
    condition: CompiledExpression
    message_zh: CompiledTemplate
    message_en: CompiledTemplate
    valid_from: dt.date | None
    valid_to: dt.date | None
    location: Location
    layer: str
    tags: tuple[str, ...] = ()

    @classmethod
    def compiled(
        cls,
        entry: Entry,
        spec: Any,
        condition: CompiledExpression,
        messages: Sequence[CompiledTemplate],
    ) -> Self:
        """The version ``spec`` (a rule's or an invariant's) describes, with its condition and
        its Chinese and English messages compiled."""
        return cls(
            id=spec.id,
            title_zh=spec.title.zh,
            title_en=spec.title.en or spec.title.zh,
            basis=spec.basis,
            severity=spec.severity,
            scope=spec.scope,
            condition=condition,
            message_zh=messages[0],
            message_en=messages[1],
            valid_from=spec.valid_from,
            valid_to=spec.valid_to,
            location=entry.location,
            layer=entry.layer,
            tags=spec.tags,
        )

    def in_force(self, on: dt.date | None) -> bool:
        """Whether this version applies on ``on`` (``None``: every version applies)."""
        if on is None:
            return True
        if self.valid_from is not None and on < self.valid_from:
            return False
        return not (self.valid_to is not None and on > self.valid_to)

    def check(
        self,
        context: Mapping[str, Any],
        *,
        subject: str | None = None,
        subject_kind: str = "subject",
        at: dt.datetime | dt.date | None = None,
        explain: bool = False,
    ) -> Finding | None:
        """The finding this rule reports on ``context``, or ``None`` when it does not fire.

        Raises :class:`EvaluationError` (with the rule id and location) if the condition cannot
        be evaluated on this context."""
        trace: Sequence[TraceStep]
        try:
            if explain:
                value, trace = self.condition.evaluate_traced(context)
            else:
                value, trace = self.condition(context), ()
            if bool(value) is not self.REPORTS_WHEN:
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


@attrs.frozen(slots=True)
class RuleSet:
    """Every rule of a rulebook, by id and by scope, with all their versions."""

    versions: Mapping[str, tuple[Rule, ...]]
    # (scope, date) -> the rules in force: a monitor evaluates a scope once per finished case,
    # and the cases of a month share a few dozen dates. Bounded by the days rules apply on.
    _in_scope: dict[tuple[str, dt.date | None], tuple[Rule, ...]] = attrs.field(
        init=False, factory=dict, eq=False, repr=False
    )

    def __iter__(self) -> Iterator[Rule]:
        for versions in self.versions.values():
            yield from versions

    def __len__(self) -> int:
        return len(self.versions)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self.versions

    @property
    def ids(self) -> list[str]:
        return list(self.versions)

    def in_force(self, rule_id: str, on: dt.date | None = None) -> Rule | None:
        """The version of ``rule_id`` in force on ``on`` (the latest version when ``on`` is None)."""
        versions = self.versions.get(rule_id, ())
        if on is None:
            return versions[-1] if versions else None
        for rule in versions:
            if rule.in_force(on):
                return rule
        return None

    def for_scope(self, scope: str, on: dt.date | None = None) -> list[Rule]:
        """The rules of ``scope`` in force on ``on``, one version each, in id order."""
        return list(self._scoped(scope, on))

    def _scoped(self, scope: str, on: dt.date | None) -> tuple[Rule, ...]:
        found = self._in_scope.get((scope, on))
        if found is None:
            found = tuple(
                rule
                for rule_id in self.versions
                if (rule := self.in_force(rule_id, on)) is not None and rule.scope == scope
            )
            self._in_scope[(scope, on)] = found
        return found

    def evaluate(
        self,
        scope: str,
        context: Mapping[str, Any],
        *,
        on: dt.date | None = None,
        subject: str | None = None,
        subject_kind: str = "subject",
        at: dt.datetime | dt.date | None = None,
        explain: bool = False,
    ) -> list[Finding]:
        """The findings of every rule of ``scope`` in force on ``on``."""
        findings = []
        for rule in self._scoped(scope, on):
            finding = rule.check(
                context, subject=subject, subject_kind=subject_kind, at=at, explain=explain
            )
            if finding is not None:
                findings.append(finding)
        return findings


def compile_rules(
    entries: Iterable[Entry], scopes: ScopeRegistry, functions: FunctionLibrary
) -> tuple[RuleSet, list[Problem]]:
    """Compile rule entries against their scopes; report every problem, keep what compiles."""
    return compile_versions(entries, _compile_one, scopes, functions)


def compile_versions(
    entries: Iterable[Entry],
    compile_one: Callable[..., Rule | None],
    scopes: ScopeRegistry,
    functions: FunctionLibrary,
) -> tuple[RuleSet, list[Problem]]:
    """Compile each entry with ``compile_one(entry, spec, scopes, functions, problems)`` and
    keep the versions of each id in the order they come into force; two versions whose
    periods overlap are a ``VALIDITY-OVERLAP`` problem."""
    problems: list[Problem] = []
    grouped: dict[str, list[Rule]] = {}
    for entry in entries:
        rule = compile_one(entry, entry.spec, scopes, functions, problems)
        if rule is not None:
            grouped.setdefault(rule.id, []).append(rule)
    versions: dict[str, tuple[Rule, ...]] = {}
    for rule_id, rules in grouped.items():
        ordered = sorted(rules, key=lambda r: r.valid_from or dt.date.min)
        problems.extend(_overlaps(ordered))
        versions[rule_id] = tuple(ordered)
    return RuleSet(versions), problems


def compile_condition(
    entry: Entry,
    spec: Any,
    key: str,
    scope: Any,
    functions: FunctionLibrary,
    problems: list[Problem],
) -> CompiledExpression | None:
    """The boolean expression at ``key`` of ``spec`` (a rule's ``condition``, an invariant's
    ``statement``), compiled against ``scope``; one that does not compile is a problem, and
    ``None``."""
    try:
        return compile_expression(
            getattr(spec, key),
            scope.context,
            functions=functions,
            expected=BOOL,
            location=entry.locate(key),
        )
    except ExpressionError as exc:
        problems.append(exc.problem.with_rule(spec.id))
        return None


def compile_messages(
    entry: Entry,
    spec: Any,
    scope: Any,
    functions: FunctionLibrary,
    problems: list[Problem],
) -> list[CompiledTemplate]:
    """The Chinese and English message templates of ``spec`` (a rule or an invariant),
    compiled against ``scope``; a template that does not compile is a problem and is left out."""
    templates = []
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
    return templates


def _compile_one(
    entry: Entry,
    spec: RuleSpec,
    scopes: ScopeRegistry,
    functions: FunctionLibrary,
    problems: list[Problem],
) -> Rule | None:
    if (empty := empty_validity(entry, spec.valid_from, spec.valid_to)) is not None:
        problems.append(empty)
        return None
    scope = scopes.get(spec.scope)
    if scope is None:
        zh_hint, en_hint = hint(spec.scope, scopes)
        problems.append(
            Problem(
                "UNKNOWN-SCOPE",
                f"未知的作用域 “{spec.scope}”{zh_hint}；可用：{', '.join(scopes)}",
                f"unknown scope '{spec.scope}'{en_hint}; known: {', '.join(scopes)}",
                entry.locate("scope"),
                spec.id,
            )
        )
        return None
    condition = compile_condition(entry, spec, "condition", scope, functions, problems)
    constant = condition is not None and not condition.fields and not condition.functions
    if constant:
        problems.append(
            Problem(
                "EXPR-CONSTANT",
                f"条件 “{spec.condition}” 不读取任何字段，结果永远一样：规则要么从不触发，要么对每一项"
                '都触发。请写出要检查的字段，如 online == "none"',
                f"the condition '{spec.condition}' reads no field, so its result never changes: the "
                "rule fires for nothing or for everything. Write the field it checks, e.g. "
                'online == "none"',
                entry.locate("condition"),
                spec.id,
            )
        )
    templates = compile_messages(entry, spec, scope, functions, problems)
    if condition is None or constant or len(templates) != 2:
        return None
    return Rule.compiled(entry, spec, condition, templates)


def _overlaps(ordered: list[Rule]) -> list[Problem]:
    problems = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            a_end = a.valid_to or dt.date.max
            b_start = b.valid_from or dt.date.min
            if b_start <= a_end:
                span = f"{a.valid_from or '…'}~{a.valid_to or '…'}"
                span_b = f"{b.valid_from or '…'}~{b.valid_to or '…'}"
                problems.append(
                    Problem(
                        "VALIDITY-OVERLAP",
                        f"规则 {a.id} 的两个版本有效期重叠：{span}（{a.location}）与 {span_b}",
                        f"two versions of rule {a.id} are in force at once: {span} ({a.location}) "
                        f"and {span_b}",
                        b.location,
                        a.id,
                    )
                )
    return problems


_RANK = {"info": 0, "warning": 1, "error": 2}


def tighten_rule(parent: Entry, child: Entry) -> list[Problem]:
    """A local version of a higher rule may raise its severity, never lower it."""
    p: RuleSpec = parent.spec
    c: RuleSpec = child.spec
    problems = []
    if _RANK[c.severity] < _RANK[p.severity]:
        problems.append(
            Problem(
                "LOOSENED",
                f"规则 {c.id} 的级别从 {p.severity} 降为 {c.severity}（上级规定见 {parent.locate('severity')}）",
                f"rule {c.id} lowers its severity from {p.severity} to {c.severity} "
                f"(the higher rule is at {parent.locate('severity')})",
                child.locate("severity"),
                c.id,
            )
        )
    if c.scope != p.scope:
        problems.append(
            Problem(
                "LOOSENED",
                f"规则 {c.id} 不能改变作用域（上级为 {p.scope}，见 {parent.locate('scope')}）",
                f"rule {c.id} cannot change its scope (the higher one is {p.scope}, "
                f"at {parent.locate('scope')})",
                child.locate("scope"),
                c.id,
            )
        )
    return problems
