"""A month's scores as text, Markdown, CSV and JSON (HTML: :mod:`.render_html`).

Every format carries the month and the scheme version, so a published ranking says which
rules produced it. Rates show as percentages for people (text, Markdown, HTML) and as
fractions of 1 for programs (CSV, JSON).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..publication.markdown import escape as _md
from .api import ScoreResult, ScoreRow

STAT_COLUMNS = (
    "accepted",
    "closed",
    "in_progress",
    "closing_rate",
    "immediate_rate",
    "online_rate",
    "early_settlement_rate",
    "overtime_count",
    "average_settlement_days",
    "average_committed_days",
    "faster_than_committed",
    "satisfaction_rate",
    "complaints",
    "discipline_breaches",
)


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


def days(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def heading(result: ScoreResult) -> tuple[str, str]:
    s = result.scheme
    unit_zh, unit_en = ("窗口", "window") if s.unit == "window" else ("部门", "department")
    return (
        f"{s.title_zh}（{s.version} 版）{result.month} {unit_zh}排名",
        f"{s.title_en} (version {s.version}), {result.month}, ranking by {unit_en}",
    )


def render_json(result: ScoreResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


def render_text(result: ScoreResult) -> str:
    zh, en = heading(result)
    lines = [zh, en, ""]
    header = f"{'名次':>4}  {'单位':<6} {'得分':>8} {'变化':>7}  {'受理':>6} {'办结':>6} {'在办':>5} {'办结率':>7} {'平均用时':>7} {'提速':>7}"
    lines.append(header)
    lines.append(" rank  unit      score  change  accepted closed prog.  closing  avg.days  faster")
    for row in result.rows:
        st = row.stats
        lines.append(
            f"{row.rank:>4}  {row.unit:<6} {row.score:>8.2f} {signed(row.change):>7}  "
            f"{st.accepted:>6} {st.closed:>6} {st.in_progress:>5} {percent(st.closing_rate):>7} "
            f"{days(st.average_settlement_days):>7} {percent(st.faster_than_committed):>7}"
        )
    if result.center is not None:
        st = result.center
        lines.append(
            f"{'':>4}  {'中心合计 center':<19}  "
            f"{st.accepted:>6} {st.closed:>6} {st.in_progress:>5} {percent(st.closing_rate):>7} "
            f"{days(st.average_settlement_days):>7} {percent(st.faster_than_committed, 2):>7}"
        )
    lines += [
        "",
        f"依据 / basis: {result.scheme.basis}",
        f"事件 {result.events} 条，拒收 {result.rejected} 条 / "
        f"{result.events} events, {result.rejected} rejected",
    ]
    return "\n".join(lines)


def render_csv(result: ScoreResult) -> str:
    indicators = [ind.id for ind in result.scheme.indicators]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "month",
            "scheme",
            "version",
            "rank",
            result.scheme.unit,
            "score",
            "change",
            "dynamic",
            "normal",
            *STAT_COLUMNS,
            *(f"points.{i}" for i in indicators),
        ]
    )
    for row in result.rows:
        stats = row.stats.to_dict()
        points = {line.indicator: line.to_dict()["points"] for line in row.card.lines}
        writer.writerow(
            [
                result.month,
                result.scheme.id,
                result.scheme.version,
                row.rank,
                row.unit,
                row.score,
                "" if row.change is None else row.change,
                row.card.dynamic,
                row.card.normal,
                *("" if stats[c] is None else stats[c] for c in STAT_COLUMNS),
                *(points[i] for i in indicators),
            ]
        )
    return out.getvalue().rstrip("\n")


def explain_rows(row: ScoreRow) -> list[tuple[str, str, str, str, str, str, str]]:
    """(indicator, value, band or method, weight, points, basis) lines of one unit's card."""
    out = []
    for line in row.card.lines:
        how = {
            "band": line.band or "",
            "deduct": "扣分 / deduct",
            "proportional": "按比例 / proportional",
            "no_data": "无数据 / no data",
        }[line.method]
        value = line.to_dict()["value"]
        out.append(
            (
                f"{line.title_zh} / {line.title_en}",
                "—" if value is None else number(value, 4),
                how,
                number(line.weight),
                number(line.points, 4),
                line.basis,
                line.indicator,
            )
        )
    return out


def render_markdown(result: ScoreResult) -> str:
    zh, en = heading(result)
    s = result.scheme
    lines = [
        f"# {_md(zh)}",
        "",
        f"*{_md(en)}*",
        "",
        f"依据 / Basis: {_md(s.basis)}",
        "",
        "| 名次 Rank | 单位 Unit | 得分 Score | 变化 Change | 受理 Accepted | 办结 Closed | 在办 In progress | 办结率 Closing rate | 平均用时 Avg. days | 提速 Faster |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result.rows:
        st = row.stats
        lines.append(
            f"| {row.rank} | {_md(row.unit)} {_md(row.name_zh)} | {row.score:.2f} | {signed(row.change)} "
            f"| {st.accepted} | {st.closed} | {st.in_progress} | {percent(st.closing_rate)} "
            f"| {days(st.average_settlement_days)} | {percent(st.faster_than_committed)} |"
        )
    if result.center is not None:
        st = result.center
        lines.append(
            f"| | **中心合计 Center** | | | {st.accepted} | {st.closed} | {st.in_progress} "
            f"| {percent(st.closing_rate)} | {days(st.average_settlement_days)} "
            f"| {percent(st.faster_than_committed, 2)} |"
        )
    for row in result.rows:
        lines += [
            "",
            f"## {row.rank}. {_md(row.unit)} {_md(row.name_zh)} — {row.score:.2f}",
            "",
            "| 指标 Indicator | 值 Value | 档次 Band | 分值 Weight | 得分 Points | 依据 Basis |",
            "| --- | ---: | --- | ---: | ---: | --- |",
        ]
        for ind, value, how, weight, points, basis, _id in explain_rows(row):
            lines.append(
                f"| {_md(ind)} | {value} | {_md(how)} | {weight} | {points} | {_md(basis)} |"
            )
        if s.normal:
            normal = "、".join(
                f"{a.title_zh} {row.card.normal_points.get(a.id, 0):g}" for a in s.normal
            )
            state = "" if row.card.assessed else "（本月未测评 / not assessed）"
            lines.append(
                f"| 常态指数 Normal index | | {_md(normal)}{state} | | {row.card.normal:g} | |"
            )
    lines += [
        "",
        f"方案 {_md(s.id)} 版本 {_md(s.version)}，{s.valid_from} 起施行 / "
        f"scheme {_md(s.id)} version {_md(s.version)}, in force from {s.valid_from}",
        "",
    ]
    return "\n".join(lines)


def render(result: ScoreResult, fmt: str) -> str:
    """``fmt``: text, json, csv, md or html."""
    if fmt == "html":
        from .render_html import render_html

        return render_html(result, back=None)
    renderers: dict[str, Any] = {
        "text": render_text,
        "json": render_json,
        "csv": render_csv,
        "md": render_markdown,
    }
    return renderers[fmt](result)
