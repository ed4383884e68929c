"""``fyrules serve --store postgresql+psycopg://…`` on a real PostgreSQL, as a real server
process: events accepted into the database, applicant query codes kept in it (migration 0002)
and still valid after a restart; and a database written in 4 partitions served whole: the
supervision list and the ranking are those of every partition (what ``fyrules evaluate --store``
and ``fyrules score --store`` report), a new event goes to the partition that owns its case,
and the trail still verifies."""

from __future__ import annotations

import json
from typing import Any

from fyrules import partition_of
from fyrules.cli import main
from fyrules.simulation.cases import write_jsonl
from tests.adapters.postgres import pg_server, pg_template, pg_url, run_sql
from tests.conftest import FUYANG, generated_month
from tests.web.support import add_token, bearer, month_events, running

__all__ = ["pg_server", "pg_template", "pg_url"]  # the fixtures of a fresh database per test

PROGRESS = "/api/public/progress"
UNTIL = "2025-10-20"


def test_serve_on_postgresql_keeps_events_and_query_codes_across_a_restart(pg_url, tmp_path):
    tokens = tmp_path / "tokens.json"
    intake = add_token(tokens, "intake")
    events = [e for e in month_events(cases=20, seed=21) if e["at"] < UNTIL]
    with running(pg_url, tokens, log_dir=tmp_path) as srv:
        answer = srv.client.post("/api/events", json=events, headers=bearer(intake)).json()
        codes = {r["case"]: r["query_code"] for r in answer["results"] if r.get("query_code")}
        assert answer["accepted"] > 0 and codes
        head = srv.client.get("/api/health", headers=bearer(intake)).json()["trail_head"]
        assert head is not None
    database = pg_url.rsplit("/", 1)[1]
    [(kept,)] = run_sql(pg_url, "SELECT count(*) FROM fyrules_applicant_codes", database=database)
    assert kept == len(codes)
    rows = run_sql(pg_url, "SELECT salt, hash FROM fyrules_applicant_codes", database=database)
    raw = b"".join(bytes(salt) + bytes(digest) for salt, digest in rows)
    assert not any(code.replace("-", "").encode() in raw for code in codes.values())
    with running(pg_url, tokens, log_dir=tmp_path) as again:
        assert again.client.get("/api/health", headers=bearer(intake)).json()["trail_head"] == head
        for case, code in list(codes.items())[:3]:
            shown = again.client.post(PROGRESS, json={"case": case, "code": code})
            assert shown.status_code == 200 and shown.json()["case"] == case
        wrong = again.client.post(PROGRESS, json={"case": next(iter(codes)), "code": "00000-00000"})
        assert wrong.status_code == 404
        duplicate = again.client.post("/api/events", json=events, headers=bearer(intake)).json()
        assert duplicate["duplicates"] == len(events)


def _json(capsys: Any, *argv: str) -> dict[str, Any]:
    main([*argv, "--format", "json"])
    return json.loads(capsys.readouterr().out)


def _key(finding: dict[str, Any]) -> tuple[Any, ...]:
    return (finding["case"], finding["rule"], finding["at"], finding["severity"])


def test_a_database_of_four_partitions_is_served_whole(pg_url, tmp_path, capsys):
    from fyrules_adapters.postgresql import PostgresStore

    month = [e for e in generated_month(60, 5)]
    early = tmp_path / "early.jsonl"
    with early.open("w", encoding="utf-8") as out:
        write_jsonl((e for e in month if e.at.date().isoformat() < UNTIL), out)
    for k in range(4):  # four writers, each owning its partition's cases
        main(["evaluate", str(FUYANG), str(early), "--store", pg_url, "--partition", f"{k}/4"])
    capsys.readouterr()
    as_of = "2025-10-31T18:00:00+08:00"
    merged = _json(capsys, "evaluate", str(FUYANG), "--store", pg_url, "--at", as_of)
    scored = _json(capsys, "score", str(FUYANG), "--store", pg_url, "--month", "2025-10")
    tokens = tmp_path / "tokens.json"
    supervisor, intake = add_token(tokens, "supervisor"), add_token(tokens, "intake")
    with running(pg_url, tokens, log_dir=tmp_path) as srv:
        health = srv.client.get("/api/health", headers=bearer(supervisor)).json()
        assert health["partitions"] == 4 and health["trail_head"] is None
        assert set(health["chains"]) == {"0", "1", "2", "3"}
        listed = srv.client.get(
            "/api/findings", params={"as_of": as_of}, headers=bearer(supervisor)
        ).json()["findings"]
        assert sorted(map(_key, listed)) == sorted(map(_key, merged["findings"]))
        assert len({partition_of(f["case"], 4) for f in listed}) == 4  # every partition's
        ranking = srv.client.get("/api/rankings/2025-10").json()
        assert ranking["rows"] == scored["rows"] and ranking["center"] == scored["center"]
        board = srv.client.get("/board", headers=bearer(supervisor))
        assert board.status_code == 200
        late = [e.model_dump(mode="json") for e in month if e.at.date().isoformat() >= UNTIL]
        answer = srv.client.post("/api/events", json=late, headers=bearer(intake)).json()
        assert answer["accepted"] > 0
    for result in answer["results"]:
        if result["outcome"] != "accepted":
            continue
        owner = partition_of(result["case"], 4)
        with PostgresStore(pg_url, partition=owner, partitions=4) as store:
            assert store.get_case(result["case"]) or store.get_closed(result["case"])
    assert main(["trail", "verify", "--store", pg_url]) == 0
    assert "chain 3: intact" in capsys.readouterr().out
    one = _json(capsys, "score", str(FUYANG), str(_whole(tmp_path, month)), "--month", "2025-10")
    served = _json(capsys, "score", str(FUYANG), "--store", pg_url, "--month", "2025-10")
    assert served["rows"] == one["rows"]  # early by four writers, late through the server


def _whole(folder: Any, month: list[Any]) -> Any:
    path = folder / "whole.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(month, out)
    return path
