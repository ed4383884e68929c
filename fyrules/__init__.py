"""fyrules: declarative rules for administrative approval.

Load a rulebook (a folder of YAML rule files) and ask it questions::

    import fyrules
    rb = fyrules.load("examples/fuyang")       # raises fyrules.RulebookError(problems)
    rb.evaluate("item", context)               # findings of the item rules
    rb.lookup("COMMITTED-CEILING", {...})
    rb.deadline("FY-SC-001", accepted_at)      # statutory_due, committed_due, provisional
    monitor = rb.monitor(store=fyrules.MemoryStore())
    monitor.feed(event)                        # Accepted, Rejected (with its reason) or Duplicate
    monitor.findings(as_of=moment)
    rb.run_tests()

Every error is a ``fyrules.FyrulesError``; :mod:`fyrules.errors` holds them all, with their
hierarchy, and the documented ones are exported here.

Everything not named here is private and may change. The public modules are ``fyrules``,
``fyrules.errors``, ``fyrules.store_contract`` (the storage port's contract suite, for adapter
authors), ``fyrules.site`` (the HTML pages one at a time, for adapters that serve them) and
``fyrules.examples`` (the rulebooks shipped in the package); every other module is
private to the package, whatever its name.
"""

from ._version import __version__
from .cases.events import Event
from .cases.monitor import Duplicate
from .cases.partition import partition_of
from .cases.state import Accepted, Rejected
from .cases.store import MemoryStore, Store
from .engine.findings import Finding
from .engine.problems import Location, Problem
from .errors import (
    CalendarError,
    ClockError,
    EvaluationError,
    ExpressionError,
    FyrulesError,
    ProjectPathError,
    PublishError,
    RulebookError,
    TableError,
    WorkingHoursError,
)
from .rulebook import CheckResult, Rulebook, check, load

__all__ = [
    "Accepted",
    "CalendarError",
    "CheckResult",
    "ClockError",
    "Duplicate",
    "EvaluationError",
    "Event",
    "ExpressionError",
    "Finding",
    "FyrulesError",
    "Location",
    "MemoryStore",
    "Problem",
    "ProjectPathError",
    "PublishError",
    "Rejected",
    "Rulebook",
    "RulebookError",
    "Store",
    "TableError",
    "WorkingHoursError",
    "__version__",
    "check",
    "load",
    "partition_of",
]
