"""The ``month`` scope: what a scoring formula sees of one window's (or department's) month.

Its fields are the month statistics (:class:`~fyrules.scoring.statistics.MonthStatistics`);
a formula that names a field not listed here fails when the rulebook loads. Rates are
fractions of 1, and empty (``None``) when nothing was there to count (no ratings, say).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..engine.expr.types import NUMBER, STRING, object_type, optional
from ..engine.scopes import Scope

COUNTS: dict[str, str] = {
    "accepted": "本月受理件数 / cases accepted in the month",
    "closed": "其中月末前办结件数 / of them, settled by the month's end",
    "in_progress": "其中月末仍在办件数 / of them, still in progress at the month's end",
    "withdrawn": "其中撤回或终止件数 / of them, withdrawn or ended unsettled",
    "immediate": "即办件数 / immediate cases accepted",
    "online": "网上申请件数 / cases applied for online",
    "settled": "有承诺时限的办结件数 / settled cases with a committed limit",
    "early_count": "提前办结件数 / settled before the committed limit",
    "on_time_count": "按时办结件数 / settled on the committed day",
    "overtime_count": "超时办结件数 / settled after the committed limit",
    "rated": "有评价的件数 / cases rated",
    "satisfied": "满意评价件数 / ratings counted as satisfied",
    "complaints": "投诉次数 / complaints",
    "substantiated_complaints": "经监管部门认定属实的投诉次数 / complaints the supervising "
    "department ruled substantiated",
    "discipline_breaches": "违反纪律次数（监督检查发现） / discipline breaches found by inspection",
    "working_days": "本月工作日数 / working days in the month",
    "items": "本单位事项数 / the unit's items in the catalog",
    "items_centralized": "其中进驻中心事项数 / of them, handled in the center",
}

RATES: dict[str, str] = {
    "closing_rate": "办结率 = closed ÷ accepted",
    "immediate_rate": "即办率 = immediate ÷ accepted",
    "online_rate": "网上办理率 = online ÷ accepted",
    "early_settlement_rate": "提前办结率 = early_count ÷ settled",
    "overtime_rate": "超时办结率 = overtime_count ÷ settled",
    "average_settlement_days": "平均办结工作日 / average working days used by settled cases",
    "average_committed_days": "平均承诺工作日 / average committed limit of those cases",
    "faster_than_committed": "比承诺提速 = 1 − average_settlement_days ÷ average_committed_days",
    "satisfaction_rate": "满意率 = satisfied ÷ rated",
    "occupancy_rate": "进驻率 = items_centralized ÷ items",
    "daily_accepted": "日均受理量 = accepted ÷ working_days",
}

MONTH_CONTEXT = object_type(
    "month",
    {
        "month": STRING,
        "unit": STRING,
        **dict.fromkeys(COUNTS, NUMBER),
        **dict.fromkeys(RATES, optional(NUMBER)),
    },
    {
        "month": "月份 YYYY-MM / the month",
        "unit": "窗口或部门编号 / the window or department scored",
        **COUNTS,
        **RATES,
    },
)


def _prepare(given: Mapping[str, Any], host: Any) -> dict[str, Any]:
    """A full month context from a hand-written one: counts left out are 0, rates left out
    are derived from the counts (as the statistics compute them)."""
    from .statistics import derive_rates

    out: dict[str, Any] = {"month": "", "unit": "", **dict.fromkeys(COUNTS, 0)}
    out.update({k: v for k, v in given.items() if k not in RATES})
    derived = derive_rates({**out, **given})
    for name in RATES:
        out[name] = given[name] if name in given else derived.get(name)
    return out


def _compute(context: Mapping[str, Any], host: Any, on: Any) -> tuple[dict[str, Any], tuple]:
    """What a rulebook test of the month scope can expect: the scorecard of this context."""
    from .api import scheme_of

    scheme = scheme_of(host, on)
    card = scheme.score_context(context)
    values = {
        "score": card.score,
        "dynamic": card.dynamic,
        # rounded as reports show them (4 places), so tests write what people read
        "points": {line.indicator: line.to_dict()["points"] for line in card.lines},
        "values": {line.indicator: line.to_dict()["value"] for line in card.lines},
        "bands": {line.indicator: line.band for line in card.lines if line.band is not None},
    }
    rows = tuple((line.table, line.row) for line in card.lines if line.table and line.row)
    return values, rows


MONTH_SCOPE = Scope(
    name="month",
    context=MONTH_CONTEXT,
    title_zh="月度效能统计",
    title_en="month statistics",
    subject="unit",
    prepare=_prepare,
    compute=_compute,
)
