"""Rulebook tests of the month scope: a scheme's points checked with ``expect.values``."""

from __future__ import annotations

from pathlib import Path

import fyrules
from tests.helpers import write_rulebook

FUYANG_SCORING = Path(__file__).resolve().parents[2] / "examples" / "fuyang"


def _with_tests(tmp_path, tests: str):
    """Fuyang's scheme and bands in a small rulebook, with ``tests``."""
    files = {
        "scoring.yaml": (FUYANG_SCORING / "scoring.yaml").read_text("utf-8"),
        "tests.yaml": tests,
    }
    root = write_rulebook(tmp_path / "rb", files)
    (root / "tables").mkdir()
    for name in (
        "satisfaction-band.csv",
        "early-settlement-band.csv",
        "acceptance-volume-band.csv",
    ):
        (root / "tables" / name).write_text(
            (FUYANG_SCORING / "tables" / name).read_text("utf-8"), "utf-8"
        )
    return fyrules.check(root)


def test_a_wrong_expected_point_fails_and_says_what_came_out(tmp_path):
    result = _with_tests(
        tmp_path,
        """\
        tests:
          - id: T-WRONG
            scope: month
            given: {accepted: 10, settled: 10, early_count: 10}
            expect:
              values: {points: {EARLY: 12}}
        """,
    )
    report = result.rulebook.run_tests()
    [failure] = report.failures
    assert failure.problem().code == "TEST-FAILED"
    assert "EARLY" in failure.message_en and "15" in failure.message_en


def test_a_misspelled_statistic_in_given_is_reported_by_check(tmp_path):
    result = _with_tests(
        tmp_path,
        """\
        tests:
          - id: T-TYPO
            scope: month
            given: {acepted: 10}
            expect:
              values: {score: 0}
        """,
    )
    assert [p.code for p in result.problems if p.rule == "T-TYPO"] == ["TEST-INVALID"]


def test_values_of_a_scope_that_computes_none_fail_clearly(tmp_path):
    result = _with_tests(
        tmp_path,
        """\
        tests:
          - id: T-ITEM-VALUES
            scope: case
            given: {}
            expect:
              values: {score: 1}
        """,
    )
    [failure] = result.rulebook.run_tests().failures
    assert "computes no values" in failure.message_en


def test_band_rows_hit_by_month_tests_count_toward_coverage(tmp_path):
    result = _with_tests(
        tmp_path,
        """\
        tests:
          - id: T-TOP
            scope: month
            given: {accepted: 300, settled: 10, early_count: 10, rated: 10, satisfied: 10, working_days: 20}
            expect:
              values: {points: {EARLY: 15, SATISFACTION: 10, VOLUME: 10}}
        """,
    )
    report = result.rulebook.run_tests()
    assert report.passed
    covered = set(report.coverage.table_rows_covered)
    assert {
        ("EARLY-SETTLEMENT-BAND", 1),
        ("SATISFACTION-BAND", 1),
        ("ACCEPTANCE-VOLUME-BAND", 3),
    } <= covered
