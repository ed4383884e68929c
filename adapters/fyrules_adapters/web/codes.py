"""Applicants' query codes (查询码): issued once per case at acceptance, kept as scrypt hashes.

A code is 10 characters of Crockford's base32 drawn with ``secrets`` (50 bits), shown as
``ABCDE-FGHJK``; case systems hand it to the applicant with the acceptance notice. The table
``web_applicant_codes`` keeps, per case, a random salt and ``hashlib.scrypt`` of the code, so
neither the database nor its backups reveal a code. It lives in the store's SQLite file, beside
the store's own tables (or in memory with a store in memory), so codes survive a restart; a
PostgreSQL store keeps the same records in its database (:mod:`.codes_postgresql`).

:meth:`ApplicantCodes.verify` does the same work for an unknown case as for a known one (a
scrypt against a dummy record), so a wrong code and an unknown case cannot be told apart by
their answer or their time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from typing import NamedTuple

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
LENGTH = 10  # 50 bits
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**12, 8, 1  # 4 MiB and about 10-30 ms per check
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_applicant_codes (
    case_id TEXT PRIMARY KEY NOT NULL,
    salt BLOB NOT NULL,
    hash BLOB NOT NULL,
    n INTEGER NOT NULL, r INTEGER NOT NULL, p INTEGER NOT NULL
)
"""


class CodeRecord(NamedTuple):
    """What the table keeps of one case's code."""

    salt: bytes
    hash: bytes
    n: int
    r: int
    p: int


def new_code() -> str:
    """A fresh code, ``ABCDE-FGHJK``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalize(code: str) -> str:
    """A code as typed (any case, spaces and hyphens, O for 0, I or L for 1) in its stored form."""
    return "".join(code.split()).replace("-", "").upper().translate(_CONFUSABLE)


def _hash(code: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        normalize(code).encode("ascii", "replace"), salt=salt, n=n, r=r, p=p, dklen=32
    )


class ApplicantCodes:
    """The codes of one store. Used from the thread that opened it (the store's thread)."""

    def __init__(self, path: str = ":memory:"):
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA busy_timeout = 5000")
        self._db.execute(SCHEMA)
        self._dummy = self._dummy_record()

    @staticmethod
    def _dummy_record() -> CodeRecord:
        """A record no code matches: what an unknown case is checked against."""
        salt = secrets.token_bytes(16)
        return CodeRecord(
            salt,
            _hash(new_code(), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P),
            SCRYPT_N,
            SCRYPT_R,
            SCRYPT_P,
        )

    def close(self) -> None:
        self._db.close()

    def has(self, case: str) -> bool:
        """Whether ``case`` already has a code."""
        row = self._db.execute(
            "SELECT 1 FROM web_applicant_codes WHERE case_id = ?", (case,)
        ).fetchone()
        return row is not None

    def store(self, case: str, record: CodeRecord) -> bool:
        """Keep ``record`` as the code of ``case``; ``False`` when the case has one already
        (a code is issued once)."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO web_applicant_codes VALUES (?, ?, ?, ?, ?, ?)",
            (case, record.salt, record.hash, record.n, record.r, record.p),
        )
        return cursor.rowcount == 1

    def record(self, case: str) -> CodeRecord | None:
        """The stored record of ``case``'s code, or ``None``."""
        row = self._db.execute(
            "SELECT salt, hash, n, r, p FROM web_applicant_codes WHERE case_id = ?", (case,)
        ).fetchone()
        return None if row is None else CodeRecord(*row)

    def record_or_dummy(self, case: str) -> tuple[CodeRecord, bool]:
        """The record of ``case``, or a dummy one (and ``False``) for a case without a code."""
        record = self.record(case)
        return (self._dummy, False) if record is None else (record, True)


def prepare() -> tuple[str, CodeRecord]:
    """A new code and the record to keep of it (the slow hash: call it off the store's
    thread). Thread-safe."""
    code = new_code()
    salt = secrets.token_bytes(16)
    return code, CodeRecord(
        salt, _hash(code, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P), SCRYPT_N, SCRYPT_R, SCRYPT_P
    )


def matches(record: CodeRecord, code: str, real: bool) -> bool:
    """Whether ``code`` is the one ``record`` was made from; the same scrypt work whether the
    record is real or the dummy. Thread-safe (no database access)."""
    digest = _hash(code, record.salt, record.n, record.r, record.p)
    return hmac.compare_digest(digest, record.hash) and real
