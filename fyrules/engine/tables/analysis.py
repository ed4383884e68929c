"""Static analysis of a decision table: which inputs no row covers, which rows overlap.

Each input column's values are cut into *pieces* at every value any cell or the declared domain
mentions: for numbers and dates the single values and the open stretches between them
(``< 1``, ``1``, ``(1..20)``, ``20``, ``> 20``); for text, each value written plus "any other
value" when the column has no declared ``values``. Every cell then covers whole pieces only,
so one example value per piece stands for all of it. Numbers are treated as real numbers
(``(5..6)`` is a gap between ``[1..5]`` and ``[6..10]``); dates as whole days.

The search walks the columns left to right, carrying the set of rows still matching (a bit
mask) and merging the pieces that leave the same rows; an empty set is a gap, a set of two or
more rows after the last column an overlap. The work is capped (:data:`MAX_WORK`); a capped
analysis says so instead of running for minutes on a hostile table.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import attrs

from .sets import OTHER, IntervalSet, ValueSet
from .table import DecisionTable, InputColumn

MAX_WORK = 1_000_000
MAX_PAIRS = 10_000
MAX_GAPS_KEPT = 100


@attrs.frozen(slots=True)
class Piece:
    """A piece of one column's values: the single value ``low`` (``is_point``), or the open
    stretch from ``low`` to ``high`` (``None``: unbounded). ``example`` is a value inside it."""

    low: Any
    high: Any
    is_point: bool
    example: Any
    in_domain: bool = True


@attrs.frozen(slots=True)
class ColumnPieces:
    """A column cut into pieces. ``sequence`` holds every piece in order (for describing runs of
    them); ``pieces`` only the non-empty ones inside the domain, which the search uses."""

    column: InputColumn
    ordered: bool
    sequence: tuple[Piece, ...]
    pieces: tuple[Piece, ...]

    @property
    def all_mask(self) -> int:
        return (1 << len(self.pieces)) - 1


Box = tuple[int | None, ...]  # per column: a mask of pieces, or None for "any piece"


@attrs.define
class Analysis:
    """What the search found. ``overlaps`` maps (row, row) numbers to a box both match;
    ``winners`` the rows chosen somewhere under FIRST/PRIORITY; ``shadowed_by`` the rows that
    win where a row also matches."""

    columns: tuple[ColumnPieces, ...]
    masks: tuple[tuple[int, ...], ...]
    gaps: list[Box] = attrs.field(factory=list)
    gap_count: int = 0
    overlaps: dict[tuple[int, int], Box] = attrs.field(factory=dict)
    winners: set[int] = attrs.field(factory=set)
    shadowed_by: dict[int, set[int]] = attrs.field(factory=dict)
    complete: bool = True
    work: int = 0


def cut_columns(table: DecisionTable) -> tuple[ColumnPieces, ...]:
    return tuple(_cut(table, i, col) for i, col in enumerate(table.inputs))


def _cut(table: DecisionTable, i: int, col: InputColumn) -> ColumnPieces:
    tests = [row.cells[i].test for row in table.rows]
    domain = col.domain
    ordered = col.type in ("number", "date")
    if ordered:
        ends: set[Any] = set()
        for test in [*tests, domain]:
            if isinstance(test, IntervalSet):
                ends.update(test.endpoints())
        sequence = _ordered_pieces(sorted(ends), col.type)
    else:
        if col.type == "bool":
            values: list[Any] = [False, True]
        elif isinstance(domain, ValueSet):
            values = sorted(domain.values)
        else:
            literals = {v for test in tests if isinstance(test, ValueSet) for v in test.values}
            values = [*sorted(literals), OTHER]
        sequence = tuple(Piece(v, v, True, v) for v in values)
    if domain is not None:
        outside = [p.example is not None and not domain.contains(p.example) for p in sequence]
        sequence = tuple(
            attrs.evolve(p, in_domain=False) if out else p
            for p, out in zip(sequence, outside, strict=True)
        )
    pieces = tuple(p for p in sequence if p.in_domain and p.example is not None)
    return ColumnPieces(col, ordered, sequence, pieces)


def _index(col: ColumnPieces, tests: list[Any]) -> tuple[list[int], list[int]]:
    """Each row's mask of pieces, and each piece's mask of rows (bit r: row index r)."""
    if col.ordered:
        return _index_ordered(col, tests)
    slot = {p.example: k for k, p in enumerate(col.pieces)}
    full = col.all_mask
    row_masks: list[int] = []
    plain = [0] * len(col.pieces)
    excluded = [0] * len(col.pieces)
    negated_rows = 0
    for r, test in enumerate(tests):
        bits = sum(1 << slot[v] for v in test.values if v in slot)
        if test.negated:
            row_masks.append(full & ~bits)
            negated_rows |= 1 << r
            for v in test.values:
                if v in slot:
                    excluded[slot[v]] |= 1 << r
        else:
            row_masks.append(bits)
            for v in test.values:
                if v in slot:
                    plain[slot[v]] |= 1 << r
    cover = [plain[k] | (negated_rows & ~excluded[k]) for k in range(len(col.pieces))]
    return row_masks, cover


def _index_ordered(col: ColumnPieces, tests: list[Any]) -> tuple[list[int], list[int]]:
    # sequence k: 0 = below the first point, 2i + 1 = point i, 2i + 2 = between points i and i+1
    position = {p.low: k for k, p in enumerate(col.sequence) if p.is_point}
    kept_before = [0]
    for p in col.sequence:
        kept_before.append(kept_before[-1] + (p.in_domain and p.example is not None))
    last = len(col.sequence) - 1
    delta = [0] * (len(col.pieces) + 1)
    row_masks: list[int] = []
    for r, test in enumerate(tests):
        mask = 0
        for part in test.parts:
            s = 0 if part.low is None else position[part.low] + (0 if part.low_closed else 1)
            e = last if part.high is None else position[part.high] - (0 if part.high_closed else 1)
            a, b = kept_before[s], kept_before[e + 1]
            if a < b:
                mask |= (1 << b) - (1 << a)
                delta[a] ^= 1 << r
                delta[b] ^= 1 << r
        row_masks.append(mask)
    cover, running = [], 0
    for k in range(len(col.pieces)):
        running ^= delta[k]
        cover.append(running)
    return row_masks, cover


def _ordered_pieces(points: list[Any], type_: str) -> tuple[Piece, ...]:
    between = _between_days if type_ == "date" else _between_numbers
    out: list[Piece] = []
    low = None
    for v in points:
        out.append(Piece(low, v, False, between(low, v)))
        out.append(Piece(v, v, True, v))
        low = v
    out.append(Piece(low, None, False, between(low, None)))
    return tuple(out)


def _between_numbers(low: Any, high: Any) -> Any:
    """A simple number strictly between ``low`` and ``high`` (``None`` ends are unbounded)."""
    if low is None and high is None:
        return 0
    if low is None:
        return math.ceil(high) - 1
    if high is None:
        return math.floor(low) + 1
    n = math.floor(low) + 1
    if n < high:
        return n
    mid = (low + high) / 2
    for digits in range(1, 13):  # the shortest decimal near the middle: (5..6) → 5.5
        c = round(mid, digits)
        if low < c < high:
            return c
    return mid if low < mid < high else None


def _between_days(low: Any, high: Any) -> Any:
    """A day strictly between ``low`` and ``high``, or ``None`` when they are adjacent days."""
    if low is None and high is None:
        return dt.date(2000, 1, 1)
    first = 1 if low is None else low.toordinal() + 1
    last = dt.date.max.toordinal() if high is None else high.toordinal() - 1
    if low is None:
        first = max(first, last)
    if first > last:
        return None
    return dt.date.fromordinal(first)


def analyse(
    table: DecisionTable,
    *,
    want_pair: Callable[[int, int], bool] | None = None,
    winner: Callable[[list[int]], int] | None = None,
    max_work: int = MAX_WORK,
) -> Analysis:
    """Search ``table``'s input space (see the module docstring).

    ``want_pair(i, j)`` (row indexes, 0-based) says which overlapping pairs to record (none if
    not given); ``winner(rows)`` picks the row a hit policy would choose among matching rows."""
    columns = cut_columns(table)
    rows = table.rows
    indexed = [_index(col, [row.cells[c].test for row in rows]) for c, col in enumerate(columns)]
    cover = [col_cover for _, col_cover in indexed]
    masks = tuple(tuple(indexed[c][0][r] for c in range(len(columns))) for r in range(len(rows)))
    result = Analysis(columns, masks)
    ncols = len(columns)
    stack: list[tuple[int, int, Box]] = [(0, (1 << len(rows)) - 1, ())]
    while stack:
        c, live, box = stack.pop()
        if live == 0:
            result.gap_count += 1
            if len(result.gaps) < MAX_GAPS_KEPT:
                result.gaps.append(box + (None,) * (ncols - c))
            continue
        if c == ncols:
            _leaf(result, live, box, want_pair, winner)
            continue
        result.work += len(cover[c]) + 1
        if result.work > max_work:
            result.complete = False
            break
        groups: dict[int, int] = {}
        for p, rows_here in enumerate(cover[c]):
            key = rows_here & live
            groups[key] = groups.get(key, 0) | (1 << p)
        for key, pieces in reversed(groups.items()):
            stack.append((c + 1, key, (*box, pieces)))
    return result


def _leaf(
    result: Analysis,
    live: int,
    box: Box,
    want_pair: Callable[[int, int], bool] | None,
    winner: Callable[[list[int]], int] | None,
) -> None:
    members = [r for r in range(live.bit_length()) if live >> r & 1]
    if winner is not None:
        best = winner(members)
        result.winners.add(best)
        for r in members:
            if r != best:
                result.shadowed_by.setdefault(r, set()).add(best)
    if want_pair is None or len(members) < 2:
        return
    for a, i in enumerate(members):
        for j in members[a + 1 :]:
            if len(result.overlaps) >= MAX_PAIRS:
                return
            if (i, j) not in result.overlaps and want_pair(i, j):
                result.overlaps[(i, j)] = box
