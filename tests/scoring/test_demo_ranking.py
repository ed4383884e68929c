"""``fyrules demo`` shows the month's efficiency ranking and publishes its page."""

from __future__ import annotations

import re

from fyrules.cli.demo import run_demo


def test_the_demo_ranks_the_windows_and_writes_the_ranking_page(tmp_path):
    result = run_demo(out=tmp_path, cases=300, progress=False, lang="en")
    [section] = [s for s in result.sections if s.title == "Efficiency ranking"]
    assert section.lines[1].strip().startswith("1.")
    page = tmp_path / "public" / "rankings" / "2025-10.html"
    assert page in result.written and "<svg" in page.read_text("utf-8")


def test_the_demos_ranking_shows_the_change_since_the_previous_month(tmp_path):
    run_demo(out=tmp_path, cases=300, progress=False, lang="en")
    import json

    data = json.loads((tmp_path / "public" / "rankings" / "2025-10.json").read_text("utf-8"))
    assert data["previous_month"] == "2025-09"
    changes = [row["change"] for row in data["rows"]]
    assert all(c is not None for c in changes) and any(c != 0 for c in changes)
    page = (tmp_path / "public" / "rankings" / "2025-10.html").read_text("utf-8")
    cells = re.findall(
        r'<th scope="row">[^<]*</th><td class="num">[^<]*</td><td class="num">([^<]*)</td>', page
    )
    assert len(cells) == len(changes) and "—" not in cells
    for row in data["rows"]:
        assert row["change"] == round(row["score"] - row["previous_score"], 4)
