"""A month's ranking as one self-contained HTML page (the template ``ranking.html``): a
horizontal SVG bar chart of the scores on an axis from 0 to full marks (满分), the ranking
table and each unit's points explained.

The page is built like the publicity sheets (:mod:`fyrules.publication.templating`): the same
shell, style sheet and escaping, with the publisher's masthead and a link back to the catalog,
inline CSS, no JavaScript and no external asset, under a Content-Security-Policy that forbids
them. The chart is SVG drawn inline with a title and a caption; each bar has its unit's name
above it, so the chart stays legible when a phone scales it to 360 px.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..publication.publisher import Publisher
from ..publication.templating import render
from .api import ScoreResult
from .render import days, explain_rows, heading, number, percent, signed

if TYPE_CHECKING:
    from jinja2 import Environment

WIDTH = 360  # the chart's own width (px): a phone shows it at about its natural size
LEFT = 4  # where bars start
AREA = 300  # px for a bar at full marks
ROW = 38  # a label line, then its bar
BAR = 14

COLUMNS = (
    ("名次", "Rank"),
    ("单位", "Unit"),
    ("得分", "Score"),
    ("变化", "Change"),
    ("受理", "Accepted"),
    ("办结", "Closed"),
    ("在办", "In progress"),
    ("办结率", "Closing rate"),
    ("平均用时（工作日）", "Avg. working days"),
    ("比承诺提速", "Faster than committed"),
)
EXPLAIN_COLUMNS = (
    ("指标", "Indicator"),
    ("值", "Value"),
    ("档次", "Band"),
    ("分值", "Weight"),
    ("得分", "Points"),
    ("依据", "Basis"),
)


def chart(result: ScoreResult) -> dict[str, Any]:
    """The bar chart's geometry: one bar per unit, best first, scaled to full marks (the
    scheme's cap, else the best score), and the axis ticks 0, half and full marks."""
    full = result.scheme.cap or max((r.score for r in result.rows), default=1.0) or 1.0
    bars = []
    for i, row in enumerate(result.rows):
        y = 14 + i * ROW
        width = max(0.0, min(1.0, row.score / full)) * AREA
        inside = width > AREA - 40  # no room after the bar: the value goes inside it
        bars.append(
            {
                "y": y,
                "label": f"{row.rank}. {row.unit} {row.name_zh}",
                "width": f"{width:.1f}",
                "score": f"{row.score:.2f}",
                "inside": inside,
                "value_x": f"{LEFT + width - 4 if inside else LEFT + width + 4:.1f}",
            }
        )
    axis_y = 14 + len(result.rows) * ROW
    ticks = [
        {"x": LEFT, "label": "0", "anchor": "start"},
        {"x": f"{LEFT + AREA / 2:.1f}", "label": number(full / 2), "anchor": "middle"},
        {"x": LEFT + AREA, "label": f"满分 {number(full)}", "anchor": "end"},
    ]
    return {
        "width": WIDTH,
        "height": axis_y + 24,
        "left": LEFT,
        "area": AREA,
        "bar": BAR,
        "axis_y": axis_y,
        "bars": bars,
        "ticks": ticks,
        "full": number(full),
    }


def render_html(
    result: ScoreResult,
    publisher: Publisher | None = None,
    *,
    templates: Environment | None = None,
    back: str | None = None,
) -> str:
    """The ranking page; ``publisher`` adds the masthead and imprint, ``back`` the link to
    the catalog (``None``: no link); ``templates``: the rulebook's, else the defaults."""
    zh, en = heading(result)
    s = result.scheme
    rows = [
        (
            str(row.rank),
            f"{row.unit} {row.name_zh}",
            f"{row.score:.2f}",
            signed(row.change),
            str(row.stats.accepted),
            str(row.stats.closed),
            str(row.stats.in_progress),
            percent(row.stats.closing_rate),
            days(row.stats.average_settlement_days),
            percent(row.stats.faster_than_committed),
        )
        for row in result.rows
    ]
    center = None
    if result.center is not None:
        st = result.center
        center = (
            str(st.accepted),
            str(st.closed),
            str(st.in_progress),
            percent(st.closing_rate),
            days(st.average_settlement_days),
            percent(st.faster_than_committed, 2),
        )
    cards = []
    for row in result.rows:
        normal = None
        if s.normal:
            normal = "、".join(
                f"{a.title_zh} {row.card.normal_points.get(a.id, 0):g}" for a in s.normal
            )
            if not row.card.assessed:
                normal += "（本月未测评 / not assessed）"
        cards.append(
            {
                "row": row,
                "score": f"{row.score:.2f}",
                "lines": explain_rows(row),
                "normal": normal,
                "normal_points": f"{row.card.normal:g}",
            }
        )
    return render(
        "ranking.html",
        templates,
        title=f"{zh} / {en}",
        heading=(zh, en),
        scheme=s,
        chart=chart(result),
        columns=COLUMNS,
        explain_columns=EXPLAIN_COLUMNS,
        rows=rows,
        center=center,
        cards=cards,
        publisher=publisher,
        masthead=("效能排名", "Efficiency ranking") if publisher is not None else None,
        back=None if back is None else (back, "返回事项目录", "Back to the catalog"),
    )
