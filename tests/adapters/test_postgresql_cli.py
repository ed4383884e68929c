"""The command line on a real PostgreSQL: ``fyrules db upgrade``, ``fyrules evaluate --store
URL`` (continued by a second run), ``fyrules trail verify --store URL``; the database defends
the trail (triggers for every role, INSERT and SELECT only for the application's role) and a
row edited by a superuser is caught, naming the first bad entry; a database that is down is
``STORE-UNAVAILABLE`` with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fyrules.cli import main
from fyrules.simulation.cases import generate, write_jsonl
from fyrules.store_contract import FUYANG, _fuyang
from tests.adapters.postgres import create_database, drop_database, run_sql

pytestmark = pytest.mark.optional
APP_ROLE = "fyrules_app"


@pytest.fixture(scope="module")
def month(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("month") / "events.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(generate(_fuyang(), month="2025-10", cases=40, seed=5, faults=True), out)
    return path


def _evaluate(capsys, *arguments: str) -> tuple[int, dict]:
    code = main(["evaluate", str(FUYANG), *arguments, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def _database(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_db_upgrade_creates_the_schema_once_and_says_its_revision(pg_server, capsys):
    name, url = create_database(pg_server)
    try:
        assert main(["db", "upgrade", "--store", url]) == 0
        assert main(["db", "upgrade", "--store", url]) == 0  # again: nothing to do
        out = capsys.readouterr().out
        assert out.count("revision 0002") == 2
        tables = run_sql(
            pg_server,
            "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'fyrules%'",
            database=name,
        )
        assert tables == [(11,)]  # 8 of 0001; the notification, query code and delivery tables
    finally:
        drop_database(pg_server, name)


def test_a_month_replayed_into_postgresql_reports_what_memory_reports_and_stays(
    pg_url, month, capsys
):
    _, in_memory = _evaluate(capsys, str(month))
    code, stored = _evaluate(capsys, str(month), "--store", pg_url)
    assert stored == in_memory and code in (0, 1)
    assert main(["trail", "verify", "--store", pg_url, "--format", "json"]) == 0
    verified = json.loads(capsys.readouterr().out)
    assert verified["chains"]["0"]["head"] == stored["trail_head"]

    _, again = _evaluate(capsys, str(month), "--store", pg_url)  # delivered once more
    assert again["summary"]["accepted"] == again["summary"]["rejected"] == 0
    assert again["summary"]["duplicates"] == again["summary"]["events"]
    assert again["findings"] == stored["findings"] and again["rejected"] == stored["rejected"]
    assert again["trail_head"] == stored["trail_head"]


def test_a_sqlite_url_is_a_store_too(tmp_path, month, capsys):
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    _, in_memory = _evaluate(capsys, str(month))
    _, stored = _evaluate(capsys, str(month), "--store", url)
    assert stored == in_memory
    assert (tmp_path / "cases.db").is_file()
    assert main(["trail", "verify", "--store", url]) == 0
    assert "intact" in capsys.readouterr().out


def test_the_trail_refuses_update_delete_and_truncate_even_for_its_owner(pg_url, month, capsys):
    _evaluate(capsys, str(month), "--store", pg_url)
    db = _database(pg_url)
    for statement in (
        "UPDATE fyrules_trail SET entry = '{}' WHERE position = 3",
        "DELETE FROM fyrules_trail WHERE position = 3",
        "TRUNCATE fyrules_trail",
    ):
        with pytest.raises(Exception, match="the trail is append-only"):
            run_sql(pg_url, statement, database=db)
    assert main(["trail", "verify", "--store", pg_url]) == 0


def test_the_application_role_may_only_insert_and_read_the_trail(pg_server, pg_url, month, capsys):
    from sqlalchemy.engine import make_url

    run_sql(
        pg_server,
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') "
        f"THEN CREATE ROLE {APP_ROLE} LOGIN; END IF; END $$",
    )
    assert main(["db", "upgrade", "--store", pg_url, "--app-role", APP_ROLE]) == 0
    capsys.readouterr()
    app_url = make_url(pg_url).set(username=APP_ROLE).render_as_string(hide_password=False)
    code, stored = _evaluate(capsys, str(month), "--store", app_url)  # the app writes as itself
    assert code in (0, 1) and stored["summary"]["accepted"] > 0
    db = _database(pg_url)
    for statement in (
        "UPDATE fyrules_trail SET entry = '{}'",
        "DELETE FROM fyrules_trail",
        "TRUNCATE fyrules_trail",
        "UPDATE fyrules_findings SET finding = '{}'",
        "DELETE FROM fyrules_rejected",
    ):
        with pytest.raises(Exception, match="permission denied"):
            run_sql(app_url, statement, database=db)
    rights = run_sql(
        pg_server,
        "SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM "
        f"information_schema.role_table_grants WHERE grantee = '{APP_ROLE}' "
        "AND table_name = 'fyrules_trail'",
        database=db,
    )
    assert rights == [("INSERT,SELECT",)]


def test_a_trail_row_edited_by_a_superuser_is_caught_naming_the_first_bad_entry(
    pg_url, month, capsys
):
    _evaluate(capsys, str(month), "--store", pg_url)
    db = _database(pg_url)
    [(text,)] = run_sql(pg_url, "SELECT entry FROM fyrules_trail WHERE position = 7", database=db)
    entry = json.loads(text)
    entry["record"]["actor"] = "someone-else"  # the hash is left as it was
    forged = json.dumps(entry, ensure_ascii=False).replace("'", "''")
    run_sql(
        pg_url,
        "SET session_replication_role = replica",  # a superuser turns the triggers off
        f"UPDATE fyrules_trail SET entry = '{forged}' WHERE position = 7",
        database=db,
    )
    assert main(["trail", "verify", "--store", pg_url]) == 1
    out = capsys.readouterr().out
    assert "TRAIL-BROKEN" in out and "entry 7" in out and "第 7 条" in out


@pytest.mark.parametrize("command", ["evaluate", "trail", "db"])
def test_a_database_that_is_down_exits_2_with_store_unavailable(command, month, capsys):
    down = "postgresql+psycopg://fyrules@127.0.0.1:9/fyrules"  # nothing listens on port 9
    argv = {
        "evaluate": ["evaluate", str(FUYANG), str(month), "--store", down],
        "trail": ["trail", "verify", "--store", down],
        "db": ["db", "upgrade", "--store", down],
    }[command]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "STORE-UNAVAILABLE" in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_score_replays_into_the_store_and_scores_as_in_memory(pg_url, month, capsys):
    argv = ["score", str(FUYANG), str(month), "--month", "2025-10", "--format", "json"]
    assert main(argv) == 0
    in_memory = json.loads(capsys.readouterr().out)
    assert main([*argv, "--store", pg_url]) == 0
    assert json.loads(capsys.readouterr().out) == in_memory
    assert main(["trail", "verify", "--store", pg_url]) == 0  # the replay kept its trail
    assert "intact" in capsys.readouterr().out
