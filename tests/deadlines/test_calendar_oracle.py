"""An independent oracle: the ``chinese-calendar`` package's own record of 2004–2026.

It is a test dependency only (the ``test`` extra), never one of the library's.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fyrules.deadlines import WorkingCalendar

pytestmark = pytest.mark.optional  # needs chinese-calendar, from the test extra

chinese_calendar = pytest.importorskip(
    "chinese_calendar", reason="chinese-calendar is not installed (pip install '.[test]')"
)

# The two packages read the 2006 New Year notice differently for this one Saturday.
KNOWN_DISAGREEMENTS = {dt.date(2005, 12, 31)}


def test_working_days_match_chinese_calendar_2004_to_2026():
    calendar = WorkingCalendar(2026)
    day, last = dt.date(2004, 1, 1), dt.date(2026, 12, 31)
    disagreements = set()
    while day <= last:
        if calendar.is_working_day(day) != chinese_calendar.is_workday(day):
            disagreements.add(day)
        day += dt.timedelta(days=1)
    assert disagreements == KNOWN_DISAGREEMENTS
