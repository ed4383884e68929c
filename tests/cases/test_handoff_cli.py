"""``fyrules trail verify-handoff`` (issue 22.6): the report-up hand-offs between a township's
trail and the city's, checked from stores (SQLite) or exported trails; exit 0 when confirmed,
1 when a hand-off or a trail does not verify, 2 when the check cannot run."""

from __future__ import annotations

import contextlib
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

import fyrules
from fyrules.cases.events import HANDOFF_FIELD
from fyrules.cases.handoff import handoff_event
from fyrules.cases.state import Accepted
from fyrules.cases.trail.file import export_trail
from fyrules.cli import main
from tests.cases.test_township_handoff import FUYANG, TOWNSHIP, _event, at

sqlite = pytest.importorskip(
    "fyrules_adapters.sqlite", reason="the sqlite extra: pip install -e '.[sqlite,test]'"
)

TOWN_CASE, CITY_CASE = "XH-2025-0001", "FY-2025-ZR-0001"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _stores(folder: Path, *, forge: bool = False) -> tuple[Path, Path]:
    """A report-up case in a township store and a city store (SQLite files): accepted and
    reported by the town, decided by the city. ``forge``: the city's hand-off names a trail
    entry the township never wrote."""
    town, city = fyrules.load(TOWNSHIP), fyrules.load(FUYANG)
    town_db, city_db = folder / "town.db", folder / "city.db"
    with contextlib.closing(sqlite.SqliteStore(str(town_db))) as town_store:
        town_monitor = town.monitor(store=town_store)
        for e in [
            _event(TOWN_CASE, "XH-ZR-006", "submit", at(9, 9), "applicant-01", 1),
            _event(TOWN_CASE, "XH-ZR-006", "accept", at(9, 10), "P-XH-03", 2),
            _event(TOWN_CASE, "XH-ZR-006", "undertake", at(9, 11), "P-XH-02", 3),
            _event(TOWN_CASE, "XH-ZR-006", "review", at(13, 15), "P-XH-02", 4),
        ]:
            assert isinstance(town_monitor.feed(e), Accepted), e
        handoff = handoff_event(
            "township",
            town_store.trail(),
            TOWN_CASE,
            case=CITY_CASE,
            item="FY-ZR-006",
            at=at(14, 9),
            actor="P-XH-02",
            event_id=f"{CITY_CASE}-1",
        )
    if forge:
        link = {**handoff.data[HANDOFF_FIELD], "entry_hash": "e" * 64}
        handoff = handoff.model_copy(update={"data": {HANDOFF_FIELD: link}})
    with contextlib.closing(sqlite.SqliteStore(str(city_db))) as city_store:
        city_monitor = city.monitor(store=city_store)
        for e in [
            handoff,
            _event(CITY_CASE, "FY-ZR-006", "accept", at(14, 10), "P-ZR-11", 2),
            _event(CITY_CASE, "FY-ZR-006", "undertake", at(14, 11), "P-ZR-13", 3),
        ]:
            assert isinstance(city_monitor.feed(e), Accepted), e
    return town_db, city_db


def _exported(db: Path) -> Path:
    path = db.with_suffix(".jsonl")
    with contextlib.closing(sqlite.SqliteStore(str(db))) as store:
        export_trail(store.trail(), path)
    return path


def test_a_handoff_confirmed_by_the_township_store_exits_0(tmp_path):
    town_db, city_db = _stores(tmp_path)
    code, out, err = run(
        "trail", "verify-handoff", "--township-store", str(town_db), "--city-store", str(city_db)
    )
    assert code == 0, err
    assert f"已核对 {CITY_CASE} ← township 案件 {TOWN_CASE}" in out
    assert f"verified {CITY_CASE} ← township case {TOWN_CASE}" in out
    assert "1 hand-off(s), 1 confirmed" in out and "both intact" in out


def test_exported_trails_verify_the_same_and_say_so_in_json(tmp_path):
    town_db, city_db = _stores(tmp_path)
    town, city = _exported(town_db), _exported(city_db)
    code, out, _ = run(
        "trail",
        "verify-handoff",
        "--township-trail",
        str(town),
        "--city-trail",
        str(city),
        "--format",
        "json",
    )
    doc = json.loads(out)
    assert code == 0 and doc["ok"]
    [handoff] = doc["handoffs"]
    assert (handoff["case"], handoff["township_case"], handoff["rulebook"]) == (
        CITY_CASE,
        TOWN_CASE,
        "township",
    )
    assert handoff["township_entry"] == 3 and doc["township_trail"]["problems"] == []


def test_a_handoff_the_township_never_reported_exits_1(tmp_path):
    town_db, city_db = _stores(tmp_path, forge=True)
    code, out, _ = run(
        "trail",
        "verify-handoff",
        "--township-store",
        str(town_db),
        "--city-store",
        str(city_db),
        "--lang",
        "en",
    )
    assert code == 1
    assert "HANDOFF-BROKEN" in out and f"the hand-off of case {CITY_CASE}" in out
    assert "0 confirmed" in out


def test_a_rewritten_township_trail_confirms_nothing(tmp_path):
    """One changed byte in the township's exported trail: the chain check fails (exit 1),
    even where the report's own entry is intact."""
    town_db, city_db = _stores(tmp_path)
    town = _exported(town_db)
    raw = bytearray(town.read_bytes())
    at_byte = raw.index(b'"applicant-01"') + 2
    raw[at_byte : at_byte + 1] = b"A"
    town.write_bytes(bytes(raw))
    code, out, _ = run(
        "trail",
        "verify-handoff",
        "--township-trail",
        str(town),
        "--city-store",
        str(city_db),
        "--format",
        "json",
    )
    doc = json.loads(out)
    assert code == 1 and not doc["ok"] and doc["township_trail"]["problems"]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("swap", "the city trail holds no hand-off"),
        ("unknown-case", "holds no hand-off of case FY-NONE"),
        ("missing", "the township store does not exist"),
    ],
)
def test_what_cannot_be_checked_exits_2_and_says_what_to_do(tmp_path, case, message):
    town_db, city_db = _stores(tmp_path)
    argv: list[Any] = ["--township-store", town_db, "--city-store", city_db]
    if case == "swap":  # the township's trail given as the city's
        argv = ["--township-store", city_db, "--city-store", town_db]
    elif case == "unknown-case":
        argv += ["--case", "FY-NONE"]
    else:
        argv[1] = tmp_path / "no-such.db"
    code, _, err = run("trail", "verify-handoff", *map(str, argv))
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "no-such.db").exists()  # nothing created


def test_both_sides_are_required(tmp_path):
    code, _, err = run("trail", "verify-handoff", "--township-store", str(tmp_path / "a.db"))
    assert code == 2 and "--city-store" in err
