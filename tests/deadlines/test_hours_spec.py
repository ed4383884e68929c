"""``opening_hours:`` as policy staff write it: what is accepted, and every mistake named at its
line and column."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import fyrules
from fyrules.cli import main
from fyrules.deadlines.hours.spec import OpeningHoursSpec, Session, read_opening_hours
from fyrules.engine.load.source import parse_yaml
from tests.helpers import codes, write_rulebook

GOOD = """\
opening_hours:
  basis: 阜阳市政务服务中心作息时间公告
  working_days:
    sessions: ["09:00-12:00", "13:30-17:30"]
  weekdays:
    friday: {sessions: ["09:00-12:00", "13:30-16:30"], basis: 周五下午学习制度}
  makeup_workdays:
    sessions: ["09:00-12:00"]
    basis: 调休上班日只上午办公
  seasons:
    - name: {zh: 夏季作息时间, en: summer hours}
      from: 05-01
      to: 09-30
      basis: 5月1日至9月30日执行夏季作息
      working_days:
        sessions: [09:00-12:00, 14:30-18:00]
"""


def parse(text: str):
    document, problems = parse_yaml(text, "calendar.yaml")
    assert document is not None and problems == []
    return read_opening_hours(document.data["opening_hours"], document.source)


def where(problem) -> tuple[int | None, int | None]:
    return problem.line, problem.column


def test_a_well_formed_section_is_read():
    spec, problems = parse(GOOD)
    assert problems == [] and spec is not None
    assert spec.working_days.parsed() == (Session(540, 720), Session(810, 1050))
    assert spec.weekdays.friday.basis == "周五下午学习制度"
    season = spec.seasons[0]
    assert (season.name.zh, season.name.en, season.start, season.end) == (
        "夏季作息时间",
        "summer hours",
        "05-01",
        "09-30",
    )
    assert season.working_days.sessions == ("09:00-12:00", "14:30-18:00")  # unquoted works too


def test_sessions_are_normalized():
    text = GOOD.replace('"09:00-12:00", "13:30-17:30"', '"9:00 - 12:00", "13:30–17:30"')
    spec, problems = parse(text)
    assert problems == []
    assert spec.working_days.sessions == ("09:00-12:00", "13:30-17:30")


def test_which_hours_a_day_gets():
    spec, _ = parse(GOOD)
    monday, friday, saturday = 0, 4, 5
    assert spec.for_weekday(monday) is spec.working_days
    assert spec.for_weekday(friday) is spec.weekdays.friday
    assert spec.for_weekday(saturday) is spec.makeup_workdays
    summer = spec.seasons[0]
    assert spec.season_on(dt.date(2026, 5, 1)) is summer
    assert spec.season_on(dt.date(2026, 9, 30)) is summer
    assert spec.season_on(dt.date(2026, 10, 1)) is None
    # a season without make-up hours of its own gives make-up workdays its working_days
    assert summer.for_weekday(saturday) is summer.working_days


def test_only_basis_and_working_days_are_required():
    spec, problems = parse(
        'opening_hours:\n  basis: 公告\n  working_days: {sessions: ["08:30-12:00"]}\n'
    )
    assert problems == [] and spec is not None
    assert (spec.weekdays, spec.makeup_workdays, spec.seasons) == (None, None, ())


def test_a_session_in_the_wrong_format_is_named_at_its_place():
    spec, problems = parse(GOOD.replace('"13:30-17:30"', '"13.30-17.30"'))
    assert spec is None
    assert codes(problems) == ["INVALID-VALUE"]
    assert where(problems[0]) == (4, 32)  # the text, after its opening quote
    assert "HH:MM-HH:MM" in problems[0].message_en


def test_a_lone_time_or_a_number_is_not_a_session():
    for bad in ("13:30", "810", "true"):
        spec, problems = parse(GOOD.replace('"13:30-17:30"', bad))
        assert spec is None and codes(problems) == ["INVALID-VALUE"], bad
        assert where(problems[0]) == (4, 31)


def test_times_must_exist():
    for bad in ("24:00-24:30", "09:60-12:00", "09:00-24:01", "09:00-25:00"):
        spec, problems = parse(GOOD.replace("13:30-17:30", bad))
        assert spec is None and codes(problems) == ["INVALID-VALUE"], bad


def test_a_session_may_end_at_midnight():
    spec, problems = parse(GOOD.replace("13:30-17:30", "13:30-24:00"))
    assert problems == []
    assert spec.working_days.parsed()[1] == Session(810, 1440)


def test_a_reversed_session_is_a_session_order_problem():
    spec, problems = parse(GOOD.replace("13:30-17:30", "17:30-13:30"))
    assert spec is None
    assert codes(problems) == ["HOURS-SESSION-ORDER"]
    assert where(problems[0]) == (4, 32)
    assert "does not end after it starts" in problems[0].message_en


def test_an_empty_session_is_reversed_too():
    spec, problems = parse(GOOD.replace("13:30-17:30", "13:30-13:30"))
    assert spec is None and codes(problems) == ["HOURS-SESSION-ORDER"]


def test_overlapping_sessions_name_the_earlier_one():
    spec, problems = parse(GOOD.replace("13:30-16:30", "11:30-16:30"))
    assert spec is None
    assert codes(problems) == ["HOURS-SESSION-ORDER"]
    assert where(problems[0]) == (6, 41)  # friday's second session
    assert "previous session 09:00-12:00 (see line 6) ends" in problems[0].message_en
    assert "上一时段 09:00-12:00（见第 6 行）" in problems[0].message_zh


def test_sessions_out_of_order_are_a_problem():
    text = GOOD.replace(
        "[09:00-12:00, 14:30-18:00]", "\n          - 14:30-18:00\n          - 09:00-12:00"
    )
    spec, problems = parse(text)
    assert spec is None
    assert codes(problems) == ["HOURS-SESSION-ORDER"]
    assert where(problems[0]) == (18, 13)
    assert "line 17" in problems[0].message_en


def test_touching_sessions_are_allowed():
    spec, problems = parse(
        GOOD.replace('"09:00-12:00", "13:30-17:30"', '"09:00-12:00", "12:00-17:30"')
    )
    assert problems == [] and spec is not None


def test_saturday_is_not_a_weekday_key():
    spec, problems = parse(GOOD.replace("    friday:", "    saturday:"))
    assert spec is None and codes(problems) == ["UNKNOWN-KEY"]
    assert where(problems[0]) == (6, 5)


def test_a_missing_basis_is_named():
    spec, problems = parse(GOOD.replace("  basis: 阜阳市政务服务中心作息时间公告\n", ""))
    assert spec is None and codes(problems) == ["MISSING-BASIS"]
    season_without = GOOD.replace("      basis: 5月1日至9月30日执行夏季作息\n", "")
    assert codes(parse(season_without)[1]) == ["MISSING-BASIS"]


def test_a_day_without_sessions_is_refused():
    spec, problems = parse(GOOD.replace('["09:00-12:00"]', "[]"))
    assert spec is None and codes(problems) == ["INVALID-VALUE"]
    assert where(problems[0]) == (8, 15)


def test_a_season_day_that_does_not_exist_is_invalid():
    for bad in ("02-30", "13-01", "2026-02-30", "may"):
        spec, problems = parse(GOOD.replace("to: 09-30", f"to: {bad}"))
        assert spec is None and codes(problems) == ["INVALID-VALUE"], bad
        assert where(problems[0]) == (13, 11)


def test_february_29_is_a_valid_month_day():
    spec, problems = parse(GOOD.replace("from: 05-01", "from: 02-29"))
    assert problems == [] and spec.seasons[0].covers(dt.date(2027, 3, 1))


def test_a_season_mixing_month_days_and_dates_is_a_range_problem():
    spec, problems = parse(GOOD.replace("to: 09-30", "to: 2026-09-30"))
    assert spec is None and codes(problems) == ["HOURS-SEASON-RANGE"]
    assert where(problems[0]) == (13, 11)


def test_a_dated_season_ending_before_it_starts_is_a_range_problem():
    text = GOOD.replace("from: 05-01", "from: 2026-09-30").replace("to: 09-30", "to: 2026-05-01")
    spec, problems = parse(text)
    assert spec is None and codes(problems) == ["HOURS-SEASON-RANGE"]
    assert "2026-05-01" in problems[0].message_en


def test_a_month_day_season_may_run_over_the_new_year():
    text = GOOD.replace("from: 05-01", "from: 10-01").replace("to: 09-30", "to: 04-30")
    spec, problems = parse(text)
    assert problems == []
    winter = spec.seasons[0]
    assert winter.covers(dt.date(2026, 12, 31)) and winter.covers(dt.date(2027, 1, 1))
    assert winter.covers(dt.date(2027, 4, 30)) and not winter.covers(dt.date(2027, 5, 1))


SECOND_SEASON = """\
    - name: 秋季作息
      from: {start}
      to: {end}
      basis: 公告
      working_days: {{sessions: ["08:30-12:00"]}}
"""


def with_second_season(start: str, end: str) -> str:
    return GOOD + SECOND_SEASON.format(start=start, end=end)


def test_overlapping_yearly_seasons_are_a_problem_at_the_second():
    spec, problems = parse(with_second_season("09-30", "10-31"))
    assert spec is None and codes(problems) == ["HOURS-SEASON-OVERLAP"]
    assert where(problems[0]) == (18, 13)
    assert "与 “夏季作息时间”（见第 11 行）" in problems[0].message_zh
    assert "overlaps '夏季作息时间' (see line 11)" in problems[0].message_en


def test_seasons_over_the_new_year_overlap_too():
    text = with_second_season("11-01", "02-28") + SECOND_SEASON.format(
        start="02-01", end="03-31"
    ).replace("秋季", "春季")
    spec, problems = parse(text)
    assert spec is None and codes(problems) == ["HOURS-SEASON-OVERLAP"]
    assert "秋季作息" in problems[0].message_zh


def test_adjacent_seasons_do_not_overlap():
    spec, problems = parse(with_second_season("10-01", "10-31"))
    assert problems == [] and spec is not None


def test_a_dated_season_may_override_a_yearly_one():
    spec, problems = parse(with_second_season("2026-09-15", "2026-10-15"))
    assert problems == []
    dated = spec.seasons[1]
    assert spec.season_on(dt.date(2026, 9, 20)) is dated  # inside both: the dated one wins
    assert spec.season_on(dt.date(2027, 9, 20)) is spec.seasons[0]


def test_overlapping_dated_seasons_are_a_problem():
    text = with_second_season("2026-09-15", "2026-10-15") + SECOND_SEASON.format(
        start="2026-10-15", end="2026-11-15"
    )
    spec, problems = parse(text)
    assert spec is None and codes(problems) == ["HOURS-SEASON-OVERLAP"]


def test_problems_reach_fyrules_check_with_file_line_and_column(tmp_path):
    root = write_rulebook(tmp_path, {"calendar.yaml": GOOD.replace("13:30-17:30", "17:30-13:30")})
    result = fyrules.check(root, today=dt.date(2026, 6, 1))
    (problem,) = [p for p in result.problems if p.severity == "error"]
    assert problem.code == "HOURS-SESSION-ORDER"
    assert problem.path.endswith("calendar.yaml") and (problem.line, problem.column) == (4, 32)


def test_the_section_is_in_the_json_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "opening_hours" in schema["properties"]
    season = schema["$defs"]["SeasonSpec"]["properties"]
    assert {"from", "to", "working_days", "basis"} <= set(season)


def test_the_model_round_trips_through_json():
    spec, _ = parse(GOOD)
    again = OpeningHoursSpec.model_validate(spec.model_dump(by_alias=True))
    assert again == spec


def test_the_example_in_the_docs_is_valid():
    """docs/calendar.md shows staff how to write opening hours: the example must be read as
    the text around it says."""
    docs = Path(__file__).resolve().parents[2] / "docs" / "calendar.md"
    block = docs.read_text(encoding="utf-8").split("<!-- example: opening hours -->", 1)[1]
    spec, problems = parse(block.split("```yaml\n", 1)[1].split("```", 1)[0])
    assert problems == [] and spec is not None
    assert spec.for_weekday(4).sessions == ("09:00-12:00", "13:30-16:30")
    assert spec.season_on(dt.date(2026, 7, 1)).working_days.sessions[1] == "14:30-18:00"
