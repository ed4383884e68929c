"""Month statistics (月度统计) folded from per-case records.

A :class:`CaseRecord` is what scoring needs of one case: its month and unit, its kind, where
it stood at the month's end, how it settled, its channel, rating, complaints and discipline
breaches. :func:`month_statistics` folds records into one :class:`MonthStatistics` per window
(or department).

The fold is built for a month of a million cases, every one distinct (days used are
fractional): one pass over the records, reading each field at most once, into a plain list of
totals per unit, with no object made per record. Sums of days are added case by case in the
order of the records.

Population: the cases *accepted* in the month. ``closed`` counts those settled by the end of
the month; ``in_progress`` those still open then; ``withdrawn`` those that ended unsettled.
Settlement counts (early, on time, overtime) count settled cases that have a committed limit of
at least one working day (承诺件 and the like). The average days (used and committed) count
every settled case whose days are known, immediate items (即办件, a limit of 0) included: a
window that only handles immediate items has an average time too, and ``faster_than_committed``
stays ``1 − average used ÷ average committed`` (``None`` when nothing had a limit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from ._fold import CaseRecord, Status, fold_units
from .scope import COUNTS, RATES

__all__ = ["CaseRecord", "MonthStatistics", "Status", "Unit", "fold", "month_statistics"]

Unit = Literal["window", "dept"]


@attrs.frozen(slots=True)
class MonthStatistics:
    """One unit's month: counts, sums and rates (fractions of 1; ``None`` when there was
    nothing to count)."""

    month: str
    unit: str
    counts: Mapping[str, int]
    rates: Mapping[str, float | None]

    def __getattr__(self, name: str) -> Any:
        # counts and rates read as attributes: stats.accepted, stats.closing_rate
        for table in (self.counts, self.rates):
            if name in table:
                return table[name]
        raise AttributeError(name)

    def to_context(self) -> dict[str, Any]:
        """The ``month`` scope's context for scoring formulas."""
        return {"month": self.month, "unit": self.unit, **self.counts, **self.rates}

    def to_dict(self, digits: int = 4) -> dict[str, Any]:
        """Counts as they are, rates rounded to ``digits`` places."""
        rates = {k: (None if v is None else round(v, digits)) for k, v in self.rates.items()}
        return {**self.counts, **rates}


# positions in an accumulator (a plain list: cheap to add to)
_ACC = (*COUNTS, "used_total", "limit_total", "timed", "timed_used")
_I = {name: i for i, name in enumerate(_ACC)}
(
    _ACCEPTED,
    _CLOSED,
    _IN_PROGRESS,
    _WITHDRAWN,
    _IMMEDIATE,
    _ONLINE,
    _SETTLED,
    _EARLY,
    _ON_TIME,
    _OVERTIME,
    _RATED,
    _SATISFIED,
    _COMPLAINTS,
    _BREACHES,
    _SUBSTANTIATED,
) = (
    _I[k]
    for k in (
        "accepted",
        "closed",
        "in_progress",
        "withdrawn",
        "immediate",
        "online",
        "settled",
        "early_count",
        "on_time_count",
        "overtime_count",
        "rated",
        "satisfied",
        "complaints",
        "discipline_breaches",
        "substantiated_complaints",
    )
)
_USED, _LIMIT = _I["used_total"], _I["limit_total"]
_TIMED, _TIMED_USED = _I["timed"], _I["timed_used"]  # settled cases with known days, any limit
_STATUS = {"closed": _CLOSED, "in_progress": _IN_PROGRESS, "withdrawn": _WITHDRAWN}
_SETTLEMENT = {"early": _EARLY, "on_time": _ON_TIME, "overdue": _OVERTIME}


def fold(
    records: Iterable[CaseRecord], month: str, *, unit: Unit = "window", satisfied_at: float
) -> dict[str, list[float]]:
    """Raw totals per unit of the cases accepted in ``month`` (see module docstring), in the
    order of ``_ACC``. The loop is :func:`fyrules.scoring._fold.fold_units`, compiled in the
    wheel."""
    units = fold_units(records, month, unit == "window", satisfied_at)
    return {key: totals.as_list(_ACC) for key, totals in units.items()}


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def derive_rates(c: Mapping[str, Any]) -> dict[str, float | None]:
    """The rates of ``c`` (counts, and ``used_total``/``limit_total`` when known)."""
    settled = c.get("settled", 0)
    avg_used = avg_limit = None
    if c.get("timed"):
        avg_used = c["timed_used"] / c["timed"]
        avg_limit = c["limit_total"] / c["timed"]
    elif "used_total" in c and settled:
        avg_used = c["used_total"] / settled
        avg_limit = c["limit_total"] / settled
    else:
        avg_used = c.get("average_settlement_days")
        avg_limit = c.get("average_committed_days")
    faster = None
    if avg_used is not None and avg_limit:
        faster = 1 - avg_used / avg_limit
    accepted = c.get("accepted", 0)
    return {
        "closing_rate": _ratio(c.get("closed", 0), accepted),
        "immediate_rate": _ratio(c.get("immediate", 0), accepted),
        "online_rate": _ratio(c.get("online", 0), accepted),
        "early_settlement_rate": _ratio(c.get("early_count", 0), settled),
        "overtime_rate": _ratio(c.get("overtime_count", 0), settled),
        "average_settlement_days": avg_used,
        "average_committed_days": avg_limit,
        "faster_than_committed": faster,
        "satisfaction_rate": _ratio(c.get("satisfied", 0), c.get("rated", 0)),
        "occupancy_rate": _ratio(c.get("items_centralized", 0), c.get("items", 0)),
        "daily_accepted": _ratio(accepted, c.get("working_days", 0)),
    }


def merge_totals(*parts: Mapping[str, list[float]]) -> dict[str, list[float]]:
    """The raw totals of several partitions' folds (:func:`fold`), added up unit by unit.

    Every total is a count or a sum over cases, so the merge is associative and commutative:
    partitions of a month's cases (N writers, each owning the cases of its partition) merge
    into exactly the totals of the whole month, in any grouping and order; the rates are
    derived once, from the merged totals (:func:`statistics_from_totals`)."""
    merged: dict[str, list[float]] = {}
    for part in parts:
        for unit, totals in part.items():
            acc = merged.get(unit)
            if acc is None:
                merged[unit] = list(totals)
            else:
                for i, value in enumerate(totals):
                    acc[i] += value
    return merged


CENTER = "*"  # the unit id of the center's totals (no window or department id is "*")


def center_totals(raw: Mapping[str, list[float]]) -> dict[str, list[float]]:
    """The raw totals of every unit added into one, under :data:`CENTER`: the center's month
    (中心合计). Every total is a count or a sum over cases, so the center's rates come from
    its own totals, never as an average of the units' rates."""
    whole: list[float] = [0] * len(_ACC)
    for totals in raw.values():
        for i, value in enumerate(totals):
            whole[i] += value
    return {CENTER: whole}


def month_statistics(
    records: Iterable[CaseRecord],
    month: str,
    *,
    unit: Unit = "window",
    satisfied_at: float,
    working_days: int = 0,
    items: Mapping[str, tuple[int, int]] | None = None,
    units: Iterable[str] = (),
) -> dict[str, MonthStatistics]:
    """One :class:`MonthStatistics` per unit (sorted by unit id) of the cases accepted in
    ``month``. ``items`` gives each unit's (items, items centralized) from the catalog;
    ``units`` names units to include even without cases."""
    raw = fold(records, month, unit=unit, satisfied_at=satisfied_at)
    return statistics_from_totals(raw, month, working_days=working_days, items=items, units=units)


def statistics_from_totals(
    raw: Mapping[str, list[float]],
    month: str,
    *,
    working_days: int = 0,
    items: Mapping[str, tuple[int, int]] | None = None,
    units: Iterable[str] = (),
) -> dict[str, MonthStatistics]:
    """:func:`month_statistics` from raw totals (one :func:`fold`, or several merged with
    :func:`merge_totals`)."""
    raw = {name: list(acc) for name, acc in raw.items()}
    for name in units:
        raw.setdefault(name, [0] * len(_ACC))
    out: dict[str, MonthStatistics] = {}
    for name in sorted(raw):
        acc = raw[name]
        counts: dict[str, Any] = {k: acc[_I[k]] for k in COUNTS}
        counts["working_days"] = working_days
        total, centralized = (items or {}).get(name, (0, 0))
        counts["items"], counts["items_centralized"] = total, centralized
        rates = derive_rates(
            {
                **counts,
                "used_total": acc[_USED],
                "limit_total": acc[_LIMIT],
                "timed": acc[_TIMED],
                "timed_used": acc[_TIMED_USED],
            }
        )
        out[name] = MonthStatistics(month, name, counts, {k: rates[k] for k in RATES})
    return out
