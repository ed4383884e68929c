"""The replay impact: its counts are those of two separate ``fyrules evaluate`` runs, and on
Fuyang with a shortened committed limit the command shows what that does to a month."""

from __future__ import annotations

import contextlib
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from fyrules.cli import main

from .conftest import FUYANG, Planter

SHORTER = {"items/civil-affairs.yaml": ("committed_days: 20", "committed_days: 15")}
LONGER = {"items/civil-affairs.yaml": ("committed_days: 20", "committed_days: 25")}


def _run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def _evaluate(rulebook: Path, events: Path) -> dict:
    code, out, err = _run("evaluate", rulebook, events, "--format", "json")
    assert code in (0, 1), err
    return json.loads(out)


def _diff(old: Path, new: Path, events: Path, *more: str) -> tuple[int, dict]:
    code, out, err = _run(
        "diff", old, new, "--events", events, "--month", "2025-10", "--format", "json", *more
    )
    assert code in (0, 1), err
    return code, json.loads(out)


def test_the_impact_counts_equal_two_separate_evaluate_runs(plant: Planter, month_events):
    new = plant(SHORTER)
    _, report = _diff(FUYANG, new, month_events)
    impact = report["impact"]
    before, after = _evaluate(FUYANG, month_events), _evaluate(new, month_events)
    for side, run in (("old", before), ("new", after)):
        assert impact[side]["findings"] == len(run["findings"])
        assert impact[side]["counts"]["accepted"] == run["summary"]["accepted"]
        assert impact[side]["counts"]["rejected"] == run["summary"]["rejected"]
        assert impact[side]["counts"]["duplicates"] == run["summary"]["duplicates"]
    old_rules = Counter(f["rule"] for f in before["findings"])
    new_rules = Counter(f["rule"] for f in after["findings"])
    assert impact["findings_by_rule"], "a 5-day shorter limit changes some findings"
    for row in impact["findings_by_rule"]:
        assert (row["old"], row["new"]) == (old_rules[row["rule"]], new_rules[row["rule"]])
        assert row["new"] - row["old"] == row["appear"] - row["disappear"]
    moved = {r for r in old_rules | new_rules if old_rules[r] != new_rules[r]}
    assert moved <= {row["rule"] for row in impact["findings_by_rule"]}
    by_case = Counter()
    for case in impact["findings_by_case"]:
        for rule in case["appear"]:
            by_case[rule] += 1
    assert by_case == Counter(
        {r["rule"]: r["appear"] for r in impact["findings_by_rule"] if r["appear"]}
    )


def test_fuyang_with_a_shortened_committed_limit_end_to_end(plant: Planter, month_events):
    new = plant(SHORTER)
    code, report = _diff(FUYANG, new, month_events)
    assert code == 1
    (change,) = report["changes"]
    assert (change["section"], change["id"]) == ("items", "FY-MZ-001")
    assert change["limits"]["committed_days"] == {"old": 20, "new": 15}
    impact = report["impact"]
    moves = impact["deadline_moves"]
    assert moves, "October has cases of FY-MZ-001"
    for move in moves:  # only that item's committed due dates move, all of them earlier
        assert move["item"] == "FY-MZ-001"
        assert move["statutory_due"]["days"] == 0
        assert move["committed_due"]["days"] < 0
        assert move["committed_due"]["working_days"] == -5  # 20 → 15 working days
    assert impact["old"]["version"]["fingerprint"] != impact["new"]["version"]["fingerprint"]
    assert (
        impact["old"]["scheme"]
        == impact["new"]["scheme"]
        == {
            "id": "FY-EFFICIENCY-INDEX",
            "version": "2025.1",
        }
    )
    ranked = impact["ranking"]
    assert ranked and all(r["old_rank"] is not None and r["new_rank"] is not None for r in ranked)
    # a shorter limit forbids more: not a loosening
    assert _run("diff", FUYANG, new, "--fail-on", "loosened")[0] == 0
    # the other way round it lengthens the limit back: a loosening
    code, out, _ = _run("diff", new, FUYANG, "--fail-on", "loosened")
    assert code == 1
    assert "committed_days: 15 → 20  [放宽 / loosened]" in out


def test_events_refused_under_one_side_only_are_listed(plant: Planter, month_events, tmp_path):
    """A recusal added in NEW for a person who approves in the month: NEW refuses the events
    OLD accepted (the recusal is an error), and the listing names them."""
    events = [json.loads(line) for line in month_events.read_text(encoding="utf-8").splitlines()]
    approvals = [e for e in events if e["event"] == "approve" and e.get("actor")]
    actor = Counter(e["actor"] for e in approvals).most_common(1)[0][0]
    recusal = (
        "recusals:\n"
        f"  - id: REC-TEST-001\n    person: {actor}\n    department: "
        f"{next(e['dept'] for e in approvals if e['actor'] == actor)}\n"
        "    reason: {zh: 配偶在本部门任职, en: spouse works in the department}\n"
        "    severity: error\n    basis: 《阜阳市政务服务中心工作人员回避规定》（示例）\n"
    )
    new = plant({"recusals-extra.yaml": ("", recusal)})
    code, report = _diff(FUYANG, new, month_events)
    assert code == 1
    refused = report["impact"]["refused"]
    assert refused
    assert all(r["new"]["refused"] and not r["old"]["refused"] for r in refused)
    assert {r["case"] for r in refused} <= {e["case"] for e in events}
    assert all(r["new"]["message_zh"] and r["new"]["message_en"] for r in refused)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("diff", "nowhere", FUYANG), "不存在 / does not exist"),
        (
            ("diff", FUYANG, FUYANG, "--events", "none.jsonl", "--month", "2025-10"),
            "事件文件不存在",
        ),
        (("diff", FUYANG, FUYANG, "--month", "2025-10"), "--events and --month go together"),
        (("diff", FUYANG, FUYANG, "--format", "yaml"), "unknown value for --format"),
    ],
)
def test_bad_input_exits_2_with_what_to_fix(argv, says):
    code, out, err = _run(*argv)
    assert code == 2
    assert says in out + err
    assert "Traceback" not in out + err


def test_a_bad_month_exits_2(month_events):
    code, _, err = _run("diff", FUYANG, FUYANG, "--events", month_events, "--month", "2025-13")
    assert code == 2
    assert "YYYY-MM" in err


def test_no_change_exits_0_and_says_so(month_events):
    code, out, _ = _run("diff", FUYANG, FUYANG, "--events", month_events, "--month", "2025-10")
    assert code == 0
    assert "规则没有变化 / no rule changes" in out
    assert "分数与名次不变 / no score or rank changes" in out


def test_the_markdown_fits_a_comment_and_collapses_its_details(plant: Planter, month_events):
    new = plant(LONGER)
    code, out, _ = _run(
        "diff", FUYANG, new, "--events", month_events, "--month", "2025-10", "--format", "markdown"
    )
    assert code == 1
    assert out.startswith("## fyrules diff")
    head, details = out.split("<details>", 1)
    assert "### 放宽 / loosened (1)" in head
    assert "`FY-MZ-001`" in head and "committed_days 20 → 25" in head
    assert "<summary>重放详情 / replay details</summary>" in details
    assert "<summary>规则变化详情 / rule change details</summary>" in details
    assert details.rstrip().endswith("</details>")
    assert len(out) < 65_536


def test_the_markdown_of_a_whole_rulebook_replaced_stays_under_a_comments_size(month_events):
    """Fuyang against the bare national baseline: hundreds of entries and every event
    refused on one side; the comment is cut, says so, and keeps the replay summary."""
    baseline = Path(__file__).resolve().parents[2] / "fyrules" / "baseline" / "national"
    code, out, _ = _run(
        "diff", FUYANG, baseline, "--events", month_events, "--month", "2025-10",
        "--format", "markdown",
    )  # fmt: skip
    assert code == 1
    assert len(out) < 65_536
    assert "(cut; --format json has it all)" in out
    assert "refused on one side only" in out.split("<details>", 1)[0]
    assert out.rstrip().endswith("</details>")


# A file Fuyang's loader refuses (an unknown key): the rulebook does not load.
NOT_LOADING = {
    "tables/bad.yaml": ("", "tables:\n  - id: T-BAD\n    basis: b\n    hit: unique\n"),
}
# A decision table whose rows overlap: the rulebook loads; only `fyrules check` reports it.
OVERLAPPING = {
    "tables/overlap.yaml": (
        "",
        "tables:\n  - id: T-OVERLAP\n    basis: b\n"
        "    inputs: [{name: n, type: number, range: [0, 60]}]\n"
        "    outputs: [{name: out, type: number}]\n"
        '    rows:\n      - ["[0..20]", 1]\n      - ["[15..60]", 2]\n',
    )
}


@pytest.mark.parametrize("side", ["old", "new"])
def test_a_rulebook_that_does_not_load_exits_2_naming_the_side_and_its_problems(
    plant: Planter, side: str
):
    broken = plant(NOT_LOADING)
    argv = ("diff", broken, FUYANG) if side == "old" else ("diff", FUYANG, broken)
    code, out, err = _run(*argv)
    named = "旧 / OLD" if side == "old" else "新 / NEW"
    assert code == 2 and out == ""
    assert (
        f"{named} {broken}: 规则集有错误，请先修正 / the rulebook has errors; fix them first" in err
    )
    assert "tables/bad.yaml:4:5: UNKNOWN-KEY" in err
    assert "Traceback" not in err


def test_the_sides_are_loaded_not_checked(plant: Planter):
    """Only `check` and `test` run the static checks: a table overlap (check's finding)
    does not stop the diff, and a catalog rule broken is shown in the report, not refused."""
    overlapping = plant(OVERLAPPING)
    check_code, check_out, _ = _run("check", overlapping)
    assert check_code == 1 and "TABLE-OVERLAP" in check_out
    code, out, err = _run("diff", FUYANG, overlapping, "--format", "json")
    assert code == 1, err
    assert any(c["id"] == "T-OVERLAP" for c in json.loads(out)["changes"])

    broken = Path(FUYANG).parent / "broken"  # catalog rules broken: `fyrules check` exits 1
    code, out, err = _run("diff", FUYANG, broken, "--format", "json")
    assert code == 1, err
    br01 = next(c for c in json.loads(out)["changes"] if c["id"] == "BR-01")
    assert br01["lawful"] is False
    assert br01["catalog_findings"]["new"] == ["error NAT-COMMITTED-WITHIN-STATUTORY"]
