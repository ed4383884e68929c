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

from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
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
    from .notifications import (
        DeliveryError,
        Dispatcher,
        Notification,
        NotificationLog,
        Notifier,
        RetryPolicy,
        Scheduler,
    )
    from .rulebook import CheckResult, Rulebook, check, load

# Where each public name lives: imported on first use (PEP 562), so that a command
# pays only for the modules it runs (``fyrules check`` needs no monitor, store or notifier).
_HOME = {
    "Event": "cases.events",
    "Duplicate": "cases.monitor",
    "partition_of": "cases.partition",
    "Accepted": "cases.state",
    "Rejected": "cases.state",
    "MemoryStore": "cases.store",
    "Store": "cases.store",
    "Finding": "engine.findings",
    "Location": "engine.problems",
    "Problem": "engine.problems",
    "CalendarError": "errors",
    "ClockError": "errors",
    "EvaluationError": "errors",
    "ExpressionError": "errors",
    "FyrulesError": "errors",
    "ProjectPathError": "errors",
    "PublishError": "errors",
    "RulebookError": "errors",
    "TableError": "errors",
    "WorkingHoursError": "errors",
    "DeliveryError": "notifications",
    "Dispatcher": "notifications",
    "Notification": "notifications",
    "NotificationLog": "notifications",
    "Notifier": "notifications",
    "RetryPolicy": "notifications",
    "Scheduler": "notifications",
    "CheckResult": "rulebook",
    "Rulebook": "rulebook",
    "check": "rulebook",
    "load": "rulebook",
}

__all__ = [
    "Accepted",
    "CalendarError",
    "CheckResult",
    "ClockError",
    "DeliveryError",
    "Dispatcher",
    "Duplicate",
    "EvaluationError",
    "Event",
    "ExpressionError",
    "Finding",
    "FyrulesError",
    "Location",
    "MemoryStore",
    "Notification",
    "NotificationLog",
    "Notifier",
    "Problem",
    "ProjectPathError",
    "PublishError",
    "Rejected",
    "RetryPolicy",
    "Rulebook",
    "RulebookError",
    "Scheduler",
    "Store",
    "TableError",
    "WorkingHoursError",
    "__version__",
    "check",
    "load",
    "partition_of",
]


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'fyrules' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
