"""Rulebook tests: cases that policy staff write beside their rules, and coverage.

A test gives a context and says what must come out::

    tests:
      - id: T-COMMITTED-OVER-STATUTORY
        title: 承诺时限超过法定时限时报错
        scope: item                     # run every rule of this scope in force on `on`
        on: 2025-10-01
        given: {code: FY-1, statutory_days: 20, committed_days: 25}
        expect:
          findings: [CAT-COMMITTED-LE-STATUTORY]   # exactly these rules fire
      - id: T-LIMIT-LOOKUP
        table: COMMITTED-LIMIT-BY-TYPE  # look a decision table up
        given: {item_type: commitment, statutory_days: 20}
        expect: {output: 15}

Coverage says which rules fired and which table rows were hit in passing tests, and which
cited legal provisions those rules and tables carry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
from pydantic import Field, field_validator, model_validator

from .context import context_errors, from_iso
from .expr.types import DATE
from .model import Identifier, Title, as_title
from .problems import FyrulesError, Location, Problem
from .rules import RuleSet
from .scopes import ScopeRegistry
from .sections import Entry
from .validation import Strict


class Expect(Strict):
    """What a test expects."""

    findings: list[str] | None = Field(
        default=None, description="恰好触发的规则编号 / exactly the rules that fire"
    )
    output: Any = Field(default=None, description="决策表的输出 / the decision table's output")
    rows: list[int] | None = Field(default=None, description="命中的行号 / rows that match")
    error: str | None = Field(
        default=None, description="预期的错误代码，如 TABLE-NO-MATCH / the expected error code"
    )
    values: dict[str, Any] | None = Field(
        default=None,
        description="作用域算出的值（如 month 作用域的 score、points），只比较写出的键 / "
        "values the scope computes (a month's score, points): only the keys written are compared",
    )


class TestSpec(Strict):
    """One rulebook test case."""

    id: Identifier
    title: Title | None = None
    scope: str | None = Field(
        default=None, description="运行哪个作用域的规则 / scope whose rules run"
    )
    table: str | None = Field(default=None, description="查哪张决策表 / decision table to look up")
    on: dt.date | None = Field(
        default=None, description="按哪天有效的规则版本 / date for rule versions"
    )
    given: dict[str, Any] = Field(default_factory=dict, description="输入 / the context")
    events: list[dict[str, Any]] | None = Field(
        default=None,
        description="案件事件（代替 given），格式同事件文件 / a case's events instead of given",
    )
    as_of: dt.datetime | None = Field(
        default=None, description="按哪一时点计算（含时区） / the moment evaluated, with its offset"
    )
    expect: Expect

    _title = field_validator("title", mode="before")(as_title)

    @model_validator(mode="after")
    def _one_target(self) -> TestSpec:
        if (self.scope is None) == (self.table is None):
            raise ValueError(
                "测试必须且只能指定 scope 或 table 之一 / a test names exactly one of scope or table"
            )
        if self.events is not None and self.given:
            raise ValueError("given 与 events 只能写一个 / write given or events, not both")
        if self.as_of is not None and self.as_of.tzinfo is None:
            raise ValueError("as_of 须带时区，如 +08:00 / as_of needs its UTC offset, e.g. +08:00")
        return self


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
class Coverage:
    rules_total: tuple[str, ...]
    rules_covered: tuple[str, ...]
    table_rows_total: int
    table_rows_covered: tuple[tuple[str, int], ...]
    provisions_total: tuple[str, ...]
    provisions_covered: tuple[str, ...]

    @property
    def percent(self) -> float:
        """Share of rules and decision-table rows exercised by passing tests, in percent."""
        total = len(self.rules_total) + self.table_rows_total
        done = len(self.rules_covered) + len(self.table_rows_covered)
        return 100.0 if total == 0 else 100.0 * done / total

    @property
    def provisions_percent(self) -> float:
        total = len(self.provisions_total)
        return 100.0 if total == 0 else 100.0 * len(self.provisions_covered) / total

    def to_dict(self) -> dict[str, Any]:
        return {
            "percent": round(self.percent, 2),
            "rules": {
                "total": len(self.rules_total),
                "covered": list(self.rules_covered),
                "uncovered": sorted(set(self.rules_total) - set(self.rules_covered)),
            },
            "table_rows": {
                "total": self.table_rows_total,
                "covered": [f"{t}#{r}" for t, r in self.table_rows_covered],
            },
            "provisions": {
                "percent": round(self.provisions_percent, 2),
                "covered": list(self.provisions_covered),
                "uncovered": sorted(set(self.provisions_total) - set(self.provisions_covered)),
            },
        }


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
        tuple(results), _coverage(results, rules if covered is None else covered, tables)
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
            entry, f"预期中有未知的规则：{unknown}", f"expected rules that do not exist: {unknown}"
        )
    if set(expected) == set(fired):
        return TestResult(spec.id, True, entry.location, fired=fired)
    missing = sorted(set(expected) - set(fired))
    extra = sorted(set(fired) - set(expected))
    return _fail(
        entry,
        f"应触发而未触发：{missing or '无'}；不应触发却触发：{extra or '无'}",
        f"expected but not fired: {missing or 'none'}; fired but not expected: {extra or 'none'}",
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
        zh = "；".join(f"{k} 应为 {w!r}，实际为 {a!r}" for k, a, w in wrong)
        en = "; ".join(f"{k}: expected {w!r}, got {a!r}" for k, a, w in wrong)
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
            f"命中行应为 {spec.expect.rows}，实际为 {list(result.rows)}",
            f"expected rows {spec.expect.rows}, matched {list(result.rows)}",
            rows=rows,
        )
    if not _same(result.value, spec.expect.output):
        return _fail(
            entry,
            f"输出应为 {spec.expect.output!r}，实际为 {result.value!r}",
            f"expected output {spec.expect.output!r}, got {result.value!r}",
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


def _coverage(results: list[TestResult], rules: RuleSet, tables: Mapping[str, Any]) -> Coverage:
    passed = [r for r in results if r.passed]
    fired = {rule for r in passed for rule in r.fired}
    rows = {row for r in passed for row in r.rows}
    rule_ids = tuple(rules.ids)
    covered_rules = tuple(r for r in rule_ids if r in fired)
    provisions: dict[str, bool] = {}
    for rule in rules:
        provisions[rule.basis] = provisions.get(rule.basis, False) or rule.id in fired
    total_rows = 0
    for table in tables.values():
        n = len(table.rows)
        total_rows += n
        hit = any(t == table.id for t, _ in rows)
        provisions[table.basis] = provisions.get(table.basis, False) or hit
    return Coverage(
        rules_total=rule_ids,
        rules_covered=covered_rules,
        table_rows_total=total_rows,
        table_rows_covered=tuple(sorted(rows)),
        provisions_total=tuple(provisions),
        provisions_covered=tuple(p for p, hit in provisions.items() if hit),
    )


def check_tests(
    entries: Iterable[Entry],
    *,
    rules: RuleSet,
    tables: Mapping[str, Any],
    scopes: ScopeRegistry,
) -> list[Problem]:
    """Static problems of test cases: unknown scopes, tables, rules or context fields."""
    from .suggest import hint

    problems: list[Problem] = []
    seen: dict[str, Entry] = {}
    for entry in entries:
        spec: TestSpec = entry.spec
        if spec.id in seen:
            problems.append(
                Problem(
                    "DUPLICATE-ID",
                    f"测试编号 “{spec.id}” 重复（首次定义于 {seen[spec.id].location}）",
                    f"test id '{spec.id}' is defined twice (first at {seen[spec.id].location})",
                    entry.locate("id"),
                    spec.id,
                )
            )
        seen.setdefault(spec.id, entry)
        if spec.scope is not None:
            scope = scopes.get(spec.scope)
            if scope is None:
                zh_hint, en_hint = hint(spec.scope, scopes)
                problems.append(
                    Problem(
                        "UNKNOWN-SCOPE",
                        f"未知的作用域 “{spec.scope}”{zh_hint}",
                        f"unknown scope '{spec.scope}'{en_hint}",
                        entry.locate("scope"),
                        spec.id,
                    )
                )
            else:
                for zh, en in context_errors(scope.context, spec.given):
                    problems.append(Problem("TEST-INVALID", zh, en, entry.locate("given"), spec.id))
        if spec.table is not None and spec.table not in tables:
            zh_hint, en_hint = hint(spec.table, tables)
            problems.append(
                Problem(
                    "UNKNOWN-REFERENCE",
                    f"决策表 “{spec.table}” 不存在{zh_hint}",
                    f"decision table '{spec.table}' does not exist{en_hint}",
                    entry.locate("table"),
                    spec.id,
                )
            )
        for i, rule_id in enumerate(spec.expect.findings or ()):
            if rule_id not in rules:
                zh_hint, en_hint = hint(rule_id, rules.ids)
                problems.append(
                    Problem(
                        "UNKNOWN-REFERENCE",
                        f"规则 “{rule_id}” 不存在{zh_hint}",
                        f"rule '{rule_id}' does not exist{en_hint}",
                        entry.locate("expect", "findings", i),
                        spec.id,
                    )
                )
    return problems
