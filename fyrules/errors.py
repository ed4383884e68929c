"""Every error fyrules raises on purpose, in one place.

Each is a :class:`FyrulesError`; the ones that report one problem carry it as ``problem`` (a
:class:`~fyrules.Problem` with a code, a location and a message in Chinese and English), the
ones that report several carry ``problems``. Catch ``FyrulesError`` for all of them::

    FyrulesError                       problem: Problem | None
    ├── UsageError                     bad arguments for a command (exit 2)
    ├── RulebookError                  problems: a rulebook that cannot be loaded
    ├── ExpressionError                an expression refused when compiled
    ├── EvaluationError                an expression or scope failed on one context
    ├── TableError                     a decision table cannot answer these inputs
    ├── EventError                     an event that cannot be read
    ├── CanonicalError (ValueError)    a value the trail's canonical JSON refuses
    ├── ClockError                     a clock that cannot be computed, a time without a zone
    ├── TrailError                     a trail operation that cannot go on
    ├── CalendarError                  a date outside the calendar's years, a bad argument
    │   └── WorkingHoursError          a working-hours question that cannot be answered
    ├── ProjectPathError               problems: a project path (并联审批) that cannot be computed
    ├── PublishError                   pages that cannot be written
    ├── AssessmentError                problems: bad rows of a normal-index file
    └── ScoringError                   a month that cannot be scored

Exceptions not listed (``CellError``, ``DomainError``, ``LiteralError`` and the private ones)
are internal signals: they become problems and never reach a caller.
"""

from .cases.canonical import CanonicalError
from .cases.errors import ClockError
from .cases.events import EventError
from .cases.trail.chain import TrailError
from .deadlines.calendar.problems import CalendarError
from .deadlines.hours.problems import WorkingHoursError
from .deadlines.parallel import ProjectPathError
from .engine.expr.errors import EvaluationError, ExpressionError
from .engine.problems import FyrulesError, RulebookError, UsageError
from .engine.tables.table import TableError
from .publication.pages import PublishError
from .scoring.assessments import AssessmentError
from .scoring.scheme import ScoringError

__all__ = [
    "AssessmentError",
    "CalendarError",
    "CanonicalError",
    "ClockError",
    "EvaluationError",
    "EventError",
    "ExpressionError",
    "FyrulesError",
    "ProjectPathError",
    "PublishError",
    "RulebookError",
    "ScoringError",
    "TableError",
    "TrailError",
    "UsageError",
    "WorkingHoursError",
]
