"""Deadlines: the working-day calendar (case clocks and deadlines build on it)."""

from .calendar import WorkingCalendar
from .calendar_days import DayInfo, ExtraDay
from .calendar_problems import CalendarError
from .calendar_spec import CalendarSpec, parse_calendar, read_calendar
from .extension import EXTENSION, working_day_functions

__all__ = [
    "EXTENSION",
    "CalendarError",
    "CalendarSpec",
    "DayInfo",
    "ExtraDay",
    "WorkingCalendar",
    "parse_calendar",
    "read_calendar",
    "working_day_functions",
]
