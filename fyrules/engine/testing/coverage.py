"""Coverage of a rulebook's tests: which rules fired and which decision-table rows were hit in
passing tests, and which cited legal provisions those rules and tables carry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..rules import RuleSet

if TYPE_CHECKING:
    from .runner import TestResult


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


def coverage_of(
    results: Sequence[TestResult], rules: RuleSet, tables: Mapping[str, Any]
) -> Coverage:
    """Which rules fired and which table rows were hit in passing tests, and which cited
    provisions those rules and tables carry."""
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
