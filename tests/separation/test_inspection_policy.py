"""The ``inspection:`` section: what it compiles to and what it refuses."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import fyrules
from fyrules.rulebook import check
from tests.helpers import codes
from tests.separation.inspection_book import small_rulebook

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fuyang"
TODAY = dt.date(2025, 10, 15)


def test_fuyang_declares_every_number_with_its_basis():
    policy = fyrules.load(EXAMPLE).part("inspection")
    assert policy.rate == Fraction(1, 20) and policy.minimum == 2
    assert policy.rate_of("ZJ") == Fraction(1, 10) and policy.rate_of("SC") == Fraction(1, 20)
    assert policy.capacity_of("P-C-01") == 20 and policy.capacity_of("P-C-04") == 40
    assert policy.rectify_days == 10
    assert set(policy.categories) == {"quality", "efficiency", "legality", "standardization"}
    bases = [
        policy.basis,
        policy.public_value_basis,
        policy.sampling_basis,
        policy.capacity_basis,
        policy.rectify_basis,
        *(c.basis for c in policy.categories.values()),
    ]
    assert all(b.strip() for b in bases)


def test_sample_sizes_round_up_keep_the_minimum_and_never_exceed_the_stratum(tmp_path):
    policy = fyrules.load(small_rulebook(tmp_path, rate="0.05", minimum=2)).part("inspection")
    assert [policy.sample_size("SC", n) for n in (0, 1, 2, 40, 41, 60)] == [0, 1, 2, 2, 3, 3]


def test_unknown_departments_persons_and_roles_are_named_at_their_line(tmp_path):
    root = small_rulebook(tmp_path)
    path = root / "inspection.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("person: i-c,", "person: i-x,").replace(
        "    basis: 抽查方案\n  capacity",
        "    basis: 抽查方案\n    departments: [{department: XX, basis: b}]\n  capacity",
    )
    path.write_text(
        text.replace("  title: 抽查\n", "  title: 抽查\n  role: checker\n"), encoding="utf-8"
    )
    result = check(root, today=TODAY)
    found = [p for p in result.problems if p.code == "UNKNOWN-REFERENCE"]
    assert len(found) == 3
    assert all(p.path.endswith("inspection.yaml") and p.line for p in found)
    assert {p.rule for p in found} == {"T-INSPECTION"}


def test_a_repeated_category_is_refused(tmp_path):
    root = small_rulebook(tmp_path)
    path = root / "inspection.yaml"
    text = path.read_text(encoding="utf-8").replace("id: legality", "id: quality")
    path.write_text(text, encoding="utf-8")
    result = check(root, today=TODAY)
    assert "INVALID-VALUE" in codes(result.problems)
    assert any("repeats quality" in p.message_en for p in result.problems)


def test_a_rulebook_without_the_section_has_no_policy(tmp_path):
    root = small_rulebook(tmp_path)
    (root / "inspection.yaml").unlink()
    assert fyrules.load(root).part("inspection") is None


@settings(max_examples=200)
@given(
    st.integers(0, 1000).map(lambda k: f"{k / 1000:g}"),
    st.integers(0, 10),
    st.integers(0, 5000),
)
def test_the_sample_size_is_the_rate_rounded_up_with_the_minimum(rate, minimum, closed):
    """For any rate written with up to three decimals, the sample is exactly
    min(closed, max(minimum, ceil(rate × closed))), computed in decimal, never in binary."""
    from decimal import ROUND_CEILING, Decimal

    from fyrules.separation.inspection.extension import InspectionPolicy, _fraction

    policy = InspectionPolicy(
        id="T",
        title_zh="t",
        title_en="t",
        basis="b",
        role="inspector",
        public_value_zh="v",
        public_value_en="v",
        public_value_basis="b",
        rate=_fraction(float(rate)),
        minimum=minimum,
        closed_by=frozenset({"complete"}),
        sampling_basis="b",
        department_rates={},
        default_capacity=1,
        capacity_basis="b",
        person_capacity={},
        rectify_days=1,
        rectify_severities=frozenset({"error"}),
        rectify_rule="R",
        rectify_severity="error",
        rectify_basis="b",
        categories={},
    )
    exact = int((Decimal(rate) * closed).to_integral_value(rounding=ROUND_CEILING))
    assert policy.sample_size("SC", closed) == min(closed, max(minimum, exact))


def test_check_warns_when_no_one_can_inspect(tmp_path):
    root = small_rulebook(tmp_path / "none", capacity=0, central=0)
    found = [p for p in check(root, today=TODAY).problems if p.code == "INSPECTION-NO-INSPECTORS"]
    assert [(p.severity, p.rule) for p in found] == [("warning", "T-INSPECTION")]
    assert found[0].path.endswith("inspection.yaml")
    assert not any(
        p.code == "INSPECTION-NO-INSPECTORS"
        for p in check(small_rulebook(tmp_path / "ok"), today=TODAY).problems
    )
