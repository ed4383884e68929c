"""Alembic migrations of the PostgreSQL store's schema (run by ``fyrules db upgrade``)."""
