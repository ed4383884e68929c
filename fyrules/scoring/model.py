"""The ``scoring:`` section: an efficiency-index scheme (效能指数测评办法) as policy staff write it.

These pydantic models are the border: they validate a scheme and document it in the JSON
Schema. Every number carries its ``basis``. A scheme is versioned: the same ``id`` may appear
with several ``version``/``valid_from`` pairs, and a month is scored by the version in force on
its first day, so an old month scores the same after the scheme changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..engine.load.model import Identifier, Title, as_title
from ..engine.load.validation import Strict

Unit = Literal["window", "dept"]
NoData = Literal["zero", "full"]


class SchemeNumber(Strict):
    """A policy number with its basis."""

    value: float = Field(description="取值 / value")
    basis: str = Field(min_length=1, description="依据（必填） / basis (required)")


class DeductSpec(Strict):
    """Points taken off per event counted by the indicator's formula (an overdue case, a
    complaint, a discipline breach), never below zero for the indicator."""

    each: float = Field(gt=0, description="每次扣分 / points off per event")


class IndicatorSpec(Strict):
    """One item (指标) of an aspect: a formula over the month's statistics and how it scores.

    Exactly one way of scoring: ``band`` (a decision table from the value to points),
    ``deduct`` (the full weight less points per event) or, when neither is given, in
    proportion (weight × the value, a rate between 0 and 1)."""

    id: Identifier
    title: Title
    formula: str = Field(
        min_length=1,
        description="月度统计上的公式，如 closing_rate / a formula over the month's statistics",
    )
    weight: float = Field(ge=0, description="满分（分值） / the most points the indicator gives")
    band: str | None = Field(
        default=None, description="得分档次决策表编号 / decision table: value → points"
    )
    deduct: DeductSpec | None = Field(default=None, description="按次扣分 / points off per event")
    no_data: NoData = Field(
        default="zero",
        description="无数据（如本月无评价）时：zero 得零分，full 得满分 / "
        "when the value is empty (no ratings this month): zero points or full points",
    )
    basis: str = Field(min_length=1, description="依据（必填） / basis (required)")

    _title = field_validator("title", mode="before")(as_title)

    @model_validator(mode="after")
    def _one_way(self) -> IndicatorSpec:
        if self.band is not None and self.deduct is not None:
            raise ValueError("band 与 deduct 只能写一个 / write band or deduct, not both")
        return self


class AspectSpec(Strict):
    """An aspect (方面) of the dynamic index: its indicators, whose weights add up to its own."""

    id: Identifier
    title: Title
    weight: float = Field(ge=0, description="本方面分值（各指标分值之和） / the aspect's points")
    basis: str = Field(min_length=1, description="依据（必填） / basis (required)")
    indicators: list[IndicatorSpec] = Field(min_length=1, description="指标 / indicators")

    _title = field_validator("title", mode="before")(as_title)


class NormalAspectSpec(Strict):
    """An aspect of the normal index (常态指数), assessed by people and entered as data."""

    id: Identifier
    title: Title
    max: float = Field(gt=0, description="最高分 / the most points")
    basis: str = Field(min_length=1, description="依据（必填） / basis (required)")

    _title = field_validator("title", mode="before")(as_title)


class SchemeSpec(Strict):
    """A scoring scheme: the dynamic index (aspects of indicators over month statistics),
    the normal index (aspects assessed by people), base and cap."""

    id: Identifier
    title: Title
    version: str = Field(min_length=1, description="方案版本 / scheme version")
    valid_from: dt.date = Field(description="生效日期（含） / in force from (inclusive)")
    valid_to: dt.date | None = Field(
        default=None, description="失效日期（含） / in force until (inclusive)"
    )
    basis: str = Field(min_length=1, description="依据（必填） / basis (required)")
    unit: Unit = Field(
        default="window", description="测评单位：window 窗口 或 dept 部门 / who is scored"
    )
    total: float = Field(
        gt=0, description="动态指数各方面分值之和 / the dynamic index's points in all"
    )
    base: SchemeNumber = Field(description="基础分 / points everyone starts from")
    cap: SchemeNumber = Field(description="最高分 / the most points a score can reach")
    satisfied_rating: SchemeNumber = Field(
        description="评价达到此分视为满意 / a rating at or above this counts as satisfied"
    )
    aspects: list[AspectSpec] = Field(min_length=1, description="动态指数的方面 / aspects")
    normal: list[NormalAspectSpec] = Field(
        default_factory=list, description="常态指数的方面（人工测评） / normal-index aspects"
    )

    _title = field_validator("title", mode="before")(as_title)
