"""Deadlines: China's working-day calendar, case clocks, stage budgets, warnings and
parallel approval."""

from .calendar import WorkingCalendar
from .calendar.days import DayInfo, ExtraDay
from .calendar.problems import CalendarError
from .calendar.spec import CalendarSpec, parse_calendar, read_calendar
from .clock import (
    CaseClock,
    ClockError,
    CountingRules,
    Pause,
    ProcedureLimits,
    StageTime,
    case_clock,
)
from .extension import EXTENSION, working_day_functions
from .parallel import ProjectPath, ProjectPathError, project_path

__all__ = [
    "EXTENSION",
    "CalendarError",
    "CalendarSpec",
    "CaseClock",
    "ClockError",
    "CountingRules",
    "DayInfo",
    "ExtraDay",
    "Pause",
    "ProcedureLimits",
    "ProjectPath",
    "ProjectPathError",
    "StageTime",
    "WorkingCalendar",
    "case_clock",
    "parse_calendar",
    "project_path",
    "read_calendar",
    "working_day_functions",
]
