"""A real PostgreSQL for the tests: where it comes from, and a fresh database per test.

The tests read the server's URL (a superuser's) from ``FYRULES_POSTGRESQL_URL``; ``.ci/run``
starts a throwaway cluster with ``.ci/postgresql.sh start`` and sets it. Without it the
PostgreSQL tests skip, saying how to run them; in CI (``FYRULES_FORBID_SKIPS=1``,
tests/conftest.py) a skip is a failure instead, so CI cannot pass without them.

Each test gets its own database, copied from a template migrated once per session
(``CREATE DATABASE … TEMPLATE``), and dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

URL_VARIABLE = "FYRULES_POSTGRESQL_URL"
HOW = (
    "PostgreSQL tests skipped: no server. Run them with `export FYRULES_POSTGRESQL_URL=$(.ci/"
    "postgresql.sh start)` (installs PostgreSQL from Debian's packages if missing and starts a "
    "throwaway cluster on 127.0.0.1), then pytest tests/adapters; `.ci/postgresql.sh stop` "
    "afterwards"
)


def admin_url() -> str:
    """The superuser's URL, or skip (a failure in CI)."""
    url = os.environ.get(URL_VARIABLE)
    if not url:
        pytest.skip(HOW)
    try:
        import alembic  # noqa: F401
        import psycopg  # noqa: F401
        import sqlalchemy  # noqa: F401
    except ImportError as error:
        pytest.skip(
            f"the postgresql extra is not installed ({error}): pip install -e '.[postgresql,test]'"
        )
    return url


def _on(url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)


_ENGINES: dict[str, Any] = {}


def admin_engine(url: str, database: str = "postgres") -> Any:
    """The superuser's engine on ``database`` (one per database, kept for the session)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    target = _on(url, database)
    engine = _ENGINES.get(target)
    if engine is None:
        # NullPool: no connection stays open to block a DROP DATABASE or a template copy
        engine = _ENGINES[target] = create_engine(
            target, isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
    return engine


def run_sql(url: str, *statements: str, database: str = "postgres") -> list[Any]:
    """Run statements as the superuser (autocommit); the rows of the last."""
    from sqlalchemy import text

    with admin_engine(url, database).connect() as connection:
        rows: list[Any] = []
        for statement in statements:
            result = connection.execute(text(statement))
            rows = list(result) if result.returns_rows else []
        return rows


def create_database(url: str, template: str | None = None) -> tuple[str, str]:
    """A new database (a copy of ``template``, if given): its name and URL."""
    name = f"fyrules_{uuid.uuid4().hex[:12]}"
    copy = f" TEMPLATE {template}" if template else ""
    run_sql(url, f"CREATE DATABASE {name}{copy}")
    return name, _on(url, name)


def drop_database(url: str, name: str) -> None:
    run_sql(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def wipe(url: str) -> None:
    """Empty every store table of the database at ``url``, the trail too: as a superuser with
    triggers off (``session_replication_role = replica``), which only tests do."""
    run_sql(
        url,
        "SET session_replication_role = replica",
        "TRUNCATE fyrules_cases, fyrules_closed, fyrules_seen, fyrules_trail, fyrules_findings, "
        "fyrules_rejected, fyrules_notifications, fyrules_applicant_codes, fyrules_deliveries "
        "RESTART IDENTITY",
        "DELETE FROM fyrules_meta",
        database=url.rsplit("/", 1)[1],
    )


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The superuser's URL of the server the tests use."""
    return admin_url()


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> Iterator[str]:
    """A database migrated to the current schema, copied for each test."""
    from fyrules_adapters.postgresql import upgrade

    name, url = create_database(pg_server)
    upgrade(url)
    yield name
    drop_database(pg_server, name)


@pytest.fixture
def pg_url(pg_server: str, pg_template: str) -> Iterator[str]:
    """A fresh, migrated database of its own for one test: its (superuser's) URL."""
    name, url = create_database(pg_server, pg_template)
    yield url
    drop_database(pg_server, name)
