"""``fyrules catalog-stats`` and ``fyrules parallel``: the catalog's figures and the
parallel-approval totals as commands, not only as APIs (issue 13.7)."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import fyrules
from fyrules.cli import main

FUYANG = Path(__file__).resolve().parent.parent / "examples" / "fuyang"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_catalog_stats_prints_the_concentration_rate_with_its_counts():
    stats = fyrules.load(FUYANG).items.statistics()
    code, out, _ = run("catalog-stats", str(FUYANG))
    assert code == 0
    line = next(x for x in out.splitlines() if "进驻率" in x)
    count, total = stats.concentration.count, stats.concentration.total
    assert line.split()[:4] == [stats.concentration.percent(), str(count), "/", str(total)]
    assert 0 < count < total


def test_catalog_stats_json_is_the_apis_dictionary():
    code, out, _ = run("catalog-stats", str(FUYANG), "--format", "json")
    assert code == 0
    assert json.loads(out) == json.loads(
        json.dumps(fyrules.load(FUYANG).items.statistics().to_dict())
    )


def test_parallel_prints_the_seeds_90_to_50_working_days():
    code, out, _ = run("parallel", str(FUYANG), "FY-ZJ-001")
    assert code == 0
    assert "串联合计 90 个工作日，关键路径 50 个工作日" in out
    assert "90 working days one after another, 50 on the critical path" in out
    starred = [x.split()[0] for x in out.splitlines() if x.rstrip().endswith("★")]
    assert starred[0] == "FY-FG-001" and starred[-1] == "FY-ZJ-001"
    assert "FY-ST-001" not in starred  # the EIA branch has 5 days of slack


def test_parallel_json_on_the_calendar():
    code, out, _ = run(
        "parallel", str(FUYANG), "FY-ZJ-001", "--start", "2025-10-09", "--format", "json"
    )
    assert code == 0
    [project] = json.loads(out)["projects"]
    assert (project["serial_total"], project["critical_total"]) == (90, 50)
    rb = fyrules.load(FUYANG)
    import datetime as dt

    assert project["plan"]["finish"] == (
        rb.calendar.add_working_days(dt.date(2025, 10, 9), 50).isoformat()
    )


def test_parallel_without_a_target_lists_every_project_of_the_catalog():
    code, out, _ = run("parallel", str(FUYANG), "--format", "json")
    assert code == 0
    targets = [p["target"] for p in json.loads(out)["projects"]]
    rb = fyrules.load(FUYANG)
    needed = {d for i in rb.items.items.values() for d in i.depends_on}
    assert targets and all(rb.items[t].depends_on and t not in needed for t in targets)


def test_parallel_names_an_unknown_item_and_exits_2():
    code, out, err = run("parallel", str(FUYANG), "FY-ZJ-00l")
    assert code == 2 and out == ""
    assert "UNKNOWN-REFERENCE" in err and "FY-ZJ-00l" in err and "did you mean" in err


def test_the_demo_shows_one_projects_critical_path_clock(tmp_path):
    from fyrules.cli.demo import run_demo

    result = run_demo(out=tmp_path, cases=60, progress=False, lang="en")
    [section] = [s for s in result.sections if s.title == "One project's critical-path clock"]
    text = "\n".join(section.lines)
    assert "project P-DEMO-1 (green channel, FY-PROJECT-GREEN-CHANNEL)" in text
    assert "90 working days one after another, 50 on the critical path" in text
    # the second stage of the critical path ran three working days late: a finding, in English
    assert "error: project P-DEMO-1: stage FY-ZR-001 on the critical path" in text
