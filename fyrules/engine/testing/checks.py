"""Static checks of a rulebook's tests (``fyrules check``): duplicate ids, unknown scopes,
tables and rules, contexts their scope cannot read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..context import context_errors
from ..load.sections import Entry
from ..problems import Problem
from ..rules import RuleSet
from ..scopes import ScopeRegistry
from ..suggest import hint
from .spec import TestSpec


def check_tests(
    entries: Iterable[Entry],
    *,
    rules: RuleSet,
    tables: Mapping[str, Any],
    scopes: ScopeRegistry,
) -> list[Problem]:
    """Static problems of test cases: unknown scopes, tables, rules or context fields."""
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
