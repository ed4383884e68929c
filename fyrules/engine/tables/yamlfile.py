"""Decision tables written in YAML: a rule file's ``tables:`` list, one table per entry.

A rulebook's loader reads rule files section by section and calls
:func:`~.build.table_from_spec_data` for each entry itself; :func:`tables_from_file_data`
serves hosts and tools that use decision tables on their own, and reports an id used twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..load.source import SourceMap
from ..problems import Location, Problem
from .build import table_from_spec_data
from .table import DecisionTable


def tables_from_file_data(
    data: Any, source: SourceMap
) -> tuple[list[DecisionTable], list[Problem]]:
    """Every table of a whole ``tables:`` file, with DUPLICATE-ID for an id used twice in it."""
    if not isinstance(data, Mapping) or not isinstance(data.get("tables"), list):
        return [], [
            Problem(
                "WRONG-TYPE",
                "决策表文件应有一个 tables: 列表",
                "a decision-table file should hold a tables: list",
                source.locate(()),
            )
        ]
    tables: list[DecisionTable] = []
    problems: list[Problem] = []
    seen: dict[str, Location] = {}
    for i, entry in enumerate(data["tables"]):
        table, found = table_from_spec_data(entry, source, ("tables", i))
        problems.extend(found)
        tid = entry.get("id") if isinstance(entry, Mapping) else None
        if isinstance(tid, str):
            here = source.locate(("tables", i, "id"))
            if tid in seen:
                problems.append(
                    Problem(
                        "DUPLICATE-ID",
                        f"决策表编号 “{tid}” 重复（首次定义于 {seen[tid]}）",
                        f"table id '{tid}' is defined twice (first at {seen[tid]})",
                        here,
                        tid,
                    )
                )
                continue
            seen[tid] = here
        if table is not None:
            tables.append(table)
    return tables, problems
