"""The month fold's hot loop: :class:`CaseRecord` and :func:`fold_units`.

This module is compiled to a C extension by mypyc when the wheel is built (``setup.py``; the
pure-Python source is the fallback, and the behaviour is the same: tests compare the two).
Compiled, a record is a native class whose fields are read without a dictionary look-up, and
each unit's totals are native integers and floats, so the loop over a month of a million
records runs at C speed. Keep it to code mypyc compiles to native operations: typed locals,
no dynamic attributes, nothing imported from the rest of fyrules at run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

Status = Literal["closed", "in_progress", "withdrawn"]


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One case, as monthly statistics see it (one record per case).

    ``month`` is the local month of acceptance (``YYYY-MM``); ``status`` where the case stood
    at that month's end; ``settlement`` (``early``, ``on_time``, ``overdue``), ``used_days``
    and ``committed_limit`` are set for settled cases; ``online`` says the application came in
    online (the ``submit`` event's ``data.channel``); ``breaches`` counts discipline breaches
    found by inspection (``inspect`` events with ``data.breach: true``).

    A frozen dataclass: ``dataclasses.replace(record, complaints=2)`` makes a changed copy."""

    case: str
    month: str
    window: str | None
    dept: str | None
    kind: str | None
    status: Status
    settlement: str | None = None
    used_days: float | None = None
    committed_limit: float | None = None
    online: bool = False
    rating: float | None = None
    complaints: int = 0
    breaches: int = 0
    item: str = ""
    substantiated: int = 0

    def __reduce__(self) -> tuple[type[CaseRecord], tuple[object, ...]]:
        # (a compiled frozen class cannot be restored field by field: rebuild it)
        return (
            CaseRecord,
            (
                self.case,
                self.month,
                self.window,
                self.dept,
                self.kind,
                self.status,
                self.settlement,
                self.used_days,
                self.committed_limit,
                self.online,
                self.rating,
                self.complaints,
                self.breaches,
                self.item,
                self.substantiated,
            ),
        )


class Totals:
    """One unit's running totals. The settled count and the accepted count are sums of
    others, derived once per unit (:meth:`as_list`)."""

    def __init__(self) -> None:
        self.closed = 0
        self.in_progress = 0
        self.withdrawn = 0
        self.immediate = 0
        self.online = 0
        self.early = 0
        self.on_time = 0
        self.overtime = 0
        self.rated = 0
        self.satisfied = 0
        self.complaints = 0
        self.breaches = 0
        self.substantiated = 0
        self.timed = 0  # settled cases with known days and no limit (those with one: below)
        # sums of days, added case by case in the order of the records
        self.used = 0.0
        self.limit = 0.0
        self.timed_used = 0.0

    def as_list(self, names: tuple[str, ...]) -> list[float]:
        """The totals in the order of ``names`` (:data:`fyrules.scoring.statistics._ACC`)."""
        settled = self.early + self.on_time + self.overtime
        # (Any, not float: a count stays an int; compiled, a float annotation would convert it)
        values: dict[str, Any] = {
            "accepted": self.closed + self.in_progress + self.withdrawn,
            "closed": self.closed,
            "in_progress": self.in_progress,
            "withdrawn": self.withdrawn,
            "immediate": self.immediate,
            "online": self.online,
            "settled": settled,
            "early_count": self.early,
            "on_time_count": self.on_time,
            "overtime_count": self.overtime,
            "rated": self.rated,
            "satisfied": self.satisfied,
            "complaints": self.complaints,
            "discipline_breaches": self.breaches,
            "substantiated_complaints": self.substantiated,
            "used_total": self.used,
            "limit_total": self.limit,
            "timed": self.timed + settled,
            "timed_used": self.timed_used,
        }
        return [values.get(name, 0) for name in names]


def fold_units(
    records: Iterable[CaseRecord], month: str, by_window: bool, satisfied_at: float
) -> dict[str, Totals]:
    """Each unit's :class:`Totals` over the records of the cases accepted in ``month``.

    An unknown status or settlement raises :class:`KeyError`, as a look-up of it would."""
    by_unit: dict[str, Totals] = {}
    for r in records:
        if r.month != month:
            continue
        unit = r.window if by_window else r.dept
        key = unit if unit else "-"
        acc = by_unit.get(key)
        if acc is None:
            acc = by_unit[key] = Totals()
        status = r.status
        if status == "closed":
            acc.closed += 1
            settlement = r.settlement
            used = r.used_days
            if settlement is not None and used is not None:
                limit = r.committed_limit
                if limit:  # settled with a limit: counted by how it settled
                    if settlement == "early":
                        acc.early += 1
                    elif settlement == "on_time":
                        acc.on_time += 1
                    elif settlement == "overdue":
                        acc.overtime += 1
                    else:
                        raise KeyError(settlement)
                    acc.used += used
                    acc.limit += limit
                    acc.timed_used += used
                elif limit is not None:  # timed without a limit
                    acc.timed += 1
                    acc.timed_used += used
        elif status == "in_progress":
            acc.in_progress += 1
        elif status == "withdrawn":
            acc.withdrawn += 1
        else:
            raise KeyError(status)
        if r.kind == "immediate":
            acc.immediate += 1
        if r.online:
            acc.online += 1
        rating = r.rating
        if rating is not None:
            acc.rated += 1
            if rating >= satisfied_at:
                acc.satisfied += 1
        acc.complaints += r.complaints
        acc.breaches += r.breaches
        acc.substantiated += r.substantiated
    return by_unit
