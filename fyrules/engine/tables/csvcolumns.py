"""Columns of a CSV table: guessing their type and reading their ``#domain`` row.

A CSV file holds text only, so a column's type comes from a ``#type:<column>`` row or is
inferred from its cells (see :func:`infer_type`). A ``#domain:<column>`` row holds unary tests
(``immediate``, ``joint``; ``[0..60]``; ``>= 0``) and becomes the ``values`` or ``range`` of the
input, as a YAML table would write them.
"""

from __future__ import annotations

import re
from typing import Any

from .cells import CellError, parse_input, parse_output
from .sets import IntervalSet, ValueSet

_LEADING_ZERO = re.compile(r"(?<![\d.])0\d")
# comparisons and intervals exist for numbers and dates only: a cell using them, even a broken
# one, says the column is not text
_ORDERED_SYNTAX = re.compile(r"^(?:not\s*[(（]\s*)?(?:[<>≤≥]|[\[\](].*\.\.)", re.IGNORECASE)


def split_values(cell: str) -> list[str]:
    """``"a, b，c"`` → ``["a", "b", "c"]`` (a list of names or values in one cell)."""
    return [v.strip() for v in cell.replace("，", ",").split(",") if v.strip()]


def infer_type(cells: list[str], is_input: bool) -> tuple[str, bool]:
    """The column type the cells suggest, and whether every written cell agrees.

    number, date or bool when every written cell reads as one, or when more than half do (the
    others are then reported as bad cells of that type, which says more than "text" would);
    text otherwise — unless a cell compares or gives an interval, which only numbers and dates
    can. Codes with a leading zero (``007``) are text, not numbers."""
    written = [c for c in cells if c not in ("", "-")]
    if not written:
        return "string", True
    counts = {}
    for type_ in ("number", "date", "bool"):
        counts[type_] = sum(_reads_as(cell, type_, is_input) for cell in written)
        if counts[type_] == len(written):
            return type_, True
    best = max(counts, key=lambda t: counts[t])  # the first of equals: number, then date
    if counts[best] * 2 > len(written):
        return best, False
    if is_input and any(_ORDERED_SYNTAX.match(cell) for cell in written):
        return ("date" if counts["date"] > counts["number"] else "number"), False
    return "string", True


def _reads_as(cell: str, type_: str, is_input: bool) -> bool:
    if type_ == "number" and _LEADING_ZERO.search(cell):
        return False
    try:
        if is_input:
            parse_input(cell, type_)
        else:
            parse_output(cell, type_)
    except CellError:
        return False
    return True


class DomainError(Exception):
    """A ``#domain`` row that cannot be read; ``column`` is the CSV column of the bad cell."""

    def __init__(self, zh: str, en: str, column: int):
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.column = column


def domain_entry(cells: list[tuple[int, str]], type_: str) -> dict[str, list[Any]] | None:
    """``{"values": […]}`` or ``{"range": [low, high]}`` from ``(column, cell)`` pairs."""
    found: Any = None
    for column, cell in cells:
        try:
            test = parse_input(cell, type_)
        except CellError as exc:
            raise DomainError(exc.zh, exc.en, column) from None
        found = test if found is None else found.union(test)
    if found is None:
        return None
    if isinstance(found, ValueSet) and not found.negated and found.values:
        return {"values": sorted(found.values, key=str)}
    if isinstance(found, IntervalSet) and found.parts:
        if all(part.is_point for part in found.parts):
            return {"values": [part.low for part in found.parts]}
        (part, *more) = found.parts
        low_ok = part.low is None or part.low_closed
        high_ok = part.high is None or part.high_closed
        if not more and low_ok and high_ok:
            return {"range": [part.low, part.high]}
    raise DomainError(
        "取值范围应列出所有可能的值，或写一个闭区间，如 [0..60]、>= 0",
        "a domain lists the possible values or gives one closed range such as [0..60] or >= 0",
        cells[0][0],
    )
