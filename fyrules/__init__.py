"""fyrules: declarative rules for administrative approval.

Load a rulebook (a folder of YAML rule files) and ask it questions::

    import fyrules
    rb = fyrules.load("examples/fuyang")       # raises fyrules.RulebookError(problems)
    rb.evaluate("item", context)               # findings of the item rules
    rb.lookup("COMMITTED-LIMIT-BY-TYPE", {...})
    rb.run_tests()

Everything not named here is private and may change.
"""

from ._version import __version__
from .engine.findings import Finding
from .engine.problems import FyrulesError, Location, Problem, RulebookError
from .rulebook import CheckResult, Rulebook, check, load

__all__ = [
    "CheckResult",
    "Finding",
    "FyrulesError",
    "Location",
    "Problem",
    "Rulebook",
    "RulebookError",
    "__version__",
    "check",
    "load",
]
