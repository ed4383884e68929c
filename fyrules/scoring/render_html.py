"""A month's ranking as one self-contained HTML page: an inline SVG bar chart of the scores,
the ranking table and each unit's points explained.

The page is built like the publicity sheets (:mod:`fyrules.publication.html`): the same
style sheet, escaping and page frame, inline CSS, no JavaScript and no external asset, under a
Content-Security-Policy that forbids them. The chart is SVG drawn inline, with a title and a
text alternative for screen readers.
"""

from __future__ import annotations

from ..publication.html import en as _en
from ..publication.html import escape, page
from .api import ScoreResult
from .render import days, explain_rows, heading, number, percent, signed

BAR_AREA = 420  # px for the longest possible bar (the cap)
LABEL = 270
ROW = 24


def ranking_svg(result: ScoreResult) -> str:
    """A horizontal bar chart, best first; bars scale to the scheme's cap."""
    cap = result.scheme.cap or max((r.score for r in result.rows), default=1.0) or 1.0
    height = ROW * len(result.rows) + 30
    width = LABEL + BAR_AREA + 70
    zh, en = heading(result)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="chart-title" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px">',
        f'<title id="chart-title">{escape(zh)} / {escape(en)}</title>',
    ]
    for i, row in enumerate(result.rows):
        y = 10 + i * ROW
        bar = max(0.0, min(1.0, row.score / cap)) * BAR_AREA
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 15}" text-anchor="end" font-size="13">'
            f"{row.rank}. {escape(row.unit)} {escape(row.name_zh)}</text>"
        )
        parts.append(
            f'<rect x="{LABEL}" y="{y + 3}" width="{bar:.1f}" height="{ROW - 8}" fill="#a4161a">'
            f"<title>{escape(row.unit)}: {row.score:.2f}</title></rect>"
        )
        parts.append(
            f'<text x="{LABEL + bar + 6:.1f}" y="{y + 15}" font-size="13">{row.score:.2f}</text>'
        )
    axis_y = 10 + len(result.rows) * ROW + 4
    parts.append(
        f'<line x1="{LABEL}" y1="{axis_y}" x2="{LABEL + BAR_AREA}" y2="{axis_y}" stroke="#8c8c8c"/>'
    )
    parts.append(
        f'<text x="{LABEL + BAR_AREA}" y="{axis_y + 14}" text-anchor="end" font-size="11">'
        f"{number(cap)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def render_html(result: ScoreResult) -> str:
    zh, en = heading(result)
    s = result.scheme
    body = [
        f"<h1>{escape(zh)}{_en(en)}</h1>",
        f'<p class="meta">依据{_en("Basis")}：{escape(s.basis)}</p>',
        f'<figure>{ranking_svg(result)}<figcaption class="visually-hidden">'
        f"{escape(zh)}</figcaption></figure>",
        '<table class="figures">',
        f"<caption>排名{_en('Ranking')}</caption>",
        "<thead><tr>"
        + "".join(
            f'<th scope="col">{escape(a)}{_en(b)}</th>'
            for a, b in (
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
        )
        + "</tr></thead>",
        "<tbody>",
    ]
    for row in result.rows:
        st = row.stats
        cells = [
            str(row.rank),
            f"{row.unit} {row.name_zh}",
            f"{row.score:.2f}",
            signed(row.change),
            str(st.accepted),
            str(st.closed),
            str(st.in_progress),
            percent(st.closing_rate),
            days(st.average_settlement_days),
            percent(st.faster_than_committed),
        ]
        body.append(
            f'<tr><td class="num">{cells[0]}</td><th scope="row">{escape(cells[1])}</th>'
            + "".join(f'<td class="num">{escape(c)}</td>' for c in cells[2:])
            + "</tr>"
        )
    body += ["</tbody>", "</table>"]
    for row in result.rows:
        body += [
            f"<h2>{row.rank}. {escape(row.unit)} {escape(row.name_zh)}{_en(row.name_en)}</h2>",
            '<table class="sheet">',
            f"<caption>得分 {row.score:.2f}{_en(f'Score {row.score:.2f}')}</caption>",
            "<thead><tr>"
            + "".join(
                f'<th scope="col">{escape(a)}{_en(b)}</th>'
                for a, b in (
                    ("指标", "Indicator"),
                    ("值", "Value"),
                    ("档次", "Band"),
                    ("分值", "Weight"),
                    ("得分", "Points"),
                    ("依据", "Basis"),
                )
            )
            + "</tr></thead>",
            "<tbody>",
        ]
        for ind, value, how, weight, points, basis, _id in explain_rows(row):
            body.append(
                f'<tr><th scope="row">{escape(ind)}</th><td class="num">{escape(value)}</td>'
                f'<td>{escape(how)}</td><td class="num">{escape(weight)}</td>'
                f'<td class="num">{escape(points)}</td><td>{escape(basis)}</td></tr>'
            )
        if s.normal:
            normal = "、".join(
                f"{a.title_zh} {row.card.normal_points.get(a.id, 0):g}" for a in s.normal
            )
            if not row.card.assessed:
                normal += "（本月未测评 / not assessed）"
            body.append(
                f'<tr><th scope="row">常态指数{_en("Normal index")}</th><td></td>'
                f'<td>{escape(normal)}</td><td></td><td class="num">{row.card.normal:g}</td>'
                "<td></td></tr>"
            )
        body += ["</tbody>", "</table>"]
    body.append(
        f'<p class="meta">方案 {escape(s.id)} 版本 {escape(s.version)}，{s.valid_from} 起施行'
        f"{_en(f'Scheme {s.id}, version {s.version}, in force from {s.valid_from}')}</p>"
    )
    return page(escape(f"{zh} / {en}"), body)
