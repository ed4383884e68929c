"""The normal index: points people assess, entered per month as CSV or YAML, every bad row
named at its file and line."""

from __future__ import annotations

import datetime as dt

import pytest

from fyrules.scoring import scheme_of
from fyrules.scoring.assessments import AssessmentError, read_assessments

HEADER = (
    "month,window,integration,innovation,online_operation,standardization,excellence,assessed_by\n"
)


@pytest.fixture(scope="module")
def scheme(fuyang):
    return scheme_of(fuyang, dt.date(2025, 10, 1))


def _read(path, scheme, fuyang):
    return read_assessments(path, scheme, month="2025-10", units=fuyang.items.windows)


def test_a_good_csv_gives_points_by_window_and_aspect(tmp_path, scheme, fuyang):
    path = tmp_path / "2025-10.csv"
    path.write_text(HEADER + "2025-10,W01,2,1.5,2,2,1,督查室\n2025-10,W02,1,,,,,督查室\n", "utf-8")
    points = _read(path, scheme, fuyang)
    assert points["W01"] == {
        "integration": 2.0,
        "innovation": 1.5,
        "online_operation": 2.0,
        "standardization": 2.0,
        "excellence": 1.0,
    }
    assert points["W02"] == {"integration": 1.0}


def test_every_bad_row_is_named_with_its_line(tmp_path, scheme, fuyang):
    path = tmp_path / "2025-10.csv"
    path.write_text(
        HEADER
        + "2025-10,W01,2,1,1,1,1,a\n"  # line 2: fine
        + "2025-10,W99,2,1,1,1,1,a\n"  # line 3: unknown window
        + "2025-10,W02,3,1,1,1,1,a\n"  # line 4: above max
        + "2025-10,W03,x,1,1,1,1,a\n"  # line 5: not a number
        + "2025-09,W04,1,1,1,1,1,a\n"  # line 6: another month
        + "2025-10,W01,1,1,1,1,1,a\n",  # line 7: entered twice
        "utf-8",
    )
    with pytest.raises(AssessmentError) as caught:
        _read(path, scheme, fuyang)
    problems = caught.value.problems
    assert {p.code for p in problems} == {"ASSESSMENT-INVALID"}
    assert [p.line for p in problems] == [3, 4, 5, 6, 7]
    assert "W99" in problems[0].message_en and "from 0 to 2" in problems[1].message_en


def test_an_unknown_aspect_column_is_named(tmp_path, scheme, fuyang):
    path = tmp_path / "2025-10.csv"
    path.write_text("window,integraton\nW01,1\n", "utf-8")
    with pytest.raises(AssessmentError) as caught:
        _read(path, scheme, fuyang)
    [problem] = caught.value.problems
    assert problem.code == "ASSESSMENT-INVALID" and "integraton" in problem.message_en


def test_yaml_rows_are_read_and_checked_the_same_way(tmp_path, scheme, fuyang):
    path = tmp_path / "2025-10.yaml"
    path.write_text(
        "month: 2025-10\nrows:\n  - {window: W01, integration: 2}\n  - {window: W02, excellence: -1}\n",
        "utf-8",
    )
    with pytest.raises(AssessmentError) as caught:
        _read(path, scheme, fuyang)
    [problem] = caught.value.problems
    assert (problem.code, problem.line, problem.rule) == ("ASSESSMENT-INVALID", 4, "W02")
    path.write_text("month: 2025-10\nrows:\n  - {window: W01, integration: 2}\n", "utf-8")
    assert _read(path, scheme, fuyang) == {"W01": {"integration": 2.0}}


def test_assessed_points_add_to_the_score_and_unassessed_windows_get_none(fuyang, october):
    plain = fuyang.score(october, month="2025-10")
    assessed = fuyang.score(
        october, month="2025-10", assessments={"W01": {"integration": 2, "excellence": 1}}
    )
    before, after = plain.row("W01"), assessed.row("W01")
    assert after.card.normal == 3 and after.card.assessed
    assert after.score == pytest.approx(min(110, before.score + 3))
    assert not assessed.row("W02").card.assessed and assessed.row("W02").card.normal == 0
