"""``fyrules notify RULEBOOK EVENTS --as-of TIME``: what would be sent, in text and JSON, the
exit codes, and a store that remembers what was sent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import fyrules
from fyrules.cli import main
from fyrules.examples import rulebook_path

FUYANG = str(rulebook_path("fuyang"))
CASE = "FY-202510-000001"


def _events(tmp_path: Path, *steps: tuple[str, str, str]) -> str:
    path = tmp_path / "events.jsonl"
    lines = [
        json.dumps(
            {
                "id": f"e-{n}",
                "case": CASE,
                "item": "FY-SC-001",
                "event": kind,
                "at": at,
                "actor": actor,
                "dept": "SC",
                "data": {},
            }
        )
        for n, (kind, at, actor) in enumerate(steps)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


LEFT_ALONE = (
    ("accept", "2025-10-09T09:30:00+08:00", "P-SC-03"),
    ("undertake", "2025-10-09T10:00:00+08:00", "P-SC-14"),
)
APPROVED = (
    *LEFT_ALONE,
    ("review", "2025-10-09T11:00:00+08:00", "P-SC-14"),
    ("approve", "2025-10-10T10:00:00+08:00", "P-SC-01"),
)


def _json(capsys: Any, *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["notify", FUYANG, *argv, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_it_lists_each_threshold_crossed_once_with_recipients_and_basis(tmp_path, capsys):
    events = _events(tmp_path, *LEFT_ALONE)
    code, doc = _json(capsys, events, "--as-of", "2025-11-10T00:00+08:00")
    assert code == 0
    triggers = [n["trigger"] for n in doc["notifications"]]
    assert sorted(set(triggers)) == sorted(triggers)  # once each (one stage ran over)
    assert {"prompt", "yellow", "red", "stage_overrun"} == set(triggers)
    red = next(n for n in doc["notifications"] if n["trigger"] == "red")
    assert red["recipients"] == ["P-SC-14", "P-SC-01", "P-ZJ-02"] and red["basis"]
    assert doc["findings"] == []


def test_the_text_is_chinese_first_then_english(tmp_path, capsys):
    events = _events(tmp_path, *LEFT_ALONE)
    assert main(["notify", FUYANG, events, "--as-of", "2025-11-10T00:00"]) == 0
    out = capsys.readouterr().out
    assert "应发出的通知：4 条 / notifications due up to" in out
    assert "红牌 / red card" in out and "依据 / basis" in out


def test_an_approval_not_told_to_the_supervisors_makes_exit_1(tmp_path, capsys):
    events = _events(tmp_path, *APPROVED)
    code, doc = _json(capsys, events, "--as-of", "2025-10-16T12:00+08:00")
    assert (code, doc["findings"]) == (0, [])
    code, doc = _json(capsys, events, "--as-of", "2025-10-17T00:00+08:00")
    assert code == 1
    assert [f["rule"] for f in doc["findings"]] == ["FY-SUPERVISION-INFORM"]


def test_a_store_remembers_what_was_sent(tmp_path, capsys):
    events = _events(tmp_path, *LEFT_ALONE)
    store = str(tmp_path / "cases.db")
    _, first = _json(capsys, events, "--as-of", "2025-10-15T00:00+08:00", "--store", store)
    _, second = _json(capsys, events, "--as-of", "2025-11-10T00:00+08:00", "--store", store)
    _, third = _json(capsys, events, "--as-of", "2025-11-10T00:00+08:00", "--store", store)
    _, whole = _json(capsys, events, "--as-of", "2025-11-10T00:00+08:00")
    keys = [n["key"] for n in first["notifications"]] + [n["key"] for n in second["notifications"]]
    assert len(first["notifications"]) == 3 and len(second["notifications"]) == 1
    assert third["notifications"] == []
    assert sorted(keys) == sorted(n["key"] for n in whole["notifications"])


def test_bad_input_exits_2_and_says_what_to_do(tmp_path, capsys):
    events = _events(tmp_path, *LEFT_ALONE)
    assert main(["notify", FUYANG, events, "--as-of", "next week"]) == 2
    assert "不是 ISO 时间 / not an ISO date-time" in capsys.readouterr().err
    national = str(Path(fyrules.__file__).parent / "baseline" / "national")
    assert main(["notify", national, events, "--as-of", "2025-11-10T00:00"]) == 2
    err = capsys.readouterr().err
    assert "没有 notifications" in err and "declare one first" in err
    assert main(["notify", FUYANG, events, "--as-of", "2025-11-10T00:00", "--send"]) == 2
    assert "--send 需要 --config" in capsys.readouterr().err
