"""``fyrules inspect``: the draw (exit 0), an infeasible draw (exit 1), bad input (exit 2),
and the monthly notification report."""

from __future__ import annotations

import json
import shutil

import pytest

import fyrules
from fyrules.cli import main
from fyrules.separation.inspection.draw import closed_in_month, draw
from fyrules.simulation.cases import write_jsonl
from fyrules.simulation.outcomes import outcome_events
from tests.conftest import FUYANG, fuyang_rulebook, generated_month
from tests.helpers import write_rulebook
from tests.separation.inspection_book import CATALOG


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """A generated October (events) and the same with November's inspections appended."""
    root = tmp_path_factory.mktemp("inspect")
    rb = fuyang_rulebook()
    events = list(generated_month(400, 3))
    october = root / "october.jsonl"
    with open(october, "w", encoding="utf-8") as out:
        write_jsonl(events, out)
    monitor = rb.monitor()
    monitor.feed_all(events)
    cases = closed_in_month(rb, monitor.store, "2025-10")
    result = draw(rb, cases, month="2025-10", public_value="3310.27")
    outcomes = outcome_events(rb, result, cases, seed=1)
    both = root / "with-outcomes.jsonl"
    with open(both, "w", encoding="utf-8") as out:
        write_jsonl([*events, *outcomes], out)
    return october, both


def test_the_draw_prints_seed_strata_assignment_and_digest(month, capsys):
    october, _ = month
    code = main(["inspect", str(FUYANG), str(october), "--month", "2025-10", "--seed", "3310.27"])
    out = capsys.readouterr().out
    assert code == 0
    assert 'SHA-256(["3310.27","2025-10","fuyang"])' in out
    assert "ZJ:" in out and "rate 0.1" in out
    assert "draw digest: " in out and "trail head: #" in out


def test_the_same_inputs_give_the_same_json_anywhere(month, tmp_path, capsys):
    october, _ = month
    args = ["inspect", str(FUYANG), str(october), "--month", "2025-10", "--seed", "3310.27"]
    assert main([*args, "--format", "json", "--output", str(tmp_path / "a.json")]) == 0
    assert main([*args, "--format", "json", "--output", str(tmp_path / "b.json")]) == 0
    a = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert (tmp_path / "b.json").read_text(encoding="utf-8") == (tmp_path / "a.json").read_text(
        encoding="utf-8"
    )
    assert a["draw"]["infeasible"] is None
    assert {row["case"] for row in a["draw"]["assignment"]} == {
        c for s in a["draw"]["strata"] for c in s["drawn"]
    }
    assert len(a["digest"]) == 64 and a["trail_head"]["index"] > 0
    other = main([*args[:-1], "3310.28", "--format", "json"])
    b = json.loads(capsys.readouterr().out)
    assert other == 0 and b["digest"] != a["digest"]


def test_no_inspector_capacity_makes_the_draw_infeasible_exit_1(month, tmp_path, capsys):
    october, _ = month
    book = tmp_path / "fuyang"
    shutil.copytree(FUYANG, book)
    policy = book / "inspection.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(
        text.replace("default: 40", "default: 0").replace("cases: 20", "cases: 0"),
        encoding="utf-8",
    )
    code = main(["inspect", str(book), str(october), "--month", "2025-10", "--seed", "1"])
    out = capsys.readouterr().out
    assert code == 1
    assert "INSPECTION-INFEASIBLE" in out and "capacity totals 0" in out
    code = main(
        [
            "inspect",
            str(book),
            str(october),
            "--month",
            "2025-10",
            "--seed",
            "1",
            "--format",
            "json",
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["draw"]["assignment"] is None
    assert doc["draw"]["infeasible"]["capacity"] == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--month", "2025-13", "--seed", "1"], "YYYY-MM"),
        (["--month", "9999-12", "--seed", "1"], "YYYY-MM"),
        (["--month", "２０２５-10", "--seed", "1"], "YYYY-MM"),
        (["--month", "2025-10"], "--seed"),
        (["--month", "2025-10", "--seed", " "], "--seed"),
    ],
)
def test_bad_arguments_exit_2_without_a_traceback(month, capsys, extra, message):
    october, _ = month
    assert main(["inspect", str(FUYANG), str(october), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_missing_events_file_or_a_rulebook_without_a_policy_exit_2(tmp_path, capsys):
    args = ["--month", "2025-10", "--seed", "1"]
    assert main(["inspect", str(FUYANG), str(tmp_path / "none.jsonl"), *args]) == 2
    assert "does not exist" in capsys.readouterr().err
    events = tmp_path / "e.jsonl"
    events.write_text("", encoding="utf-8")
    bare = write_rulebook(tmp_path / "bare", {"catalog.yaml": CATALOG})
    assert main(["inspect", str(bare), str(events), *args]) == 2
    assert "declares no inspection" in capsys.readouterr().err


def test_the_report_lists_overdue_rectifications_and_exits_1(month, capsys):
    _, both = month
    base = ["inspect", str(FUYANG), str(both), "--month", "2025-11", "--report"]
    code = main([*base, "--as-of", "2025-12-31T00:00:00+08:00", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["departments"] and report["rectification"]["due"] > 0
    assert report["overdue"] and code == 1
    assert all(f["rule"] == "FY-INSPECTION-RECTIFY-OVERDUE" for f in report["overdue"])
    assert main([*base, "--format", "markdown", "--lang", "en"]) in (0, 1)
    assert capsys.readouterr().out.startswith("# Case-file inspection notice, 2025-11")


def test_the_report_of_a_month_without_inspections_is_empty_and_exits_0(month, capsys):
    october, _ = month
    code = main(["inspect", str(FUYANG), str(october), "--month", "2025-10", "--report"])
    assert code == 0
    assert "no inspection recorded this month" in capsys.readouterr().out


def test_a_bad_as_of_exits_2(month, capsys):
    _, both = month
    args = ["inspect", str(FUYANG), str(both), "--month", "2025-11", "--report"]
    assert main([*args, "--as-of", "end of november"]) == 2
    assert "ISO" in capsys.readouterr().err


def test_every_simulated_inspection_and_rectification_is_accepted(month):
    """The outcomes made for a draw fit the cases' processes and separation rules."""
    from fyrules.cli.inspect import replay

    _, both = month
    monitor, side, _ = replay(fyrules.load(FUYANG), both)
    refused = [r["event"]["event"] for r in monitor.rejected() if r.get("event")]
    assert "inspect" not in refused and "rectify" not in refused
    assert {e.event for e in side} == {"inspect", "rectify"}


def test_the_markdown_draw_lists_every_drawn_case_for_publication(month, capsys):
    october, _ = month
    args = ["inspect", str(FUYANG), str(october), "--month", "2025-10", "--seed", "3310.27"]
    assert main([*args, "--format", "json"]) == 0
    drawn = json.loads(capsys.readouterr().out)["draw"]["assignment"]
    assert main([*args, "--format", "markdown", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Random inspection draw 2025-10") and "…" not in out
    assert all(row["case"] in out for row in drawn)
    assert "\n\n- " in out  # lists start after a blank line
