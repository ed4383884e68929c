"""Applicants' query codes in PostgreSQL: the table ``fyrules_applicant_codes`` that
``fyrules db upgrade`` creates (migration 0002), the same records as the SQLite table of
:mod:`.codes` (a salt and the scrypt hash per case), so codes survive a restart and every
server process on the database sees the codes the others issued."""

from __future__ import annotations

from typing import Any

from .codes import ApplicantCodes, CodeRecord


class PostgresApplicantCodes(ApplicantCodes):
    """The codes of a PostgreSQL store, on a connection of their own (autocommit: each code
    is kept the moment it is issued)."""

    def __init__(self, url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        self._engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self._connection: Any = self._engine.connect()
        self._dummy = self._dummy_record()

    def close(self) -> None:
        try:
            self._connection.close()
        finally:
            self._engine.dispose()

    def _rows(self, sql: str, **params: Any) -> list[Any]:
        from sqlalchemy import text

        result = self._connection.execute(text(sql), params)
        return list(result) if result.returns_rows else [result.rowcount]

    def has(self, case: str) -> bool:
        return bool(self._rows("SELECT 1 FROM fyrules_applicant_codes WHERE case_id = :c", c=case))

    def store(self, case: str, record: CodeRecord) -> bool:
        [count] = self._rows(
            "INSERT INTO fyrules_applicant_codes VALUES (:c, :salt, :hash, :n, :r, :p) "
            "ON CONFLICT (case_id) DO NOTHING",
            c=case,
            salt=record.salt,
            hash=record.hash,
            n=record.n,
            r=record.r,
            p=record.p,
        )
        return bool(count == 1)

    def record(self, case: str) -> CodeRecord | None:
        rows = self._rows(
            "SELECT salt, hash, n, r, p FROM fyrules_applicant_codes WHERE case_id = :c", c=case
        )
        if not rows:
            return None
        salt, digest, n, r, p = rows[0]
        return CodeRecord(bytes(salt), bytes(digest), n, r, p)
