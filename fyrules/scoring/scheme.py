"""A compiled scoring scheme, and how it scores one unit's month.

A :class:`Scheme` holds its aspects of :class:`Indicator` s (each a compiled formula over the
``month`` scope and a way to turn its value into points), the normal-index aspects, the
base and the cap. :meth:`Scheme.score_context` gives a :class:`Card`: every point explained
(indicator, value, band, weight, points, basis).

A score is ``base + Σ indicator points + Σ normal-index points``, kept within ``[0, cap]``.
An indicator scores in one of three ways:

* ``band``: a decision table from the value to points (得分档次);
* ``deduct``: its full weight less ``each`` points per event counted, never below 0;
* in proportion: weight × the value, the value kept within [0, 1].
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from ..engine.expr import CompiledExpression, EvaluationError
from ..engine.problems import FyrulesError, Location, Problem
from ..engine.tables import DecisionTable, TableError
from .model import Unit


class ScoringError(FyrulesError):
    """A month could not be scored (a formula failed on these statistics, a band has no row
    for the value, no scheme is in force); ``problem`` says where and why."""

    problem: Problem

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


@attrs.frozen(slots=True)
class Line:
    """One indicator's points on one unit's month, and why."""

    aspect: str
    indicator: str
    title_zh: str
    title_en: str
    value: float | None
    weight: float
    points: float
    basis: str
    method: str  # band, deduct, proportional, no_data
    band: str | None = None  # the band's cell as written, e.g. [0.95..0.98)
    table: str | None = None
    row: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out = attrs.asdict(self)
        out["value"] = _round(self.value)
        out["points"] = _round(self.points)
        return out


@attrs.frozen(slots=True)
class Card:
    """A unit's score for a month under one scheme version."""

    unit: str
    score: float
    dynamic: float
    normal: float
    base: float
    cap: float
    lines: tuple[Line, ...]
    normal_points: Mapping[str, float]
    assessed: bool


@attrs.frozen(slots=True)
class Indicator:
    id: str
    aspect: str
    title_zh: str
    title_en: str
    weight: float
    formula: CompiledExpression
    basis: str
    location: Location
    no_data: str = "zero"
    band: DecisionTable | None = None
    band_input: str = ""
    deduct_each: float | None = None

    def score(self, context: Mapping[str, Any]) -> Line:
        try:
            value = self.formula(context)
        except EvaluationError as exc:
            raise ScoringError(exc.problem.with_rule(self.id).at(self.location)) from None
        common = (self.aspect, self.id, self.title_zh, self.title_en)
        if value is None:
            points = self.weight if self.no_data == "full" else 0.0
            return Line(*common, None, self.weight, points, self.basis, "no_data")
        if self.band is not None:
            try:
                result = self.band.evaluate({self.band_input: value})
            except TableError as exc:
                raise ScoringError(exc.problem.with_rule(self.id).at(self.location)) from None
            row = result.rows[0] if result.rows else None
            cell = self.band.rows[row - 1].cells[0].text if row else None
            points = float(_points_of(result.value))
            return Line(
                *common, value, self.weight, points, self.basis, "band", cell, self.band.id, row
            )
        if self.deduct_each is not None:
            points = max(0.0, self.weight - self.deduct_each * value)
            return Line(*common, value, self.weight, points, self.basis, "deduct")
        share = min(1.0, max(0.0, float(value)))
        return Line(*common, value, self.weight, self.weight * share, self.basis, "proportional")


@attrs.frozen(slots=True)
class NormalAspect:
    id: str
    title_zh: str
    title_en: str
    max: float
    basis: str


@attrs.frozen(slots=True)
class Scheme:
    """One version of a scoring scheme, compiled."""

    id: str
    title_zh: str
    title_en: str
    version: str
    valid_from: dt.date
    valid_to: dt.date | None
    basis: str
    unit: Unit
    total: float
    base: float
    cap: float
    satisfied_rating: float
    indicators: tuple[Indicator, ...]
    aspects: tuple[tuple[str, str, str, float], ...]  # id, title zh, title en, weight
    normal: tuple[NormalAspect, ...]
    location: Location
    numbers_basis: Mapping[str, str] = attrs.field(factory=dict)

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def score_context(
        self, context: Mapping[str, Any], normal: Mapping[str, float] | None = None
    ) -> Card:
        """The card of one unit's month: ``context`` is the ``month`` scope's context,
        ``normal`` the unit's normal-index points by aspect (``None``: not assessed)."""
        lines = tuple(ind.score(context) for ind in self.indicators)
        dynamic = sum(line.points for line in lines)
        normal_points = {a.id: float((normal or {}).get(a.id, 0.0)) for a in self.normal}
        normal_total = sum(normal_points.values())
        raw = self.base + dynamic + normal_total
        score = min(self.cap, max(0.0, raw))
        return Card(
            unit=str(context.get("unit", "")),
            score=_round(score) or 0.0,
            dynamic=_round(dynamic) or 0.0,
            normal=_round(normal_total) or 0.0,
            base=self.base,
            cap=self.cap,
            lines=lines,
            normal_points=normal_points,
            assessed=normal is not None,
        )

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "title": {"zh": self.title_zh, "en": self.title_en},
            "basis": self.basis,
            "unit": self.unit,
            "base": self.base,
            "cap": self.cap,
        }


def _points_of(value: Any) -> Any:
    return value["points"] if isinstance(value, Mapping) else value


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None:
        return None
    return round(float(value), digits) + 0.0  # + 0.0: no -0.0 in reports
