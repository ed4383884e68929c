"""Items are classified (approval / public service / management) in the rule files, and the
catalog statistics count them by class."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import fyrules
from fyrules.items import ItemSpec, catalog_statistics

FUYANG = Path(__file__).resolve().parents[2] / "examples" / "fuyang"


def test_every_fuyang_item_is_classified():
    rb = fyrules.load(FUYANG)
    classes = {i.category for i in rb.items.items.values()}
    assert classes == {"approval", "public_service", "management"}
    stats = rb.items.statistics()
    assert "unclassified" not in stats.by_class
    assert sum(stats.by_class.values()) == stats.total
    assert rb.items["FY-SC-008"].category == "management"  # 第二类医疗器械经营备案, a filing


def test_an_unknown_class_is_an_invalid_value_at_its_line(tmp_path):
    root = tmp_path / "local"
    root.mkdir()
    (root / "rulebook.yaml").write_text(
        "rulebook: local\nname: 本地\njurisdiction: 本地\nversion: '1'\nextends: national\n",
        encoding="utf-8",
    )
    (root / "items.yaml").write_text(
        "items:\n  - code: X-1\n    name: 测试事项\n    department: D\n    type: immediate\n"
        "    category: licence\n",
        encoding="utf-8",
    )
    problems = fyrules.check(root, today=dt.date(2025, 10, 15)).problems
    [problem] = [p for p in problems if p.line == 6]
    assert problem.code == "INVALID-VALUE" and problem.path.endswith("items.yaml")


_item = st.builds(
    lambda n, category: ItemSpec(
        code=f"X-{n}", name="事项", department="D", type="immediate", category=category
    ),
    st.integers(0, 10**6),
    st.sampled_from([None, "approval", "public_service", "management"]),
)


@given(st.lists(_item, max_size=30))
def test_the_classes_count_every_item_once(items):
    """Invariant: the counts by class add up to the number of items."""
    stats = catalog_statistics(items)
    assert sum(stats.by_class.values()) == stats.total == len(items)
    assert stats.by_class.get("unclassified", 0) == sum(i.category is None for i in items)
