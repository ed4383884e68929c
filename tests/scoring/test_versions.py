"""A scheme change gives a new version of results; the old month stays reproducible."""

from __future__ import annotations

import shutil

import fyrules
from fyrules.scoring import CaseRecord, score_records
from tests.conftest import FUYANG, fuyang_rulebook


def test_a_new_version_scores_new_months_and_old_months_score_as_before(tmp_path, october):
    root = tmp_path / "fuyang"
    shutil.copytree(FUYANG, root)
    scoring = root / "scoring.yaml"
    text = scoring.read_text("utf-8")
    old = text.replace("valid_from: 2025-01-01", "valid_from: 2025-01-01\n    valid_to: 2025-10-31")
    new = (
        text.split("scoring:\n", 1)[1]
        .replace('version: "2025.1"', 'version: "2025.11"')
        .replace("valid_from: 2025-01-01", "valid_from: 2025-11-01")
        .replace("deduct: {each: 2}", "deduct: {each: 5}")  # complaints weigh more from November
    )
    scoring.write_text(old + new, "utf-8")
    changed = fyrules.load(root)
    before = fuyang_rulebook().score(october, month="2025-10").to_dict()
    after = changed.score(october, month="2025-10").to_dict()
    assert after["scheme"].pop("valid_to") == "2025-10-31"  # the old version, now closed
    before["scheme"].pop("valid_to")
    assert after == before and after["scheme"]["version"] == "2025.1"
    rescored = changed.score(october, month="2025-10", version="2025.11").to_dict()
    assert rescored["scheme"]["version"] == "2025.11"
    # only complaints ruled substantiated cost points (Fuyang's COMPLAINTS indicator)
    complained = [r for r in before["rows"] if r["stats"]["substantiated_complaints"]]
    assert complained
    for row in complained:
        again = next(r for r in rescored["rows"] if r["window"] == row["window"])
        assert again["score"] < row["score"]
    for row in before["rows"]:
        if row["stats"]["complaints"] and not row["stats"]["substantiated_complaints"]:
            again = next(r for r in rescored["rows"] if r["window"] == row["window"])
            assert again["score"] == row["score"]


def test_a_scheme_may_rank_departments(tmp_path, fuyang):
    root = tmp_path / "fuyang"
    shutil.copytree(FUYANG, root)
    scoring = root / "scoring.yaml"
    scoring.write_text(scoring.read_text("utf-8").replace("unit: window", "unit: dept"), "utf-8")
    rb = fyrules.load(root)
    records = [
        CaseRecord("a", "2025-10", "W01", "SC", "immediate", "closed"),
        CaseRecord("b", "2025-10", "W02", "SC", "commitment", "in_progress"),
        CaseRecord("c", "2025-10", "W06", "ZJ", "commitment", "in_progress"),
    ]
    data = score_records(rb, records, month="2025-10").to_dict()
    assert data["unit"] == "dept"
    assert {r["dept"]: r["stats"]["accepted"] for r in data["rows"]} == {"SC": 2, "ZJ": 1}
