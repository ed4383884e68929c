"""Catalog statistics: the seed's figures, and agreement with a brute-force count."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fyrules.items import ItemSpec, Share, catalog_statistics


def item(i: int, **fields) -> ItemSpec:
    return ItemSpec(
        code=f"I-{i}", name={"zh": f"事项{i}"}, department="D", type="commitment", **fields
    )


def test_seed_concentration_rate_is_83_65_percent():
    """Seed §1: 609 centralized services of 728 is a concentration rate of 83.65%."""
    items = [item(i, centralized=i < 609) for i in range(728)]
    stats = catalog_statistics(items)
    assert (stats.concentration.count, stats.concentration.total) == (609, 728)
    assert stats.concentration.percent() == "83.65%"


def test_seed_closing_and_authorization_shares_round_like_the_seed():
    assert Share(4549, 4699).percent(1) == "96.8%"
    assert Share(2, 3).percent(1) == "66.7%"


def test_share_rounds_half_up_exactly():
    assert Share(1, 8).percent(2) == "12.50%"
    assert Share(1, 16).percent(1) == "6.3%"  # 6.25 → 6.3, not banker's 6.2
    assert Share(0, 0).percent() == "—" and Share(0, 0).rate is None


items_strategy = st.lists(
    st.builds(
        dict,
        centralized=st.booleans(),
        online=st.sampled_from(["none", "apply", "full"]),
        authorization=st.sampled_from(["window", "chief", "leader"]),
        type=st.sampled_from(["immediate", "commitment", "joint", "report_up", "JB"]),
        department=st.sampled_from(["SC", "ZJ", "ZR"]),
        one_review_one_approval=st.booleans(),
    ),
    max_size=40,
)


@given(items_strategy)
def test_statistics_agree_with_a_brute_force_count(rows):
    """Every figure equals a count made item by item, and rates are count ÷ total."""
    items = [ItemSpec(code=f"I-{i}", name={"zh": "事项"}, **row) for i, row in enumerate(rows)]
    stats = catalog_statistics(items, {"JB": "immediate"})
    central = [r for r in rows if r["centralized"]]
    assert stats.total == len(rows)
    assert stats.concentration.count == len(central)
    assert stats.window_authorized.count == sum(r["authorization"] != "leader" for r in central)
    assert stats.window_authorized.total == len(central)
    assert stats.online.count == sum(r["online"] != "none" for r in rows)
    assert stats.fully_online.count == sum(r["online"] == "full" for r in rows)
    assert stats.one_review_one_approval.count == sum(r["one_review_one_approval"] for r in rows)
    assert sum(stats.by_department.values()) == len(rows)
    assert stats.by_kind.get("immediate", 0) == sum(r["type"] in ("immediate", "JB") for r in rows)
    for share in (stats.concentration, stats.online, stats.window_authorized):
        if share.total:
            assert share.rate == share.count / share.total
