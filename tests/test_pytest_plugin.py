"""The pytest plugin: a sample project collects the Fuyang rulebook's tests and invariants as
pytest items, each with its id and file:line, and gets the usual pytest reports."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.conftest import FUYANG, fuyang_rulebook

pytest_plugins = ["pytester"]

HOST_TEST = "def test_the_host_systems_own_test():\n    assert 1 + 1 == 2\n"


def _project(pytester, ini: str = "") -> Path:
    shutil.copytree(FUYANG, pytester.path / "rules", symlinks=False)
    pytester.makepyfile(test_host=HOST_TEST)
    pytester.makeini(f"[pytest]\n{ini}")
    return pytester.path / "rules"


def _remove(path: Path, rule: str) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {rule}\n")
    end = text.index("  - id: ", start + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")


def test_the_plugin_is_registered_as_a_pytest11_entry_point():
    from importlib.metadata import entry_points

    [entry] = [e for e in entry_points(group="pytest11") if e.name == "fyrules"]
    assert entry.value == "fyrules.pytest_plugin"


def test_the_ini_option_collects_every_test_and_invariant_beside_the_host_tests(pytester):
    _project(pytester, "fyrules_rulebooks = rules\nfyrules_max_examples = 5\n")

    rulebook = fuyang_rulebook()
    tests, invariants = len(rulebook.test_entries), len(rulebook.part("invariants").ids)
    collected = pytester.runpytest("--collect-only", "-q")
    ids = collected.stdout.lines
    assert "rules/rulebook.yaml::tests/separation.yaml::T-APPROVER-OF-ANOTHER-DEPARTMENT" in ids
    assert "rules/rulebook.yaml::invariants.yaml::FY-INV-REVIEWER-NOT-DECIDER" in ids
    assert "rules/rulebook.yaml::national:invariants.yaml::NAT-INV-STATUTORY-OVERDUE-FLAGGED" in ids
    result = pytester.runpytest("--junitxml=report.xml", "-o", "junit_family=xunit1")
    result.assert_outcomes(passed=tests + invariants + 1)
    # each item reports its rule file and line (JUnit's file and line attributes)
    cases = {c.get("name"): c for c in ET.parse(pytester.path / "report.xml").iter("testcase")}
    case = cases["FY-INV-REVIEWER-NOT-DECIDER"]
    line = int(case.get("line")) + 1
    invariants_file = (pytester.path / "rules" / "invariants.yaml").read_text(encoding="utf-8")
    assert case.get("file") == "rules/invariants.yaml"
    assert invariants_file.splitlines()[line - 1].strip() == "- id: FY-INV-REVIEWER-NOT-DECIDER"


def test_a_broken_separation_rule_fails_its_invariant_with_the_counterexample(pytester):
    """Without the rule that no handler inspects their own case, the invariant's item fails
    and shows the events that break it (a reviewer approving is refused by the roster's roles
    too, so that removal leaves no hole)."""
    rules = _project(pytester)
    _remove(rules / "separation.yaml", "SOD-HANDLER-NO-INSPECT")
    result = pytester.runpytest(
        "--fyrules", str(rules), "--fyrules-max-examples", "300", "-k", "HANDLER-NOT-INSPECTOR"
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*invariants.yaml:*INVARIANT-BROKEN: FY-INV-HANDLER-NOT-INSPECTOR*",
            '*"event":"inspect"*',
            "FAILED rules/rulebook.yaml::invariants.yaml::FY-INV-HANDLER-NOT-INSPECTOR*",
        ]
    )


def test_a_failing_rulebook_test_is_a_failing_item_at_its_line(pytester):
    rules = _project(pytester)
    path = rules / "tests" / "separation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "expect: {findings: [FY-APPROVER-OWN-DEPARTMENT]}", "expect: {findings: []}", 1
        ),
        encoding="utf-8",
    )
    result = pytester.runpytest("--fyrules", str(rules), "-k", "T-APPROVER")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*tests/separation.yaml:*TEST-FAILED: T-APPROVER-OF-ANOTHER-DEPARTMENT*",
            "FAILED rules/rulebook.yaml::tests/separation.yaml::T-APPROVER-OF-ANOTHER-DEPARTMENT*",
        ]
    )


def test_a_rulebook_that_does_not_load_is_one_failing_item_naming_its_problems(pytester):
    rules = _project(pytester)
    path = rules / "invariants.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("actors.review", "actors.reveiw", 1))
    result = pytester.runpytest("--fyrules", str(rules))
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*invariants.yaml:*FY-INV-REVIEWER-NOT-DECIDER*"])
