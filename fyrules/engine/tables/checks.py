"""``check_table``: what ``fyrules check`` reports about a decision table beyond its syntax.

* TABLE-OVERLAP (error): under UNIQUE, two rows that one same input matches; under ANY, two
  such rows with different outputs. Each names both rows and an input that matches both.
* TABLE-OVERLAP (warning): under FIRST or PRIORITY, a row that can never be chosen because
  the rows it names win wherever it matches.
* TABLE-GAP: inputs within the declared domains that no row matches, with the uncovered values
  and an example. An error under UNIQUE and ANY, a warning under FIRST and PRIORITY (such
  tables often end in a catch-all row, and staff may rely on the host never asking for the
  rest); not reported when the table has a ``default`` or is COLLECT, since "nothing matched"
  then has a designed result.
* TABLE-CELL (warning): a cell no value of the column's declared domain can match, so its row
  never applies.
* TABLE-GAP (info): the analysis was cut short (a very large table); nothing past it was checked.

Structural problems (bad cells, missing basis, PRIORITY without a priority list …) are found
when the table is built and never reach here.
"""

from __future__ import annotations

from collections.abc import Callable

from ..problems import Location, Problem, Severity
from .analysis import MAX_WORK, Analysis, Box, ColumnPieces, Piece, analyse
from .sets import OTHER, Interval
from .table import DecisionTable
from .values import show_value

MAX_ROWS = 5000
MAX_REPORTED = 20
MAX_LISTED = 10  # values or intervals named in one message


def check_table(table: DecisionTable) -> list[Problem]:
    """Overlaps, gaps and rows that never apply, as problems (empty when the table is sound)."""
    if len(table.rows) > MAX_ROWS:
        return [
            _problem(
                table,
                "TABLE-GAP",
                f"表有 {len(table.rows)} 行，超过 {MAX_ROWS} 行，未检查重叠和遗漏",
                f"the table has {len(table.rows)} rows, more than {MAX_ROWS}; overlaps and gaps "
                "were not checked",
                table.location,
                "info",
            )
        ]
    analysis = analyse(table, want_pair=_pair_filter(table), winner=_winner(table))
    problems = _dead_cells(table, analysis)
    problems += _overlaps(table, analysis)
    problems += _gaps(table, analysis)
    if analysis.complete:
        problems += _never_chosen(table, analysis)
    else:
        problems.append(
            _problem(
                table,
                "TABLE-GAP",
                f"表过于复杂，检查了 {MAX_WORK} 个组合后停止；之后的重叠和遗漏没有检查",
                f"the table is too complex: the check stopped after {MAX_WORK} combinations; "
                "overlaps and gaps past that point were not checked",
                table.location,
                "info",
            )
        )
    return problems


def _pair_filter(table: DecisionTable) -> Callable[[int, int], bool] | None:
    rows = table.rows
    if table.hit_policy == "UNIQUE":
        return lambda i, j: True
    if table.hit_policy == "ANY":
        return lambda i, j: rows[i].outputs != rows[j].outputs
    return None


def _winner(table: DecisionTable) -> Callable[[list[int]], int] | None:
    if table.hit_policy == "FIRST":
        return min
    if table.hit_policy == "PRIORITY":
        rows = table.rows
        return lambda members: min(members, key=lambda r: (rows[r].rank, r))
    return None


def _problem(
    table: DecisionTable,
    code: str,
    zh: str,
    en: str,
    where: Location | None,
    severity: Severity = "error",
) -> Problem:
    return Problem(code, zh, en, where, table.id, severity)


def _dead_cells(table: DecisionTable, analysis: Analysis) -> list[Problem]:
    problems = []
    for r, row in enumerate(table.rows):
        for c, mask in enumerate(analysis.masks[r]):
            if mask == 0:
                cell, col = row.cells[c], table.inputs[c].name
                problems.append(
                    _problem(
                        table,
                        "TABLE-CELL",
                        f"第 {row.number} 行 {col} 列的 “{cell.text}” 不匹配 {col} 的任何可能取值，"
                        "这一行永远不会命中",
                        f"row {row.number}, column {col}: '{cell.text}' matches no possible value "
                        f"of {col}, so the row never applies",
                        cell.location or row.location,
                        "warning",
                    )
                )
                break
    return problems


def _overlaps(table: DecisionTable, analysis: Analysis) -> list[Problem]:
    problems = []
    pairs = sorted(analysis.overlaps.items())
    for (i, j), box in pairs[:MAX_REPORTED]:
        a, b = table.rows[i], table.rows[j]
        zh_where, en_where = _describe(analysis.columns, box)
        zh_ex, en_ex = _example(analysis.columns, box)
        if table.hit_policy == "UNIQUE":
            zh = (
                f"第 {a.number} 行与第 {b.number} 行重叠（唯一命中策略下只能有一行匹配）："
                f"当 {zh_where} 时两行都匹配（例如 {zh_ex}）"
            )
            en = (
                f"rows {a.number} and {b.number} overlap (only one row may match under the "
                f"UNIQUE hit policy): both match {en_where}, e.g. {en_ex}"
            )
        else:
            zh = (
                f"第 {a.number} 行与第 {b.number} 行重叠且结果不同（任一命中策略要求结果相同）："
                f"当 {zh_where} 时两行都匹配（例如 {zh_ex}）"
            )
            en = (
                f"rows {a.number} and {b.number} overlap with different outputs (the ANY hit "
                f"policy needs equal outputs): both match {en_where}, e.g. {en_ex}"
            )
        problems.append(_problem(table, "TABLE-OVERLAP", zh, en, b.location))
    if len(pairs) > MAX_REPORTED:
        more = len(pairs) - MAX_REPORTED
        problems.append(
            _problem(
                table,
                "TABLE-OVERLAP",
                f"另有 {more} 对重叠的行未列出",
                f"{more} more overlapping pairs of rows not listed",
                table.location,
            )
        )
    return problems


def _gaps(table: DecisionTable, analysis: Analysis) -> list[Problem]:
    if table.default is not None or table.hit_policy == "COLLECT" or not analysis.gap_count:
        return []
    severity: Severity = "error" if table.hit_policy in ("UNIQUE", "ANY") else "warning"
    problems = []
    for box in analysis.gaps[:MAX_REPORTED]:
        zh_where, en_where = _describe(analysis.columns, box)
        zh_ex, en_ex = _example(analysis.columns, box)
        problems.append(
            _problem(
                table,
                "TABLE-GAP",
                f"没有任何行覆盖这些输入：{zh_where}（例如 {zh_ex}）；请补充一行，或为表设置 default",
                f"no row covers the inputs where {en_where}, e.g. {en_ex}; add a row or give the "
                "table a default",
                table.location,
                severity,
            )
        )
    if analysis.gap_count > MAX_REPORTED:
        more = analysis.gap_count - MAX_REPORTED
        problems.append(
            _problem(
                table,
                "TABLE-GAP",
                f"另有 {more} 处遗漏未列出",
                f"{more} more gaps not listed",
                table.location,
                severity,
            )
        )
    return problems


def _never_chosen(table: DecisionTable, analysis: Analysis) -> list[Problem]:
    """Rows that match somewhere but always lose (a row with a dead cell matches nowhere)."""
    if table.hit_policy not in ("FIRST", "PRIORITY"):
        return []
    problems = []
    for r, row in enumerate(table.rows):
        if r in analysis.winners or r not in analysis.shadowed_by:
            continue
        winners = ", ".join(str(table.rows[w].number) for w in sorted(analysis.shadowed_by[r]))
        why_zh = "在它之前" if table.hit_policy == "FIRST" else "优先级更高"
        why_en = "come before it" if table.hit_policy == "FIRST" else "have a higher priority"
        problems.append(
            _problem(
                table,
                "TABLE-OVERLAP",
                f"第 {row.number} 行永远不会被选中：凡是它匹配的输入，第 {winners} 行都匹配且{why_zh}",
                f"row {row.number} is never chosen: wherever it matches, row(s) {winners} match "
                f"too and {why_en}",
                row.location,
                "warning",
            )
        )
    return problems


# --- describing boxes of pieces ---------------------------------------------------------


def _describe(columns: tuple[ColumnPieces, ...], box: Box) -> tuple[str, str]:
    """``item_type 为 joint、statutory_days 为 > 20`` / ``item_type is joint and …``."""
    zh, en = [], []
    for col, mask in zip(columns, box, strict=True):
        if mask is None or mask == col.all_mask:
            continue
        text = _mask_text(col, mask)
        zh.append(f"{col.column.name} 为 {text}")
        en.append(f"{col.column.name} is {text}")
    if not zh:
        return "任何输入", "any input"
    return "、".join(zh), " and ".join(en)


def _example(columns: tuple[ColumnPieces, ...], box: Box) -> tuple[str, str]:
    zh, en = [], []
    for col, mask in zip(columns, box, strict=True):
        if not col.pieces:
            continue
        chosen = mask if mask is not None else col.all_mask
        piece = col.pieces[(chosen & -chosen).bit_length() - 1]
        if piece.example is OTHER:
            zh.append(f"{col.column.name}=（表中未出现的任何值）")
            en.append(f"{col.column.name}=(any value not in the table)")
        else:
            zh.append(f"{col.column.name}={show_value(piece.example)}")
            en.append(f"{col.column.name}={show_value(piece.example)}")
    return ", ".join(zh), ", ".join(en)


def _mask_text(col: ColumnPieces, mask: int) -> str:
    chosen = {id(p) for k, p in enumerate(col.pieces) if mask >> k & 1}
    if not col.ordered:
        values = [p.example for p in col.pieces if id(p) in chosen]
        if OTHER in values:
            rest = [show_value(p.example) for p in col.pieces if id(p) not in chosen]
            return f"not({_listed(rest)})" if rest else "-"
        return _listed([show_value(v) for v in values])
    runs: list[list[Piece]] = []
    current: list[Piece] = []
    for piece in col.sequence:
        if id(piece) in chosen:
            current.append(piece)
        elif piece.in_domain and piece.example is None:
            continue  # an empty stretch (between two adjacent days) neither breaks nor starts a run
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return _listed([_run_interval(run).text() for run in runs])


def _listed(parts: list[str]) -> str:
    """``a, b, c``; a long list is cut after :data:`MAX_LISTED` items, with the number left."""
    if len(parts) <= MAX_LISTED:
        return ", ".join(parts)
    return ", ".join(parts[:MAX_LISTED]) + f", … (+{len(parts) - MAX_LISTED})"


def _run_interval(run: list[Piece]) -> Interval:
    first, last = run[0], run[-1]
    return Interval(
        first.low,
        last.high,
        first.is_point,
        last.is_point,
    )
