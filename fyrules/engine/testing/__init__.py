"""Testing, the stage after evaluation: the rulebook's own test cases (:mod:`.spec`) run
(:mod:`.runner`), their coverage (:mod:`.coverage`), the static checks of test entries
(:mod:`.checks`), and the reports ``fyrules check`` and ``fyrules test`` print
(:mod:`.report`)."""

from .checks import check_tests
from .coverage import Coverage
from .runner import TestReport, TestResult, run_tests
from .spec import Expect, TestSpec

__all__ = ["Coverage", "Expect", "TestReport", "TestResult", "TestSpec", "check_tests", "run_tests"]
