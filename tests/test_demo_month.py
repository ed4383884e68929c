"""``fyrules demo`` (issue 22.8): the month's published notification (inspections of the month
before's files, rectification, accountability), the normal index read from the rulebook's
sample assessment file, and supervision after approval with the generated ``inform`` events."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

import fyrules
from fyrules.cases.events import parse_event
from fyrules.cli import main
from fyrules.cli.demo import DEFAULT_PUBLIC_VALUE, run_demo
from fyrules.engine.problems import UsageError
from fyrules.scoring.api import previous_month
from fyrules.separation.inspection.draw import closed_in_month, draw
from fyrules.simulation.cases import generate, write_jsonl
from fyrules.simulation.outcomes import outcome_events
from tests.conftest import FUYANG

CASES, SEED = 300, 3
NOTICE = "The month's notification (inspections, rectification, accountability)"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-month")
    return out, run_demo(FUYANG, out, cases=CASES, seed=SEED, lang="en", progress=False)


def _run(*argv: str) -> tuple[int, Any]:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        code = main(list(argv))
    return code, json.loads(buffer.getvalue())


def _section(result: Any, title: str) -> Any:
    return next(s for s in result.sections if s.title == title)


def test_the_demos_notification_is_what_inspect_report_prints_for_the_same_events(demo, tmp_path):
    """The month before (simulated from the next seed), its draw, the generated inspection
    outcomes and this month's events, written to one file: ``fyrules inspect --report`` on
    it gives the report the demo published."""
    out, result = demo
    rb = fyrules.load(FUYANG)
    before = previous_month("2025-10")
    earlier = list(generate(rb, month=before, cases=CASES, seed=SEED + 1))
    monitor = rb.monitor(trail=False)
    monitor.feed_all(earlier)
    candidates = closed_in_month(rb, monitor.store, before)
    drawn = draw(rb, candidates, month=before, public_value=DEFAULT_PUBLIC_VALUE)
    outcomes = outcome_events(rb, drawn, candidates, seed=SEED)
    this_month = [
        parse_event(json.loads(line))
        for line in (out / "2025-10.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    as_of = dt.datetime.fromisoformat("2025-10-31T23:59:59+08:00")
    timeline = sorted([*this_month, *outcomes], key=lambda e: e.at)
    events = tmp_path / "two-months.jsonl"
    with events.open("w", encoding="utf-8") as stream:
        write_jsonl([*earlier, *(e for e in timeline if e.at <= as_of)], stream)
    code, printed = _run(
        "inspect",
        str(FUYANG),
        str(events),
        "--month",
        "2025-10",
        "--report",
        "--as-of",
        as_of.isoformat(),
        "--format",
        "json",
    )
    published = json.loads((out / "2025-10-notification.json").read_text(encoding="utf-8"))
    assert code in (0, 1) and printed == published
    assert published["departments"] and published["rectification"]["due"] > 0
    assert published["accountability"], "the month's accountability records"
    section = _section(result, NOTICE)
    r = published["rectification"]
    assert any(f"to rectify {r['due']}: done in time {r['done']}" in line for line in section.lines)
    assert any(line.startswith("accountability records") for line in section.lines)
    notice = (out / "2025-10-notification.md").read_text(encoding="utf-8")
    assert notice.startswith("# ") and "Accountability" in notice and "Rectification" in notice


def test_the_ranking_reads_the_normal_index_from_the_sample_file(demo, tmp_path):
    """Every window is assessed from examples/fuyang/assessments/2025-10.yaml (marked
    illustrative, with its basis), and the normal-index points the demo shows are those
    ``fyrules score --assessments`` gives for the same month."""
    out, result = demo
    section = _section(result, "Efficiency ranking")
    assert any(
        "normal index: read from assessments/2025-10.yaml, 15/15" in x for x in section.lines
    )
    assert any("basis: 示例值" in line for line in section.lines)
    sample = FUYANG / "assessments" / "2025-10.yaml"
    code, scored = _run(
        "score",
        str(FUYANG),
        str(out / "2025-10.jsonl"),
        "--month",
        "2025-10",
        "--assessments",
        str(sample),
        "--format",
        "json",
    )
    assert code == 0
    normal = {row["window"]: row["normal"] for row in scored["rows"]}
    assert all(row["assessed"] for row in scored["rows"]) and min(normal.values()) > 0
    shown = [re.match(r"\s+\d+\. (\S+)\s.*normal index ([\d.]+)\)", line) for line in section.lines]
    pairs = [(m.group(1), float(m.group(2))) for m in shown if m]
    assert pairs and all(normal[window] == points for window, points in pairs)


def test_a_month_without_an_assessment_file_says_the_normal_index_is_not_assessed(tmp_path):
    result = run_demo(
        FUYANG, tmp_path, month="2025-09", cases=40, seed=2, lang="en", progress=False
    )
    section = _section(result, "Efficiency ranking")
    assert any("normal index: no assessment this month" in line for line in section.lines)


def test_a_bad_sample_assessment_file_stops_the_demo_with_its_row(tmp_path):
    rulebook = tmp_path / "fuyang"
    shutil.copytree(FUYANG, rulebook)
    sample = rulebook / "assessments" / "2025-10.yaml"
    sample.write_text(
        sample.read_text(encoding="utf-8").replace(
            "{window: W03, integration: ", "{window: W03, integration: 9, x: "
        ),
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match="ASSESSMENT-INVALID") as raised:
        run_demo(rulebook, tmp_path / "out", cases=20, progress=False)
    assert "2025-10.yaml" in str(raised.value)


def test_the_demo_reports_the_approvals_not_told_to_the_supervisors(demo):
    """Most approvals are told to the supervising department; the few not told in time are
    the monitor's supervision-after-approval findings as of the month's end."""
    out, result = demo
    section = _section(result, "Notifications that would have been sent")
    line = next(x for x in section.lines if x.startswith("supervision after approval"))
    approvals, told, late = (
        int(n.replace(",", ""))
        for n in re.match(
            r"supervision after approval: ([\d,]+) approvals this month, ([\d,]+) told .*; "
            r"([\d,]+) not told in time",
            line,
        ).groups()
    )
    # told by the month's end: approvals of its last days are told in the next month
    assert 0.75 * approvals < told <= approvals and 0 < late < 0.1 * approvals
    findings = json.loads((out / "2025-10-findings.json").read_text(encoding="utf-8"))
    assert late == sum(f["rule"] == "FY-SUPERVISION-INFORM" for f in findings["findings"])
    separation = _section(result, "Separation of duties")
    assert not any("FY-SUPERVISION-INFORM" in x for x in separation.lines)


def test_files_under_assessments_are_not_rule_files(tmp_path):
    """A rulebook's assessments/ folder holds the monthly normal-index data: ``fyrules check``
    reads none of it, while the same YAML elsewhere in the folder is a rule file (and wrong)."""
    rulebook = tmp_path / "fuyang"
    shutil.copytree(FUYANG, rulebook)
    assert fyrules.check(rulebook, today=dt.date(2025, 10, 15)).ok
    shutil.copy(rulebook / "assessments" / "2025-10.yaml", rulebook / "2025-10.yaml")
    codes = {p.code for p in fyrules.check(rulebook, today=dt.date(2025, 10, 15)).problems}
    assert "UNKNOWN-KEY" in codes


def test_the_sample_assessment_file_is_marked_illustrative():
    text = (Path(FUYANG) / "assessments" / "2025-10.yaml").read_text(encoding="utf-8")
    assert "示例值" in text and "ILLUSTRATIVE" in text and "basis:" in text
