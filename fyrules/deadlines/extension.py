"""The ``deadlines`` extension: the rulebook's ``calendar:`` section, its working-day calendar,
the working-day functions of the expression language, and the calendar's warnings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..engine.expr import BOOL, DATE, NUMBER, FunctionSpec
from ..engine.extension import BuildContext, BuildResult, Extension
from ..engine.findings import Finding
from ..engine.load.sections import Section
from ..engine.problems import FyrulesError, Problem
from .api import ClockInputs, clock_findings, clock_inputs, clock_of
from .calendar import WorkingCalendar
from .calendar.problems import CalendarError
from .calendar.spec import CalendarSpec, read_calendar
from .clock import CaseClock
from .dependencies import check_dependencies
from .scope import CASE_SCOPE
from .stages import StageBudgetSpec


def working_day_functions(calendar: WorkingCalendar) -> tuple[FunctionSpec, ...]:
    """Working-day arithmetic for rules, bound to one rulebook's calendar."""
    return (
        FunctionSpec(
            name="is_working_day",
            params=(DATE,),
            returns=BOOL,
            impl=calendar.is_working_day,
            doc_zh="该日是否为工作日（含调休上班日）",
            doc_en="whether the date is a working day (make-up workdays included)",
            example="is_working_day(date(2025, 10, 11))",
        ),
        FunctionSpec(
            name="add_working_days",
            params=(DATE, NUMBER),
            returns=DATE,
            impl=calendar.add_working_days,
            doc_zh="某日之后第 n 个工作日（当日不计）",
            doc_en="the n-th working day after the date (the date itself not counted)",
            example="add_working_days(date(2025, 9, 30), 1)",
        ),
        FunctionSpec(
            name="working_days",
            params=(DATE, DATE),
            returns=NUMBER,
            impl=calendar.count_working_days,
            doc_zh="两日之间的工作日数（首尾均计入）",
            doc_en="working days from the first date to the second, both included",
            example="working_days(date(2025, 10, 1), date(2025, 10, 31))",
        ),
    )


def _build(ctx: BuildContext) -> BuildResult:
    entries = ctx.sources.section("calendar")
    spec: CalendarSpec | None = entries[-1].spec if entries else None  # the most local wins
    calendar = WorkingCalendar.from_spec(spec, timezone=ctx.sources.top.manifest.timezone)
    return BuildResult(calendar, (), working_day_functions(calendar))


def _check(rulebook: Any, *, today: dt.date) -> list[Problem]:
    calendar: WorkingCalendar | None = rulebook.part("deadlines")
    if calendar is None:
        return []
    entries = rulebook.sources.section("calendar")
    location = entries[-1].location if entries else None
    out = []
    for warning in (
        calendar.missing_schedule_warning(today, location),
        calendar.unconfirmed_schedule_warning(location),
    ):
        if warning is not None:
            out.append(warning)
    return out


def _check_all(rulebook: Any, *, today: dt.date) -> list[Problem]:
    """The calendar's warnings, and cycles among the catalog's prerequisites (并联审批)."""
    return [*_check(rulebook, today=today), *check_dependencies(rulebook.part("items"))]


SECTIONS = (
    Section(
        "calendar",
        CalendarSpec,
        "工作日历",
        "working-day calendar",
        many=False,
        build=read_calendar,
    ),
    Section("stage_budgets", StageBudgetSpec, "环节时限", "stage budgets"),
)


class CaseClocks:
    """The monitor's ``case_watch`` hook: the clocks of cases as they are replayed, their
    findings (the ``case`` rules), and what a finished case's summary keeps of its clock. What
    the rulebook says about each item's clocks is read once per item."""

    def __init__(self, rulebook: Any):
        self.rulebook = rulebook
        self._inputs: dict[str, ClockInputs] = {}

    def clock(self, item: str, events: Sequence[Any], as_of: dt.datetime | None) -> Any:
        try:
            inputs = self._inputs.get(item)
            if inputs is None:
                inputs = self._inputs[item] = clock_inputs(self.rulebook, item)
            return clock_of(self.rulebook, events, as_of, inputs=inputs)
        except FyrulesError:
            return None

    def findings(self, clock: CaseClock, *, explain: bool = False) -> list[Finding]:
        return clock_findings(self.rulebook, clock, explain=explain)

    def uncounted(
        self, case: str, item: str, events: Sequence[Any], as_of: dt.datetime | None
    ) -> list[Finding]:
        """Why a started clock cannot be counted, as a finding: a due date or a day counted
        past the working calendar's last year gives ``CALENDAR-OUT-OF-RANGE``, so the case is
        never silently left without its deadline warnings. Nothing for other reasons."""
        try:
            clock_of(self.rulebook, events, as_of, inputs=clock_inputs(self.rulebook, item))
        except CalendarError as exc:
            problem = exc.problem
            at = as_of if as_of is not None else (events[-1].at if events else None)
            return [
                Finding(
                    rule="CALENDAR-OUT-OF-RANGE",
                    severity="error",
                    message_zh=f"{problem.message_zh}：本案的期限无法计算，不会有任何时限预警；"
                    "请在日历中补录该年份的节假日安排（calendar:），再重新检查",
                    message_en=f"{problem.message_en}: this case's deadlines cannot be counted "
                    "and it gets no deadline warnings; publish that year's holiday schedule in "
                    "the calendar (calendar:) and check again",
                    basis="工作日历（calendar:）的覆盖范围 / the working calendar's years",
                    subject=case,
                    subject_kind="case",
                    at=at,
                )
            ]
        except FyrulesError:
            return []
        return []

    def summary(self, clock: CaseClock) -> dict[str, Any]:
        return {
            "kind": clock.kind,
            "used_days": clock.used_days,
            "committed_limit": clock.committed_limit,
            "settlement": clock.settlement,
            "settlement_days": clock.settlement_days,
        }


EXTENSION = Extension(
    name="deadlines",
    sections=SECTIONS,
    scopes=(CASE_SCOPE,),
    build=_build,
    check=_check_all,
    case_watch=CaseClocks,
)
