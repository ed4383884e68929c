"""Calendars shared by the calendar tests: building one takes a few hundredths of a second."""

from __future__ import annotations

import datetime as dt

import pytest

from fyrules.deadlines import ExtraDay, WorkingCalendar

# Days a test rulebook adds on top of the package's 2025 schedule.
LOCAL_DAY_OFF = ExtraDay(
    dt.date(2025, 10, 9), "地方放假日", "local day off", "测试依据 / test basis"
)
OFF_ON_MAKEUP_DAY = ExtraDay(dt.date(2025, 9, 28), "取消调休", "make-up day cancelled", "测试依据")
WORKED_HOLIDAY = ExtraDay(dt.date(2025, 10, 8), "改为上班", "worked after all", "测试依据")
WORKED_SATURDAY = ExtraDay(dt.date(2025, 11, 15), "周六上班", "Saturday worked", "测试依据")


@pytest.fixture(scope="session")
def national() -> WorkingCalendar:
    """The national schedule as the holidays package knows it, trusted through 2026."""
    return WorkingCalendar(2026)


@pytest.fixture(scope="session")
def local() -> WorkingCalendar:
    """The national schedule with a rulebook's own days on top."""
    return WorkingCalendar(
        2026,
        extra_holidays=[LOCAL_DAY_OFF, OFF_ON_MAKEUP_DAY],
        extra_workdays=[WORKED_HOLIDAY, WORKED_SATURDAY],
    )


@pytest.fixture(scope="session")
def local_days() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """The days ``local`` adds: (days off, days worked)."""
    return (
        frozenset({LOCAL_DAY_OFF.date, OFF_ON_MAKEUP_DAY.date}),
        frozenset({WORKED_HOLIDAY.date, WORKED_SATURDAY.date}),
    )
