"""The efficiency index (效能指数): monthly statistics, scoring schemes, scorecards, ranking.

    import fyrules
    rb = fyrules.load("examples/fuyang")
    result = rb.score("events.jsonl", month="2025-10")
    for row in result.rows:
        print(row.rank, row.unit, row.score)

A scheme lives in the rule files (``scoring:``; see ``docs/scoring.md``): aspects of
indicators, each a formula over the ``month`` scope's statistics scored by a band table, per
event deducted or in proportion; the normal index's aspects, assessed by people and entered
as data; base and cap; a version and the date it is in force from.
"""

from .api import ScoreResult, ScoreRow, competition_ranks, scheme_of, score, score_records
from .extension import EXTENSION, Schemes
from .pages import ranking_pages
from .records import case_records
from .scheme import Card, Line, Scheme, ScoringError
from .statistics import CaseRecord, MonthStatistics, month_statistics

__all__ = [
    "EXTENSION",
    "Card",
    "CaseRecord",
    "Line",
    "MonthStatistics",
    "Scheme",
    "Schemes",
    "ScoreResult",
    "ScoreRow",
    "ScoringError",
    "case_records",
    "competition_ranks",
    "month_statistics",
    "ranking_pages",
    "scheme_of",
    "score",
    "score_records",
]
