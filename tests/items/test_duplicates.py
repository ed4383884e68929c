"""Catalog hygiene: probable duplicate items across departments (same legal basis, similar
names) are warned about at both items' file:line; the threshold is the rulebook's parameter
``duplicate_name_similarity``, not a number in code."""

from __future__ import annotations

import datetime as dt
import os
from itertools import combinations
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import fyrules
from fyrules.items import ItemSpec
from fyrules.items.duplicates import name_similarity, normalized_name, probable_duplicates

FUYANG = Path(__file__).resolve().parents[2] / "examples" / "fuyang"
ON = dt.date(2025, 10, 15)

TWIN = """items:
  - code: LC-WJ-001
    name: {zh: 食品经营许可（新申请）, en: Food business licence}
    department: WJ
    window: W01
    type: commitment
    category: approval
    legal_basis: 《中华人民共和国食品安全法》 第三十五条
    statutory_days: 20
    statutory_basis: 《中华人民共和国行政许可法》第四十二条
    committed_days: 10
    materials:
      - {name: 申请书, required: true, original: true, copies: 1}
    fee: {charged: false}
    consult_phone: 0558-0000000
    complaint_phone: "12345"
"""


def _local(tmp_path: Path, items: str, parameters: str = "") -> Path:
    root = tmp_path / "local"
    root.mkdir()
    (root / "rulebook.yaml").write_text(
        "rulebook: local\nname: 本地\njurisdiction: 本地\nversion: '1'\n"
        f"extends: {os.path.relpath(FUYANG, root)}\n",
        encoding="utf-8",
    )
    (root / "items.yaml").write_text(items, encoding="utf-8")
    if parameters:
        (root / "parameters.yaml").write_text(parameters, encoding="utf-8")
    return root


def _duplicates(root: Path) -> list[fyrules.Problem]:
    return [
        p for p in fyrules.check(root, today=ON).problems if p.code == "ITEM-PROBABLE-DUPLICATE"
    ]


def test_fuyangs_catalog_has_no_probable_duplicate():
    assert _duplicates(FUYANG) == []


def test_the_same_item_listed_by_a_second_department_is_warned_at_both_places(tmp_path):
    [problem] = _duplicates(_local(tmp_path, TWIN))
    assert problem.severity == "warning" and problem.rule == "duplicate_name_similarity"
    # at the second item (LC-WJ-001 in the local file), naming the first (FY-SC-001 in Fuyang's)
    assert problem.path.endswith("items.yaml") and problem.line == 2
    rb = fyrules.load(FUYANG)
    first = rb.items.entries["FY-SC-001"].location
    assert str(first) in problem.message_zh and str(first) in problem.message_en
    assert "FY-SC-001" in problem.message_zh and "LC-WJ-001" in problem.message_en


def test_the_threshold_is_the_rulebooks_parameter(tmp_path):
    strict = """parameters:
  - id: duplicate_name_similarity
    title: {zh: 阈值, en: threshold}
    value: 0.99
    tighten: free
    basis: 本地规定
"""
    assert _duplicates(_local(tmp_path, TWIN, strict)) == []


def test_a_threshold_outside_0_to_1_is_an_invalid_value(tmp_path):
    bad = """parameters:
  - id: duplicate_name_similarity
    title: {zh: 阈值, en: threshold}
    value: 80
    tighten: free
    basis: 本地规定
"""
    problems = fyrules.check(_local(tmp_path, TWIN, bad), today=ON).problems
    [problem] = [p for p in problems if p.rule == "duplicate_name_similarity"]
    assert problem.code == "INVALID-VALUE" and problem.path.endswith("parameters.yaml")


def test_a_different_legal_basis_is_not_a_duplicate(tmp_path):
    other = TWIN.replace("第三十五条", "第三十六条")
    assert _duplicates(_local(tmp_path, other)) == []


def test_names_are_compared_after_normalization():
    assert normalized_name("食品经营许可（新办）") == normalized_name("食品 经营许可(新办)")
    assert name_similarity("企业设立登记", "企业设立登记") == 1.0
    assert name_similarity("企业设立登记", "护照签发") < 0.5


_names = st.sampled_from(
    [
        "食品经营许可",
        "食品经营许可（新办）",
        "食品生产许可",
        "企业设立登记",
        "企业变更登记",
        "护照签发",
    ]
)
_items = st.lists(
    st.builds(
        lambda n, name, dept, basis: ItemSpec(
            code=f"X-{n:03d}",
            name=name,
            department=dept,
            type="commitment",
            legal_basis=basis,
        ),
        st.integers(0, 999),
        _names,
        st.sampled_from(["SC", "WJ", "GA"]),
        st.sampled_from(["《甲法》第一条", "《甲法》 第一条", "《乙法》第二条"]),
    ),
    max_size=8,
    unique_by=lambda i: i.code,
)


@given(_items, st.randoms(use_true_random=False), st.floats(0, 1))
def test_duplicates_do_not_depend_on_the_order_of_the_items(items, random, threshold):
    """Invariant: the pairs found are the same in any order of the items; no pair is of one
    department; every pair cites one basis; a lower threshold finds every pair a higher one does."""
    found = probable_duplicates(items, threshold)
    shuffled = list(items)
    random.shuffle(shuffled)
    assert probable_duplicates(shuffled, threshold) == found
    by_code = {i.code: i for i in items}
    for pair in found:
        a, b = by_code[pair.first], by_code[pair.second]
        assert a.department != b.department and pair.first < pair.second
        assert "".join(a.legal_basis.split()) == "".join(b.legal_basis.split())
    lower = {(p.first, p.second) for p in probable_duplicates(items, threshold / 2)}
    assert {(p.first, p.second) for p in found} <= lower


@given(_items, st.floats(0, 1))
def test_duplicates_are_every_pair_of_departments_that_the_definition_finds(items, threshold):
    """Invariant: the pairs are exactly those a walk over every pair of items finds (the
    definition, as the search was written before it skipped the pairs within a department and
    reused the similarity of names already compared)."""
    expected = []
    for a, b in combinations(sorted(items, key=lambda i: i.code), 2):
        same_basis = "".join(a.legal_basis.split()) == "".join(b.legal_basis.split())
        if a.department != b.department and same_basis:
            ratio = name_similarity(a.name.zh, b.name.zh)
            if ratio >= threshold:
                expected.append((a.code, b.code, ratio))
    found = [(p.first, p.second, p.similarity) for p in probable_duplicates(items, threshold)]
    assert found == expected
