"""What the reports count is what they list (issue 13, point 6: two of the bugs)."""

from __future__ import annotations

import json
from pathlib import Path

from fyrules.cli import main
from tests.conftest import FUYANG

LOG = Path(__file__).resolve().parents[1] / "scenarios" / "open-case-refused-extension.jsonl"


def test_evaluate_json_counts_the_findings_it_lists(capsys):
    code = main(["evaluate", str(FUYANG), str(LOG), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in doc["findings"]] == ["FY-RED-CARD"]  # the open case, overdue
    assert doc["summary"]["findings"] == len(doc["findings"]) == 1
    assert code == 1


def test_deadline_events_counts_only_the_extensions_evaluate_accepts(capsys):
    main(["evaluate", str(FUYANG), str(LOG), "--format", "json"])
    rejected = json.loads(capsys.readouterr().out)["rejected"]
    assert [(r["event"]["event"], r["reason"]) for r in rejected] == [("extend", "ROSTER-APPROVER")]
    code = main(
        ["deadline", str(FUYANG), "--events", str(LOG), "--case", "FY-2025-O1", "--format", "json"]
    )
    clock = json.loads(capsys.readouterr().out)
    assert code == 0
    assert clock["extended_days"] == 0 and clock["committed_due"] == "2025-10-15"
