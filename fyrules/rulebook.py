"""The rulebook: everything a folder of rule files says, compiled, and the entry points to it.

:func:`load` reads a rulebook (and the rulebooks it extends), validates and compiles it, and
returns a :class:`Rulebook` or raises :class:`RulebookError` with every problem found.
:func:`check` does the same work for ``fyrules check``: it never raises on bad input and also
runs the static checks (decision-table overlaps and gaps, catalog rules, calendar warnings).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import attrs

from ._today import today as current_date
from .engine.cascades import broken_rule_ids, without_cascades
from .engine.collector import collector_paused
from .engine.compile import Compiled, compile_rulebook, engine_checks
from .engine.expr import EvaluationError
from .engine.extension import Extension
from .engine.findings import Finding
from .engine.load.sections import Entry
from .engine.problems import Problem, RulebookError, has_errors, sort_problems
from .engine.rules import RuleSet
from .engine.suggest import hint
from .engine.tables import TableError, TableResult
from .engine.testing import TestReport, run_tests

if TYPE_CHECKING:
    from .cases.events import Event
    from .cases.monitor import Monitor
    from .cases.store import Store
    from .deadlines import WorkingCalendar
    from .deadlines.clock import CaseClock
    from .deadlines.hours import WorkingHours
    from .deadlines.parallel import DaysKind, ProjectPath
    from .items import Catalog
    from .scoring import ScoreResult
    from .separation.inspection.draw import Draw


def default_extensions() -> tuple[Extension, ...]:
    """The domain packages that a plain :func:`load` composes, in build order."""
    from .cases.extension import EXTENSION as CASES
    from .deadlines import EXTENSION as DEADLINES
    from .deadlines.hours.extension import WORKING_HOURS
    from .deadlines.project_policy import EXTENSION as PROJECTS
    from .invariants import EXTENSION as INVARIANTS
    from .items import EXTENSION as ITEMS
    from .notifications import EXTENSION as NOTIFICATIONS
    from .scoring import EXTENSION as SCORING
    from .separation import EXTENSION as SEPARATION
    from .separation.inspection.extension import EXTENSION as INSPECTION
    from .workflows import EXTENSION as WORKFLOWS

    # invariants last: they compile against every function the others add
    return (
        *(DEADLINES, WORKING_HOURS, ITEMS, CASES, SEPARATION, SCORING, INSPECTION, WORKFLOWS),
        NOTIFICATIONS,
        PROJECTS,
        INVARIANTS,
    )


@attrs.frozen(slots=True)
class Rulebook(Compiled):
    """A compiled rulebook (the fields of :class:`~fyrules.engine.compile.Compiled`) and what
    can be asked of it. Immutable; safe to share between threads."""

    @property
    def id(self) -> str:
        """The rulebook's id (``rulebook:`` of its manifest)."""
        return self.manifest.rulebook

    @property
    def root(self) -> Path:
        """The folder it was loaded from (the top layer's)."""
        return self.layers[-1].root

    @property
    def timezone(self) -> str:
        """The IANA time zone of its manifest (``Asia/Shanghai`` for Fuyang)."""
        return self.manifest.timezone

    @property
    def test_entries(self) -> tuple[Entry, ...]:
        """The ``tests:`` entries of every layer, as :meth:`run_tests` runs them."""
        return self.sources.section("tests")

    @property
    def calendar(self) -> WorkingCalendar:
        """The working-day calendar (China's official one plus the rulebook's ``calendar:``)."""
        return self.parts["deadlines"]

    @property
    def working_hours(self) -> WorkingHours:
        """The center's working hours: its ``opening_hours:`` on the working-day calendar.
        Raises ``WorkingHoursError`` (``HOURS-UNDEFINED``) when the rulebook defines none."""
        from .deadlines.hours.extension import working_hours_of

        return working_hours_of(self)

    @property
    def items(self) -> Catalog:
        """The item catalog, by item code."""
        return self.parts["items"]

    def part(self, name: str) -> Any:
        """What the extension ``name`` built (the catalog for ``items`` …)."""
        return self.parts.get(name)

    def evaluate(
        self,
        scope: str,
        context: Mapping[str, Any],
        *,
        on: dt.date | None = None,
        explain: bool = False,
        at: dt.datetime | dt.date | None = None,
    ) -> list[Finding]:
        """Findings of the rules of ``scope`` in force on ``on``, for one context. Raises
        ``EvaluationError`` when the scope does not exist (``UNKNOWN-SCOPE``) or the context
        lacks a field a rule reads (``EXPR-EVALUATION``)."""
        try:
            sc = self.scopes[scope]
        except KeyError:
            problem = _unknown("UNKNOWN-SCOPE", "作用域", "scope", scope, self.scopes)
            raise EvaluationError(problem) from None
        subject = context.get(sc.subject) if sc.subject else None
        return self.rules.evaluate(
            scope,
            context,
            on=on,
            explain=explain,
            subject=None if subject is None else str(subject),
            subject_kind=sc.name,
            at=at,
        )

    def deadline(self, item: str, accepted_at: dt.datetime) -> CaseClock:
        """Statutory and committed due dates of ``item`` accepted at ``accepted_at``
        (``statutory_due``, ``committed_due``, ``provisional``)."""
        from .deadlines.api import deadline_of

        return deadline_of(self, item, accepted_at)

    def case_clock(self, events: Iterable[Event], as_of: dt.datetime | None = None) -> CaseClock:
        """The clock of one case from its events, as of ``as_of`` (default: its last event)."""
        from .deadlines.api import clock_of

        return clock_of(self, events, as_of)

    def case_findings(
        self, events: Iterable[Event], as_of: dt.datetime | None = None, *, explain: bool = False
    ) -> list[Finding]:
        """Deadline and warning findings (rules of the ``case`` scope) for one case."""
        from .deadlines.api import case_findings

        return case_findings(self, events, as_of, explain=explain)

    def monitor(self, store: Store | None = None, *, trail: bool = True) -> Monitor:
        """A monitor replaying case events of this rulebook into ``store`` (a new
        :class:`~fyrules.cases.store.MemoryStore` by default)."""
        from .cases.monitor import Monitor

        return Monitor(self, store, trail=trail)

    def score(
        self,
        events: Iterable[Any] | str | Path,
        *,
        month: str,
        previous: Any = None,
        assessments: Mapping[str, Mapping[str, float]] | None = None,
        version: str | None = None,
    ) -> ScoreResult:
        """Scorecards and ranking of ``month`` (``YYYY-MM``) from case events, under the
        scoring scheme version in force then (see :func:`fyrules.scoring.score`)."""
        from .scoring import score

        return score(
            self, events, month=month, previous=previous, assessments=assessments, version=version
        )

    def score_stores(
        self,
        stores: Iterable[Store],
        *,
        month: str,
        previous: Any = None,
        assessments: Mapping[str, Mapping[str, float]] | None = None,
        version: str | None = None,
    ) -> ScoreResult:
        """Scorecards and ranking of ``month`` from every case the stores hold, replaying
        nothing: one store, or the stores of every partition of one database, each
        partition's month folded on its own and the totals merged, so the result is that of
        one replay of every case (see :func:`fyrules.scoring.api.score_partitions`)."""
        from .scoring.api import score_partitions
        from .scoring.records import case_records

        return score_partitions(
            self,
            [case_records(self.monitor(store=store)) for store in stores],
            month=month,
            previous=previous,
            assessments=assessments,
            version=version,
        )

    def inspection_draw(
        self,
        events: Iterable[Any] | str | Path,
        *,
        month: str,
        public_value: str,
        store: Store | None = None,
    ) -> Draw:
        """The random inspection draw (双随机) of ``month`` (``YYYY-MM``): cases closed that
        month drawn by department from a seed derived from ``public_value``, and an inspector
        for each within every recusal and capacity, or why none can be assigned; recorded in
        the trail of ``store`` (see :func:`fyrules.separation.inspection.draw.draw_month`)."""
        from .separation.inspection.draw import draw_month

        return draw_month(self, events, month=month, public_value=public_value, store=store)

    def lookup(self, table: str, inputs: Mapping[str, Any]) -> TableResult:
        """Look ``inputs`` up in a decision table; raises ``TableError`` when it cannot (an
        unknown table is ``UNKNOWN-REFERENCE``)."""
        if table not in self.tables:
            raise TableError(
                _unknown("UNKNOWN-REFERENCE", "决策表", "decision table", table, self.tables)
            )
        return self.tables[table].evaluate(inputs)

    @property
    def tested_rules(self) -> RuleSet:
        """The rules and the invariants (``invariants:``), as rulebook tests see them: a test of
        the ``case_history`` or ``person_month`` scope expects the invariants it breaks."""
        from .engine.compile import with_invariants

        return with_invariants(self)

    def run_tests(self, entries: Iterable[Entry] | None = None) -> TestReport:
        """Run the rulebook's own test cases (or only ``entries``, some of them)."""
        return run_tests(
            self.test_entries if entries is None else entries,
            rules=self.tested_rules,
            tables=self.tables,
            scopes=self.scopes,
            host=self,
            visible=lambda layer: (
                self.sources.visible_from(layer, "rules")
                | self.sources.visible_from(layer, "invariants")
            ),
            covered=self.rules,
        )

    def project_path(self, target: str, days: DaysKind = "committed") -> ProjectPath:
        """Serial and critical-path totals (并联审批) of the project that ends with the item
        ``target``: the target and all its prerequisites. ``days``: ``committed`` or
        ``statutory`` limits. Raises ``ProjectPathError`` naming every problem."""
        from .deadlines.parallel import project_path

        return project_path(self.items, target, days=days)


@attrs.frozen(slots=True)
class CheckResult:
    """What ``fyrules check`` found: every problem, and the rulebook if it compiled."""

    problems: tuple[Problem, ...]
    rulebook: Rulebook | None

    @property
    def ok(self) -> bool:
        """No problem at error level (warnings allowed)."""
        return not has_errors(self.problems)


def load(path: str | Path, *, extensions: Sequence[Extension] | None = None) -> Rulebook:
    """Load and compile the rulebook at ``path``; raise :class:`RulebookError` on any error."""
    rulebook, problems = _build(Path(path), extensions)
    if rulebook is None or has_errors(problems):
        raise RulebookError([p for p in problems if p.severity == "error"])
    return rulebook


def check(
    path: str | Path,
    *,
    extensions: Sequence[Extension] | None = None,
    today: dt.date | None = None,
) -> CheckResult:
    """Every problem of the rulebook at ``path``, static checks included, as of ``today`` (default:
    ``FYRULES_TODAY`` or the date in the rulebook's time zone). Never raises on bad input."""
    with collector_paused():  # the whole check, not only reading: see .engine.collector
        rulebook, problems = _build(Path(path), extensions)
        if rulebook is not None:
            derived: list[Problem] = []
            on = today or current_date(ZoneInfo(rulebook.timezone))
            derived.extend(engine_checks(rulebook))
            for ext in rulebook.extensions:
                if ext.check is not None:
                    derived.extend(ext.check(rulebook, today=on))
            load = list(problems)
            problems.extend(without_cascades(load, derived, broken_rule_ids(load)))
        return CheckResult(tuple(sort_problems(problems)), rulebook)


def _build(
    path: Path, extensions: Sequence[Extension] | None
) -> tuple[Rulebook | None, list[Problem]]:
    exts = default_extensions() if extensions is None else extensions
    with collector_paused():  # building the models and the indexes too, not only reading
        compiled, problems = compile_rulebook(path, exts)
    if compiled is None:
        return None, problems
    return Rulebook(**{f.name: getattr(compiled, f.name) for f in attrs.fields(Compiled)}), problems


def _unknown(code: str, what_zh: str, what_en: str, name: str, known: Iterable[str]) -> Problem:
    """A problem naming something the rulebook does not have, with the closest it does."""
    zh, en = hint(name, list(known))
    return Problem(
        code, f"规则集中没有{what_zh} “{name}”{zh}", f"the rulebook has no {what_en} '{name}'{en}"
    )
