"""The center's month in one line (中心合计): every window's cases together, beside the
windows' rows of ``fyrules score``. The seed's figures are the test vector: 4,699 accepted,
4,549 closed, a closing rate of 96.8%, 2.47 days on average, 79.11% faster than committed."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from fyrules.cli import main
from fyrules.scoring import CaseRecord, score_records
from fyrules.scoring.render import render

WINDOWS = ("W01", "W02", "W03", "W05", "W06")


def _seed_month() -> list[CaseRecord]:
    """The seed's October to May, spread over five windows: 4,549 settled cases averaging
    2.47 days against 11.8238 committed, 97 in progress, 53 withdrawn."""
    records = [
        CaseRecord(
            f"S{n}",
            "2025-10",
            WINDOWS[n % 5],
            None,
            "commitment",
            "closed",
            settlement="early",
            used_days=2.47,
            committed_limit=11.8238,
        )
        for n in range(4549)
    ]
    records += [
        CaseRecord(f"P{n}", "2025-10", WINDOWS[n % 5], None, "commitment", "in_progress")
        for n in range(97)
    ]
    records += [
        CaseRecord(f"X{n}", "2025-10", WINDOWS[n % 5], None, "commitment", "withdrawn")
        for n in range(53)
    ]
    return records


def test_the_center_line_carries_the_seeds_figures(fuyang):
    result = score_records(fuyang, _seed_month(), month="2025-10")
    center = result.center
    assert center is not None
    assert (center.accepted, center.closed, center.in_progress) == (4699, 4549, 97)
    assert f"{center.closing_rate:.1%}" == "96.8%"
    assert f"{center.average_settlement_days:.2f}" == "2.47"
    assert f"{center.faster_than_committed:.2%}" == "79.11%"
    # the windows' rows add up to the center's counts
    assert sum(r.stats.accepted for r in result.rows) == 4699
    assert len(result.rows) > 1


def test_score_text_prints_the_center_beside_the_windows(fuyang):
    text = render(score_records(fuyang, _seed_month(), month="2025-10"), "text")
    line = next(x for x in text.splitlines() if "中心合计" in x)
    assert line.split()[2:] == ["4699", "4549", "97", "96.8%", "2.47", "79.11%"]
    md = render(score_records(fuyang, _seed_month(), month="2025-10"), "md")
    assert "| **中心合计 Center** | | | 4699 | 4549 | 97 | 96.8% | 2.47 | 79.11% |" in md


def test_score_json_has_the_center(fuyang):
    data = json.loads(render(score_records(fuyang, _seed_month(), month="2025-10"), "json"))
    assert data["center"]["accepted"] == 4699
    assert data["center"]["closing_rate"] == 0.9681
    assert data["center"]["faster_than_committed"] == 0.7911


def test_the_cli_prints_the_center_line(fuyang, october, tmp_path, capsys):
    events = tmp_path / "october.jsonl"
    events.write_text("".join(e.model_dump_json() + "\n" for e in october), encoding="utf-8")
    assert main(["score", str(fuyang.root), str(events), "--month", "2025-10"]) == 0
    out = capsys.readouterr().out
    result = fuyang.score(october, month="2025-10")
    line = next(x for x in out.splitlines() if "中心合计" in x)
    assert line.split()[2:4] == [str(result.center.accepted), str(result.center.closed)]
    assert result.center.accepted == sum(r.stats.accepted for r in result.rows) > 0


_record = st.builds(
    CaseRecord,
    case=st.just("c"),
    month=st.sampled_from(["2025-10", "2025-09"]),
    window=st.sampled_from([*WINDOWS, None]),
    dept=st.none(),
    kind=st.sampled_from(["immediate", "commitment"]),
    status=st.sampled_from(["closed", "in_progress", "withdrawn"]),
    settlement=st.sampled_from([None, "early", "on_time", "overdue"]),
    used_days=st.one_of(st.none(), st.integers(0, 30).map(float)),
    committed_limit=st.one_of(st.none(), st.integers(0, 30).map(float)),
)


@given(st.lists(_record, max_size=60))
def test_the_center_is_the_sum_of_its_windows(fuyang, records):
    """Invariant: the center's counts are the sums of the windows' counts, and its closing
    rate is closed ÷ accepted of those sums (never an average of the windows' rates)."""
    result = score_records(fuyang, records, month="2025-10")
    center = result.center
    for key in ("accepted", "closed", "in_progress", "withdrawn", "settled"):
        assert getattr(center, key) == sum(getattr(r.stats, key) for r in result.rows)
    if center.accepted:
        assert center.closing_rate == center.closed / center.accepted
    else:
        assert center.closing_rate is None


def test_the_ranking_page_has_the_center_in_its_footer(fuyang):
    page = render(score_records(fuyang, _seed_month(), month="2025-10"), "html")
    footer = page[page.index("<tfoot>") : page.index("</tfoot>")]
    assert "中心合计" in footer
    for figure in ("4699", "4549", "96.8%", "2.47", "79.11%"):
        assert f">{figure}<" in footer
