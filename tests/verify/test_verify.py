"""``fyrules verify``: on the intact Fuyang rulebook no counterexample; on copies with a
separation-of-duties or a deadline rule removed, the search finds the stream that proves it,
shrinks it, prints it as JSON Lines and keeps it as a rulebook test. Budgets are small and
seeded so the suite stays fast; `fyrules verify`'s default budget is larger."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import fyrules
from fyrules.cli import main
from fyrules.verify.search import search
from tests.conftest import FUYANG, fuyang_rulebook


def fuyang_without(tmp_path: Path, rule: str, file: str) -> Path:
    """A copy of the Fuyang rulebook with the list entry ``- id: rule`` of ``file`` removed."""
    root = tmp_path / "fuyang"
    shutil.copytree(FUYANG, root, symlinks=False)
    path = root / file
    path.write_text(remove_entry(path.read_text(encoding="utf-8"), rule), encoding="utf-8")
    return root


def remove_entry(text: str, rule: str) -> str:
    """``text`` (a rule file) without its list entry ``- id: rule``."""
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("  - id: "):
            skipping = line.strip() == f"- id: {rule}"
        elif line.strip() and not line.startswith("    "):
            skipping = False
        if not skipping:
            kept.append(line)
    out = "".join(kept)
    assert f"id: {rule}\n" not in out and out != text
    return out


def test_the_intact_fuyang_rulebook_has_no_counterexample():
    result = search(fuyang_rulebook(), max_examples=150, seed=1)
    assert result.examples == 150
    assert result.counterexample is None


# (rule removed, its file, the invariant the counterexample must break)
# FY-EXTEND-NOT-SELF-APPROVED: the approval head (P-SC-01 holds approval_head and approver, each
# department's P-xx-10 approval_head) may both extend and approve an extension, so only the rule
# stops a self-approved one. SOD-REVIEW-APPROVE is not here: no one on Fuyang's roster holds
# both reviewer and an approving role, so the roster alone refuses a reviewer's decision (see
# the planted roster below).
REMOVALS = [
    (
        "FY-EXTEND-NOT-SELF-APPROVED",
        "rules/separation.yaml",
        "FY-INV-EXTENSION-NOT-SELF-APPROVED",
    ),
    ("SOD-HANDLER-NO-INSPECT", "separation.yaml", "FY-INV-HANDLER-NOT-INSPECTOR"),
    ("SOD-LICENSING-DEPT-NO-INSPECT", "separation.yaml", "FY-INV-NO-INSPECTION-OF-OWN-DEPARTMENT"),
    ("FY-RED-CARD", "rules/supervision.yaml", "FY-INV-OVERDUE-RED-CARD"),
    ("FY-YELLOW-CARD", "rules/supervision.yaml", "FY-INV-LATE-STAGE-CARDED"),
]


@pytest.mark.parametrize(("rule", "file", "invariant"), REMOVALS, ids=[r[0] for r in REMOVALS])
def test_a_removed_rule_is_caught_by_a_shrunk_counterexample(tmp_path, rule, file, invariant):
    rb = fyrules.load(fuyang_without(tmp_path, rule, file))
    result = search(rb, max_examples=300, seed=0)
    found = result.counterexample
    assert found is not None, f"no counterexample in {result.examples} examples"
    assert invariant in {f.rule for f in found.broken}
    # shrunk: a handful of events, every one of them needed by the monitor or the invariant
    assert len(found.events) <= 10
    # it reproduces: the same events break the same invariant on a fresh monitor
    from fyrules.invariants import broken, replay

    again = broken(rb, replay(rb, [json.loads(line) for line in found.jsonl().splitlines()]))
    assert invariant in {f.rule for f in again}
    # and the intact rulebook's monitor refuses or reports it
    intact = fuyang_rulebook()
    assert broken(intact, replay(intact, list(found.events))) == []


def test_a_self_approved_extension_is_found_by_an_approval_head(tmp_path):
    """The search draws extensions an actor holding an approving role approves themself, and
    carries the data the process requires (the reason), so the monitor accepts them."""
    root = fuyang_without(tmp_path, "FY-EXTEND-NOT-SELF-APPROVED", "rules/separation.yaml")
    rb = fyrules.load(root)
    found = search(rb, max_examples=400, seed=0).counterexample
    assert found is not None
    [extend] = [e for e in found.events if e.event == "extend"]
    assert extend.data["approved_by"] == extend.actor and extend.data["reason"]
    from fyrules.separation.acting import ActingCheck

    on = extend.at.astimezone(ZoneInfo(rb.timezone)).date()
    assert "approval_head" in ActingCheck(rb).roles_for(extend.actor, extend.item, on)


def test_a_reviewer_who_also_holds_the_approver_role_is_drawn_to_decide(tmp_path):
    """A roster where a reviewer also approves (P-SC-13 given the approver role for SC) and
    SOD-REVIEW-APPROVE removed: the search draws that person for both stages of one case."""
    root = fuyang_without(tmp_path, "SOD-REVIEW-APPROVE", "separation.yaml")
    roster = root / "separation.yaml"
    text = roster.read_text(encoding="utf-8")
    line = (
        "  - {person: P-SC-15, role: approver, scope: {department: SC}, basis: 窗口授权书（SC）}\n"
    )
    planted = line.replace("P-SC-15", "P-SC-13")
    assert line in text
    roster.write_text(text.replace(line, line + planted), encoding="utf-8")
    rb = fyrules.load(root)
    result = search(rb, max_examples=400, seed=2)
    found = result.counterexample
    assert found is not None, f"no counterexample in {result.examples} examples"
    assert {f.rule for f in found.broken} == {"FY-INV-REVIEWER-NOT-DECIDER"}
    kinds = {e.event: e.actor for e in found.events}
    assert kinds["review"] == kinds.get("approve", kinds.get("deny")) == "P-SC-13"
    # with the rule back, the same roster refuses that decision
    intact_text = (FUYANG / "separation.yaml").read_text(encoding="utf-8")
    roster.write_text(intact_text.replace(line, line + planted), encoding="utf-8")
    from fyrules.invariants import broken, replay

    intact = fyrules.load(root)
    assert broken(intact, replay(intact, list(found.events))) == []


def test_a_pause_without_notice_is_caught_when_the_baseline_forgets_it(tmp_path):
    """Fuyang on a copy of the national baseline without NAT-PAUSE-NOTICE: a pause with no
    written notice (Art. 45) breaks NAT-INV-PAUSE-NOTICE-FLAGGED."""
    national = tmp_path / "national"
    shutil.copytree(Path(fyrules.__file__).resolve().parent / "baseline" / "national", national)
    root = tmp_path / "fy"
    shutil.copytree(FUYANG, root, symlinks=False)
    manifest = root / "rulebook.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "extends: national\n" in text
    manifest.write_text(text.replace("extends: national\n", "extends: ../national\n"), "utf-8")
    rules = national / "rules" / "deadlines.yaml"
    kept = remove_entry(rules.read_text(encoding="utf-8"), "NAT-PAUSE-NOTICE")
    rules.write_text(kept, encoding="utf-8")
    result = search(fyrules.load(root), max_examples=400, seed=0)
    found = result.counterexample
    assert found is not None, f"no counterexample in {result.examples} examples"
    assert {f.rule for f in found.broken} == {"NAT-INV-PAUSE-NOTICE-FLAGGED"}
    [pause] = [e for e in found.events if e.event == "pause"]
    assert "notice" not in pause.data


def test_a_decision_from_another_department_is_caught(tmp_path):
    """A roster granting a Housing approver (P-ZJ-15) the approver role for Market Regulation:
    ``fyrules check`` reports it (FY-APPROVER-OWN-DEPARTMENT), and the monitor, which trusts the
    roster, accepts that person's decisions on SC cases; the search shows one breaking
    NAT-INV-DECIDED-BY-THE-LICENSING-DEPARTMENT."""
    root = tmp_path / "fy"
    shutil.copytree(FUYANG, root, symlinks=False)
    roster = root / "separation.yaml"
    line = (
        "  - {person: P-SC-15, role: approver, scope: {department: SC}, basis: 窗口授权书（SC）}\n"
    )
    text = roster.read_text(encoding="utf-8")
    assert line in text
    roster.write_text(text.replace(line, line + line.replace("P-SC-15", "P-ZJ-15")), "utf-8")
    result = search(fyrules.load(root), max_examples=400, seed=0)
    found = result.counterexample
    assert found is not None, f"no counterexample in {result.examples} examples"
    assert {f.rule for f in found.broken} == {"NAT-INV-DECIDED-BY-THE-LICENSING-DEPARTMENT"}
    deciders = {e.actor for e in found.events if e.event in ("approve", "deny")}
    assert deciders == {"P-ZJ-15"}


def test_verify_exits_0_on_the_intact_rulebook(capsys):
    code = main(["verify", str(FUYANG), "--max-examples", "30", "--seed", "3", "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "no counterexample: 13 invariant(s), 30 event stream(s) tried (seed 3" in out


def test_verify_prints_saves_and_the_saved_test_guards_the_fix(tmp_path, capsys):
    root = fuyang_without(tmp_path, "SOD-HANDLER-NO-INSPECT", "separation.yaml")
    saved = root / "tests" / "verify"
    code = main(["verify", str(root), "--max-examples", "300", "--save", str(saved)])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "INVARIANT-BROKEN: FY-INV-HANDLER-NOT-INSPECTOR" in out
    events = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    inspector = next(e["actor"] for e in events if e["event"] == "inspect")
    assert any(e["actor"] == inspector and e["event"] != "inspect" for e in events)
    [test_file] = saved.glob("*.yaml")
    assert test_file.name == "verify-fy-inv-handler-not-inspector.yaml"
    # fyrules test runs the kept counterexample: it fails while the rule is missing …
    assert main(["test", str(root), "--lang", "en"]) == 1
    assert "FAIL VERIFY-FY-INV-HANDLER-NOT-INSPECTOR-0" in capsys.readouterr().out
    # … and passes once the rule is back
    shutil.copy(FUYANG / "separation.yaml", root / "separation.yaml")
    assert main(["test", str(root), "--lang", "en"]) == 0
    assert "PASS VERIFY-FY-INV-HANDLER-NOT-INSPECTOR-0" in capsys.readouterr().out


def test_verify_reports_for_programs_and_ci(tmp_path):
    from fyrules.verify.report import report

    root = fuyang_without(tmp_path, "FY-RED-CARD", "rules/supervision.yaml")
    out_file = tmp_path / "verify.json"
    args = ["verify", str(root), "--max-examples", "150", "--format", "json", "-o", str(out_file)]
    assert main(args) == 1
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    assert doc["seed"] == 0 and doc["examples"] <= 150
    assert "FY-INV-OVERDUE-RED-CARD" in {b["rule"] for b in doc["counterexample"]["broken"]}
    assert doc["counterexample"]["events"][0]["event"] in ("submit", "accept")  # opens the case
    # the same search, for CI: SARIF and JUnit name the invariant's file and line
    result = search(fyrules.load(root), max_examples=150, seed=0)
    sarif = json.loads(report(result, "sarif", target=str(root)))
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"INVARIANT-BROKEN"}
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("invariants.yaml")
    assert location["region"]["startLine"] > 1
    junit = ET.tostring(ET.fromstring(report(result, "junit", target=str(root))), "unicode")
    assert "<failure" in junit and "FY-INV-OVERDUE-RED-CARD" in junit
    # the same seed gives the same counterexample
    assert result.counterexample is not None
    events = [e.model_dump(mode="json") for e in result.counterexample.events]
    assert events == doc["counterexample"]["events"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["verify", "no-such-folder"], "does not exist"),
        (["verify", str(FUYANG), "--max-examples", "0"], "positive"),
    ],
)
def test_verify_on_bad_input_exits_2(capsys, args, says):
    assert main(args) == 2
    assert says in capsys.readouterr().err


def test_verify_on_a_broken_rulebook_exits_2_naming_the_problem(tmp_path, capsys):
    root = tmp_path / "fy"
    shutil.copytree(FUYANG, root, symlinks=False)
    path = root / "invariants.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("actors.review", "actors.reveiw", 1))
    assert main(["verify", str(root)]) == 2
    err = capsys.readouterr().err
    assert "invariants.yaml:" in err and "FY-INV-REVIEWER-NOT-DECIDER" in err


def test_verify_on_a_rulebook_without_items_says_nothing_was_searched(capsys):
    national = Path(fyrules.__file__).resolve().parent / "baseline" / "national"
    assert main(["verify", str(national), "--lang", "en"]) == 0
    assert "no centralized items to build cases from: nothing was searched" in (
        capsys.readouterr().out
    )
