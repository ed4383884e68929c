"""The working-day calendar: China's 2025 schedule, the rulebook's own days, provisional years,
the warnings `fyrules check` shows, and errors that are the library's own."""

from __future__ import annotations

import datetime as dt
import pickle
import threading

import pytest

from fyrules.deadlines import CalendarError, CalendarSpec, ExtraDay, WorkingCalendar
from fyrules.deadlines.calendar.days import package_schedule_through
from fyrules.engine.codes import CODES
from fyrules.engine.problems import Location

D = dt.date.fromisoformat


# --- the 2025 schedule (facts.md §5) --------------------------------------------------------


@pytest.mark.parametrize(
    "day", ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]
)
def test_2025_make_up_weekends_are_working_days(national, day):
    assert D(day).weekday() >= 5
    assert national.is_working_day(D(day))
    info = national.why(D(day))
    assert (info.kind, info.source, info.is_working) == ("makeup_workday", "holidays", True)
    assert info.name_zh == "调休上班日"


@pytest.mark.parametrize("day", range(1, 9))
def test_2025_national_day_week_is_off(national, day):
    assert not national.is_working_day(dt.date(2025, 10, day))


def test_why_names_a_holiday_in_both_languages(national):
    info = national.why(D("2025-10-01"))
    assert (info.is_working, info.kind, info.name_zh, info.name_en) == (
        False,
        "holiday",
        "国庆节",
        "National Day",
    )


def test_why_tells_plain_weekdays_and_weekends_by_the_week(national):
    assert national.why(D("2025-10-09")).kind == "workday"
    assert national.why(D("2025-10-18")).kind == "weekend"
    assert national.why(D("2025-10-18")).source == "week"


def test_day_info_serialises_for_json_output(national):
    assert national.why(D("2025-10-01")).to_dict() == {
        "date": "2025-10-01",
        "is_working": False,
        "kind": "holiday",
        "name_zh": "国庆节",
        "name_en": "National Day",
        "provisional": False,
        "source": "holidays",
        "basis": None,
    }


def test_exceptions_of_2025_list_the_make_up_weekends(national):
    kinds = {info.date: info.kind for info in national.exceptions(2025)}
    assert {d for d, k in kinds.items() if k == "makeup_workday"} == {
        D("2025-01-26"),
        D("2025-02-08"),
        D("2025-04-27"),
        D("2025-09-28"),
        D("2025-10-11"),
    }
    assert kinds[D("2025-10-01")] == "holiday"
    assert D("2025-10-09") not in kinds


# --- arithmetic -----------------------------------------------------------------------------


def test_adding_one_working_day_skips_the_national_day_week(national):
    assert national.add_working_days(D("2025-09-30"), 1) == D("2025-10-09")


def test_twenty_working_days_from_an_acceptance_before_the_holiday(national):
    # Sunday 9-28 (make-up), 9-29, 9-30, then 10-09, 10-10, Saturday 10-11 (make-up) …:
    # the make-up weekend days count, the week off does not.
    assert national.add_working_days(D("2025-09-26"), 20) == D("2025-10-30")
    assert national.count_working_days(D("2025-09-27"), D("2025-10-30")) == 20


def test_zero_working_days_is_the_day_itself_when_it_counts(national):
    assert national.add_working_days(D("2025-10-09"), 0) == D("2025-10-09")


def test_zero_working_days_from_a_day_off_is_the_next_working_day(national):
    assert national.add_working_days(D("2025-10-01"), 0) == D("2025-10-09")


def test_negative_days_count_backwards_without_the_day_itself(national):
    assert national.add_working_days(D("2025-10-09"), -1) == D("2025-09-30")
    assert national.add_working_days(D("2025-10-05"), -1) == D("2025-09-30")
    assert national.add_working_days(D("2025-10-09"), -2) == D("2025-09-29")
    assert national.add_working_days(D("2025-09-29"), -1) == D("2025-09-28")  # a make-up Sunday


def test_next_and_previous_working_day_exclude_the_day_itself(national):
    assert national.next_working_day(D("2025-10-09")) == D("2025-10-10")
    assert national.next_working_day(D("2025-10-10")) == D("2025-10-11")  # make-up Saturday
    assert national.previous_working_day(D("2025-10-09")) == D("2025-09-30")


def test_count_includes_both_ends(national):
    assert national.count_working_days(D("2025-10-09"), D("2025-10-09")) == 1
    assert national.count_working_days(D("2025-10-01"), D("2025-10-08")) == 0
    assert national.count_working_days(D("2025-09-28"), D("2025-10-11")) == 6


def test_count_is_zero_when_the_end_comes_first(national):
    assert national.count_working_days(D("2025-10-10"), D("2025-10-09")) == 0


# --- the rulebook's own days ----------------------------------------------------------------


def test_an_extra_holiday_makes_a_working_weekday_a_day_off(local):
    info = local.why(D("2025-10-09"))
    assert not local.is_working_day(D("2025-10-09"))
    assert (info.kind, info.source, info.name_zh, info.name_en, info.basis) == (
        "extra_holiday",
        "rulebook",
        "地方放假日",
        "local day off",
        "测试依据 / test basis",
    )


def test_an_extra_holiday_cancels_a_make_up_workday(local):
    assert not local.is_working_day(D("2025-09-28"))
    assert local.why(D("2025-09-28")).kind == "extra_holiday"


def test_an_extra_workday_overrides_a_package_holiday(local):
    assert local.is_working_day(D("2025-10-08"))
    assert local.why(D("2025-10-08")).kind == "extra_workday"


def test_an_extra_workday_makes_a_saturday_count(local):
    assert local.is_working_day(D("2025-11-15"))


def test_arithmetic_follows_the_rulebook_days(national, local):
    assert national.add_working_days(D("2025-09-30"), 1) == D("2025-10-09")
    assert local.add_working_days(D("2025-09-30"), 1) == D("2025-10-08")
    assert local.add_working_days(D("2025-10-08"), 1) == D("2025-10-10")


def test_a_date_both_off_and_worked_is_refused():
    day = ExtraDay(D("2027-02-07"), "x")
    with pytest.raises(CalendarError) as err:
        WorkingCalendar(2026, extra_holidays=[day], extra_workdays=[day])
    assert err.value.problem.code == "CALENDAR-CONFLICT"


def test_a_date_listed_twice_is_refused():
    day = ExtraDay(D("2027-02-07"), "x")
    with pytest.raises(CalendarError) as err:
        WorkingCalendar(2026, extra_workdays=[day, day])
    assert err.value.problem.code == "CALENDAR-DUPLICATE-DATE"


def test_a_full_schedule_year_ignores_the_package_guesses():
    # The package guesses 2027-02-09 and 2027-02-10 off (observed Spring Festival days).
    guessed = WorkingCalendar(2026)
    assert not guessed.is_working_day(D("2027-02-09"))
    official = WorkingCalendar(
        2027,
        extra_holidays=[ExtraDay(D("2027-01-01"), "元旦", "New Year's Day", "test")],
        extra_workdays=[ExtraDay(D("2027-02-07"), "春节调休上班", None, "test")],
        full_schedule_years=[2027],
    )
    assert official.is_working_day(D("2027-02-09"))
    assert official.why(D("2027-02-09")).kind == "workday"
    assert not official.is_working_day(D("2027-01-01"))
    assert official.is_working_day(D("2027-02-07"))
    # Other years keep the package's schedule.
    assert not official.is_working_day(D("2026-10-01"))


# --- provisional years ----------------------------------------------------------------------


def test_years_after_published_through_are_provisional(national):
    assert not national.is_provisional(D("2026-12-31"))
    assert national.is_provisional(D("2027-01-01"))
    assert national.why(D("2027-01-04")).provisional
    assert not national.why(D("2026-01-05")).provisional


def test_a_span_reaching_a_provisional_year_is_provisional(national):
    assert national.spans_provisional(D("2026-12-01"), D("2027-01-15"))
    assert national.spans_provisional(D("2027-01-15"), D("2026-12-01"))
    assert not national.spans_provisional(D("2026-01-01"), D("2026-12-31"))


def test_the_calendar_reaches_five_years_past_published_through(national):
    assert (national.first_year, national.published_through, national.last_year) == (
        2001,
        2026,
        2031,
    )
    assert national.first_day == D("2001-01-01")
    assert national.last_day == D("2031-12-31")


def test_provisional_marking_ignores_what_the_package_knows():
    calendar = WorkingCalendar(2024)
    assert calendar.is_provisional(D("2025-10-01"))
    assert calendar.is_working_day(D("2025-10-11"))  # the package still knows 2025


# --- warnings for `fyrules check` -----------------------------------------------------------


def test_no_schedule_warning_before_the_first_of_december(national):
    assert national.missing_schedule_warning(D("2026-11-30")) is None
    assert national.missing_schedule_warning(D("2026-01-15")) is None


def test_schedule_warning_from_the_first_of_december(national):
    where = Location("examples/fuyang/calendar.yaml")
    for day in ("2026-12-01", "2026-12-31"):
        warning = national.missing_schedule_warning(D(day), where)
        assert warning is not None
        assert (warning.code, warning.severity, warning.location) == (
            "CALENDAR-SCHEDULE-MISSING",
            "warning",
            where,
        )
        assert "2027" in warning.message_zh and "2027" in warning.message_en
        assert "published_through" in warning.message_en
        assert "docs/calendar.md" in warning.message_zh


def test_no_schedule_warning_once_next_year_is_in():
    assert WorkingCalendar(2027).missing_schedule_warning(D("2026-12-01")) is None


def test_schedule_warning_when_the_current_year_is_missing(national):
    warning = national.missing_schedule_warning(D("2027-03-02"))
    assert warning is not None and warning.code == "CALENDAR-SCHEDULE-MISSING"
    assert "2027" in warning.message_en and "provisional" in warning.message_en


def test_a_trusted_year_without_make_up_workdays_is_unconfirmed():
    assert WorkingCalendar(2026).unconfirmed_years() == ()
    assert WorkingCalendar(2026).unconfirmed_schedule_warning() is None
    raised_only = WorkingCalendar(2027)
    assert raised_only.unconfirmed_years() == (2027,)
    warning = raised_only.unconfirmed_schedule_warning()
    assert warning is not None
    assert (warning.code, warning.severity) == ("CALENDAR-YEAR-UNCONFIRMED", "warning")
    added = WorkingCalendar(2027, extra_workdays=[ExtraDay(D("2027-02-07"), "调休", None, "t")])
    assert added.unconfirmed_years() == ()


def test_every_calendar_problem_code_is_in_the_catalog():
    for code in (
        "CALENDAR-CONFLICT",
        "CALENDAR-DUPLICATE-DATE",
        "CALENDAR-OUT-OF-RANGE",
        "CALENDAR-SCHEDULE-MISSING",
        "CALENDAR-YEAR-UNCONFIRMED",
    ):
        assert code in CODES


# --- errors are the library's own -----------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.is_working_day(D("2000-12-31")),
        lambda c: c.is_working_day(D("2032-01-01")),
        lambda c: c.add_working_days(D("2031-12-01"), 100),
        lambda c: c.add_working_days(D("2001-01-15"), -100),
        lambda c: c.count_working_days(D("2000-01-01"), D("2025-01-01")),
        lambda c: c.count_working_days(D("2025-01-01"), D("2099-01-01")),
        lambda c: c.why(D("1999-01-01")),
        lambda c: c.exceptions(2040),
    ],
)
def test_dates_outside_the_calendar_raise_calendar_error(national, call):
    with pytest.raises(CalendarError) as err:
        call(national)
    assert err.value.problem.code == "CALENDAR-OUT-OF-RANGE"
    assert "2001-01-01" in err.value.problem.message_zh
    assert "2031-12-31" in err.value.problem.message_en


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.is_working_day("2025-10-09"),
        lambda c: c.is_working_day(dt.datetime(2025, 10, 9, 9, 30)),
        lambda c: c.add_working_days(None, 1),
        lambda c: c.add_working_days(D("2025-10-09"), 1.5),
        lambda c: c.add_working_days(D("2025-10-09"), "3"),
        lambda c: c.count_working_days(D("2025-10-09"), 20251010),
        lambda c: c.exceptions("2025"),
    ],
)
def test_wrong_argument_types_raise_calendar_error(national, call):
    with pytest.raises(CalendarError) as err:
        call(national)
    assert err.value.problem.code == "WRONG-TYPE"


def test_a_time_is_turned_into_a_date_in_the_calendar_timezone(national):
    utc_evening = dt.datetime(2025, 10, 8, 20, 0, tzinfo=dt.UTC)
    assert national.local_date(utc_evening) == D("2025-10-09")
    with pytest.raises(CalendarError):
        national.local_date(dt.datetime(2025, 10, 8, 20, 0))


def test_bad_years_or_timezone_are_refused():
    with pytest.raises(CalendarError):
        WorkingCalendar(1999)
    with pytest.raises(CalendarError):
        WorkingCalendar("2026")  # type: ignore[arg-type]
    with pytest.raises(CalendarError):
        WorkingCalendar(2026, timezone="Mars/Olympus")
    with pytest.raises(CalendarError) as err:
        WorkingCalendar(2026, extra_holidays=[ExtraDay(D("2040-01-02"), "x")])
    assert err.value.problem.code == "CALENDAR-OUT-OF-RANGE"


# --- building and sharing -------------------------------------------------------------------


def test_from_spec_uses_the_rulebook_file_and_its_timezone():
    spec = CalendarSpec.model_validate(
        {
            "published_through": 2026,
            "basis": "国办发明电〔2025〕7号",
            "timezone": "Asia/Urumqi",
            "extra_holidays": [
                {"date": "2025-10-09", "name": "地方放假日", "basis": "某市政府通知"}
            ],
        }
    )
    calendar = WorkingCalendar.from_spec(spec, timezone="Asia/Shanghai")
    assert calendar.timezone == "Asia/Urumqi"
    assert not calendar.is_working_day(D("2025-10-09"))
    assert calendar.why(D("2025-10-09")).basis == "某市政府通知"


def test_without_a_calendar_file_the_package_schedule_is_trusted():
    calendar = WorkingCalendar.from_spec(None, timezone="Asia/Shanghai")
    assert calendar.published_through == package_schedule_through() >= 2026
    assert calendar.timezone == "Asia/Shanghai"


def test_the_calendar_cannot_be_changed(national):
    with pytest.raises(AttributeError):
        national._published_through = 2030
    with pytest.raises(AttributeError):
        national.published_through = 2030


def test_threads_share_one_calendar(national):
    start = D("2025-01-02")
    expected = [national.add_working_days(start, n) for n in range(200)]
    results: list[list[dt.date]] = []

    def work() -> None:
        results.append([national.add_working_days(start, n) for n in range(200)])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 8


def test_a_calendar_travels_to_worker_processes_by_pickle(local):
    copy = pickle.loads(pickle.dumps(local))
    assert copy is not local
    assert copy.published_through == local.published_through
    assert copy.why(D("2025-10-09")) == local.why(D("2025-10-09"))
    day = D("2025-01-01")
    assert [copy.add_working_days(day, n) for n in range(300)] == [
        local.add_working_days(day, n) for n in range(300)
    ]
