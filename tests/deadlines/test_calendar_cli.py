"""``fyrules calendar RULEBOOK add|count|why|hours``: answers, formats, and exit 2 with one line
on bad input, never a traceback."""

from __future__ import annotations

import json

import pytest

from fyrules.cli import main
from tests.conftest import FUYANG as FUYANG_PATH
from tests.helpers import write_rulebook

FUYANG = str(FUYANG_PATH)

LOCAL_CALENDAR = """\
calendar:
  published_through: 2026
  basis: 国务院办公厅关于2026年部分节假日安排的通知
  extra_holidays:
    - {date: 2026-04-20, name: {zh: 地方纪念日, en: local memorial day}, basis: 某市人民政府通知}
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["calendar", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def as_json(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> str:
    """A rulebook with its own day off and no opening hours."""
    root = tmp_path_factory.mktemp("plain")
    return str(write_rulebook(root, {"calendar.yaml": LOCAL_CALENDAR}))


# --- add ---------------------------------------------------------------------------------------


def test_add_prints_the_nth_working_day_after_the_date(capsys):
    code, out, err = run(capsys, FUYANG, "add", "2025-09-30", "1")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "2025-10-09 星期四 / Thursday",
        "2025-09-30 之后第 1 个工作日（当日不计） / working day 1 after 2025-09-30",
    ]


def test_add_in_one_language(capsys):
    assert run(capsys, FUYANG, "add", "2025-09-30", "1", "--lang", "en")[1].splitlines() == [
        "2025-10-09 Thursday",
        "working day 1 after 2025-09-30",
    ]
    assert run(capsys, FUYANG, "add", "2025-09-30", "1", "--lang", "zh")[1].startswith(
        "2025-10-09 星期四\n"
    )


def test_add_zero_and_backwards(capsys):
    assert as_json(capsys, FUYANG, "add", "2025-10-01", "0")["result"] == "2025-10-09"
    assert as_json(capsys, FUYANG, "add", "2025-10-09", "-1")["result"] == "2025-09-30"
    assert as_json(capsys, FUYANG, "add", "2025-10-01", "-3")["result"] == "2025-09-28"


def test_add_as_json(capsys):
    assert as_json(capsys, FUYANG, "add", "2025-09-30", "4") == {
        "date": "2025-09-30",
        "n": 4,
        "result": "2025-10-13",  # 9, 10, 11 (make-up Saturday), then Monday 13
        "weekday": "Monday",
        "provisional": False,
        "published_through": 2026,
    }


def test_add_says_provisional_past_the_trusted_year(capsys):
    code, out, _ = run(capsys, FUYANG, "add", "2026-12-30", "3")
    assert code == 0 and out.startswith("2027-01-05")
    assert "暂定" in out and "provisional" in out
    assert as_json(capsys, FUYANG, "add", "2026-12-30", "3")["provisional"] is True
    assert "provisional" not in run(capsys, FUYANG, "add", "2026-12-01", "3")[1]


# --- count -------------------------------------------------------------------------------------


def test_count_includes_both_ends(capsys):
    code, out, _ = run(capsys, FUYANG, "count", "2025-09-28", "2025-10-11", "--lang", "en")
    assert code == 0
    assert out.splitlines() == ["6", "working days from 2025-09-28 to 2025-10-11, both included"]


def test_count_a_whole_year_as_json(capsys):
    doc = as_json(capsys, FUYANG, "count", "2026-01-01", "2026-12-31")
    assert doc == {
        "start": "2026-01-01",
        "end": "2026-12-31",
        "working_days": 248,
        "provisional": False,
        "published_through": 2026,
    }


def test_count_backwards_is_zero_and_says_why(capsys):
    code, out, _ = run(capsys, FUYANG, "count", "2025-10-11", "2025-09-28", "--lang", "en")
    assert code == 0 and out.splitlines()[0] == "0"
    assert "END is before START" in out


# --- why ------------------------------------------------------------------------------------------


def test_why_names_the_holiday(capsys):
    code, out, _ = run(capsys, FUYANG, "why", "2025-10-01")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2025-10-01 星期三：不是工作日 / Wednesday: not a working day"
    assert "国庆节" in lines[1] and "National Day" in lines[1]
    assert lines[-1] == "办公时间：不办公 / opening hours: closed"


def test_why_a_make_up_workday_has_hours(capsys):
    code, out, _ = run(capsys, FUYANG, "why", "2025-10-11", "--lang", "en")
    assert code == 0
    assert out.splitlines() == [
        "2025-10-11 Saturday: a working day",
        "make-up workday (a weekend day worked)",
        "opening hours: 09:00-12:00, 13:30-17:30 (7 h)",
    ]


def test_why_a_summer_day_names_the_season(capsys):
    doc = as_json(capsys, FUYANG, "why", "2026-06-01")
    assert (doc["kind"], doc["is_working"], doc["weekday"]) == ("workday", True, "Monday")
    assert doc["opening_hours"]["sessions"] == ["09:00-12:00", "14:30-18:00"]
    assert doc["opening_hours"]["season_en"] == "summer hours"
    assert "中心公告" in doc["opening_hours"]["basis"]


def test_why_a_weekend(capsys):
    doc = as_json(capsys, FUYANG, "why", "2025-10-18")
    assert (doc["kind"], doc["is_working"], doc["source"]) == ("weekend", False, "week")


def test_why_a_day_the_rulebook_adds_gives_its_basis(capsys, plain):
    code, out, _ = run(capsys, plain, "why", "2026-04-20")
    assert code == 0
    assert "规则集增加的放假日：地方纪念日 / day off the rulebook adds: local memorial day" in out
    assert "依据：某市人民政府通知" in out
    doc = as_json(capsys, plain, "why", "2026-04-20")
    assert (doc["kind"], doc["source"], doc["opening_hours"]) == ("extra_holiday", "rulebook", None)


def test_why_says_provisional(capsys):
    code, out, _ = run(capsys, FUYANG, "why", "2027-02-07", "--lang", "en")
    assert code == 0 and "provisional" in out
    assert as_json(capsys, FUYANG, "why", "2027-02-07")["provisional"] is True


def test_options_may_come_before_the_action(capsys):
    code, out, _ = run(capsys, FUYANG, "--format", "json", "--lang", "en", "why", "2025-09-28")
    assert code == 0 and json.loads(out)["kind"] == "makeup_workday"


# --- hours -------------------------------------------------------------------------------------


def test_hours_four_certificates_in_one_and_a_half_hours(capsys):
    code, out, _ = run(capsys, FUYANG, "hours", "2026-03-04T11:00+08:00", "1.5")
    assert code == 0
    assert out.splitlines()[0] == "2026-03-04T14:00:00+08:00"


def test_hours_reads_a_time_without_offset_in_the_rulebooks_zone(capsys):
    doc = as_json(capsys, FUYANG, "hours", "2026-09-30T17:00", "2")
    assert doc == {
        "start": "2026-09-30T17:00:00+08:00",
        "hours": 2.0,
        "result": "2026-10-08T10:00:00+08:00",  # 1 h of summer, the holiday, 1 h of winter
        "provisional": False,
        "published_through": 2026,
    }


def test_hours_converts_a_time_in_another_zone(capsys):
    doc = as_json(capsys, FUYANG, "hours", "2026-03-04T03:00:00Z", "1.5")
    assert (doc["start"], doc["result"]) == (
        "2026-03-04T11:00:00+08:00",
        "2026-03-04T14:00:00+08:00",
    )


def test_hours_without_opening_hours_is_exit_2_and_says_so(capsys, plain):
    code, out, err = run(capsys, plain, "hours", "2026-03-04T11:00", "1.5")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "HOURS-UNDEFINED" in err and "opening_hours" in err


# --- bad input: exit 2, one line, no traceback ------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("add", "2025-13-01", "1"), "DATE is not a date"),
        (("add", "tomorrow", "1"), "DATE is not a date"),
        (("add", "2025-10-01", "1.5"), "N must be an integer"),
        (("add", "2025-10-01", "x"), "N must be an integer"),
        (("count", "2025-10-01", "2025/10/31"), "END is not a date"),
        (("why", "2025-02-30"), "DATE is not a date"),
        (("add", "2045-01-01", "1"), "CALENDAR-OUT-OF-RANGE"),
        (("add", "2031-12-30", "10"), "CALENDAR-OUT-OF-RANGE"),
        (("count", "1999-01-01", "2025-01-01"), "CALENDAR-OUT-OF-RANGE"),
        (("why", "2032-01-01"), "CALENDAR-OUT-OF-RANGE"),
        (("hours", "2026-03-04 eleven", "1"), "START is not a time"),
        (("hours", "2026-03-04T11:00", "lots"), "HOURS must be a number"),
        (("hours", "2026-03-04T11:00", "inf"), "HOURS must be a number"),
        (("hours", "2026-03-04T11:00", "1e9"), "CALENDAR-OUT-OF-RANGE"),
    ],
)
def test_bad_input_is_exit_2_with_one_line(capsys, argv, says):
    code, out, err = run(capsys, FUYANG, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("fyrules calendar: ") and err.count("\n") == 1
    assert says in err and "Traceback" not in err


def test_a_rulebook_with_errors_is_exit_2_with_one_line(capsys, tmp_path):
    root = write_rulebook(tmp_path, {"calendar.yaml": "calendar:\n  published_through: 1999\n"})
    code, out, err = run(capsys, str(root), "add", "2025-10-01", "1")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "the rulebook has errors" in err and "calendar.yaml" in err


def test_a_missing_rulebook_is_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path / "nowhere"), "why", "2025-10-01")
    assert code == 2 and "does not exist" in err and err.count("\n") == 1


def test_missing_arguments_are_exit_2(capsys):
    assert run(capsys, FUYANG)[0] == 2
    assert run(capsys, FUYANG, "add", "2025-10-01")[0] == 2
    assert run(capsys, FUYANG, "when", "2025-10-01")[0] == 2
    assert run(capsys, FUYANG, "why", "2025-10-01", "--format", "xml")[0] == 2
