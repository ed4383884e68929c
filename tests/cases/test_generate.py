"""``fyrules generate``: a reproducible, realistic month of events."""

from __future__ import annotations

import io
from collections import Counter, defaultdict

import pytest

from fyrules.cli import main
from fyrules.simulation.cases import generate, write_jsonl
from tests.conftest import FUYANG, generated_month


@pytest.fixture(scope="module")
def month():
    return list(generated_month(1500, 11))


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
    actors = defaultdict(lambda: defaultdict(set))
    for e in month:
        if e.event in ("review", "approve"):
            actors[e.case][e.event].add(e.actor)
    same = [c for c, a in actors.items() if a["review"] & a["approve"]]
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


def test_faults_add_redeliveries_and_refused_events_and_leave_the_cases_alone(rb):
    """With ``faults`` the stream holds duplicate deliveries and events a process refuses; the
    cases themselves are exactly those generated without faults."""
    from fyrules.cases.monitor import Monitor

    clean = list(generate(rb, month="2025-10", cases=600, seed=5))
    faulty = list(generate(rb, month="2025-10", cases=600, seed=5, faults=True))
    clean_ids = {e.id for e in clean}
    assert [e for e in faulty if e.id in clean_ids and e.case in {c.case for c in clean}] != []
    first_copies = []
    seen = set()
    for e in faulty:
        if e.id in clean_ids and e.id not in seen:
            seen.add(e.id)
            first_copies.append(e)
    assert first_copies == clean
    summary = Monitor(rb).feed_all(faulty)
    assert summary.duplicates == len(faulty) - len(clean) - sum(
        e.id not in clean_ids for e in faulty
    )
    assert summary.duplicates > 0
    refused_anyway = Monitor(rb).feed_all(clean).rejected  # a reviewer approving (一审一核)
    assert summary.rejected == sum(e.id not in clean_ids for e in faulty) + refused_anyway
    assert summary.rejected > refused_anyway


def test_generate_command_takes_faults(tmp_path, capsys):
    out = tmp_path / "m.jsonl"
    code = main(
        [
            "generate",
            str(FUYANG),
            "--month",
            "2025-10",
            "--cases",
            "300",
            "--seed",
            "2",
            "--faults",
            "--output",
            str(out),
        ]
    )
    assert code == 0
    ids = [line.split('"id":"')[1].split('"')[0] for line in out.read_text().splitlines()]
    assert len(ids) > len(set(ids))
