"""Deadlines as a rulebook answers them: an item's due dates, a case's clock and its findings.

These functions read what the rulebook holds — its calendar, counting parameters, catalog,
special procedures and stage budgets — and hand it to :mod:`fyrules.deadlines.clock`.
:class:`fyrules.Rulebook` exposes them as methods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from ..cases.events import Event
from ..engine.findings import Finding
from ..engine.problems import Problem
from ..engine.suggest import hint
from .clock import CaseClock, ClockError, CountingRules, ProcedureLimits, case_clock, with_hours
from .stages import budget_for


def counting_rules(rulebook: Any) -> CountingRules:
    """The rulebook's counting conventions: ``first_day_counted`` and ``acceptance_cutoff``."""
    params = rulebook.parameters
    first = params.get("first_day_counted")
    cutoff = params.get("acceptance_cutoff")
    cutoff_time = None
    if cutoff is not None and cutoff.value not in (None, "", False):
        cutoff_time = dt.time.fromisoformat(str(cutoff.value))

    def number(name: str) -> int | None:
        param = params.get(name)
        value = param.value if param is not None else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    return CountingRules(
        calendar=rulebook.calendar,
        timezone=rulebook.timezone,
        first_day_counted=bool(first.value) if first is not None else False,
        acceptance_cutoff=cutoff_time,
        correction_notice_days=number("correction_notice_days"),
        decision_extension_days=number("decision_extension_days"),
        joint_extension_days=number("joint_extension_days"),
        lower_level_review_days=number("lower_level_review_days"),
        delivery_days=number("delivery_days"),
    )


def _item(rulebook: Any, code: str) -> Any:
    catalog = rulebook.items
    item = catalog.items.get(code)
    if item is None:
        zh_hint, en_hint = hint(code, catalog.items)
        raise ClockError(
            Problem(
                "UNKNOWN-ITEM",
                f"事项 “{code}” 不在目录中{zh_hint}",
                f"item '{code}' is not in the catalog{en_hint}",
            )
        )
    return item


def _procedures(rulebook: Any, item: Any) -> dict[str, ProcedureLimits]:
    """Per pause reason: the item's own limits first, then the rulebook's definitions."""
    defined = rulebook.items.procedures
    out = {
        code: ProcedureLimits(spec.counted, spec.max_days, spec.article45)
        for code, spec in defined.items()
    }
    for proc in item.special_procedures:
        spec = defined.get(proc.name)
        out[proc.name] = ProcedureLimits(
            proc.counted, proc.max_days, spec.article45 if spec is not None else False
        )
    return out


@attrs.frozen(slots=True)
class ClockInputs:
    """What a rulebook says about the clocks of one item's cases: read once, used for every
    case of the item (a monitor keeps them per item)."""

    item: Any
    kind: str | None
    rules: CountingRules
    procedures: dict[str, ProcedureLimits]
    stage_budgets: dict[str, int] | None
    hours: Any  # the working hours for a limit in hours, or None


def clock_inputs(rulebook: Any, item_code: str) -> ClockInputs:
    """The inputs of the clocks of ``item_code``'s cases; raises :class:`ClockError` for an
    item not in the catalog."""
    item = _item(rulebook, item_code)
    kind = rulebook.items.kind(item)
    budget = budget_for(
        (e.spec for e in rulebook.sources.section("stage_budgets")), item.code, kind
    )
    return ClockInputs(
        item=item,
        kind=kind,
        rules=counting_rules(rulebook),
        procedures=_procedures(rulebook, item),
        stage_budgets=budget.budgets(item.committed_days) if budget is not None else None,
        hours=rulebook.part("working_hours") if item.committed_hours is not None else None,
    )


def clock_of(
    rulebook: Any,
    events: Iterable[Event],
    as_of: dt.datetime | None = None,
    *,
    inputs: ClockInputs | None = None,
) -> CaseClock:
    """The clock of one case (all events of the same case) as of ``as_of``. ``inputs``, if
    given, are :func:`clock_inputs` of the case's item (read once by a caller that computes
    many clocks). The events need only the attributes the clock reads (``case``, ``item``,
    ``event``, ``at``, ``data``)."""
    events = list(events)
    if not events:
        raise ClockError(Problem("CLOCK-NOT-STARTED", "没有事件", "no events"))
    if inputs is None or inputs.item.code != events[0].item:
        inputs = clock_inputs(rulebook, events[0].item)
    item = inputs.item
    clock = case_clock(
        events,
        rules=inputs.rules,
        statutory_limit=item.statutory_days,
        committed_limit=item.committed_days,
        kind=inputs.kind,
        procedures=inputs.procedures,
        stage_budgets=inputs.stage_budgets,
        as_of=as_of,
    )
    if item.committed_hours is not None and inputs.hours is not None:
        # without opening hours, the limit in days still applies
        clock = with_hours(clock, inputs.hours, item.committed_hours)
    return clock


def deadline_of(rulebook: Any, item_code: str, accepted_at: dt.datetime) -> CaseClock:
    """The statutory and committed due dates of ``item_code`` accepted at ``accepted_at``."""
    item = _item(rulebook, item_code)
    if not isinstance(accepted_at, dt.datetime) or accepted_at.utcoffset() is None:
        raise ClockError(
            Problem(
                "INVALID-VALUE",
                f"受理时间须为带时区的时间：{accepted_at!r}",
                f"the acceptance time must be a datetime with its time zone: {accepted_at!r}",
            )
        )
    accept = Event(case="-", item=item.code, event="accept", at=accepted_at)
    return clock_of(rulebook, [accept], as_of=accepted_at)


def case_findings(
    rulebook: Any,
    events: Iterable[Event],
    as_of: dt.datetime | None = None,
    *,
    explain: bool = False,
) -> list[Finding]:
    """Findings of the ``case`` rules in force on the acceptance date, as of ``as_of``."""
    return clock_findings(rulebook, clock_of(rulebook, events, as_of), explain=explain)


def clock_findings(rulebook: Any, clock: CaseClock, *, explain: bool = False) -> list[Finding]:
    """Findings of the ``case`` rules in force on the case's acceptance date, for its clock."""
    return rulebook.rules.evaluate(
        "case",
        clock.to_context(),
        on=clock.accepted_on,
        subject=clock.case,
        subject_kind="case",
        at=clock.as_of,
        explain=explain,
    )
