"""Static checks of decision tables: overlaps, gaps, rows that never apply."""

from __future__ import annotations

import functools
import time

import pytest

from fyrules.engine.tables import check_table
from fyrules.engine.tables import checks as checks_module
from fyrules.engine.tables.analysis import analyse

from .table_helpers import codes, make_table, yaml_table

N = [{"name": "n", "type": "number"}]
N_DOMAIN = [{"name": "n", "type": "number", "range": [0, 60]}]
OUT = [{"name": "out", "type": "string"}]


def of(problems, code, severity="error"):
    return [p for p in problems if p.code == code and p.severity == severity]


def test_a_sound_table_has_no_problems() -> None:
    table = make_table(N_DOMAIN, OUT, [["[0..20]", "a"], ["(20..40)", "b"], [">= 40", "c"]])
    assert check_table(table) == []


def test_unique_overlap_names_both_rows_and_an_input_matching_both() -> None:
    table = yaml_table("""
    tables:
      - id: T
        basis: b
        inputs:
          - {name: kind, type: string, values: [a, b]}
          - {name: n, type: number, range: [0, 60]}
        outputs: [{name: out, type: number}]
        rows:
          - [a, "[0..20]", 1]
          - [a, "(20..60]", 2]
          - [b, "-", 3]
          - [a, "[15..25]", 4]
    """)
    problems = check_table(table)
    overlaps = of(problems, "TABLE-OVERLAP")
    assert len(overlaps) == 2
    first, second = overlaps
    assert "rows 1 and 4 overlap" in first.message_en
    assert "n is [15..20]" in first.message_en
    assert "e.g. kind=a, n=15" in first.message_en
    assert "第 1 行与第 4 行重叠" in first.message_zh
    assert "rows 2 and 4 overlap" in second.message_en
    assert "n is (20..25]" in second.message_en
    assert first.line == table.rows[3].location.line  # at the later row
    assert first.rule == "T"
    assert codes(problems) == ["TABLE-OVERLAP", "TABLE-OVERLAP"]


def test_first_allows_overlaps_but_reports_rows_that_never_apply() -> None:
    table = make_table(N, OUT, [["> 10", "a"], ["> 20", "b"], ["-", "c"]], hit_policy="FIRST")
    problems = check_table(table)
    assert of(problems, "TABLE-OVERLAP") == []
    (never,) = of(problems, "TABLE-OVERLAP", "warning")
    assert "row 2 is never chosen" in never.message_en
    assert "row(s) 1" in never.message_en


def test_priority_reports_rows_that_always_lose() -> None:
    outputs = [{"name": "level", "type": "string", "priority": ["red", "green"]}]
    table = make_table(
        N, outputs, [["-", "green"], ["> 5", "red"], ["> 8", "green"]], hit_policy="PRIORITY"
    )
    (never,) = check_table(table)
    assert never.severity == "warning"
    assert "row 3 is never chosen" in never.message_en
    assert "row(s) 2 match" in never.message_en


def test_any_reports_overlaps_only_when_outputs_differ() -> None:
    same = make_table(N, OUT, [["< 5", "s"], ["< 3", "s"], [">= 5", "b"]], hit_policy="ANY")
    assert check_table(same) == []
    differ = make_table(N, OUT, [["< 5", "s"], ["< 3", "t"], [">= 5", "b"]], hit_policy="ANY")
    (overlap,) = check_table(differ)
    assert overlap.code == "TABLE-OVERLAP"
    assert "different outputs" in overlap.message_en


def test_gaps_treat_numbers_as_real_numbers() -> None:
    table = make_table(N_DOMAIN, OUT, [["[0..5]", "a"], ["[6..60]", "b"]])
    (gap,) = check_table(table)
    assert gap.code == "TABLE-GAP" and gap.severity == "error"
    assert "n is (5..6)" in gap.message_en
    assert "e.g. n=5.5" in gap.message_en
    assert "add a row or give the table a default" in gap.message_en


def test_gaps_without_a_domain_cover_the_whole_number_line() -> None:
    table = make_table(N, OUT, [["[0..10]", "a"]])
    (gap,) = of(check_table(table), "TABLE-GAP")
    assert "where n is < 0, > 10, e.g. n=-1" in gap.message_en


def test_dates_are_whole_days() -> None:
    table = make_table(
        [{"name": "d", "type": "date"}], OUT, [["<= 2025-06-30", "a"], [">= 2025-07-01", "b"]]
    )
    assert check_table(table) == []
    table = make_table(
        [{"name": "d", "type": "date"}], OUT, [["< 2025-06-30", "a"], ["> 2025-07-01", "b"]]
    )
    (gap,) = check_table(table)
    assert "d is [2025-06-30..2025-07-01]" in gap.message_en


def test_text_columns_without_declared_values_leave_any_other_value_uncovered() -> None:
    table = make_table([{"name": "kind", "type": "string"}], OUT, [["a", "1"], ["b", "2"]])
    (gap,) = check_table(table)
    assert "kind is not(a, b)" in gap.message_en
    assert "(any value not in the table)" in gap.message_en
    declared = make_table(
        [{"name": "kind", "type": "string", "values": ["a", "b"]}], OUT, [["a", "1"], ["b", "2"]]
    )
    assert check_table(declared) == []
    declared = make_table(
        [{"name": "kind", "type": "string", "values": ["a", "b", "c"]}],
        OUT,
        [["a", "1"], ["b", "2"]],
    )
    (gap,) = check_table(declared)
    assert "kind is c" in gap.message_en


def test_bool_columns_have_two_values() -> None:
    table = make_table([{"name": "urgent", "type": "bool"}], OUT, [["true", "1"]])
    (gap,) = check_table(table)
    assert "urgent is false" in gap.message_en


@pytest.mark.parametrize(
    ("policy", "severity"),
    [("UNIQUE", "error"), ("ANY", "error"), ("FIRST", "warning"), ("PRIORITY", "warning")],
)
def test_gap_severity_follows_the_hit_policy(policy: str, severity: str) -> None:
    outputs = [{"name": "out", "type": "string", "priority": ["a"]}]
    table = make_table(N_DOMAIN, outputs, [["< 10", "a"]], hit_policy=policy)
    (gap,) = check_table(table)
    assert (gap.code, gap.severity) == ("TABLE-GAP", severity)


def test_no_gap_is_reported_with_a_default_or_under_collect() -> None:
    assert check_table(make_table(N_DOMAIN, OUT, [["< 10", "a"]], default="z")) == []
    assert check_table(make_table(N_DOMAIN, OUT, [["< 10", "a"]], hit_policy="COLLECT")) == []


def test_a_cell_outside_the_domain_makes_a_dead_row() -> None:
    table = make_table(N_DOMAIN, OUT, [["[0..60]", "a"], ["> 60", "b"]], hit_policy="FIRST")
    (dead,) = check_table(table)
    assert (dead.code, dead.severity) == ("TABLE-CELL", "warning")
    assert "row 2, column n: '> 60' matches no possible value" in dead.message_en


def test_gaps_across_several_columns_name_each_uncovered_part() -> None:
    table = yaml_table("""
    tables:
      - id: T
        basis: b
        inputs:
          - {name: kind, type: string, values: [immediate, commitment, joint]}
          - {name: days, type: number, range: [0, 60]}
        outputs: [{name: out, type: number}]
        rows:
          - [immediate, "-", 0]
          - [commitment, "[1..20]", 15]
          - [commitment, "> 20", 20]
    """)
    gaps = of(check_table(table), "TABLE-GAP")
    texts = [g.message_en for g in gaps]
    assert any("kind is commitment and days is [0..1)" in t for t in texts)
    assert any("where kind is joint," in t for t in texts)
    assert len(gaps) == 2


def test_many_problems_are_summarised() -> None:
    kinds = [f"k{i}" for i in range(25)]
    inputs = [{"name": "kind", "type": "string", "values": kinds}, *N_DOMAIN]
    rows = [[kind, "[0..10]", "x"] for kind in kinds]
    gaps = of(check_table(make_table(inputs, OUT, rows)), "TABLE-GAP")
    assert len(gaps) == 21
    assert "kind is k0 and n is (10..60]" in gaps[0].message_en
    assert "5 more gaps not listed" in gaps[-1].message_en
    rows = [["-", "x"]] * 8
    overlaps = of(check_table(make_table(N_DOMAIN, OUT, rows)), "TABLE-OVERLAP")
    assert len(overlaps) == 21
    assert "8 more overlapping pairs" in overlaps[-1].message_en


def test_the_search_stops_and_says_so_when_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checks_module, "analyse", functools.partial(analyse, max_work=5))
    rows = [[f"[{k}..{k + 1}]", "x"] for k in range(20)]
    problems = check_table(make_table(N_DOMAIN, OUT, rows, hit_policy="FIRST"))
    capped = [p for p in problems if p.severity == "info"]
    assert len(capped) == 1 and "stopped after" in capped[0].message_en


def test_very_large_tables_are_not_searched() -> None:
    rows = [[str(k), "x"] for k in range(checks_module.MAX_ROWS + 1)]
    (info,) = check_table(make_table(N, OUT, rows, hit_policy="FIRST"))
    assert (info.code, info.severity) == ("TABLE-GAP", "info")


def test_a_table_of_a_few_hundred_rows_checks_quickly() -> None:
    inputs = [
        {"name": "kind", "type": "string", "values": [f"k{i}" for i in range(20)]},
        {"name": "days", "type": "number", "range": [0, 300]},
    ]
    rows = [[f"k{i}", f"[{d}..{d + 20})", "x"] for i in range(20) for d in range(0, 300, 20)]
    rows += [[f"k{i}", "300", "x"] for i in range(20)]
    table = make_table(inputs, OUT, rows)
    start = time.perf_counter()
    assert check_table(table) == []
    assert time.perf_counter() - start < 2


def test_a_range_open_at_one_end() -> None:
    inputs = [{"name": "n", "type": "number", "range": [0, None]}]
    table = make_table(inputs, OUT, [["[0..10]", "a"], ["> 10", "b"]])
    assert check_table(table) == []
    assert table.evaluate({"n": 10**6}).value == "b"


def test_a_gap_of_many_pieces_is_described_briefly() -> None:
    rows = [[str(k), "x"] for k in range(100)]
    (gap,) = of(
        check_table(make_table(N_DOMAIN, OUT, rows, hit_policy="FIRST")), "TABLE-GAP", "warning"
    )
    assert "n is (0..1), (1..2)" in gap.message_en
    assert "… (+" in gap.message_en
    assert len(gap.message_en) < 300
