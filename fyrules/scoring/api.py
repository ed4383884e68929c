"""Scoring a month: events or records → statistics → scorecards → ranking.

    result = rulebook.score("events.jsonl", month="2025-10")
    result.rows[0].unit, result.rows[0].score, result.rows[0].rank
    result.to_dict()

:func:`score` replays the events (:mod:`.records`), folds the month's statistics per unit
(:mod:`.statistics`), scores each unit under the scheme version in force on the month's
first day (:mod:`.scheme`) and ranks them. :func:`score_records` starts from records (the
fast path, for a host that keeps its own). The result names the scheme version, so it can be
reproduced from the same events and scheme version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..engine.problems import Problem
from .records import case_records, replay
from .scheme import Card, Scheme, ScoringError
from .statistics import (
    CENTER,
    CaseRecord,
    MonthStatistics,
    center_totals,
    fold,
    merge_totals,
    statistics_from_totals,
)


@attrs.frozen(slots=True)
class ScoreRow:
    """One unit's month: its scorecard, rank and statistics, and the change since the
    previous month (``None`` without one, or when the unit was not ranked then)."""

    unit: str
    name_zh: str
    name_en: str
    rank: int
    card: Card
    stats: MonthStatistics
    previous_score: float | None = None
    previous_rank: int | None = None

    @property
    def score(self) -> float:
        return self.card.score

    @property
    def change(self) -> float | None:
        if self.previous_score is None:
            return None
        return round(self.card.score - self.previous_score, 4) + 0.0

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous month (positive: moved up)."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    def to_dict(self) -> dict[str, Any]:
        return {
            "window": self.unit,
            "name": {"zh": self.name_zh, "en": self.name_en},
            "score": self.card.score,
            "rank": self.rank,
            "dynamic": self.card.dynamic,
            "normal": self.card.normal,
            "assessed": self.card.assessed,
            "change": self.change,
            "previous_score": self.previous_score,
            "previous_rank": self.previous_rank,
            "stats": self.stats.to_dict(),
            "points": [line.to_dict() for line in self.card.lines],
            "normal_points": dict(self.card.normal_points),
        }


@attrs.frozen(slots=True)
class ScoreResult:
    """A month's scorecards and ranking under one scheme version."""

    month: str
    scheme: Scheme
    rows: tuple[ScoreRow, ...]
    events: int = 0
    rejected: int = 0
    previous_month: str | None = None
    center: MonthStatistics | None = None  # every unit's cases together (中心合计)

    @property
    def scorecards(self) -> tuple[Card, ...]:
        return tuple(row.card for row in self.rows)

    @property
    def ranking(self) -> list[tuple[int, str, float]]:
        """(rank, unit, score), best first."""
        return [(row.rank, row.unit, row.score) for row in self.rows]

    def row(self, unit: str) -> ScoreRow:
        for row in self.rows:
            if row.unit == unit:
                return row
        raise KeyError(unit)

    def to_dict(self) -> dict[str, Any]:
        rows = []
        for row in self.rows:
            data = row.to_dict()
            if self.scheme.unit == "dept":
                data["dept"] = data["window"]
            rows.append(data)
        return {
            "month": self.month,
            "scheme": self.scheme.describe(),
            "unit": self.scheme.unit,
            "previous_month": self.previous_month,
            "events": self.events,
            "rejected": self.rejected,
            "rows": rows,
            "center": None if self.center is None else self.center.to_dict(),
        }


def competition_ranks(scores: Sequence[float]) -> list[int]:
    """Standard competition ranking ("1, 2, 2, 4"): 1 + how many scores are higher."""
    ordered = sorted(scores, reverse=True)
    first: dict[float, int] = {}
    for i, s in enumerate(ordered):
        first.setdefault(s, i + 1)
    return [first[s] for s in scores]


def previous_month(month: str) -> str:
    from ..engine.months import Month

    return str(Month.parse(month).previous())


def scheme_of(rulebook: Any, on: dt.date | None = None, version: str | None = None) -> Scheme:
    """The scheme version in force on ``on`` (or the one named ``version``; by default the
    latest); raises :class:`ScoringError` (``SCORE-NO-SCHEME``) when there is none."""
    schemes = rulebook.part("scoring")
    scheme = None
    if schemes:
        if version is not None:
            scheme = schemes.version(version)
        elif on is not None:
            scheme = schemes.in_force(on)
        else:
            scheme = schemes.versions[-1]
    if scheme is None:
        what = f"版本 {version}" if version else f" {on} 有效的方案" if on else "任何方案"
        what_en = (
            f"version {version}"
            if version
            else f"scheme in force on {on}"
            if on
            else "scoring scheme"
        )
        raise ScoringError(
            Problem(
                "SCORE-NO-SCHEME",
                f"规则集没有{what}（scoring:）；请在 scoring: 中添加该方案或换一个月份/版本",
                f"the rulebook has no {what_en} (scoring:); add one under scoring: or choose "
                "another month or version",
            )
        )
    return scheme


def _first_day(month: str) -> dt.date:
    """The month's first day; a month that is not ``YYYY-MM`` raises ``ValueError`` (zh/en)."""
    from ..engine.months import Month

    return Month.parse(month).first_day


def _units(
    rulebook: Any, unit: str
) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[int, int]]]:
    """Names of the windows (or departments) and their (items, items centralized)."""
    catalog = rulebook.items
    items = list(catalog.items.values())
    names: dict[str, tuple[str, str]] = {}
    counts: dict[str, tuple[int, int]] = {}
    table = catalog.windows if unit == "window" else catalog.departments
    for uid, spec in table.items():
        names[uid] = (spec.name.zh, spec.name.en or spec.name.zh)
    for uid in table:
        if unit == "window":
            own = catalog.windows[uid].department
            depts = {own} if own else {i.department for i in items if i.window == uid}
        else:
            depts = {uid}
        mine = [i for i in items if i.department in depts]
        counts[uid] = (len(mine), sum(1 for i in mine if i.centralized))
    return names, counts


def _working_days(rulebook: Any, month: str) -> int:
    start = _first_day(month)
    day, n = start, 0
    while day.month == start.month:
        n += bool(rulebook.calendar.is_working_day(day))
        day += dt.timedelta(days=1)
    return n


def score_records(
    rulebook: Any,
    records: Iterable[CaseRecord],
    *,
    month: str,
    assessments: Mapping[str, Mapping[str, float]] | None = None,
    version: str | None = None,
    previous: ScoreResult | None = None,
    events: int = 0,
    rejected: int = 0,
) -> ScoreResult:
    """Score ``month`` from per-case records (see :func:`score`)."""
    scheme = scheme_of(rulebook, _first_day(month), version)
    raw = fold(records, month, unit=scheme.unit, satisfied_at=scheme.satisfied_rating)
    return _scored(rulebook, scheme, raw, month, assessments, previous, events, rejected)


def score_partitions(
    rulebook: Any,
    partitions: Iterable[Iterable[CaseRecord]],
    *,
    month: str,
    assessments: Mapping[str, Mapping[str, float]] | None = None,
    version: str | None = None,
    previous: ScoreResult | None = None,
    events: int = 0,
    rejected: int = 0,
) -> ScoreResult:
    """Score ``month`` from the case records of several partitions (N writers, each owning the
    cases of its partition): each partition's month is folded on its own and the raw totals
    merged (:func:`~fyrules.scoring.statistics.merge_totals`, associative), so the result is
    that of one replay of every case; a partition may be folded where it lives and only its
    totals travel."""
    scheme = scheme_of(rulebook, _first_day(month), version)
    raw = merge_totals(
        *(
            fold(records, month, unit=scheme.unit, satisfied_at=scheme.satisfied_rating)
            for records in partitions
        )
    )
    return _scored(rulebook, scheme, raw, month, assessments, previous, events, rejected)


def _scored(
    rulebook: Any,
    scheme: Scheme,
    raw: dict[str, list[float]],
    month: str,
    assessments: Mapping[str, Mapping[str, float]] | None,
    previous: ScoreResult | None,
    events: int,
    rejected: int,
) -> ScoreResult:
    """The scorecards and ranking of a month's raw totals per unit."""
    names, items = _units(rulebook, scheme.unit)
    working_days = _working_days(rulebook, month)
    stats = statistics_from_totals(
        raw, month, working_days=working_days, items=items, units=assessments or ()
    )
    everything = (len(rulebook.items), sum(i.centralized for i in rulebook.items.items.values()))
    center = statistics_from_totals(
        center_totals(raw), month, working_days=working_days, items={CENTER: everything}
    )[CENTER]
    cards = [
        scheme.score_context(
            s.to_context(), (assessments or {}).get(u) if assessments is not None else None
        )
        for u, s in stats.items()
    ]
    ranks = competition_ranks([c.score for c in cards])
    before = {row.unit: row for row in previous.rows} if previous is not None else {}
    rows = []
    for (unit, s), card, rank in zip(stats.items(), cards, ranks, strict=True):
        zh, en = names.get(unit, (unit, unit))
        old = before.get(unit)
        rows.append(
            ScoreRow(
                unit,
                zh,
                en,
                rank,
                card,
                s,
                previous_score=old.score if old is not None else None,
                previous_rank=old.rank if old is not None else None,
            )
        )
    rows.sort(key=lambda r: (r.rank, r.unit))
    return ScoreResult(
        month=month,
        scheme=scheme,
        rows=tuple(rows),
        events=events,
        rejected=rejected,
        previous_month=previous.month if previous is not None else None,
        center=center,
    )


def score(
    rulebook: Any,
    events: Iterable[Any] | str | Path,
    *,
    month: str,
    previous: Iterable[Any] | str | Path | ScoreResult | None = None,
    assessments: Mapping[str, Mapping[str, float]] | None = None,
    version: str | None = None,
    store: Any = None,
) -> ScoreResult:
    """Scorecards and ranking of ``month`` (``YYYY-MM``) from case events (a JSON Lines path
    or an iterable of events). ``previous``: the previous month's events or result, for the
    month-over-month change; ``assessments``: normal-index points by unit and aspect
    (:func:`fyrules.scoring.assessments.read_assessments`); ``version``: score under that
    scheme version instead of the one in force; ``store``: replay into this store (its cases
    recorded before count too). Raises :class:`ScoringError`."""
    _first_day(month)  # a bad month fails here, before the replay
    monitor, summary = replay(rulebook, events, store)
    prior: ScoreResult | None
    if previous is None or isinstance(previous, ScoreResult):
        prior = previous
    else:
        prior = score(rulebook, previous, month=previous_month(month))
    return score_records(
        rulebook,
        case_records(monitor),
        month=month,
        assessments=assessments,
        version=version,
        previous=prior,
        events=summary.events,
        rejected=summary.rejected,
    )
