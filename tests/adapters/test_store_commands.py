"""``--store`` on ``fyrules deadline --events`` and ``fyrules inspect``: the events are
replayed into the store, continuing it, and the report counts everything the store holds, so
a month delivered in two runs reports what one run of the whole month reports in memory.
SQLite here; the same on PostgreSQL when ``FYRULES_POSTGRESQL_URL`` is set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import fyrules
from fyrules.cli import main
from fyrules.separation.inspection.draw import closed_in_month, draw
from fyrules.simulation.cases import generate, write_jsonl
from fyrules.simulation.outcomes import outcome_events
from fyrules.store_contract import FUYANG

pytestmark = pytest.mark.optional


def _write(path: Path, events: list) -> Path:
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(events, out)
    return path


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> dict[str, Path]:
    """October in two halves and whole, and November's inspections and rectifications."""
    root = tmp_path_factory.mktemp("store-commands")
    rb = fyrules.load(FUYANG)
    events = list(generate(rb, month="2025-10", cases=300, seed=3))
    monitor = rb.monitor()
    monitor.feed_all(events)
    cases = closed_in_month(rb, monitor.store, "2025-10")
    result = draw(rb, cases, month="2025-10", public_value="3310.27")
    outcomes = outcome_events(rb, result, cases, seed=1)
    half = len(events) // 2
    return {
        "first": _write(root / "first.jsonl", events[:half]),
        "second": _write(root / "second.jsonl", events[half:]),
        "october": _write(root / "october.jsonl", events),
        "outcomes": _write(root / "outcomes.jsonl", outcomes),
        "both": _write(root / "both.jsonl", [*events, *outcomes]),
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "cases.db")
    return request.getfixturevalue("pg_url")


def _json(capsys, *arguments: str) -> tuple[int, dict]:
    code = main([*arguments, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def _a_case_split_across_the_halves(months: dict[str, Path]) -> str:
    def cases(path: Path) -> set[str]:
        with path.open(encoding="utf-8") as lines:
            return {json.loads(line)["case"] for line in lines}

    return sorted(cases(months["first"]) & cases(months["second"]))[0]


def test_deadline_counts_every_event_of_the_case_the_store_holds(months, store, capsys):
    case = _a_case_split_across_the_halves(months)
    base = ["deadline", str(FUYANG), "--case", case]
    _, whole = _json(capsys, *base, "--events", str(months["october"]))
    _, first = _json(capsys, *base, "--events", str(months["first"]), "--store", store)
    _, continued = _json(capsys, *base, "--events", str(months["second"]), "--store", store)
    _, held = _json(capsys, *base, "--store", store)  # no events: what the store holds
    assert continued == whole == held
    assert first != whole  # the first half alone is not the whole case


def test_deadline_on_a_store_without_the_case_exits_2(months, store, capsys):
    assert main(["deadline", str(FUYANG), "--case", "FY-NO-SUCH", "--store", store]) == 2
    assert "FY-NO-SUCH" in capsys.readouterr().err


def test_the_draw_is_made_among_every_case_the_store_holds_and_recorded_in_its_trail(
    months, store, capsys
):
    base = ["inspect", str(FUYANG), "--month", "2025-10", "--seed", "3310.27"]
    _, in_memory = _json(capsys, base[0], base[1], str(months["october"]), *base[2:])
    assert main(["evaluate", str(FUYANG), str(months["first"]), "--store", store]) in (0, 1)
    capsys.readouterr()
    _, stored = _json(capsys, base[0], base[1], str(months["second"]), *base[2:], "--store", store)
    assert stored["draw"] == in_memory["draw"] and stored["digest"] == in_memory["digest"]
    assert main(["trail", "verify", "--store", store, "--format", "json"]) == 0
    verified = json.loads(capsys.readouterr().out)
    assert verified["chains"]["0"]["head"] == stored["trail_head"]  # the draw is the head


def test_the_report_counts_every_inspection_the_store_holds(months, store, capsys):
    base = ["--month", "2025-11", "--report"]
    code, in_memory = _json(capsys, "inspect", str(FUYANG), str(months["both"]), *base)
    assert sum(d["inspections"] for d in in_memory["departments"]) > 0
    assert main(["evaluate", str(FUYANG), str(months["october"]), "--store", store]) in (0, 1)
    capsys.readouterr()
    stored_code, stored = _json(
        capsys, "inspect", str(FUYANG), str(months["outcomes"]), *base, "--store", store
    )
    assert (stored_code, stored) == (code, in_memory)
