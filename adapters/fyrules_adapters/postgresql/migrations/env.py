"""Alembic's environment for the store's schema: run on the connection
:func:`fyrules_adapters.postgresql.migrate.upgrade` passes in, never on a URL from a file."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, version_table="fyrules_alembic_version")
with context.begin_transaction():
    context.run_migrations()
