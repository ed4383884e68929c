"""The example catalogs: Fuyang's reference rulebook is clean and complete, its construction
chain adds up to the seed's 90 → 50 working days, and examples/broken trips every catalog rule
at the line of the item that breaks it."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from graphlib import TopologicalSorter
from pathlib import Path

import pytest
import yaml

import fyrules
from fyrules.cli import main
from fyrules.items import ItemSpec
from tests.conftest import FUYANG

ROOT = Path(__file__).resolve().parents[2]
CHAIN = FUYANG / "items" / "construction-chain.yaml"
BROKEN = ROOT / "examples" / "broken"
MISTAKES = BROKEN / "items" / "mistakes.yaml"
# `check` warns from 1 December when next year's holiday schedule is missing: check as of a
# fixed day, so the result does not depend on the real date.
TODAY = "2025-10-15"
ON = dt.date.fromisoformat(TODAY)
KINDS = {"immediate", "commitment", "joint", "report_up"}


# --- Fuyang: clean, tested, complete -------------------------------------------------------


def test_fuyang_checks_with_no_errors_and_no_warnings():
    result = fyrules.check(FUYANG, today=ON)
    serious = [p.format("en") for p in result.problems if p.severity in ("error", "warning")]
    assert serious == []


def test_fuyang_rulebook_tests_pass_with_full_coverage(capsys):
    code = main(["test", str(FUYANG), "--min-coverage", "100"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert " 0 failed" in out and "coverage: 100.0%" in out


def test_fuyang_has_ten_departments_sixty_items_and_every_case_kind(fuyang):
    catalog = fuyang.items
    stats = catalog.statistics()
    assert len(catalog.departments) >= 10
    assert stats.total >= 60
    assert set(stats.by_kind) == KINDS
    # Realistic shares: commitment items are most, then immediate ones; a few joint and
    # report-up items.
    kinds = stats.by_kind
    assert kinds["commitment"] > kinds["immediate"] > max(kinds["joint"], kinds["report_up"])
    assert kinds["joint"] >= 3 and kinds["report_up"] >= 3
    # Every department of the center has items.
    assert set(stats.by_department) == set(catalog.departments)


def test_fuyang_window_authorization_is_the_seeds_two_thirds(fuyang):
    """Seed §1: 66.7% of the window items are decided by the licensing department's chief."""
    stats = fuyang.items.statistics()
    assert stats.window_authorized.percent(1) == "66.7%"
    assert stats.concentration.count < stats.total  # a few items are not centralized


def test_the_four_certificates_are_joint_and_done_in_one_and_a_half_hours(fuyang):
    four = [
        item
        for item in fuyang.items.items.values()
        if "四证" in item.name.zh and fuyang.items.kind(item) == "joint"
    ]
    assert [(i.committed_days, i.committed_hours, i.lead_window is not None) for i in four] == [
        (0, 1.5, True)
    ]


def ten_public_fields_missing(item: ItemSpec) -> list[str]:
    """The "ten publicity" fields (十公开) an item leaves empty."""
    fee_ok = not item.fee.charged or bool(item.fee.standard and item.fee.basis)
    checks = {
        "section": item.section,
        "legal_basis": item.legal_basis,
        "conditions": item.conditions,
        "procedure": item.procedure,
        "committed_days": item.committed_days is not None,
        "materials": item.materials,
        "fee": fee_ok,
        "form": item.form,
        "consult_phone": item.consult_phone,
        "complaint_phone": item.complaint_phone,
    }
    return [name for name, value in checks.items() if not value]


def test_every_fuyang_item_publishes_its_ten_public_fields(fuyang):
    gaps = {code: ten_public_fields_missing(i) for code, i in fuyang.items.items.items()}
    assert {code: missing for code, missing in gaps.items() if missing} == {}


def test_fuyang_committed_limits_are_shorter_than_statutory_ones(fuyang):
    too_long = [
        code
        for code, item in fuyang.items.items.items()
        if item.statutory_days is not None
        and item.committed_days is not None
        and item.committed_days >= item.statutory_days
    ]
    assert too_long == []


def test_one_review_one_approval_only_without_site_work_and_below_the_leader(fuyang):
    procedures = fuyang.items.procedures
    wrong = [
        code
        for code, item in fuyang.items.items.items()
        if item.one_review_one_approval
        and (
            item.authorization == "leader"
            or any(procedures[p.name].site_work for p in item.special_procedures)
        )
    ]
    assert wrong == []


# --- the construction chain: 90 working days in series, 50 in parallel ---------------------


def chain_codes() -> list[str]:
    data = yaml.safe_load(CHAIN.read_text(encoding="utf-8"))
    return [entry["code"] for entry in data["items"]]


def ancestors(items: Mapping[str, ItemSpec], code: str) -> set[str]:
    """``code`` and every item it needs first, directly or through others."""
    seen, todo = {code}, [code]
    while todo:
        for dep in items[todo.pop()].depends_on:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def waits_for(items: Mapping[str, ItemSpec], members: set[str]) -> dict[str, set[str]]:
    """What each member waits for: its prerequisites and, as items of one parallel group
    start together, the prerequisites outside the group of every member of its group."""
    groups: dict[str, set[str]] = {}
    for code in members:
        if items[code].parallel_group is not None:
            groups.setdefault(items[code].parallel_group, set()).add(code)
    before = {}
    for code in members:
        group = groups.get(items[code].parallel_group, {code})
        outside = {d for mate in group for d in items[mate].depends_on} - group
        before[code] = (set(items[code].depends_on) | outside) & members
    return before


def longest_path(items: Mapping[str, ItemSpec], members: set[str]) -> int:
    before = waits_for(items, members)
    finish: dict[str, int] = {}
    for code in TopologicalSorter(before).static_order():
        start = max((finish[d] for d in before[code]), default=0)
        finish[code] = start + items[code].committed_days
    return max(finish.values())


def test_the_chain_is_the_construction_permit_and_everything_it_needs(fuyang):
    items = fuyang.items.items
    permits = [c for c in chain_codes() if "施工许可" in items[c].name.zh]
    assert len(permits) == 1
    assert ancestors(items, permits[0]) == set(chain_codes())
    groups = [items[c].parallel_group for c in chain_codes() if items[c].parallel_group]
    assert groups and all(groups.count(g) >= 2 for g in groups)


def test_the_chain_takes_90_working_days_in_series_and_50_in_parallel(fuyang):
    """Seed §1: from project establishment to the construction permit, 90 → 50 working days."""
    items = fuyang.items.items
    members = set(chain_codes())
    assert sum(items[c].committed_days for c in members) == 90
    assert longest_path(items, members) == 50


def test_the_chain_files_arithmetic_comment_matches_its_data(fuyang):
    header = CHAIN.read_text(encoding="utf-8").split("\nitems:")[0]
    written = {
        code: int(days)
        for code, days in re.findall(r"^#\s+(FY-[A-Z]{2}-\d{3})\s+\S+\s+(\d+)", header, re.M)
    }
    assert written == {c: fuyang.items[c].committed_days for c in chain_codes()}
    assert "= 90" in header and "= 50" in header


# --- examples/broken: every catalog rule fires, at the item that trips it ------------------


def announced() -> dict[str, list[tuple[str, int]]]:
    """Rule id → (item code, line) from the "触发 / trips:" comments above the items."""
    out: dict[str, list[tuple[str, int]]] = {}
    pending: list[str] = []
    lines = MISTAKES.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if m := re.match(r"\s*#\s*触发 / trips:\s*(.+?)\s*$", line):
            pending.extend(r.strip() for r in m.group(1).split(","))
        elif m := re.match(r"\s*- code:\s*(\S+)", line):
            for rule in pending:
                out.setdefault(rule, []).append((m.group(1), number))
            pending = []
    return out


def item_at(line: int) -> int:
    """The first line of the item that ``line`` of the mistakes file belongs to: a finding
    points at the key its rule reads (``type: JB``) when the item writes it, else at the item."""
    starts = [
        n
        for n, text in enumerate(MISTAKES.read_text(encoding="utf-8").splitlines(), start=1)
        if re.match(r"\s*- code:", text)
    ]
    return max((n for n in starts if n <= line), default=line)


def item_rules_in_force() -> list[str]:
    rulebook = fyrules.check(BROKEN, today=ON).rulebook
    if rulebook is None:
        return []
    return sorted(rule.id for rule in rulebook.rules.for_scope("item", ON))


@pytest.fixture(scope="module")
def broken_report(tmp_path_factory) -> list[dict]:
    """What `fyrules check examples/broken --format json` reports, problem by problem."""
    out = tmp_path_factory.mktemp("broken") / "report.json"
    code = main(["check", str(BROKEN), "--today", TODAY, "--format", "json", "--output", str(out)])
    assert code == 1
    return json.loads(out.read_text(encoding="utf-8"))["problems"]


def in_mistakes(problem: dict) -> bool:
    return problem.get("path") is not None and Path(problem["path"]).resolve() == MISTAKES


def test_the_broken_rulebook_loads_and_knows_every_catalog_rule():
    """It fails `check` on purpose, but loads: its problems are catalog findings only."""
    rulebook = fyrules.load(BROKEN)
    rules = item_rules_in_force()
    assert len(rules) >= 13
    assert set(rules) == {r.id for r in rulebook.rules.for_scope("item", ON)}


@pytest.mark.parametrize("rule_id", item_rules_in_force())
def test_each_catalog_rule_fires_at_the_item_that_trips_it(rule_id, broken_report):
    places = announced().get(rule_id)
    assert places, f"no item in {MISTAKES.name} is marked '触发 / trips: {rule_id}'; add one"
    reported = {
        item_at(p["line"]) for p in broken_report if p["code"] == rule_id and in_mistakes(p)
    }
    for code, line in places:
        assert line in reported, f"{rule_id} is not reported at {code} ({MISTAKES.name}:{line})"


def test_the_broken_items_trip_only_the_rules_their_comments_name(broken_report):
    expected = {(rule, line) for rule, places in announced().items() for _, line in places}
    found = {(p["code"], item_at(p["line"])) for p in broken_report if in_mistakes(p)}
    assert found == expected
    assert not [p for p in broken_report if not in_mistakes(p)]


def test_a_missing_window_names_the_windows_and_fills_no_blank(broken_report):
    """BR-04 names an undefined window and has no lead or co-handling window: the message says
    "未填 / none" for those rather than printing blanks, and says what to do."""
    (problem,) = [p for p in broken_report if p["code"] == "NAT-WINDOW-EXISTS"]
    assert "受理 W16、主办 未填、协办 未填" in problem["message_zh"]
    assert "(window W16, lead none, co-handling none)" in problem["message_en"]
    assert (
        "请在 windows 中定义" in problem["message_zh"]
        and "define it under windows" in problem["message_en"]
    )
