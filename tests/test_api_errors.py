"""Bad arguments to the public API raise fyrules' own errors, each carrying a Problem with a
code and both messages — never a KeyError, TypeError or pydantic ValidationError from inside
(docs/embedding.md, section 4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import fyrules

ZONE = ZoneInfo("Asia/Shanghai")


def _monitor_with_an_open_case(rb: fyrules.Rulebook) -> Any:
    monitor = rb.monitor()
    accept = {"case": "C-1", "item": "FY-SC-001", "event": "accept", "actor": "P-SC-11"}
    assert monitor.feed({**accept, "at": "2025-10-09T09:30:00+08:00"}).ok
    return monitor


CALLS: dict[str, tuple[Callable[[Any], Any], str, str]] = {
    "an unknown scope": (lambda rb: rb.evaluate("itme", {}), "UNKNOWN-SCOPE", "'item'"),
    "an unknown table": (
        lambda rb: rb.lookup("COMMITTED-CEILNG", {}),
        "UNKNOWN-REFERENCE",
        "'COMMITTED-CEILING'",
    ),
    "an unknown item": (
        lambda rb: rb.deadline("FY-SC-01", dt.datetime(2025, 9, 30, 10, tzinfo=ZONE)),
        "UNKNOWN-ITEM",
        "FY-SC-0",
    ),
    "an acceptance time without a zone": (
        lambda rb: rb.deadline("FY-SC-001", dt.datetime(2025, 9, 30, 10)),
        "INVALID-VALUE",
        "time zone",
    ),
    "findings as of a time without a zone": (
        lambda rb: _monitor_with_an_open_case(rb).findings(as_of=dt.datetime(2025, 10, 20)),
        "INVALID-VALUE",
        "time zone",
    ),
    "a context that lacks a field": (
        lambda rb: rb.evaluate("item", {"code": "X"}),
        "EXPR-EVALUATION",
        "has no field",
    ),
    "a date outside the calendar": (
        lambda rb: rb.calendar.add_working_days(dt.date(1990, 1, 1), 1),
        "CALENDAR-OUT-OF-RANGE",
        "",
    ),
    "a case that was never accepted": (lambda rb: rb.case_clock([]), "CLOCK-NOT-STARTED", ""),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_bad_arguments_raise_a_fyrules_error_with_its_problem(rb, name):
    call, code, says = CALLS[name]
    with pytest.raises(fyrules.FyrulesError) as raised:
        call(rb)
    problem = raised.value.problem
    assert isinstance(problem, fyrules.Problem)
    assert problem.code == code
    assert says in problem.message_en and problem.message_zh


def test_a_missing_rulebook_is_a_rulebook_error_naming_the_path(tmp_path):
    with pytest.raises(fyrules.RulebookError) as raised:
        fyrules.load(tmp_path / "nowhere")
    assert [p.code for p in raised.value.problems] == ["FILE-NOT-FOUND"]


def test_findings_as_of_an_aware_time_still_work(rb):
    monitor = _monitor_with_an_open_case(rb)
    late = monitor.findings(as_of=dt.datetime(2025, 10, 20, 12, tzinfo=ZONE))
    assert [f.rule for f in late] == ["FY-RED-CARD"]
