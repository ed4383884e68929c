"""``fyrules deadline`` and the rulebook's deadline API on the Fuyang rulebook."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fyrules.cli import main
from fyrules.deadlines.clock import ClockError
from tests.conftest import FUYANG

TZ = dt.timezone(dt.timedelta(hours=8))


def test_deadline_of_an_item(rb):
    c = rb.deadline("FY-SC-001", dt.datetime(2025, 9, 30, 10, tzinfo=TZ))
    assert (c.statutory_due, c.committed_due, c.provisional) == (
        dt.date(2025, 10, 21),
        dt.date(2025, 10, 14),
        False,
    )


def test_acceptance_after_fuyangs_cutoff_counts_from_the_next_working_day(rb):
    c = rb.deadline("FY-SC-001", dt.datetime(2025, 9, 30, 17, 30, tzinfo=TZ))
    assert c.accepted_on == dt.date(2025, 10, 9) and c.committed_due == dt.date(2025, 10, 15)


def test_unknown_item_suggests_the_closest(rb):
    with pytest.raises(ClockError) as err:
        rb.deadline("FY-SC-01", dt.datetime(2025, 9, 30, 10, tzinfo=TZ))
    assert err.value.problem.code == "UNKNOWN-ITEM"
    assert "did you mean 'FY-SC-0" in err.value.problem.message_en


@pytest.mark.parametrize("accepted", [dt.datetime(2025, 9, 30, 10), dt.date(2025, 9, 30)])
def test_an_acceptance_time_without_a_zone_is_a_clock_error_not_a_validation_error(rb, accepted):
    with pytest.raises(ClockError) as err:
        rb.deadline("FY-SC-001", accepted)
    assert err.value.problem.code == "INVALID-VALUE"
    assert "time zone" in err.value.problem.message_en


def test_cli_json_has_the_contract_fields(capsys):
    code = main(
        [
            "deadline",
            str(FUYANG),
            "--item",
            "FY-SC-001",
            "--accepted",
            "2025-09-30T10:00+08:00",
            "--format",
            "json",
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (doc["statutory_due"], doc["committed_due"], doc["provisional"]) == (
        "2025-10-21",
        "2025-10-14",
        False,
    )


def test_cli_case_from_events(capsys, tmp_path):
    events = tmp_path / "events.jsonl"
    lines = [
        # the events as the monitor accepts them: by staff on the roster (an event it refuses
        # would not count here either)
        {
            "case": "C-1",
            "item": "FY-SC-001",
            "event": "accept",
            "at": "2025-09-30T10:00:00+08:00",
            "actor": "P-SC-11",
        },
        {
            "case": "C-2",
            "item": "FY-SC-002",
            "event": "accept",
            "at": "2025-09-30T10:00:00+08:00",
            "actor": "P-SC-11",
        },
        {
            "case": "C-1",
            "item": "FY-SC-001",
            "event": "pause",
            "at": "2025-10-09T10:00:00+08:00",
            "actor": "P-SC-13",
            "data": {"reason": "inspection", "notice": "已书面告知"},
        },
        {
            "case": "C-1",
            "item": "FY-SC-001",
            "event": "resume",
            "at": "2025-10-13T10:00:00+08:00",
            "actor": "P-SC-13",
        },
    ]
    events.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    code = main(
        ["deadline", str(FUYANG), "--events", str(events), "--case", "C-1", "--format", "json"]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["committed_due"] == "2025-10-17" and doc["paused_days"] == 3


@pytest.mark.parametrize(
    "argv",
    [
        ["--item", "FY-SC-001", "--accepted", "yesterday"],
        ["--item", "NO-SUCH", "--accepted", "2025-09-30T10:00+08:00"],
        ["--item", "FY-SC-001"],
        ["--events", "/nonexistent.jsonl", "--case", "C-1"],
    ],
)
def test_cli_bad_input_is_exit_2_without_traceback(capsys, argv):
    code = main(["deadline", str(FUYANG), *argv])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and err.strip()
