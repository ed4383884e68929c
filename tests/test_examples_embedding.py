"""The embedding examples (examples/embedding/) run as scripts and print what they promise."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "examples" / "embedding"


def run(script: str, *args: str) -> tuple[int, str]:
    """Run ``script`` as `python examples/embedding/SCRIPT` from the repository's root, on this
    checkout's fyrules."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout


@functools.cache
def run_once(script: str) -> tuple[int, str]:
    """``run(script)`` with its default arguments, once per test session."""
    return run(script)


# A script's exit code with its default arguments, when not 0.
EXIT_CODES = {"validate_rulebook.py": 1}  # its default is the broken rulebook


def test_every_script_runs_and_prints_something():
    """Every program in examples/embedding (new ones too) runs as a script, without a
    traceback, and prints what it found."""
    scripts = sorted(p.name for p in SCRIPTS.glob("*.py"))
    assert len(scripts) >= 4
    for script in scripts:
        code, out = run_once(script)
        assert code == EXIT_CODES.get(script, 0), script
        assert len(out.splitlines()) >= 3, script


def test_compute_deadline_prints_both_due_dates_and_the_paused_clock():
    code, out = run_once("compute_deadline.py")
    assert code == 0
    # accepted on 30 September 2025: 1–8 October off, Saturday 11 October worked
    assert "committed due 2025-10-14, statutory due 2025-10-21" in out
    assert "provisional: False" in out
    # Fuyang does not count its site survey in the committed limit; the law's limit runs on
    # (a site survey is not among Art. 45's procedures)
    assert "paused for site_survey: 4 working days, not counted" in out
    assert "working days used 2, left 3" in out
    assert "committed due 2025-10-21, statutory due 2025-10-22" in out


def test_check_event_prints_each_outcome_with_its_reason_and_the_findings():
    code, out = run_once("check_event.py")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "a legal event: accept -> Accepted"
    assert lines[1] == "approve before review: approve -> Rejected EVENT-OUT-OF-ORDER"
    assert "approve may only follow review" in lines[2]
    assert "a malformed event: accept -> Rejected EVENT-INVALID" in lines
    assert "the first event again: accept -> Duplicate" in lines
    assert "findings as of 2025-10-20T12:00:00+08:00: 1" in lines
    assert any(line.startswith("  error FY-RED-CARD FY-2025-000123: red card") for line in lines)
    assert "rejected events kept with their reasons: 2" in lines


def test_validate_rulebook_lists_problems_as_json_and_exits_as_check_does():
    code, out = run_once("validate_rulebook.py")
    assert code == 1
    assert "not valid; 12 error(s), 1 warning(s)" in out
    assert '"code": "NAT-COMMITTED-WITHIN-STATUTORY"' in out
    assert '"path": "examples/broken/items/mistakes.yaml", "line": 10' in out
    code, out = run("validate_rulebook.py", "examples/fuyang", "--today", "2025-10-15")
    assert code == 0
    assert "examples/fuyang: valid; 0 error(s), 0 warning(s)" in out
    assert "compiled: fuyang," in out


def test_replay_month_counts_events_and_findings_and_names_the_trail_head():
    cases = "300"  # the script's default
    code, out = run_once("replay_month.py")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"2025-10: {cases} cases, ")
    assert lines[1].startswith("  accepted ")
    assert any(line.startswith("findings: ") for line in lines)
    head = next(line for line in lines if line.startswith("trail head to publish: "))
    index, digest = head.removeprefix("trail head to publish: ").split(":")
    assert int(index) >= 0 and len(digest) == 64


def test_score_month_prints_a_consistent_ranking_and_explains_the_best_scorecard():
    code, out = run_once("score_month.py")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("2025-10:")
    rows = [line.split() for line in lines[1:] if re.match(r"\s*\d+\. ", line)]
    ranks = [int(r[0].rstrip(".")) for r in rows]
    scores = [float(r[2]) for r in rows]
    assert len(rows) >= 10
    assert scores == sorted(scores, reverse=True)
    for i in range(len(rows) - 1):
        assert (ranks[i] == ranks[i + 1]) == (scores[i] == scores[i + 1])
    why = lines.index(next(line for line in lines if line.startswith("why ")))
    explained = lines[why + 1 :]
    assert len(explained) == 9  # the seed's nine dynamic items
    points = sum(float(line.split(": ")[1].split("/")[0]) for line in explained)
    assert abs(points - scores[0]) < 0.05  # Fuyang's base is 0 and this month has no normal index
