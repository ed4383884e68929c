"""Month statistics folded from per-case records: the seed's figures are the test vectors."""

from __future__ import annotations

import pytest

from fyrules.scoring import CaseRecord, month_statistics


def _seed_month() -> list[CaseRecord]:
    """4,699 cases accepted in October: 4,549 settled, 97 in progress, 53 withdrawn.

    Of the settled ones, 10,000 would be needed for exact 2.47 / 11.8238 averages with whole
    days, so the settled cases carry fractional days: 4,549 cases averaging 2.47 days used
    against 11.8238 committed (the seed's 79.11% faster)."""
    records = []
    for n in range(4549):
        records.append(
            CaseRecord(
                case=f"S{n}",
                month="2025-10",
                window="W01",
                dept="SC",
                kind="commitment",
                status="closed",
                settlement="early",
                used_days=2.47,
                committed_limit=11.8238,
            )
        )
    records += [
        CaseRecord(f"P{n}", "2025-10", "W01", "SC", "commitment", "in_progress") for n in range(97)
    ]
    records += [
        CaseRecord(f"X{n}", "2025-10", "W01", "SC", "commitment", "withdrawn") for n in range(53)
    ]
    return records


def test_the_seeds_closing_rate_is_4549_of_4699():
    stats = month_statistics(_seed_month(), "2025-10", satisfied_at=4)["W01"]
    assert (stats.accepted, stats.closed, stats.in_progress, stats.withdrawn) == (
        4699,
        4549,
        97,
        53,
    )
    assert round(stats.closing_rate, 4) == 0.9681
    assert f"{stats.closing_rate:.1%}" == "96.8%"


def test_the_seeds_settlement_is_79_11_percent_faster_than_committed():
    stats = month_statistics(_seed_month(), "2025-10", satisfied_at=4)["W01"]
    assert stats.average_settlement_days == pytest.approx(2.47)
    assert stats.average_committed_days == pytest.approx(11.8238)
    assert round(stats.faster_than_committed, 4) == 0.7911


def test_whole_day_cases_give_the_same_averages():
    """10,000 settled cases of whole days: 4,700 × 3 + 5,300 × 2 = 24,700 days used against
    1,762 × 11 + 8,238 × 12 = 118,238 committed: 2.47 against 11.8238."""
    records = []
    for n in range(10_000):
        used = 3 if n < 4700 else 2
        limit = 11 if n < 1762 else 12
        records.append(
            CaseRecord(
                f"C{n}", "2025-10", "W02", "ZJ", "commitment", "closed", "early", used, limit
            )
        )
    stats = month_statistics(records, "2025-10", satisfied_at=4)["W02"]
    assert stats.average_settlement_days == pytest.approx(2.47)
    assert round(stats.faster_than_committed, 4) == 0.7911


def test_rates_are_fractions_of_one_and_empty_when_nothing_was_counted():
    records = [
        CaseRecord("a", "2025-10", "W01", "SC", "immediate", "closed", online=True, rating=5),
        CaseRecord("b", "2025-10", "W01", "SC", "commitment", "in_progress", rating=3),
        CaseRecord("c", "2025-10", "W01", "SC", "commitment", "in_progress", complaints=2),
        CaseRecord(
            "d", "2025-10", "W01", "SC", "commitment", "closed", "overdue", 7, 5, breaches=1
        ),
    ]
    stats = month_statistics(records, "2025-10", satisfied_at=4)["W01"]
    assert stats.immediate_rate == 0.25
    assert stats.online_rate == 0.25
    assert stats.satisfaction_rate == 0.5
    assert stats.overtime_count == 1 and stats.overtime_rate == 1.0
    assert stats.complaints == 2 and stats.discipline_breaches == 1
    assert stats.faster_than_committed == pytest.approx(1 - 7 / 5)
    quiet = month_statistics([records[1]], "2025-10", satisfied_at=4)["W01"]
    assert quiet.average_settlement_days is None and quiet.early_settlement_rate is None


def test_only_the_months_own_cases_count_and_units_are_kept_apart():
    records = [
        CaseRecord("a", "2025-10", "W01", "SC", "immediate", "closed"),
        CaseRecord("b", "2025-09", "W01", "SC", "immediate", "closed"),
        CaseRecord("c", "2025-10", "W02", "SC", "immediate", "closed"),
    ]
    by_window = month_statistics(records, "2025-10", satisfied_at=4)
    assert {u: s.accepted for u, s in by_window.items()} == {"W01": 1, "W02": 1}
    by_dept = month_statistics(records, "2025-10", unit="dept", satisfied_at=4)
    assert {u: s.accepted for u, s in by_dept.items()} == {"SC": 2}


def test_json_rows_round_rates_to_four_places():
    stats = month_statistics(_seed_month(), "2025-10", satisfied_at=4)["W01"]
    data = stats.to_dict()
    assert data["closing_rate"] == 0.9681 and data["accepted"] == 4699
    assert data["faster_than_committed"] == 0.7911


def test_a_window_of_immediate_items_has_an_average_time():
    """W01 of the demo closed 171 immediate cases (limit 0 working days): 162 the same day, 5
    in 1 day, 4 in 2. Its average time is theirs, not "—"; there is nothing to be faster than,
    and the settlement counts still count committed cases only."""
    records = [
        CaseRecord(f"I{n}", "2025-10", "W01", "SC", "immediate", "closed", "on_time", 0, 0)
        for n in range(162)
    ]
    records += [
        CaseRecord(f"J{n}", "2025-10", "W01", "SC", "immediate", "closed", "overdue", 1, 0)
        for n in range(5)
    ]
    records += [
        CaseRecord(f"K{n}", "2025-10", "W01", "SC", "immediate", "closed", "overdue", 2, 0)
        for n in range(4)
    ]
    stats = month_statistics(records, "2025-10", satisfied_at=4)["W01"]
    assert stats.closed == 171
    assert stats.average_settlement_days == pytest.approx(13 / 171)
    assert stats.average_committed_days == 0
    assert stats.faster_than_committed is None
    assert stats.settled == 0 and stats.overtime_count == 0
    # beside a committed case, the averages share one population and the formula holds
    mixed = month_statistics(
        [*records, CaseRecord("C", "2025-10", "W01", "SC", "commitment", "closed", "early", 3, 9)],
        "2025-10",
        satisfied_at=4,
    )["W01"]
    assert mixed.average_settlement_days == pytest.approx(16 / 172)
    assert mixed.average_committed_days == pytest.approx(9 / 172)
    assert mixed.faster_than_committed == pytest.approx(1 - 16 / 9)
    assert mixed.settled == 1 and mixed.early_count == 1
