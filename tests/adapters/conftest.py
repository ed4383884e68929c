"""Fixtures of the adapters' tests: a real PostgreSQL (tests/adapters/postgres.py)."""

from tests.adapters.postgres import pg_server, pg_template, pg_url

__all__ = ["pg_server", "pg_template", "pg_url"]
