"""The normal index (常态指数): points that people assess each month, entered as data.

One file per month, CSV or YAML, one row per window (or department) with a column per
normal-index aspect of the scheme::

    month,window,integration,innovation,online_operation,standardization,excellence,assessed_by
    2025-10,W01,2,1.5,2,2,1,督查室

    # YAML: the same rows under `rows:`
    month: 2025-10
    assessed_by: 督查室
    rows:
      - {window: W01, integration: 2, innovation: 1.5, online_operation: 2, ...}

Every bad row is named (``ASSESSMENT-INVALID`` at file:line): an unknown unit or aspect, a
value that is not a number or lies outside 0 to the aspect's ``max``, another month, a unit
entered twice. A unit not in the file is "not assessed" and gets no normal-index points.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..engine.load.source import display_path, read_text, read_yaml
from ..engine.problems import FyrulesError, Location, Problem
from .scheme import Scheme

_META = frozenset({"month", "window", "dept", "assessed_by", "note"})


class AssessmentError(FyrulesError):
    """The normal-index file has bad rows; ``problems`` names each one."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def _bad(zh: str, en: str, where: Location, unit: str | None = None) -> Problem:
    return Problem("ASSESSMENT-INVALID", zh, en, where, unit)


def read_assessments(
    path: str | Path, scheme: Scheme, *, month: str, units: Iterable[str]
) -> dict[str, dict[str, float]]:
    """Normal-index points by unit and aspect; raises :class:`AssessmentError`."""
    path = Path(path)
    shown = display_path(path)
    rows: list[tuple[Location, Mapping[str, Any]]]
    problems: list[Problem] = []
    if path.suffix.lower() in (".yaml", ".yml"):
        rows, problems = _yaml_rows(path, shown)
    else:
        rows, problems = _csv_rows(path, shown)
    known = set(units)
    aspects = {a.id: a for a in scheme.normal}
    key = scheme.unit
    out: dict[str, dict[str, float]] = {}
    for where, row in rows:
        unit = row.get(key)
        unit = None if unit is None else str(unit).strip()
        if not unit:
            problems.append(_bad(f"缺少 {key} 列的值", f"the row has no {key}", where))
            continue
        if unit not in known:
            problems.append(_bad(f"未知的{key} “{unit}”", f"unknown {key} '{unit}'", where, unit))
            continue
        if unit in out:
            problems.append(
                _bad(f"{unit} 本月已录入过一行", f"{unit} is entered twice this month", where, unit)
            )
            continue
        row_month = row.get("month")
        if row_month is not None and str(row_month).strip() not in ("", month):
            problems.append(
                _bad(
                    f"月份 {row_month} 与测评月份 {month} 不符",
                    f"month {row_month} is not the month scored, {month}",
                    where,
                    unit,
                )
            )
            continue
        points: dict[str, float] = {}
        for name, raw in row.items():
            if name in _META or name == key:
                continue
            aspect = aspects.get(str(name))
            if aspect is None:
                problems.append(
                    _bad(
                        f"方案 {scheme.id} 的常态指数没有方面 “{name}”；可用：{', '.join(aspects)}",
                        f"scheme {scheme.id} has no normal-index aspect '{name}'; "
                        f"known: {', '.join(aspects)}",
                        where,
                        unit,
                    )
                )
                continue
            value = _number(raw)
            if value is None or not (0 <= value <= aspect.max):
                problems.append(
                    _bad(
                        f"{name} 的得分 {raw!r} 应为 0 到 {aspect.max:g} 之间的数",
                        f"{name}: {raw!r} should be a number from 0 to {aspect.max:g}",
                        where,
                        unit,
                    )
                )
                continue
            points[aspect.id] = value
        out[unit] = points
    if problems:
        raise AssessmentError(problems)
    return out


def _number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    try:
        value = float(str(raw).strip())
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _csv_rows(
    path: Path, shown: str
) -> tuple[list[tuple[Location, Mapping[str, Any]]], list[Problem]]:
    text, problem = read_text(path, shown)
    if problem is not None or text is None:
        return [], [problem] if problem is not None else []
    lines = text.splitlines()
    reader = csv.DictReader(lines)
    rows: list[tuple[Location, Mapping[str, Any]]] = []
    for record in reader:
        where = Location(shown, reader.line_num)
        if None in record:
            return rows, [
                _bad("此行的列数多于表头", "the row has more cells than the header", where)
            ]
        rows.append((where, {k: v for k, v in record.items() if v not in (None, "")}))
    return rows, []


def _yaml_rows(
    path: Path, shown: str
) -> tuple[list[tuple[Location, Mapping[str, Any]]], list[Problem]]:
    doc, problems = read_yaml(path, shown)
    if doc is None:
        return [], problems
    data = doc.data
    if not isinstance(data, Mapping) or not isinstance(data.get("rows"), list):
        return [], [
            _bad(
                "应为含 rows 列表的映射", "expected a mapping with a list under rows", doc.locate()
            )
        ]
    month = data.get("month")
    rows: list[tuple[Location, Mapping[str, Any]]] = []
    for i, row in enumerate(data["rows"]):
        where = doc.locate(("rows", i))
        if not isinstance(row, Mapping):
            problems.append(_bad("每一行应为映射", "each row should be a mapping", where))
            continue
        rows.append((where, {"month": month, **row} if month is not None else dict(row)))
    return rows, problems
