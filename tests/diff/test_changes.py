"""The semantic diff: each change planted in a copy of Fuyang gives the entry, the field, the
verdict and the file:line on both sides it must; and a rulebook compared with itself (or with
a copy of itself) gives nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fyrules
from fyrules.diff import diff_rulebooks
from fyrules.diff.fields import field_changes

from .conftest import FUYANG, planted

SEPARATION = (FUYANG / "separation.yaml").read_text(encoding="utf-8")
HEAD_NO_SUPERVISION = SEPARATION[
    SEPARATION.index("  - id: SOD-APPROVAL-HEAD-NO-SUPERVISION") : SEPARATION.index(
        "\n\n# 基于办件历史"
    )
]
ADDED_RULE = """rules:
  - id: FY-LONG-CASE
    title: {zh: 用时过长的案件, en: A case that took too long}
    basis: 阜阳市政务服务中心电子监察系统预警规则（示例）
    severity: warning
    scope: case
    condition: used_days > 100
    message:
      zh: 已用 {used_days} 个工作日
      en: "{used_days} working days used"
"""
INVARIANTS = (FUYANG / "invariants.yaml").read_text(encoding="utf-8")
HANDLER_NOT_INSPECTOR = INVARIANTS[
    INVARIANTS.index("  - id: FY-INV-HANDLER-NOT-INSPECTOR") : INVARIANTS.index(
        "  - id: FY-INV-NO-INSPECTION-OF-OWN-DEPARTMENT"
    )
]
HOLIDAY = (
    "  published_through: 2026\n  extra_holidays:\n"
    "    - {date: 2025-10-09, name: 本市纪念日, basis: 阜阳市人民政府通知（示例）}\n"
)

# (name, file, old text, new text, section, id, kind, field, loosened)
PLANTED: list[tuple[str, str, str, str, str, str, str, str | None, bool]] = [
    ("shorter committed limit", "items/civil-affairs.yaml", "committed_days: 20",
     "committed_days: 15", "items", "FY-MZ-001", "changed", "committed_days", False),
    ("longer committed limit", "items/civil-affairs.yaml", "committed_days: 20",
     "committed_days: 25", "items", "FY-MZ-001", "changed", "committed_days", True),
    ("a separation constraint removed", "separation.yaml", HEAD_NO_SUPERVISION + "\n", "",
     "sod_constraints", "SOD-APPROVAL-HEAD-NO-SUPERVISION", "removed", None, True),
    ("a history constraint's severity lowered", "separation.yaml",
     "severity: warning\n    basis: 阜阳市政务服务中心内控机制", "severity: info\n    basis: 阜阳市政务服务中心内控机制",
     "history_constraints", "SOD-ACCEPT-APPROVE-SAME-DEPT", "changed", "severity", True),
    ("a rule's severity raised", "rules/supervision.yaml", "severity: info", "severity: warning",
     "rules", "FY-PROMPT", "changed", "severity", False),
    ("a warning threshold lowered", "parameters.yaml", "value: 1\n    unit: 工作日\n    tighten: higher",
     "value: 0\n    unit: 工作日\n    tighten: higher", "parameters", "prompt_days_before", "changed", "value", True),
    ("a scoring band changed", "tables/early-settlement-band.csv", "[0.6..0.8),12",
     "[0.6..0.8),11", "tables", "EARLY-SETTLEMENT-BAND", "changed", "rows[2][2]", False),
    ("a stage budget lengthened", "rules/supervision.yaml", "approve: 2,", "approve: 3,",
     "stage_budgets", "FY-STAGES-COMMITMENT", "changed", "stages.approve", True),
    ("the inspection sampling rate lowered", "inspection.yaml", "rate: 0.05", "rate: 0.03",
     "inspection", "FY-INSPECTION", "changed", "sampling.rate", True),
    ("a calendar day added", "calendar.yaml", "  published_through: 2026\n", HOLIDAY,
     "calendar", "calendar (fuyang)", "changed", "extra_holidays[2025-10-09]", False),
    ("the satisfied rating moved", "scoring.yaml", "value: 4", "value: 3",
     "scoring", "FY-EFFICIENCY-INDEX", "changed", "satisfied_rating.value", False),
    ("an invariant removed", "invariants.yaml", HANDLER_NOT_INSPECTOR, "",
     "invariants", "FY-INV-HANDLER-NOT-INSPECTOR", "removed", None, True),
    ("a rule added", "rules/extra.yaml", "", ADDED_RULE,
     "rules", "FY-LONG-CASE", "added", None, False),
    ("a rule's basis reworded", "rules/supervision.yaml", "预警规则（红牌）", "预警规则（红牌，2026 年修订）",
     "rules", "FY-RED-CARD", "changed", "basis", False),
]  # fmt: skip


def _line_of(path: Path, text: str) -> int:
    """The line where ``text`` starts in ``path`` (leading blanks skipped)."""
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text.strip())].count("\n") + 1


def _line(where: str | None) -> int:
    assert where is not None
    return int(where.split(":")[1])


@pytest.mark.parametrize("case", PLANTED, ids=[c[0] for c in PLANTED])
def test_each_planted_change_gives_its_diff(case, fuyang, tmp_path):
    _name, file, old, new, section, entry_id, kind, field, loosened = case
    folder = planted(tmp_path, {file: (old, new)})
    report = diff_rulebooks(fuyang, fyrules.load(folder))
    assert [(c.section, c.id, c.kind) for c in report.changes] == [(section, entry_id, kind)]
    change = report.changes[0].to_dict()
    assert change["loosened"] is loosened
    assert bool(report.loosened) is loosened
    if kind == "removed":
        assert change["new_at"] is None
        assert change["old_at"].split(":")[0].endswith(file)
        assert _line(change["old_at"]) == _line_of(FUYANG / file, old)
    elif kind == "added":
        assert change["old_at"] is None
        assert _line(change["new_at"]) == _line_of(folder / file, "- id: " + entry_id)
    else:
        (diff,) = [f for f in change["fields"] if f["field"] == field]
        assert diff["old_at"].split(":")[0].endswith(file)
        assert diff["new_at"].split(":")[0] == str(folder / file)
        if field.startswith("extra_holidays"):  # OLD has none: the section that would hold it
            assert _line(diff["old_at"]) == _line_of(FUYANG / file, "calendar:") + 1
            assert _line(diff["new_at"]) == _line_of(folder / file, "- {date: 2025-10-09")
        else:
            assert _line(diff["old_at"]) == _line_of(FUYANG / file, old)
            assert _line(diff["new_at"]) == _line_of(folder / file, new)
        assert [f["field"] for f in change["fields"]] == [field]
        assert (diff["verdict"] or {}).get("loosened", False) is loosened
    json.dumps(report.to_dict(), ensure_ascii=False)  # the JSON report is JSON


def test_an_item_change_shows_every_limit_before_and_after(fuyang, tmp_path):
    folder = planted(
        tmp_path, {"items/civil-affairs.yaml": ("committed_days: 20", "committed_days: 15")}
    )
    (change,) = diff_rulebooks(fuyang, fyrules.load(folder)).changes
    assert dict(change.limits) == {"statutory_days": (60, 60), "committed_days": (20, 15)}
    assert change.old_basis == change.new_basis
    assert change.new_basis is not None and "《社会团体登记管理条例》第十二条" in change.new_basis


def test_a_removed_item_is_a_change_but_not_a_loosening(fuyang, tmp_path):
    """Taking an item out of the center's catalog forbids nothing the catalog allowed."""
    text = (FUYANG / "items" / "civil-affairs.yaml").read_text(encoding="utf-8")
    start = text.index("  - code: FY-MZ-001")
    end = text.index("  - code:", start + 1)
    folder = planted(tmp_path, {"items/civil-affairs.yaml": (text[start:end], "")})
    report = diff_rulebooks(fuyang, fyrules.load(folder))
    removed = [c for c in report.changes if c.kind == "removed"]
    assert [(c.section, c.id) for c in removed] == [("items", "FY-MZ-001")]
    assert dict(removed[0].limits) == {"statutory_days": (60, None), "committed_days": (20, None)}
    assert not report.loosened


def test_a_copy_of_a_rulebook_in_another_folder_is_no_change(fuyang, tmp_path):
    copy = planted(tmp_path, {})
    report = diff_rulebooks(fuyang, fyrules.load(copy))
    assert report.changes == ()
    assert report.old["fingerprint"] == report.new["fingerprint"]
    assert not report.changed


# --- invariants -----------------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON)
def test_a_value_compared_with_itself_has_no_field_changes(value):
    """For any JSON value x: field_changes(x, x) is empty."""
    assert field_changes(value, json.loads(json.dumps(value))) == []


@given(JSON, JSON)
def test_field_changes_are_empty_exactly_when_the_values_are_equal(a, b):
    """field_changes(a, b) is empty if and only if a == b (numbers compare by value, booleans
    are not numbers)."""

    def canonical(v: Any) -> str:
        return json.dumps(v, sort_keys=True)

    same = canonical(a) == canonical(b)
    if not same and a == b:  # 1 == 1.0: the same number written two ways
        same = True
    assert (field_changes(a, b) == []) == same


EDITS = [(c[1], c[2], c[3]) for c in PLANTED]


@settings(max_examples=6)
@given(picks=st.lists(st.sampled_from(range(len(EDITS))), max_size=3, unique=True))
def test_any_rulebook_diffed_with_itself_is_empty(picks, tmp_path_factory):
    """For any rulebook A (Fuyang with any mix of the planted changes): diff A A is empty,
    whether A is loaded once or twice."""
    edits: dict[str, tuple[str, str]] = {}
    for i in sorted(picks):
        file, old, new = EDITS[i]
        if file not in edits:
            edits[file] = (old, new)
    folder = planted(tmp_path_factory.mktemp("a"), edits)
    a = fyrules.load(folder)
    assert diff_rulebooks(a, a).changes == ()
    assert diff_rulebooks(a, fyrules.load(folder)).changes == ()


def test_a_new_version_of_a_rule_is_a_version_added_not_the_rule_replaced(fuyang, tmp_path):
    """Rules are versioned by validity: a new version from 2026 (and the old one ended) is one
    version added and one field changed, which loosens nothing."""
    new_version = (
        "rules:\n  - id: FY-RED-CARD\n    title: {zh: 红牌（2026 年起）, en: Red card from 2026}\n"
        "    basis: 阜阳市政务服务中心电子监察系统预警规则（红牌，2026 年修订，示例）\n"
        "    severity: error\n    scope: case\n    valid_from: 2026-01-01\n"
        "    condition: committed_remaining is not None and committed_remaining < 0\n"
        "    message: {zh: 红牌, en: red card}\n"
    )
    folder = planted(
        tmp_path,
        {
            "rules/supervision.yaml": (
                "    tags: [red]\n",
                "    tags: [red]\n    valid_to: 2025-12-31\n",
            ),
            "rules/red-card-2026.yaml": ("", new_version),
        },
    )
    report = diff_rulebooks(fuyang, fyrules.load(folder))
    assert [(c.section, c.id, c.kind) for c in report.changes] == [
        ("rules", "FY-RED-CARD", "changed"),
        ("rules", "FY-RED-CARD (版本 / version 2)", "added"),
    ]
    assert [f.change.label for f in report.changes[0].fields] == ["valid_to"]
    assert not report.loosened


def test_a_changed_item_says_what_the_catalog_rules_find_in_it_on_each_side(fuyang, tmp_path):
    """A committed limit raised past 60% of the statutory one: still lawful (nothing at error
    level), but NEW's catalog rules warn, and the diff says so."""
    folder = planted(
        tmp_path, {"items/civil-affairs.yaml": ("committed_days: 20", "committed_days: 40")}
    )
    (change,) = diff_rulebooks(fuyang, fyrules.load(folder)).changes
    assert dict(change.catalog_findings) == {"old": (), "new": ("warning FY-COMMITTED-SHARE",)}
    assert change.lawful is True
    assert change.loosened
    assert change.to_dict()["catalog_findings"]["new"] == ["warning FY-COMMITTED-SHARE"]
