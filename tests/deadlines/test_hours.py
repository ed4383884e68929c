"""Working hours, worked out by hand: "four certificates in 1.5 hours" and the days around it.

The hours below are the Fuyang example's: 09:00–12:00 and 13:30–17:30 (7 hours a day), and from
1 May to 30 September 09:00–12:00 and 14:30–18:00 (6.5 hours). The days are 2025's: Saturday
11 October and Sunday 28 September are make-up workdays, 1–8 October are off.
"""

from __future__ import annotations

import datetime as dt
import pickle
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

import fyrules
from fyrules.deadlines import CalendarError, WorkingCalendar
from fyrules.deadlines.hours import WorkingHours
from fyrules.deadlines.hours.problems import WorkingHoursError
from fyrules.deadlines.hours.spec import Session, read_opening_hours
from fyrules.engine.load.source import parse_yaml
from tests.conftest import fuyang_rulebook
from tests.helpers import write_rulebook

SHANGHAI = ZoneInfo("Asia/Shanghai")

HOURS = """\
opening_hours:
  basis: 阜阳市政务服务中心作息时间公告
  working_days: {sessions: ["09:00-12:00", "13:30-17:30"]}
  seasons:
    - name: {zh: 夏季作息时间, en: summer hours}
      from: 05-01
      to: 09-30
      basis: 夏季作息
      working_days: {sessions: ["09:00-12:00", "14:30-18:00"]}
"""


def spec_of(text: str):
    document, _ = parse_yaml(text, "calendar.yaml")
    spec, problems = read_opening_hours(document.data["opening_hours"], document.source)
    assert problems == [], problems
    return spec


@pytest.fixture(scope="module")
def hours(national: WorkingCalendar) -> WorkingHours:
    return WorkingHours(spec_of(HOURS), national)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0, zone=SHANGHAI) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=zone)


# --- the seed's case, and the day around it --------------------------------------------------


def test_four_certificates_accepted_at_eleven_are_due_at_two(hours):
    # 11:00–12:00 is one hour; the afternoon opens at 13:30, and half an hour later it is 14:00.
    assert hours.add_working_hours(at(2025, 10, 15, 11), 1.5) == at(2025, 10, 15, 14)


def test_a_limit_reached_at_noon_ends_when_the_morning_closes(hours):
    assert hours.add_working_hours(at(2025, 10, 15, 11), 1) == at(2025, 10, 15, 12)


def test_starting_at_lunch_starts_when_the_afternoon_opens(hours):
    assert hours.add_working_hours(at(2025, 10, 15, 12, 30), 0.5) == at(2025, 10, 15, 14)


def test_starting_before_opening_starts_at_nine(hours):
    assert hours.add_working_hours(at(2025, 10, 15, 7, 45), 1) == at(2025, 10, 15, 10)


def test_after_closing_the_count_goes_on_the_next_working_day(hours):
    assert hours.add_working_hours(at(2025, 10, 15, 17, 30), 1) == at(2025, 10, 16, 10)


def test_over_a_weekend(hours):
    # Friday 16:30–17:30 is one hour; Saturday and Sunday are closed; Monday 09:00 + 1 h.
    assert hours.add_working_hours(at(2025, 10, 17, 16, 30), 2) == at(2025, 10, 20, 10)


def test_over_the_national_day_holiday_and_out_of_summer(hours):
    # Tuesday 30 September is the last summer day (until 18:00); 1–8 October are off;
    # Thursday 9 October keeps winter hours.
    assert hours.add_working_hours(at(2025, 9, 30, 17), 2) == at(2025, 10, 9, 10)


def test_a_make_up_saturday_counts(hours):
    # Friday 10 October 17:00–17:30, then Saturday 11 October is a make-up workday.
    assert hours.add_working_hours(at(2025, 10, 10, 17), 1) == at(2025, 10, 11, 9, 30)


def test_a_make_up_sunday_in_summer_has_summer_hours(hours):
    # Friday 26 September 17:00–18:00, Saturday off, Sunday 28 September worked.
    assert hours.add_working_hours(at(2025, 9, 26, 17), 2) == at(2025, 9, 28, 10)


def test_summer_afternoons_open_at_half_past_two(hours):
    assert hours.add_working_hours(at(2025, 4, 30, 11), 1.5) == at(2025, 4, 30, 14)
    assert hours.add_working_hours(at(2025, 5, 6, 11), 1.5) == at(2025, 5, 6, 15)


def test_across_the_seasonal_switch(hours):
    # 6.5 hours on 30 September, then 3 + 0.5 on 9 October.
    end = hours.add_working_hours(at(2025, 9, 30, 9), 10)
    assert end == at(2025, 10, 9, 14)
    assert hours.working_hours_between(at(2025, 9, 30, 9), end) == 10


def test_hours_of_whole_days_and_weeks(hours):
    assert hours.working_hours_between(at(2025, 10, 15), at(2025, 10, 16)) == 7
    assert hours.working_hours_between(at(2025, 6, 3), at(2025, 6, 4)) == 6.5
    assert hours.working_hours_between(at(2025, 10, 13), at(2025, 10, 20)) == 35
    assert hours.working_hours_between(at(2025, 10, 1), at(2025, 10, 9)) == 0  # the holiday


def test_between_is_negative_backwards(hours):
    assert hours.working_hours_between(at(2025, 10, 15, 14), at(2025, 10, 15, 11)) == -1.5


def test_counting_back(hours):
    assert hours.add_working_hours(at(2025, 10, 15, 14), -0.5) == at(2025, 10, 15, 13, 30)
    assert hours.add_working_hours(at(2025, 10, 15, 14), -1.5) == at(2025, 10, 15, 11)
    # the last moment that lies an hour before Monday 10:00 is Monday 09:00, not Friday 17:30
    assert hours.add_working_hours(at(2025, 10, 20, 10), -1) == at(2025, 10, 20, 9)


def test_zero_hours_is_the_next_opening(hours):
    assert hours.add_working_hours(at(2025, 10, 15, 10), 0) == at(2025, 10, 15, 10)
    assert hours.add_working_hours(at(2025, 10, 15, 12, 30), 0) == at(2025, 10, 15, 13, 30)


def test_fractions_of_a_second_survive(hours):
    start = at(2025, 10, 15, 11) + dt.timedelta(microseconds=250_000)
    end = hours.add_working_hours(start, 1 / 3600)
    assert end == start + dt.timedelta(seconds=1)


# --- open or not -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (at(2025, 10, 15, 9), True),  # the opening minute counts
        (at(2025, 10, 15, 11, 59), True),
        (at(2025, 10, 15, 12), False),  # the closing one does not
        (at(2025, 10, 15, 13, 30), True),
        (at(2025, 10, 15, 17, 30), False),
        (at(2025, 10, 18, 10), False),  # Saturday
        (at(2025, 10, 11, 10), True),  # make-up Saturday
        (at(2025, 10, 3, 10), False),  # National Day holiday
        (at(2025, 6, 3, 14), False),  # a summer lunch break
        (at(2025, 6, 3, 17, 45), True),  # a summer afternoon
    ],
)
def test_is_open(hours, moment, is_open):
    assert hours.is_open(moment) is is_open


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        (at(2025, 10, 15, 10), at(2025, 10, 15, 10)),  # open now
        (at(2025, 10, 15, 8), at(2025, 10, 15, 9)),
        (at(2025, 10, 15, 12), at(2025, 10, 15, 13, 30)),
        (at(2025, 10, 17, 17, 30), at(2025, 10, 20, 9)),  # Friday evening → Monday
        (at(2025, 9, 30, 18), at(2025, 10, 9, 9)),  # before the holiday → after it
        (at(2025, 10, 10, 18), at(2025, 10, 11, 9)),  # → the make-up Saturday
    ],
)
def test_next_opening(hours, moment, opening):
    assert hours.next_opening(moment) == opening


# --- time zones ---------------------------------------------------------------------------------


def test_moments_in_other_zones_are_converted_and_answered_in_the_rulebooks(hours):
    utc = dt.datetime(2025, 10, 15, 3, tzinfo=dt.UTC)  # 11:00 in Shanghai
    new_york = dt.datetime(2025, 10, 14, 23, tzinfo=ZoneInfo("America/New_York"))  # EDT
    winter_new_york = dt.datetime(2025, 12, 15, 22, tzinfo=ZoneInfo("America/New_York"))  # EST
    for start in (utc, new_york):
        end = hours.add_working_hours(start, 1.5)
        assert end == at(2025, 10, 15, 14)
        assert end.tzinfo == SHANGHAI and end.utcoffset() == dt.timedelta(hours=8)
    assert hours.add_working_hours(winter_new_york, 1.5) == at(2025, 12, 16, 14)
    assert hours.is_open(dt.datetime(2025, 10, 15, 2, tzinfo=dt.UTC))


def test_hours_are_read_on_the_clock_of_the_rulebooks_zone(national):
    urumqi = ZoneInfo("Asia/Urumqi")  # UTC+6: 11:00 in Beijing is 09:00 there
    hours = WorkingHours(spec_of(HOURS), national, "Asia/Urumqi")
    end = hours.add_working_hours(at(2025, 10, 15, 11), 1.5)
    assert end == dt.datetime(2025, 10, 15, 10, 30, tzinfo=urumqi)
    assert end == at(2025, 10, 15, 12, 30)
    assert hours.timezone == "Asia/Urumqi"


def test_a_day_is_the_day_in_the_rulebooks_zone(hours):
    # 23:30 UTC on Friday 10 October is 07:30 on the make-up Saturday in Shanghai.
    late = dt.datetime(2025, 10, 10, 23, 30, tzinfo=dt.UTC)
    assert hours.next_opening(late) == at(2025, 10, 11, 9)


# --- weekday, make-up and dated hours ----------------------------------------------------------

VARIED = """\
opening_hours:
  basis: 公告
  working_days: {sessions: ["09:00-12:00", "13:30-17:30"]}
  weekdays:
    friday: {sessions: ["09:00-12:00", "13:30-16:00"], basis: 周五下午政治学习}
  makeup_workdays: {sessions: ["09:00-12:00"], basis: 调休上班日只上午办公}
  seasons:
    - name: 国庆前夕
      from: 2025-09-29
      to: 2025-09-30
      basis: 临时通知
      working_days: {sessions: ["08:00-12:00"]}
"""


@pytest.fixture(scope="module")
def varied(national: WorkingCalendar) -> WorkingHours:
    return WorkingHours(spec_of(VARIED), national)


def test_a_weekday_may_close_early(varied):
    assert varied.add_working_hours(at(2025, 10, 17, 15, 30), 1) == at(2025, 10, 20, 9, 30)


def test_a_make_up_workday_may_have_its_own_hours(varied):
    # Saturday 11 October: the morning only, so 11:30 + 1 h is Monday 09:30.
    assert varied.add_working_hours(at(2025, 10, 11, 11, 30), 1) == at(2025, 10, 13, 9, 30)


def test_a_dated_season_applies_on_its_days_only(varied):
    assert varied.add_working_hours(at(2025, 9, 29, 8), 4) == at(2025, 9, 29, 12)
    assert not varied.is_open(at(2025, 9, 30, 14))
    assert varied.is_open(at(2025, 10, 9, 14))


def test_the_day_says_where_its_hours_come_from(varied):
    friday = varied.opening_day(dt.date(2025, 10, 17))
    assert (friday.kind, friday.basis, friday.hours) == ("workday", "周五下午政治学习", 5.5)
    saturday = varied.opening_day(dt.date(2025, 10, 11))
    assert (saturday.kind, saturday.sessions) == ("makeup_workday", (Session(540, 720),))
    eve = varied.opening_day(dt.date(2025, 9, 30))
    assert (eve.season_zh, eve.basis) == ("国庆前夕", "临时通知")  # the season's basis
    monday = varied.opening_day(dt.date(2025, 10, 13))
    assert (monday.basis, monday.season_zh) == ("公告", None)
    holiday = varied.opening_day(dt.date(2025, 10, 2))
    assert (holiday.kind, holiday.is_open, holiday.to_dict()["sessions"]) == ("closed", False, [])


# --- the rulebook ----------------------------------------------------------------------------------


def test_the_fuyang_rulebook_has_the_centers_hours():
    hours = fuyang_rulebook().working_hours
    assert hours.add_working_hours(at(2026, 3, 4, 11), 1.5) == at(2026, 3, 4, 14)
    assert hours.add_working_hours(at(2026, 6, 3, 11), 1.5) == at(2026, 6, 3, 15)
    # 2026: 9 October (Friday) 17:00, then Saturday 10 October is a make-up workday
    assert hours.add_working_hours(at(2026, 10, 9, 17), 1) == at(2026, 10, 10, 9, 30)


def test_a_rulebook_without_opening_hours_says_so(tmp_path):
    rulebook = fyrules.load(write_rulebook(tmp_path, {}))
    assert rulebook.part("working_hours") is None
    with pytest.raises(WorkingHoursError) as caught:
        rulebook.working_hours  # noqa: B018
    assert caught.value.problem.code == "HOURS-UNDEFINED"
    assert "opening_hours" in str(caught.value)
    assert isinstance(caught.value, CalendarError)


def test_a_local_rulebook_inherits_or_replaces_the_hours(tmp_path):
    write_rulebook(tmp_path / "city", {"calendar.yaml": HOURS}, rulebook_id="city")
    inherits = write_rulebook(tmp_path / "town", {}, rulebook_id="town", extends="../city")
    assert fyrules.load(inherits).working_hours.is_open(at(2025, 10, 15, 13, 45))
    replaces = write_rulebook(
        tmp_path / "village",
        {"hours.yaml": VARIED.replace("13:30-17:30", "14:00-17:30")},
        rulebook_id="village",
        extends="../city",
    )
    assert not fyrules.load(replaces).working_hours.is_open(at(2025, 10, 15, 13, 45))


# --- bad questions ----------------------------------------------------------------------------------


def test_bad_arguments_are_errors_with_a_code(hours):
    cases = [
        (lambda: hours.is_open(dt.datetime(2025, 10, 15, 11)), "INVALID-VALUE"),  # naive
        (lambda: hours.is_open(dt.date(2025, 10, 15)), "WRONG-TYPE"),
        (lambda: hours.add_working_hours(at(2025, 10, 15), "1.5"), "WRONG-TYPE"),
        (lambda: hours.add_working_hours(at(2025, 10, 15), float("nan")), "WRONG-TYPE"),
        (lambda: hours.add_working_hours(at(2025, 10, 15), True), "WRONG-TYPE"),
        (lambda: hours.is_open(at(2040, 1, 1)), "CALENDAR-OUT-OF-RANGE"),
        (lambda: hours.add_working_hours(at(2025, 10, 15), 10**9), "CALENDAR-OUT-OF-RANGE"),
        (
            lambda: hours.add_working_hours(at(2031, 12, 31, 17), Fraction(7, 3)),
            "CALENDAR-OUT-OF-RANGE",
        ),
        (lambda: hours.add_working_hours(at(2001, 1, 4), -100), "CALENDAR-OUT-OF-RANGE"),
        (lambda: hours.next_opening(at(2031, 12, 31, 18)), "CALENDAR-OUT-OF-RANGE"),
        (lambda: hours.opening_day(dt.date(2040, 1, 1)), "CALENDAR-OUT-OF-RANGE"),
    ]
    for ask, code in cases:
        with pytest.raises(CalendarError) as caught:
            ask()
        assert caught.value.problem.code == code


def test_an_unknown_zone_is_refused(national):
    with pytest.raises(WorkingHoursError) as caught:
        WorkingHours(spec_of(HOURS), national, "Mars/Olympus_Mons")
    assert caught.value.problem.code == "INVALID-VALUE"


# --- sharing -------------------------------------------------------------------------------------------


def test_working_hours_are_immutable(hours):
    with pytest.raises(AttributeError):
        hours._index = None  # type: ignore[misc]


def test_working_hours_pickle_and_give_the_same_answers(hours):
    again = pickle.loads(pickle.dumps(hours))
    start = at(2025, 9, 30, 17)
    assert again.add_working_hours(start, 2) == hours.add_working_hours(start, 2)
    assert again.timezone == hours.timezone


def test_threads_share_one_instance(hours):
    starts = [at(2025, 10, 15, 11) + dt.timedelta(minutes=7 * i) for i in range(400)]
    expected = [hours.add_working_hours(s, 1.5) for s in starts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda s: hours.add_working_hours(s, 1.5), starts))
    assert got == expected


# --- the index, built at the first question --------------------------------------------------------


def _index_built_eagerly(spec, calendar: WorkingCalendar) -> tuple[object, ...]:
    """The index as the constructor built it before it was deferred (that code, verbatim)."""
    first_ordinal = calendar.first_day.toordinal()
    ndays = calendar.last_day.toordinal() - first_ordinal + 1
    patterns: dict[tuple[tuple[int, int], ...], int] = {(): 0}
    yearly = all(season.recurring for season in spec.seasons)
    known: dict[object, tuple[int, int]] = {}
    day_pattern = [0] * ndays
    before = [0] * (ndays + 1)
    total = 0
    for i in range(ndays):
        day = dt.date.fromordinal(first_ordinal + i)
        if calendar.is_working_day(day):
            key = (day.month, day.day, day.weekday()) if yearly else day
            found = known.get(key)
            if found is None:
                season = spec.season_on(day) or spec
                sessions = tuple(
                    (s.start * 60_000_000, s.end * 60_000_000)
                    for s in season.for_weekday(day.weekday()).parsed()
                )
                found = (
                    patterns.setdefault(sessions, len(patterns)),
                    sum(b - a for a, b in sessions),
                )
                known[key] = found
            day_pattern[i] = found[0]
            total += found[1]
        before[i + 1] = total
    return tuple(patterns), tuple(day_pattern), tuple(before)


def test_the_index_built_at_the_first_question_is_the_one_built_eagerly(national):
    hours = WorkingHours(spec_of(HOURS), national)
    assert hours._index is None  # nothing built until asked
    hours.is_open(at(2025, 10, 15, 10))
    assert tuple(hours._index) == _index_built_eagerly(spec_of(HOURS), national)


def test_the_fuyang_index_is_the_one_built_eagerly(fuyang):
    hours = fuyang.part("working_hours")
    hours.next_opening(at(2025, 10, 15, 8))
    assert tuple(hours._index) == _index_built_eagerly(hours.spec, hours.calendar)


def test_check_builds_no_index():
    """``fyrules check`` asks no question of the working hours: it does not pay for the index."""
    result = fyrules.check(fuyang_rulebook().root)
    assert result.rulebook is not None
    assert result.rulebook.part("working_hours")._index is None
