"""The ranking's pages: window names escaped in Markdown and HTML, the chart's axis from 0 to
full marks, the masthead and the link back to the catalog."""

from __future__ import annotations

import re

import attrs
import pytest

from fyrules.scoring.render import render_markdown
from fyrules.scoring.render_html import render_html
from tests.items.test_publicity import ParsedHtml, _assert_inert_html

HOSTILE = ("<script>alert(1)</script>", "A | B *x* [y](javascript:z)\n| 1 |")


@pytest.fixture(scope="module")
def result(fuyang, october):
    return fuyang.score(october, month="2025-10")


@pytest.fixture(scope="module")
def hostile(result):
    """The month with the first two windows renamed to hostile names."""
    rows = list(result.rows)
    for i, name in enumerate(HOSTILE):
        rows[i] = attrs.evolve(rows[i], name_zh=name, name_en=name)
    return attrs.evolve(result, rows=tuple(rows))


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ")]


def test_window_names_are_escaped_in_the_markdown(hostile):
    md = render_markdown(hostile)
    assert "<script" not in md and "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    ranking = _table_rows(md.split("\n## ")[0])
    # every row of the ranking table keeps its ten cells: no name adds or ends one
    for line in ranking:
        assert len(re.split(r"(?<!\\)\|", line)) == 12, line
    assert r"A \| B \*x\* \[y\](javascript:z)<br>\| 1 \|" in md
    assert "](javascript" not in md.replace(r"\](javascript", "")


def test_window_names_are_escaped_in_the_html(hostile):
    page = render_html(hostile)
    _assert_inert_html(page)
    shown = "".join(ParsedHtml(page).text)
    assert "<script>alert(1)</script>" in shown  # shown as text, not run


def test_the_chart_is_horizontal_bars_on_an_axis_from_0_to_full_marks(result):
    page = render_html(result)
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert len(re.findall(r"<rect ", svg)) == len(result.rows)
    ticks = re.findall(r'text-anchor="(?:start|middle|end)" fill="#333">([^<]*)</text>', svg)
    assert ticks == ["0", "55", "满分 110"]  # Fuyang's cap is 110 (scoring.yaml)
    for row in result.rows[:3]:
        assert f"{row.rank}. {row.unit} {row.name_zh}" in svg  # a label with each bar
    # bars are proportional to the score on the 0 … full-marks axis
    widths = [float(w) for w in re.findall(r'<rect x="4" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(result.rows[0].score / 110 * 300, abs=0.06)


def test_the_published_ranking_has_the_masthead_and_a_link_back(fuyang, october, tmp_path):
    from fyrules.items.publicity import PAGE_WRITERS, publish
    from fyrules.scoring import ranking_pages

    ranking = fuyang.score(october, month="2025-10")
    publish(fuyang, tmp_path, writers=(*PAGE_WRITERS, ranking_pages(ranking)))
    page = (tmp_path / "rankings" / "2025-10.html").read_text("utf-8")
    assert '<header class="masthead">' in page and "阜阳市政务服务中心" in page
    assert '<a href="../index.html">返回事项目录' in page
    assert (tmp_path / "rankings" / "../index.html").resolve().is_file()


def test_a_ranking_rendered_alone_links_nowhere(result):
    assert "<a href" not in render_html(result)
