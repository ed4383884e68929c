""" "Today" comes from one place (fyrules._today) that a process pins with FYRULES_TODAY and a
command with --today; nothing else reads the system clock for a date."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import fyrules
from fyrules._today import TODAY_ENV, today
from fyrules.cli import main
from fyrules.engine.problems import UsageError
from fyrules.examples import rulebook_path

ROOT = Path(__file__).resolve().parents[1]
FUYANG = rulebook_path("fuyang")


def test_the_suite_runs_on_a_pinned_date():
    assert today() == dt.date(2025, 10, 15)


def test_without_the_variable_today_is_the_system_date_in_the_zone_asked(monkeypatch):
    monkeypatch.delenv(TODAY_ENV)
    shanghai = ZoneInfo("Asia/Shanghai")
    before = dt.datetime.now(shanghai).date()
    got = today(shanghai)
    assert before <= got <= dt.datetime.now(shanghai).date()


def test_a_bad_pinned_date_is_a_usage_error_saying_what_to_write(monkeypatch):
    monkeypatch.setenv(TODAY_ENV, "15/10/2025")
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        today()


def test_a_bad_pinned_date_makes_a_command_exit_2_without_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv(TODAY_ENV, "someday")
    assert main(["check", str(FUYANG)]) == 2
    err = capsys.readouterr().err
    assert "FYRULES_TODAY" in err and "Traceback" not in err


@pytest.mark.parametrize("pinned", ["2026-12-01", "2027-12-01"])
def test_the_calendar_warning_follows_the_pinned_date(monkeypatch, pinned):
    """From 1 December the next year's holiday schedule is due: check says so as of the pinned
    day, and --today overrides the variable for one run."""
    monkeypatch.setenv(TODAY_ENV, pinned)
    codes = {p.code for p in fyrules.check(FUYANG).problems}
    assert "CALENDAR-SCHEDULE-MISSING" in codes
    before = {p.code for p in fyrules.check(FUYANG, today=dt.date(2025, 10, 15)).problems}
    assert "CALENDAR-SCHEDULE-MISSING" not in before


def test_check_today_option_overrides_the_variable(monkeypatch, capsys):
    monkeypatch.setenv(TODAY_ENV, "2026-12-01")
    assert main(["check", str(FUYANG), "--format", "json"]) == 0
    assert "CALENDAR-SCHEDULE-MISSING" in capsys.readouterr().out
    assert main(["check", str(FUYANG), "--format", "json", "--today", "2025-10-15"]) == 0
    assert "CALENDAR-SCHEDULE-MISSING" not in capsys.readouterr().out


def test_test_and_demo_take_today_too(tmp_path, capsys):
    assert main(["test", str(FUYANG), "--today", "2026-12-01"]) == 0
    capsys.readouterr()
    demo = ["demo", "--out", str(tmp_path), "--cases", "50", "--no-progress", "--lang", "en"]
    assert main(demo) == 0
    assert "valid (0 warnings)" in capsys.readouterr().out  # as of the pinned 2025-10-15
    assert main([*demo, "--today", "2026-12-01"]) == 0
    assert "valid (1 warnings)" in capsys.readouterr().out  # the 2027 schedule is due


def _reads_the_clock(node: ast.AST) -> bool:
    """``date.today()``, ``datetime.now()``, ``datetime.today()``, ``time.time()`` and the like."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    name = node.func.attr
    owner = node.func.value
    owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
    return (name in {"today", "now", "utcnow"} and owner_name in {"date", "datetime"}) or (
        name in {"time", "localtime", "gmtime"} and owner_name == "time"
    )


def test_only_fyrules_today_reads_the_system_clock_for_a_date():
    """No module but fyrules/_today.py asks the system for the date (timers measuring a
    duration use time.perf_counter and do not count)."""
    offenders = []
    for path in sorted(
        [*ROOT.joinpath("fyrules").rglob("*.py"), *ROOT.joinpath("adapters").rglob("*.py")]
    ):
        if path.name == "_today.py":
            continue
        if path == ROOT / "adapters/fyrules_adapters/web/clock.py":
            continue  # the live web service's "now", for requests that name no moment
        if path == ROOT / "adapters/fyrules_adapters/notify/clock.py":
            continue  # a signed webhook's timestamp against replay: the time of sending
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [
            f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(tree) if _reads_the_clock(n)
        ]
    assert offenders == []
