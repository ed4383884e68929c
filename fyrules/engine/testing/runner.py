"""Running a rulebook's tests: each ``tests:`` entry (:mod:`.spec`) against the rules or the
decision table it names; failures are results, never exceptions. Coverage is in
:mod:`.coverage`, the static checks of test entries in :mod:`.checks`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ..context import context_errors, from_iso
from ..expr.types import DATE
from ..load.sections import Entry
from ..messages import plain as shown
from ..problems import FyrulesError, Location, Problem
from ..rules import RuleSet
from ..scopes import ScopeRegistry
from .coverage import Coverage, coverage_of
from .spec import TestSpec


@attrs.frozen(slots=True)
class TestResult:
    id: str
    passed: bool
    location: Location
    message_zh: str = ""
    message_en: str = ""
    fired: tuple[str, ...] = ()
    rows: tuple[tuple[str, int], ...] = ()
    seconds: float = 0.0

    def problem(self) -> Problem:
        return Problem("TEST-FAILED", self.message_zh, self.message_en, self.location, self.id)


@attrs.frozen(slots=True)
class TestReport:
    results: tuple[TestResult, ...]
    coverage: Coverage

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> list[TestResult]:
        return [r for r in self.results if not r.passed]


TableLookup = Callable[[str, Mapping[str, Any]], Any]


def run_tests(
    entries: Iterable[Entry],
    *,
    rules: RuleSet,
    tables: Mapping[str, Any],
    scopes: ScopeRegistry,
    host: Any = None,
    visible: Callable[[str], frozenset[str]] | None = None,
    covered: RuleSet | None = None,
) -> TestReport:
    """Run every test entry; failures are results, never exceptions. ``host`` is the
    rulebook, for scopes that complete hand-written contexts or build them from events. ``visible(layer)``
    gives the rule ids a test written in ``layer`` knows (by default, every rule). Coverage
    counts the rules of ``covered`` (default: ``rules``; invariants hold in passing tests, so
    a rulebook leaves them out)."""
    import time

    results = []
    for entry in entries:
        spec: TestSpec = entry.spec
        started = time.perf_counter()
        if spec.scope is not None:
            known = visible(entry.layer) if visible is not None else None
            result = _run_scope_test(entry, spec, rules, scopes, host, known)
        else:
            result = _run_table_test(entry, spec, tables)
        results.append(attrs.evolve(result, seconds=time.perf_counter() - started))
    return TestReport(
        tuple(results), coverage_of(results, rules if covered is None else covered, tables)
    )


def _fail(entry: Entry, zh: str, en: str, **kw: Any) -> TestResult:
    return TestResult(entry.spec.id, False, entry.location, zh, en, **kw)


def _run_scope_test(
    entry: Entry,
    spec: TestSpec,
    rules: RuleSet,
    scopes: ScopeRegistry,
    host: Any,
    known: frozenset[str] | None,
) -> TestResult:
    scope = scopes.get(spec.scope or "")
    if scope is None:
        return _fail(entry, f"未知的作用域 “{spec.scope}”", f"unknown scope '{spec.scope}'")
    errors = context_errors(scope.context, spec.given)
    if errors:
        return _fail(entry, "；".join(e[0] for e in errors), "; ".join(e[1] for e in errors))
    findings = []
    try:
        context = _context(scope, spec, host)
        for rule in rules.for_scope(spec.scope or "", spec.on):
            if known is not None and rule.id not in known:
                continue
            finding = rule.check(context)
            if finding is not None:
                findings.append(finding)
    except FyrulesError as exc:
        problem = getattr(exc, "problem", None)
        if problem is None:
            raise
        if spec.expect.error == problem.code:
            return TestResult(spec.id, True, entry.location)
        return _fail(
            entry,
            f"求值出错：{problem.message_zh}",
            f"evaluation failed: {problem.message_en}",
        )
    fired = tuple(sorted({f.rule for f in findings}))
    if spec.expect.values is not None:
        return _check_values(entry, spec, scope, context, host, fired)
    expected = spec.expect.findings
    if spec.expect.error is not None:
        return _fail(
            entry,
            f"预期错误 {spec.expect.error}，但没有出错",
            f"expected error {spec.expect.error}, but none occurred",
            fired=fired,
        )
    if expected is None:
        return _fail(entry, "作用域测试需要 expect.findings", "a scope test needs expect.findings")
    unknown = [r for r in expected if r not in rules]
    if unknown:
        return _fail(
            entry,
            f"预期中有未知的规则：{shown(unknown)}",
            f"expected rules that do not exist: {shown(unknown)}",
        )
    if set(expected) == set(fired):
        return TestResult(spec.id, True, entry.location, fired=fired)
    missing = sorted(set(expected) - set(fired))
    extra = sorted(set(fired) - set(expected))
    return _fail(
        entry,
        f"应触发而未触发：{shown(missing, '无')}；不应触发却触发：{shown(extra, '无')}",
        f"expected but not fired: {shown(missing)}; fired but not expected: {shown(extra)}",
        fired=fired,
    )


def _check_values(
    entry: Entry, spec: TestSpec, scope: Any, context: Mapping[str, Any], host: Any, fired: Any
) -> TestResult:
    """A test that expects the values a scope computes (``expect.values``); when it also
    expects findings, those must fire as well."""
    if scope.compute is None:
        return _fail(
            entry,
            f"作用域 {scope.name} 不计算值，不能用 expect.values",
            f"scope {scope.name} computes no values; expect.values cannot be used",
        )
    try:
        values, rows = scope.compute(context, host, spec.on)
    except FyrulesError as exc:
        problem = getattr(exc, "problem", None)
        if problem is None:
            raise
        if spec.expect.error == problem.code:
            return TestResult(spec.id, True, entry.location)
        return _fail(
            entry, f"计算出错：{problem.message_zh}", f"computing failed: {problem.message_en}"
        )
    wrong = [
        (key, values.get(key), want)
        for key, want in (spec.expect.values or {}).items()
        if not _same_part(values.get(key), want)
    ]
    expected = spec.expect.findings
    if expected is not None and set(expected) != set(fired):
        wrong.append(("findings", list(fired), expected))
    if wrong:
        zh = "；".join(f"{k} 应为 {shown(w)}，实际为 {shown(a)}" for k, a, w in wrong)
        en = "; ".join(f"{k}: expected {shown(w)}, got {shown(a)}" for k, a, w in wrong)
        return _fail(entry, zh, en, fired=fired, rows=tuple(rows))
    return TestResult(spec.id, True, entry.location, fired=fired, rows=tuple(rows))


def _same_part(actual: Any, expected: Any) -> bool:
    """Like :func:`_same`, but an expected mapping names only the keys it checks."""
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        return all(k in actual and _same_part(actual[k], v) for k, v in expected.items())
    return _same(actual, expected)


def _context(scope: Any, spec: TestSpec, host: Any) -> dict[str, Any]:
    """The test's context: built from its events (``events``/``as_of``), or completed from
    its hand-written ``given``."""
    if spec.events is None:
        return scope.complete(spec.given, host)
    if scope.from_events is None:
        raise _TestSetupError(
            Problem(
                "TEST-INVALID",
                f"作用域 {scope.name} 的测试不能用 events，请用 given",
                f"tests of scope {scope.name} cannot use events; use given",
            )
        )
    return scope.from_events(list(spec.events), spec.as_of, host)


class _TestSetupError(FyrulesError):
    problem: Problem

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


def _run_table_test(entry: Entry, spec: TestSpec, tables: Mapping[str, Any]) -> TestResult:
    table = tables.get(spec.table or "")
    if table is None:
        return _fail(
            entry, f"未知的决策表 “{spec.table}”", f"unknown decision table '{spec.table}'"
        )
    try:
        result = table.evaluate(_table_inputs(table, spec.given))
    except FyrulesError as exc:
        problem = getattr(exc, "problem", None)
        code = problem.code if problem is not None else type(exc).__name__
        if spec.expect.error == code:
            return TestResult(spec.id, True, entry.location)
        zh = problem.message_zh if problem is not None else str(exc)
        en = problem.message_en if problem is not None else str(exc)
        return _fail(entry, f"查表出错：{zh}", f"lookup failed: {en}")
    rows = tuple((table.id, r) for r in result.rows)
    if spec.expect.error is not None:
        return _fail(
            entry,
            f"预期错误 {spec.expect.error}，但没有出错",
            f"expected error {spec.expect.error}, but none occurred",
            rows=rows,
        )
    if spec.expect.rows is not None and list(result.rows) != list(spec.expect.rows):
        return _fail(
            entry,
            f"命中行应为 {shown(spec.expect.rows)}，实际为 {shown(list(result.rows))}",
            f"expected rows {shown(spec.expect.rows)}, matched {shown(list(result.rows))}",
            rows=rows,
        )
    if not _same(result.value, spec.expect.output):
        return _fail(
            entry,
            f"输出应为 {shown(spec.expect.output)}，实际为 {shown(result.value)}",
            f"expected output {shown(spec.expect.output)}, got {shown(result.value)}",
            rows=rows,
        )
    return TestResult(spec.id, True, entry.location, rows=rows)


def _table_inputs(table: Any, given: Mapping[str, Any]) -> dict[str, Any]:
    """``given`` with the ISO strings written for date columns as dates (YAML 1.2 reads
    ``2025-10-01`` as text)."""
    dates = {col.name for col in table.inputs if col.type == "date"}
    return {k: from_iso(DATE, v) if k in dates else v for k, v in given.items()}


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(actual, dt.date) and not isinstance(actual, dt.datetime):
        expected = from_iso(DATE, expected)  # an expected date is written as text in YAML
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected or (actual == expected and type(actual) is type(expected))
    if isinstance(actual, int | float) and isinstance(expected, int | float):
        return abs(actual - expected) <= 1e-9 * max(1.0, abs(expected))
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        return actual.keys() == expected.keys() and all(
            _same(actual[k], expected[k]) for k in actual
        )
    if isinstance(actual, list | tuple) and isinstance(expected, list | tuple):
        return len(actual) == len(expected) and all(
            _same(a, b) for a, b in zip(actual, expected, strict=True)
        )
    return bool(actual == expected)
