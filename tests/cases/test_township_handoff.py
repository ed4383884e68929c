"""Townships (issue 22.6): examples/township extends Fuyang and tightens it; a report-up case
moves from the township's rulebook to the city's by a hand-off event that records the hash of
the township's trail entry, and each side's clock runs by its own rules."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

import fyrules
from fyrules.cases.events import HANDOFF_FIELD, Event
from fyrules.cases.handoff import handoff_event, report_entry, verify_handoff
from fyrules.cases.state import Accepted
from fyrules.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOWNSHIP, FUYANG = EXAMPLES / "township", EXAMPLES / "fuyang"
CST = dt.timezone(dt.timedelta(hours=8))


def at(day: int, hour: int, month: int = 10) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, 0, tzinfo=CST)


def _event(case: str, item: str, kind: str, when: dt.datetime, actor: str, n: int) -> Event:
    return Event(id=f"{case}-{n}", case=case, item=item, event=kind, at=when, actor=actor)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_the_township_example_checks_and_tests_clean():
    code, out, _ = run("check", str(TOWNSHIP))
    assert code == 0 and "0 个错误" in out
    code, out, _ = run("test", str(TOWNSHIP))
    assert code == 0 and "0 个未通过" in out


def test_the_township_extends_fuyang_and_tightens_it():
    town, city = fyrules.load(TOWNSHIP), fyrules.load(FUYANG)
    assert [layer.id for layer in town.sources.layers] == ["national", "fuyang", "township"]
    assert set(city.items) < set(town.items)  # the city's catalog, and the town's own item
    own, city_item = town.items["XH-ZR-006"], city.items["FY-ZR-006"]
    assert own.legal_basis == city_item.legal_basis
    assert own.committed_days < city_item.committed_days
    share = {r.id: r for r in town.rules.for_scope("item", dt.date(2025, 10, 15))}
    city_share = {r.id: r for r in city.rules.for_scope("item", dt.date(2025, 10, 15))}
    assert share["FY-COMMITTED-SHARE"].severity == "error"
    assert city_share["FY-COMMITTED-SHARE"].severity == "warning"


def test_a_township_loosening_the_city_is_refused(tmp_path):
    import shutil

    shutil.copytree(EXAMPLES, tmp_path / "examples", symlinks=True)
    rules = tmp_path / "examples" / "township" / "rules" / "catalog.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("severity: error", "severity: info"),
        encoding="utf-8",
    )
    problems = fyrules.check(tmp_path / "examples" / "township").problems
    assert any(p.code == "LOOSENED" and p.path.endswith("catalog.yaml") for p in problems)


@pytest.fixture(scope="module")
def handed_off():
    """A report-up case: accepted and first reviewed in the town (XH-ZR-006), reported to the
    city, decided by the city's planning bureau (FY-ZR-006), answered by the town."""
    town, city = fyrules.load(TOWNSHIP), fyrules.load(FUYANG)
    town_store, city_store = fyrules.MemoryStore(), fyrules.MemoryStore()
    town_monitor, city_monitor = town.monitor(store=town_store), city.monitor(store=city_store)
    t, c = "XH-2025-0001", "FY-2025-ZR-0001"
    town_events = [
        _event(t, "XH-ZR-006", "submit", at(9, 9), "applicant-01", 1),
        _event(t, "XH-ZR-006", "accept", at(9, 10), "P-XH-03", 2),
        _event(t, "XH-ZR-006", "undertake", at(9, 11), "P-XH-02", 3),
        _event(t, "XH-ZR-006", "review", at(13, 15), "P-XH-02", 4),  # reported to the city
    ]
    for e in town_events:
        assert isinstance(town_monitor.feed(e), Accepted), e
    handoff = handoff_event(
        "township",
        town_store.trail(),
        t,
        case=c,
        item="FY-ZR-006",
        at=at(14, 9),
        actor="P-XH-02",
        event_id=f"{c}-1",
    )
    city_events = [
        handoff,
        _event(c, "FY-ZR-006", "accept", at(14, 10), "P-ZR-11", 2),
        _event(c, "FY-ZR-006", "undertake", at(14, 11), "P-ZR-13", 3),
        _event(c, "FY-ZR-006", "review", at(20, 10), "P-ZR-13", 4),
        _event(c, "FY-ZR-006", "approve", at(21, 10), "P-ZR-10", 5),
        _event(c, "FY-ZR-006", "complete", at(21, 11), "P-ZR-11", 6),
        _event(c, "FY-ZR-006", "deliver", at(21, 15), "P-ZR-11", 7),
    ]
    for e in city_events:
        assert isinstance(city_monitor.feed(e), Accepted), e
    replies = [
        _event(t, "XH-ZR-006", "approve", at(22, 9), "P-XH-01", 5),  # the city's reply recorded
        _event(t, "XH-ZR-006", "complete", at(22, 10), "P-XH-03", 6),
        _event(t, "XH-ZR-006", "deliver", at(22, 11), "P-XH-03", 7),
    ]
    for e in replies:
        assert isinstance(town_monitor.feed(e), Accepted), e
    return {
        "town": town,
        "city": city,
        "town_store": town_store,
        "town_events": town_events + replies,
        "city_events": city_events,
    }


def test_the_handoff_records_the_hash_of_the_townships_report(handed_off):
    handoff = handed_off["city_events"][0]
    link = handoff.data[HANDOFF_FIELD]
    entry = report_entry(handed_off["town_store"].trail(), "XH-2025-0001")
    assert link == {
        "rulebook": "township",
        "case": "XH-2025-0001",
        "entry_hash": entry["hash"],
        "entry_index": entry["index"],
    }
    assert entry["record"]["event"] == "review" and entry["record"]["case"] == "XH-2025-0001"
    assert verify_handoff(handoff, handed_off["town_store"].trail()) == []


def test_a_handoff_the_township_trail_does_not_confirm_is_broken(handed_off):
    handoff = handed_off["city_events"][0]
    link = dict(handoff.data[HANDOFF_FIELD])
    forged = handoff.model_copy(update={"data": {HANDOFF_FIELD: {**link, "entry_hash": "f" * 64}}})
    [problem] = verify_handoff(forged, handed_off["town_store"].trail())
    assert problem.code == "HANDOFF-BROKEN" and "上报移交" in problem.message_zh
    other = handoff.model_copy(update={"data": {HANDOFF_FIELD: {**link, "case": "XH-OTHER"}}})
    assert [p.code for p in verify_handoff(other, handed_off["town_store"].trail())] == [
        "HANDOFF-BROKEN"
    ]


def test_a_handoff_without_a_report_in_the_township_trail_cannot_be_made(handed_off):
    with pytest.raises(ValueError, match="XH-NONE"):
        handoff_event(
            "township",
            handed_off["town_store"].trail(),
            "XH-NONE",
            case="C",
            item="FY-ZR-006",
            at=at(14, 9),
            actor="P-XH-02",
        )


def test_each_side_runs_its_own_clock_by_its_own_rules(handed_off):
    town_clock = handed_off["town"].case_clock(handed_off["town_events"])
    city_clock = handed_off["city"].case_clock(handed_off["city_events"])
    # the township: its own 5 committed working days from its acceptance on 9 October
    assert (town_clock.committed_limit, town_clock.accepted_on) == (5, dt.date(2025, 10, 9))
    assert town_clock.committed_due == dt.date(2025, 10, 15)
    # the city: Fuyang's 10 days for FY-ZR-006, from its own receipt on 14 October (Art. 43)
    assert (city_clock.committed_limit, city_clock.accepted_on) == (10, dt.date(2025, 10, 14))
    assert city_clock.committed_due == handed_off["city"].calendar.add_working_days(
        dt.date(2025, 10, 14), 10
    )
    assert city_clock.settlement == "early"
    # the first review took 3 working days (10, 11 — a make-up workday — and 13 October)
    assert town_clock.lower_review_days == 3
