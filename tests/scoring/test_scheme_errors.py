"""Bad scoring schemes are refused when the rulebook loads, each problem at its file and line
with the id it concerns."""

from __future__ import annotations

import pytest

import fyrules
from fyrules.engine.problems import RulebookError
from tests.helpers import write_rulebook

BAND = """\
tables:
  - id: BAND
    title: 档次
    basis: 测试依据
    hit_policy: UNIQUE
    inputs:
      - {name: rate, type: number, range: [0, 1]}
    outputs:
      - {name: points, type: number}
    rows:
ROWS
"""
GOOD_ROWS = """\
      - ["[0.9..1]", 10]
      - ["[0..0.9)", 4]
"""

# line numbers below: total 7, aspect weight 13, CLOSING's formula 18, its band 20
SCHEME = """\
scoring:
  - id: IDX
    title: 指数
    version: "1"
    valid_from: 2025-01-01
    basis: 方案依据
    total: 20
    base: {value: 0, basis: 基础分依据}
    cap: {value: 100, basis: 封顶依据}
    satisfied_rating: {value: 4, basis: 满意依据}
    aspects:
      - id: speed
        title: 效率
        weight: 20
        basis: 方面依据
        indicators:
          - id: CLOSING
            title: 办结率
            formula: closing_rate
            weight: 10
            band: BAND
            basis: 指标依据
          - id: COMPLAINTS
            title: 投诉
            formula: complaints
            weight: 10
            deduct: {each: 2}
            basis: 投诉依据
"""


def _scheme_text(
    *,
    formula: str | None = None,
    aspect_weight: int | None = None,
    total: int | None = None,
    band: str | None = None,
    basis: bool = True,
) -> str:
    text = SCHEME
    if formula is not None:
        text = text.replace("formula: closing_rate", f"formula: {formula}")
    if aspect_weight is not None:
        text = text.replace("        weight: 20\n", f"        weight: {aspect_weight}\n")
    if total is not None:
        text = text.replace("total: 20", f"total: {total}")
    if band is not None:
        text = text.replace("band: BAND", f"band: {band}")
    if not basis:
        text = text.replace("            basis: 指标依据\n", "")
    return text


def _rulebook(tmp_path, scoring: str, rows: str = GOOD_ROWS):
    files = {"scoring.yaml": scoring, "tables.yaml": BAND.replace("ROWS", rows.rstrip("\n"))}
    return write_rulebook(tmp_path / "rb", files)


def _problems(path):
    with pytest.raises(RulebookError) as caught:
        fyrules.load(path)
    return caught.value.problems


def test_a_sound_scheme_loads(tmp_path):
    rb = fyrules.load(_rulebook(tmp_path, _scheme_text()))
    assert [s.version for s in rb.part("scoring").versions] == ["1"]


def test_a_misspelled_statistic_fails_at_its_line_with_the_indicator_id(tmp_path):
    [problem] = _problems(_rulebook(tmp_path, _scheme_text(formula="closing_rat")))
    assert problem.code == "EXPR-UNKNOWN-FIELD"
    assert problem.rule == "CLOSING"
    assert problem.path.endswith("scoring.yaml") and problem.line == 19
    assert "closing_rate" in problem.message_en  # did you mean …?


def test_indicator_weights_must_add_up_to_the_aspects(tmp_path):
    [problem] = _problems(_rulebook(tmp_path, _scheme_text(aspect_weight=25, total=25)))
    assert (problem.code, problem.rule, problem.line) == ("SCORE-WEIGHTS", "speed", 14)
    assert "25" in problem.message_en and "20" in problem.message_en


def test_aspect_weights_must_add_up_to_the_total(tmp_path):
    [problem] = _problems(_rulebook(tmp_path, _scheme_text(total=30)))
    assert (problem.code, problem.rule, problem.line) == ("SCORE-WEIGHTS", "IDX", 7)


def test_an_indicator_without_a_basis_is_refused(tmp_path):
    [problem] = _problems(_rulebook(tmp_path, _scheme_text(basis=False)))
    assert problem.code == "MISSING-BASIS"
    assert problem.rule == "IDX" and problem.path.endswith("scoring.yaml")
    assert problem.line is not None


def test_a_band_with_a_gap_is_refused_at_the_indicator(tmp_path):
    rows = '      - ["[0.9..1]", 10]\n      - ["[0..0.8)", 4]\n'
    [problem] = _problems(_rulebook(tmp_path, _scheme_text(), rows))
    assert (problem.code, problem.rule, problem.line) == ("SCORE-BAND-GAP", "CLOSING", 21)
    assert "0.8" in problem.message_en and "tables.yaml" in problem.message_en


def test_band_points_must_lie_within_the_indicators_weight(tmp_path):
    rows = '      - ["[0.9..1]", 12]\n      - ["[0..0.9)", 4]\n'
    [problem] = _problems(_rulebook(tmp_path, _scheme_text(), rows))
    assert (problem.code, problem.rule) == ("SCORE-BAND", "CLOSING")


def test_an_unknown_band_table_is_named(tmp_path):
    [problem] = _problems(_rulebook(tmp_path, _scheme_text(band="BANDS")))
    assert (problem.code, problem.rule) == ("UNKNOWN-REFERENCE", "CLOSING")
    assert "BAND" in problem.message_en


def test_a_formula_that_is_not_a_number_is_refused(tmp_path):
    [problem] = _problems(_rulebook(tmp_path, _scheme_text(formula='month == "2025-10"')))
    assert (problem.code, problem.rule) == ("EXPR-TYPE", "CLOSING")


def test_two_versions_in_force_at_once_are_refused(tmp_path):
    text = _scheme_text()
    second = text.split("scoring:\n", 1)[1].replace('version: "1"', 'version: "2"')
    second = second.replace("valid_from: 2025-01-01", "valid_from: 2025-06-01")
    [problem] = _problems(_rulebook(tmp_path, text + second))
    assert (problem.code, problem.rule) == ("VALIDITY-OVERLAP", "IDX")


def test_versions_that_follow_each_other_score_their_own_months(tmp_path):
    text = _scheme_text().replace(
        "valid_from: 2025-01-01", "valid_from: 2025-01-01\n    valid_to: 2025-05-31"
    )
    second = _scheme_text().split("scoring:\n", 1)[1]
    second = second.replace('version: "1"', 'version: "2"').replace(
        "valid_from: 2025-01-01", "valid_from: 2025-06-01"
    )
    rb = fyrules.load(_rulebook(tmp_path, text + second))
    import datetime as dt

    from fyrules.scoring import scheme_of

    assert scheme_of(rb, dt.date(2025, 5, 1)).version == "1"
    assert scheme_of(rb, dt.date(2025, 6, 1)).version == "2"
    assert scheme_of(rb, None, "1").version == "1"


def test_no_scheme_in_force_is_a_clear_error(fuyang):
    import datetime as dt

    from fyrules.scoring import ScoringError, scheme_of

    with pytest.raises(ScoringError) as caught:
        scheme_of(fuyang, dt.date(2020, 1, 1))
    problem = caught.value.problem
    assert problem.code == "SCORE-NO-SCHEME"
    assert problem.message_en.startswith("the rulebook has no scheme in force on 2020-01-01")
    assert (
        "add one under scoring:" in problem.message_en
        and "请在 scoring: 中添加" in problem.message_zh
    )


def test_a_band_must_look_a_number_up(tmp_path):
    files = {
        "scoring.yaml": _scheme_text(),
        "tables.yaml": BAND.replace(
            "{name: rate, type: number, range: [0, 1]}", "{name: rate, type: string}"
        ).replace("ROWS", '      - ["a", 10]\n      - ["-", 4]'),
    }
    [problem] = _problems(write_rulebook(tmp_path / "rb", files))
    assert (problem.code, problem.rule) == ("SCORE-BAND", "CLOSING")
    assert "number input" in problem.message_en
