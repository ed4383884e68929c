"""The set of values one table cell accepts, and a fast predicate for it.

Every input cell — ``-``, ``> 20``, ``[1..10)``, ``immediate, joint``, ``not(joint)`` — is
normalised to one of two set shapes:

* :class:`IntervalSet` for ordered columns (numbers, dates): disjoint intervals, sorted;
* :class:`ValueSet` for the others (text, true/false): a finite set, or everything but one.

The static checks work on these sets (intersections, gaps); evaluation uses the predicate
compiled from them once, when the table loads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from .values import show_value

Predicate = Callable[[Any], bool]


class _Other:
    """Stands for "any value not written anywhere in the column" in the static checks."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "OTHER"


OTHER = _Other()


@attrs.frozen(slots=True)
class Interval:
    """An interval of numbers or dates; ``None`` for an end means unbounded."""

    low: Any = None
    high: Any = None
    low_closed: bool = False
    high_closed: bool = False

    def contains(self, x: Any) -> bool:
        lo, hi = self.low, self.high
        if lo is not None and (x < lo or (x == lo and not self.low_closed)):
            return False
        return hi is None or x < hi or (x == hi and self.high_closed)

    @property
    def is_point(self) -> bool:
        return self.low is not None and self.low == self.high

    def text(self) -> str:
        lo, hi = self.low, self.high
        if self.is_point:
            return show_value(lo)
        if lo is None and hi is None:
            return "-"
        if lo is None:
            return f"{'<=' if self.high_closed else '<'} {show_value(hi)}"
        if hi is None:
            return f"{'>=' if self.low_closed else '>'} {show_value(lo)}"
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"{left}{show_value(lo)}..{show_value(hi)}{right}"


def point(value: Any) -> Interval:
    return Interval(value, value, True, True)


@attrs.frozen(slots=True)
class IntervalSet:
    """A union of disjoint intervals in increasing order (build it with :func:`intervals`)."""

    parts: tuple[Interval, ...]

    def contains(self, x: Any) -> bool:
        return any(part.contains(x) for part in self.parts)

    @property
    def is_all(self) -> bool:
        return len(self.parts) == 1 and self.parts[0].low is None and self.parts[0].high is None

    @property
    def is_empty(self) -> bool:
        return not self.parts

    def union(self, other: IntervalSet) -> IntervalSet:
        return intervals((*self.parts, *other.parts))

    def complement(self) -> IntervalSet:
        out: list[Interval] = []
        low, low_closed = None, False
        for part in self.parts:
            if part.low is not None:
                out.append(Interval(low, part.low, low_closed, not part.low_closed))
            if part.high is None:
                return IntervalSet(tuple(out))
            low, low_closed = part.high, not part.high_closed
        out.append(Interval(low, None, low_closed, False))
        return IntervalSet(tuple(out))

    def endpoints(self) -> Iterable[Any]:
        for part in self.parts:
            if part.low is not None:
                yield part.low
            if part.high is not None:
                yield part.high

    def text(self) -> str:
        if not self.parts:
            return "not(-)"
        return ", ".join(part.text() for part in self.parts)

    def predicate(self) -> Predicate | None:
        """A fast membership test; ``None`` when the set holds everything."""
        if self.is_all:
            return None
        if not self.parts:
            return _never
        if all(part.is_point for part in self.parts):
            if len(self.parts) == 1:
                v = self.parts[0].low
                return lambda x: x == v
            return frozenset(part.low for part in self.parts).__contains__
        if len(self.parts) == 1:
            return _interval_predicate(self.parts[0])
        preds = tuple(_interval_predicate(part) for part in self.parts)
        return lambda x: any(p(x) for p in preds)


def _never(x: Any) -> bool:
    return False


def _interval_predicate(part: Interval) -> Predicate:
    lo, hi = part.low, part.high
    if part.is_point:
        return lambda x: x == lo
    if lo is None:
        return (lambda x: x <= hi) if part.high_closed else (lambda x: x < hi)
    if hi is None:
        return (lambda x: x >= lo) if part.low_closed else (lambda x: x > lo)
    if part.low_closed and part.high_closed:
        return lambda x: lo <= x <= hi
    if part.low_closed:
        return lambda x: lo <= x < hi
    if part.high_closed:
        return lambda x: lo < x <= hi
    return lambda x: lo < x < hi


def _start(part: Interval) -> tuple[int, Any, int]:
    if part.low is None:
        return (0, 0, 0)
    return (1, part.low, 0 if part.low_closed else 1)


def _ends_after(a: Interval, b: Interval) -> bool:
    """Whether ``a`` reaches further right than ``b``."""
    if a.high is None:
        return b.high is not None
    if b.high is None:
        return False
    return a.high > b.high or (a.high == b.high and a.high_closed and not b.high_closed)


def intervals(parts: Iterable[Interval]) -> IntervalSet:
    """The normalised union of ``parts`` (empty intervals dropped, touching ones merged)."""
    live = [p for p in parts if not _empty(p)]
    live.sort(key=_start)
    out: list[Interval] = []
    for part in live:
        if out:
            last = out[-1]
            if last.high is None:
                break
            touches = (
                part.low is None
                or part.low < last.high
                or (part.low == last.high and (last.high_closed or part.low_closed))
            )
            if touches:
                if _ends_after(part, last):
                    out[-1] = Interval(last.low, part.high, last.low_closed, part.high_closed)
                continue
        out.append(part)
    return IntervalSet(tuple(out))


def _empty(part: Interval) -> bool:
    if part.low is None or part.high is None:
        return False
    if part.low > part.high:
        return True
    return part.low == part.high and not (part.low_closed and part.high_closed)


EVERYTHING = IntervalSet((Interval(),))


@attrs.frozen(slots=True)
class ValueSet:
    """A finite set of values, or (``negated``) every value except those."""

    values: frozenset[Any]
    negated: bool = False

    def contains(self, x: Any) -> bool:
        if x is OTHER:
            return self.negated
        return (x in self.values) != self.negated

    @property
    def is_all(self) -> bool:
        return self.negated and not self.values

    @property
    def is_empty(self) -> bool:
        return not self.negated and not self.values

    def union(self, other: ValueSet) -> ValueSet:
        a, b = self, other
        if not a.negated and not b.negated:
            return ValueSet(a.values | b.values)
        if a.negated and b.negated:
            return ValueSet(a.values & b.values, True)
        pos, neg = (a, b) if b.negated else (b, a)
        return ValueSet(neg.values - pos.values, True)

    def complement(self) -> ValueSet:
        return ValueSet(self.values, not self.negated)

    def text(self) -> str:
        listed = ", ".join(sorted(show_value(v) for v in self.values))
        if self.negated:
            return f"not({listed})" if self.values else "-"
        return listed or "not(-)"

    def predicate(self) -> Predicate | None:
        values = self.values
        if self.negated:
            if not values:
                return None
            return lambda x: x not in values
        if not values:
            return _never
        if len(values) == 1:
            (v,) = values
            return lambda x: x == v
        return values.__contains__


ANY_VALUE = ValueSet(frozenset(), True)

ValueTest = IntervalSet | ValueSet


def everything(type_: str) -> ValueTest:
    """The set that ``-`` stands for in a column of ``type_``."""
    return EVERYTHING if type_ in ("number", "date") else ANY_VALUE


def single(value: Any, type_: str) -> ValueTest:
    if type_ in ("number", "date"):
        return IntervalSet((point(value),))
    return ValueSet(frozenset((value,)))
