"""``calendar.yaml`` as policy staff write it: what is accepted, and every mistake named at its
line and column."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from fyrules.deadlines import CalendarSpec, WorkingCalendar, parse_calendar, read_calendar
from fyrules.engine.load.source import parse_yaml

GOOD = """\
calendar:
  country: CN
  timezone: Asia/Shanghai
  published_through: 2026
  basis: 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）
  extra_holidays:
    - {date: 2026-10-09, name: {zh: 地方纪念日, en: Local memorial day}, basis: 市政府通知}
    - date: 2027-01-01
      name: 元旦
      basis: 国务院办公厅关于2027年部分节假日安排的通知
  extra_workdays:
    - {date: 2027-02-07, name: {zh: 春节调休上班, en: make-up workday}, basis: "同上"}
"""


def parse(text: str):
    document, problems = parse_yaml(text, "calendar.yaml")
    assert document is not None, problems
    assert problems == []
    return parse_calendar(document.data, document.source)


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_a_well_formed_calendar_file_is_read():
    spec, problems = parse(GOOD)
    assert problems == []
    assert spec is not None
    assert spec.published_through == 2026
    assert spec.extra_holidays[0].date == dt.date(2026, 10, 9)
    assert spec.extra_holidays[0].name.en == "Local memorial day"
    assert spec.extra_holidays[1].name.zh == "元旦"  # a plain string is the Chinese name
    assert spec.extra_holidays[1].name.en is None
    assert spec.extra_workdays[0].basis == "同上"


def test_the_file_builds_a_calendar():
    spec, _ = parse(GOOD)
    calendar = WorkingCalendar.from_spec(spec, timezone="Asia/Shanghai")
    assert not calendar.is_working_day(dt.date(2026, 10, 9))
    assert calendar.is_working_day(dt.date(2027, 2, 7))  # a Sunday
    assert calendar.why(dt.date(2027, 2, 7)).provisional


def test_only_the_required_keys_are_needed():
    spec, problems = parse("calendar:\n  published_through: 2026\n  basis: 国办发明电〔2025〕7号\n")
    assert problems == [] and spec is not None
    assert (spec.country, spec.timezone, spec.extra_holidays, spec.extra_workdays) == (
        "CN",
        None,
        (),
        (),
    )


def test_a_date_both_off_and_worked_is_a_conflict_at_the_second_entry():
    text = GOOD + '    - {date: 2026-10-09, name: 上班, basis: "x"}\n'
    spec, problems = parse(text)
    assert spec is None
    assert codes(problems) == ["CALENDAR-CONFLICT"]
    assert (problems[0].line, problems[0].column) == (13, 14)
    # the earlier entry named as every calendar and hours problem names it (see_line)
    assert "extra_holidays 中列为放假（见第 7 行）" in problems[0].message_zh
    assert "a day off in extra_holidays (see line 7)" in problems[0].message_en


def test_a_date_listed_twice_is_reported():
    text = GOOD.replace("date: 2027-01-01", "date: 2026-10-09")
    spec, problems = parse(text)
    assert spec is None
    assert codes(problems) == ["CALENDAR-DUPLICATE-DATE"]
    assert problems[0].line == 8
    assert problems[0].message_zh.endswith("重复列出（见第 7 行）")
    assert problems[0].message_en.endswith("listed twice in extra_holidays (see line 7)")


def test_a_day_that_does_not_exist_is_refused():
    # YAML 1.2 reads 2027-02-30 as text; the calendar's date field is what refuses it.
    spec, problems = parse(GOOD.replace("2027-01-01", "2027-02-30"))
    assert spec is None
    assert codes(problems) == ["INVALID-VALUE"]
    assert "2027-02-30" in problems[0].message_en
    assert problems[0].line == 8


def test_a_quoted_day_that_does_not_exist_is_refused():
    spec, problems = parse(GOOD.replace("2027-01-01", '"2027-02-30"'))
    assert spec is None
    assert codes(problems) == ["INVALID-VALUE"]
    assert "2027-02-30" in problems[0].message_en
    assert problems[0].line == 8


def test_a_time_or_a_number_is_not_a_date():
    for value in ("2027-01-01 08:00:00", "20270101"):
        spec, problems = parse(GOOD.replace("2027-01-01", value))
        assert spec is None, value
        assert codes(problems) == ["INVALID-VALUE"], value


def test_an_added_day_must_cite_its_basis():
    spec, problems = parse(
        GOOD.replace("      basis: 国务院办公厅关于2027年部分节假日安排的通知\n", "")
    )
    assert spec is None
    assert codes(problems) == ["MISSING-BASIS"]


def test_the_calendar_must_cite_its_basis():
    spec, problems = parse("calendar:\n  published_through: 2026\n")
    assert spec is None
    assert codes(problems) == ["MISSING-BASIS"]


def test_a_misspelled_key_gets_a_suggestion():
    spec, problems = parse(GOOD.replace("extra_workdays", "extra_workday"))
    assert spec is None
    assert codes(problems) == ["UNKNOWN-KEY"]
    assert "extra_workdays" in problems[0].message_en
    assert problems[0].line == 11


def test_an_unknown_timezone_or_country_is_refused():
    assert codes(parse(GOOD.replace("Asia/Shanghai", "Asia/Fuyang"))[1]) == ["INVALID-VALUE"]
    assert parse(GOOD.replace("country: CN", "country: US"))[0] is None


def test_published_through_must_be_a_year_the_calendar_covers():
    spec, problems = parse(GOOD.replace("published_through: 2026", "published_through: 1998"))
    assert spec is None
    assert problems[0].line == 4


def test_a_date_far_past_published_through_is_out_of_range():
    spec, problems = parse(GOOD.replace("2027-01-01", "2040-01-01"))
    assert spec is None
    assert codes(problems) == ["CALENDAR-OUT-OF-RANGE"]
    assert "2031" in problems[0].message_en


def test_a_full_schedule_year_needs_its_days_off():
    spec, problems = parse(GOOD + "  full_schedule_years: [2027, 2028]\n")
    assert spec is None
    assert codes(problems) == ["INVALID-VALUE"]
    assert "2028" in problems[0].message_en
    assert problems[0].line == 13


def test_json_schema_describes_fields_in_both_languages():
    schema = CalendarSpec.model_json_schema()
    text = json.dumps(schema, ensure_ascii=False)
    description = schema["properties"]["published_through"]["description"]
    assert "国务院" in description and "State Council" in description
    assert "extra_holidays" in schema["properties"]
    assert "调休上班" in text


def test_the_2026_example_in_the_docs_is_the_official_schedule():
    """docs/calendar.md shows staff how to enter a year in full; its 2026 example must build
    exactly the 2026 the holidays package knows."""
    docs = Path(__file__).resolve().parents[2] / "docs" / "calendar.md"
    text = docs.read_text(encoding="utf-8")
    block = text.split("<!-- example: full schedule 2026 -->", 1)[1]
    example = block.split("```yaml\n", 1)[1].split("```", 1)[0]
    spec, problems = parse(example)
    assert problems == [] and spec is not None
    entered = WorkingCalendar.from_spec(spec, timezone="Asia/Shanghai")
    package = WorkingCalendar(2026)
    day = dt.date(2026, 1, 1)
    while day.year == 2026:
        assert entered.is_working_day(day) == package.is_working_day(day), day
        day += dt.timedelta(days=1)
    assert entered.count_working_days(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 248
    assert entered.unconfirmed_years() == ()


def test_the_calendar_section_alone_is_read_with_positions_in_its_file():
    document, _ = parse_yaml(GOOD + '    - {date: 2026-10-09, name: 上班, basis: "x"}\n', "c.yaml")
    assert document is not None
    spec, problems = read_calendar(document.data["calendar"], document.source, ("calendar",))
    assert spec is None
    assert [(p.code, p.line) for p in problems] == [("CALENDAR-CONFLICT", 13)]
    good, _ = parse_yaml(GOOD, "c.yaml")
    assert good is not None
    assert read_calendar(good.data["calendar"], good.source) == parse(GOOD)
