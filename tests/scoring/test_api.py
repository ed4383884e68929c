"""rb.score: events → statistics → scorecards → ranking, reproducible and explained."""

from __future__ import annotations

import json

import pytest

from fyrules.scoring import competition_ranks


def test_json_rows_carry_window_score_rank_and_the_required_stats(fuyang, october):
    data = fuyang.score(october, month="2025-10").to_dict()
    assert data["scheme"]["id"] == "FY-EFFICIENCY-INDEX" and data["scheme"]["version"] == "2025.1"
    assert data["rows"]
    for row in data["rows"]:
        assert {"window", "score", "rank", "stats"} <= set(row)
        for key in (
            "accepted",
            "closed",
            "in_progress",
            "closing_rate",
            "average_settlement_days",
            "faster_than_committed",
        ):
            assert key in row["stats"]
        rate = row["stats"]["closing_rate"]
        assert rate is None or 0 <= rate <= 1
    json.dumps(data)  # plain JSON


def test_every_point_is_explained(fuyang, october):
    row = fuyang.score(october, month="2025-10").rows[0]
    assert [line.indicator for line in row.card.lines] == [
        "OCCUPANCY",
        "ONLINE",
        "IMMEDIATE",
        "VOLUME",
        "EARLY",
        "OVERTIME",
        "SATISFACTION",
        "DISCIPLINE",
        "COMPLAINTS",
    ]
    for line in row.card.lines:
        assert line.basis and 0 <= line.points <= line.weight
        if line.method == "band":
            assert line.table and line.row and line.band
    assert row.card.dynamic == pytest.approx(sum(line.points for line in row.card.lines), abs=1e-3)


def test_the_generated_month_counts_every_accepted_case_once(fuyang, october):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Shanghai")
    accepted = {
        e.case for e in october if e.event == "accept" and e.at.astimezone(zone).month == 10
    }  # a case corrected late in the month is accepted in November
    result = fuyang.score(october, month="2025-10")
    assert sum(r.stats.accepted for r in result.rows) == len(accepted)
    for r in result.rows:
        st = r.stats
        assert st.closed + st.in_progress + st.withdrawn == st.accepted
    assert sum(r.stats.online for r in result.rows) > 0


def test_the_same_events_give_the_same_result(fuyang, october, october_file):
    a = fuyang.score(october, month="2025-10").to_dict()
    b = fuyang.score(october_file, month="2025-10").to_dict()
    assert a == b


def test_month_over_month_change_from_the_previous_months_events(fuyang, october, september):
    result = fuyang.score(october, month="2025-10", previous=september)
    assert result.previous_month == "2025-09"
    row = result.rows[0]
    assert row.previous_score is not None
    assert row.change == pytest.approx(row.score - row.previous_score, abs=1e-3)
    prior = fuyang.score(september, month="2025-09")
    again = fuyang.score(october, month="2025-10", previous=prior)
    assert again.to_dict() == result.to_dict()


def test_ranking_shares_ranks_between_ties():
    assert competition_ranks([90, 80, 80, 70]) == [1, 2, 2, 4]
    assert competition_ranks([5, 5, 5]) == [1, 1, 1]
    assert competition_ranks([]) == []


def test_a_month_without_cases_ranks_no_one(fuyang):
    result = fuyang.score([], month="2025-10")
    assert result.rows == () and result.to_dict()["rows"] == []
