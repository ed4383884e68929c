"""``fyrules generate``: a reproducible, realistic month of events."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from pathlib import Path

import pytest

import fyrules
from fyrules.cases.generate import generate, write_jsonl
from fyrules.cli import main

FUYANG = Path(__file__).resolve().parents[2] / "examples" / "fuyang"


@pytest.fixture(scope="module")
def rb():
    return fyrules.load(FUYANG)


@pytest.fixture(scope="module")
def month(rb):
    return list(generate(rb, month="2025-10", cases=1500, seed=11))


def test_same_inputs_give_byte_identical_events(rb):
    a, b = io.StringIO(), io.StringIO()
    write_jsonl(generate(rb, month="2025-10", cases=200, seed=3), a)
    write_jsonl(generate(rb, month="2025-10", cases=200, seed=3), b)
    c = io.StringIO()
    write_jsonl(generate(rb, month="2025-10", cases=200, seed=4), c)
    assert a.getvalue() == b.getvalue() != c.getvalue()


def test_events_are_in_time_order_with_unique_ids(month):
    assert [e.at for e in month] == sorted(e.at for e in month)
    assert len({e.id for e in month}) == len(month)


def test_the_month_holds_what_supervision_looks_for(rb, month):
    kinds = Counter(e.event for e in month)
    for kind in (
        "submit",
        "accept",
        "reject",
        "correction_requested",
        "pause",
        "resume",
        "extend",
        "review",
        "approve",
        "complete",
        "deliver",
        "withdraw",
        "complaint",
        "rate",
    ):
        assert kinds[kind] > 0, kind
    case_kinds = {rb.items.kind(rb.items[e.item]) for e in month}
    assert case_kinds == {"immediate", "commitment", "joint", "report_up"}
    actors = defaultdict(dict)
    for e in month:
        if e.event in ("review", "approve"):
            actors[e.case][e.event] = e.actor
    same = [c for c, a in actors.items() if a.get("review") and a.get("review") == a.get("approve")]
    assert 0 < len(same) < 0.05 * len(actors)


def test_some_cases_are_late_and_most_are_not(rb, month):
    by_case = defaultdict(list)
    for e in month:
        by_case[e.case].append(e)
    settled = Counter()
    for events in by_case.values():
        if any(e.event == "accept" for e in events) and any(e.event == "complete" for e in events):
            settled[rb.case_clock(events).settlement] += 1
    assert settled["overdue"] > 0
    assert settled["early"] + settled["on_time"] > 5 * settled["overdue"]


def test_cli_generate_writes_json_lines(capsys, tmp_path):
    out = tmp_path / "m.jsonl"
    assert (
        main(
            [
                "generate",
                str(FUYANG),
                "--month",
                "2025-11",
                "--cases",
                "50",
                "--seed",
                "2",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert out.read_text(encoding="utf-8").count("\n") > 50


@pytest.mark.parametrize(
    "argv", [["--month", "2025-13"], ["--month", "Oct"], ["--month", "2025-10", "--cases", "-1"]]
)
def test_cli_generate_bad_input_is_exit_2(capsys, argv):
    assert main(["generate", str(FUYANG), *argv]) == 2
    assert "Traceback" not in capsys.readouterr().err
