"""The ``working_hours`` extension: the rulebook's ``opening_hours:`` section and its
:class:`~fyrules.deadlines.hours.WorkingHours`, built on the ``deadlines`` extension's calendar.

It is a part of its own (``rb.part("working_hours")``) so that the ``deadlines`` part stays the
working-day calendar everything else builds on. A rulebook without ``opening_hours:`` has no
working hours: nothing in the national baseline fixes a center's hours, so there is no default,
and :func:`working_hours_of` says so (``HOURS-UNDEFINED``) instead of guessing.
"""

from __future__ import annotations

from typing import Any

from ...engine.extension import BuildContext, BuildResult, Extension
from ...engine.load.sections import Section
from ..calendar import WorkingCalendar
from . import WorkingHours
from . import problems as hours_problems
from .problems import WorkingHoursError
from .spec import OpeningHoursSpec, read_opening_hours


def working_hours_of(rulebook: Any) -> WorkingHours:
    """The rulebook's working hours; :class:`WorkingHoursError` (``HOURS-UNDEFINED``) when it
    defines no ``opening_hours:``."""
    hours = rulebook.part("working_hours")
    if hours is None:
        raise WorkingHoursError(hours_problems.undefined(getattr(rulebook, "id", None)))
    return hours


def _build(ctx: BuildContext) -> BuildResult:
    entries = ctx.sources.section("opening_hours")
    if not entries:
        return BuildResult(None)
    calendar = ctx.built.get("deadlines")
    if not isinstance(calendar, WorkingCalendar):  # composed without the deadlines extension
        found = ctx.sources.section("calendar")
        calendar = WorkingCalendar.from_spec(
            found[-1].spec if found else None, timezone=ctx.sources.top.manifest.timezone
        )
    return BuildResult(WorkingHours(entries[-1].spec, calendar))  # the most local wins


SECTIONS = (
    Section(
        "opening_hours",
        OpeningHoursSpec,
        "办公时间",
        "opening hours",
        many=False,
        build=read_opening_hours,
    ),
)

WORKING_HOURS = Extension(name="working_hours", sections=SECTIONS, build=_build)
