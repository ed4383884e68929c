"""Working hours against a minute-by-minute brute force, on random opening hours.

Hypothesis draws the sessions of a working day, of Fridays and of make-up workdays, and a
season, over a window of 2025 that holds a make-up Sunday (28 September), the National Day
holiday (1–8 October) and a make-up Saturday (11 October). The brute force walks the window a
minute at a time, asking only the calendar whether a day is worked and the drawn sessions
whether a minute is inside one.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fyrules.deadlines import CalendarError, WorkingCalendar
from fyrules.deadlines.hours import WorkingHours
from fyrules.deadlines.hours.spec import OpeningHoursSpec

ZONE = ZoneInfo("Asia/Shanghai")
WINDOW_START = dt.datetime(2025, 9, 24, tzinfo=ZONE)
WINDOW_DAYS = 22  # to 15 October
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar(2025, first_year=2025, provisional_years=1)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def day_sessions(draw) -> list[str]:
    """One to three sessions between 00:00 and 24:00, in order, not touching."""
    count = draw(st.integers(1, 3))
    points = sorted(draw(st.sets(st.integers(0, 1440), min_size=2 * count, max_size=2 * count)))
    return [f"{_clock(a)}-{_clock(b)}" for a, b in zip(points[::2], points[1::2], strict=True)]


@st.composite
def opening_hours(draw) -> dict:
    spec: dict = {"basis": "test", "working_days": {"sessions": draw(day_sessions())}}
    if draw(st.booleans()):
        spec["weekdays"] = {"friday": {"sessions": draw(day_sessions())}}
    if draw(st.booleans()):
        spec["makeup_workdays"] = {"sessions": draw(day_sessions())}
    if draw(st.booleans()):
        first = draw(st.integers(0, WINDOW_DAYS - 1))
        last = draw(st.integers(first, WINDOW_DAYS - 1))
        start = (WINDOW_START + dt.timedelta(days=first)).strftime("%m-%d")
        end = (WINDOW_START + dt.timedelta(days=last)).strftime("%m-%d")
        season = {"name": "季节", "from": start, "to": end, "basis": "test"}
        season["working_days"] = {"sessions": draw(day_sessions())}
        if draw(st.booleans()):
            season["makeup_workdays"] = {"sessions": draw(day_sessions())}
        spec["seasons"] = [season]
    return spec


class BruteForce:
    """Whether each minute of the window is worked, from the drawn data alone."""

    def __init__(self, data: dict, calendar: WorkingCalendar):
        self.data = data
        self.calendar = calendar
        self.open = bytearray(WINDOW_DAYS * 1440)  # one byte a minute of the window
        for d in range(WINDOW_DAYS):
            day = (WINDOW_START + dt.timedelta(days=d)).date()
            for a, b in self._sessions(day):
                self.open[d * 1440 + a : d * 1440 + b] = b"\x01" * (b - a)

    def _sessions(self, day: dt.date) -> list[tuple[int, int]]:
        if not self.calendar.is_working_day(day):
            return []
        schedule = self.data
        for season in self.data.get("seasons", []):
            if season["from"] <= day.strftime("%m-%d") <= season["to"]:
                schedule = season
        if day.weekday() >= 5:
            chosen = schedule.get("makeup_workdays") or schedule["working_days"]
        elif day.weekday() == 4 and "friday" in schedule.get("weekdays", {}):
            chosen = schedule["weekdays"]["friday"]
        else:
            chosen = schedule["working_days"]
        out = []
        for text in chosen["sessions"]:
            start, end = text.split("-")
            h1, m1 = start.split(":")
            h2, m2 = end.split(":")
            out.append((int(h1) * 60 + int(m1), int(h2) * 60 + int(m2)))
        return out

    def is_open(self, minute: int) -> bool:
        return self.open[minute] == 1

    def minutes_between(self, start: int, end: int) -> int:
        return sum(self.open[start:end])

    def add(self, start: int, minutes: int) -> int | None:
        """The end of the ``minutes``-th open minute from ``start`` (None past the window)."""
        for m in range(start, len(self.open)):
            minutes -= self.open[m]
            if minutes == 0:
                return m + 1
        return None

    def next_opening(self, start: int) -> int | None:
        found = self.open.find(1, start)
        return None if found < 0 else found


def within(ask):
    """What ``ask()`` answers; a result past the calendar's last day (a day of one minute and
    many hours to add) is not these properties' business."""
    try:
        return ask()
    except CalendarError:
        assume(False)


def build(data: dict, calendar: WorkingCalendar) -> tuple[WorkingHours, BruteForce]:
    spec = OpeningHoursSpec.model_validate(data)
    return WorkingHours(spec, calendar), BruteForce(data, calendar)


minute_offsets = st.integers(0, (WINDOW_DAYS - 4) * 24 * 60)


def moment(offset: int) -> dt.datetime:
    return WINDOW_START + offset * MINUTE


@given(data=opening_hours(), start=minute_offsets, span=st.integers(0, 3 * 24 * 60))
def test_hours_between_count_the_open_minutes(calendar, data, start, span):
    """working_hours_between(s, e) × 60 is the number of open minutes in [s, e)."""
    hours, brute = build(data, calendar)
    s, e = moment(start), moment(start + span)
    expected = brute.minutes_between(start, start + span)
    assert hours.working_hours_between(s, e) * 60 == pytest.approx(expected)


@given(data=opening_hours(), start=minute_offsets, minutes=st.integers(1, 20 * 60))
def test_adding_hours_ends_with_the_last_open_minute(calendar, data, start, minutes):
    """add_working_hours(s, k minutes) is the end of the k-th open minute at or after s."""
    hours, brute = build(data, calendar)
    expected = brute.add(start, minutes)
    assume(expected is not None)
    assert hours.add_working_hours(moment(start), Fraction(minutes, 60)) == moment(expected)


@given(data=opening_hours(), start=minute_offsets)
def test_is_open_and_next_opening_agree_with_the_minutes(calendar, data, start):
    """is_open is membership of an open minute; next_opening is the first open minute from s."""
    hours, brute = build(data, calendar)
    s = moment(start)
    assert hours.is_open(s) is brute.is_open(start)
    assert hours.is_open(s + dt.timedelta(seconds=59)) is brute.is_open(start)
    expected = brute.next_opening(start)
    assume(expected is not None)
    assert hours.next_opening(s) == moment(expected)
    assert hours.add_working_hours(s, 0) == moment(expected)


seconds = st.integers(0, (WINDOW_DAYS - 4) * 86400 * 1_000_000)
amounts = st.floats(0.001, 40, allow_nan=False)


def exact(micro: int) -> dt.datetime:
    return WINDOW_START + dt.timedelta(microseconds=micro)


@given(data=opening_hours(), start=seconds, h=amounts)
def test_counting_the_hours_added_gives_them_back(calendar, data, start, h):
    """working_hours_between(s, add_working_hours(s, h)) == h within a second, for s inside a
    session (and outside one too)."""
    hours, _ = build(data, calendar)
    s = exact(start)
    end = within(lambda: hours.add_working_hours(s, h))
    assert abs(hours.working_hours_between(s, end) - h) < 1 / 3600
    inside = hours.next_opening(s)
    end = within(lambda: hours.add_working_hours(inside, h))
    assert abs(hours.working_hours_between(inside, end) - h) < 1 / 3600
    assert abs(hours.working_hours_between(end, hours.add_working_hours(end, -h)) + h) < 1 / 3600


@given(data=opening_hours(), start=seconds, h1=amounts, h2=amounts, later=st.integers(0, 10**11))
def test_adding_is_monotonic(calendar, data, start, h1, h2, later):
    """More hours never end earlier; a later start never ends earlier."""
    hours, _ = build(data, calendar)
    s = exact(start)
    low, high = sorted((h1, h2))
    first = within(lambda: hours.add_working_hours(s, low))
    assert first <= within(lambda: hours.add_working_hours(s, high))
    assert first <= within(
        lambda: hours.add_working_hours(s + dt.timedelta(microseconds=later), low)
    )
    e1, e2 = sorted((exact(start + later), exact(start + 2 * later)))
    assert hours.working_hours_between(s, e1) <= hours.working_hours_between(s, e2)


@given(
    data=opening_hours(),
    points=st.lists(seconds, min_size=3, max_size=3),
    m1=st.integers(1, 3000),
    m2=st.integers(1, 3000),
)
def test_hours_add_up(calendar, data, points, m1, m2):
    """between(a, b) + between(b, c) == between(a, c) in any order; adding h1 then h2 is
    adding h1 + h2."""
    hours, _ = build(data, calendar)
    a, b, c = (exact(p) for p in points)
    assert hours.working_hours_between(a, b) + hours.working_hours_between(b, c) == pytest.approx(
        hours.working_hours_between(a, c), abs=1e-9
    )
    h1, h2 = Fraction(m1, 60), Fraction(m2, 60)
    once = within(lambda: hours.add_working_hours(a, h1 + h2))
    twice = hours.add_working_hours(hours.add_working_hours(a, h1), h2)
    assert once == twice


zones = st.sampled_from(["UTC", "America/New_York", "Asia/Kolkata", "Europe/London", "Asia/Tokyo"])


@given(data=opening_hours(), start=seconds, h=amounts, zone=zones)
def test_the_zone_a_moment_is_written_in_does_not_matter(calendar, data, start, h, zone):
    """The same instant written in another zone gets the same answers, in the rulebook's zone."""
    hours, _ = build(data, calendar)
    s = exact(start)
    elsewhere = s.astimezone(ZoneInfo(zone))
    end = within(lambda: hours.add_working_hours(elsewhere, h))
    assert end == hours.add_working_hours(s, h) and end.tzinfo == ZONE
    assert hours.is_open(elsewhere) is hours.is_open(s)
    later = (s + dt.timedelta(hours=h)).astimezone(ZoneInfo(zone))
    assert hours.working_hours_between(elsewhere, later) == hours.working_hours_between(
        s, s + dt.timedelta(hours=h)
    )
