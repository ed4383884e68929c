"""``fyrules demo`` shows the month's efficiency ranking and publishes its page."""

from __future__ import annotations

from fyrules.cli.demo import run_demo


def test_the_demo_ranks_the_windows_and_writes_the_ranking_page(tmp_path):
    result = run_demo(out=tmp_path, cases=300, progress=False, lang="en")
    [section] = [s for s in result.sections if s.title == "Efficiency ranking"]
    assert section.lines[1].strip().startswith("1.")
    page = tmp_path / "public" / "rankings" / "2025-10.html"
    assert page in result.written and "<svg" in page.read_text("utf-8")
