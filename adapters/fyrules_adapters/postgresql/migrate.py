"""``fyrules db upgrade --store URL``: bring a database's store schema to this version.

The migrations are Alembic's, shipped in this package (``migrations/``) and run on a
connection made here, so no ``alembic.ini`` is needed. ``app_role`` names the role the
application connects as: it is granted what the store needs and no more (the trail, findings,
rejected events and the delivery log: INSERT and SELECT only; open cases, summaries and seen ids: also UPDATE
and DELETE; the notification log and the applicants' query codes: SELECT, INSERT and UPDATE). The role must exist; the migration's user must own the tables.
"""

from __future__ import annotations

import re
from pathlib import Path

from fyrules_adapters.errors import StoreError, unavailable

from .connect import engine_for, shown

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0002"
VERSION_TABLE = "fyrules_alembic_version"
APPEND_ONLY = ("fyrules_trail", "fyrules_findings", "fyrules_rejected", "fyrules_deliveries")
WORKING = ("fyrules_cases", "fyrules_closed", "fyrules_seen")
RECORDS = ("fyrules_notifications", "fyrules_applicant_codes")  # rows replaced, never deleted
_ROLE = re.compile(r"[a-z_][a-z0-9_$]{0,62}")


def upgrade(url: str, *, app_role: str | None = None) -> str:
    """Apply every migration not applied yet; grant ``app_role`` its rights. Returns the
    revision the database is at. Raises :class:`StoreError` when it cannot."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import exc, text

    if app_role is not None and not _ROLE.fullmatch(app_role):
        raise unavailable(
            shown(url),
            f"角色名只能用小写字母、数字和下划线：{app_role!r}",
            f"a role name is lower-case letters, digits and _: {app_role!r}",
        )
    engine = engine_for(url)
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if app_role is not None:
                grants = [
                    f"GRANT SELECT, INSERT ON {', '.join(APPEND_ONLY)} TO {app_role}",
                    f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(WORKING)} TO {app_role}",
                    f"GRANT SELECT, INSERT, UPDATE ON {', '.join(RECORDS)} TO {app_role}",
                    f"GRANT SELECT, INSERT ON fyrules_meta TO {app_role}",
                    f"GRANT SELECT ON {VERSION_TABLE} TO {app_role}",
                ]
                for grant in grants:
                    connection.execute(text(grant))
            return str(
                connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
            )
    except exc.SQLAlchemyError as error:
        raise unavailable(
            shown(url),
            f"无法升级存储结构（{_first_line(error)}）",
            f"cannot upgrade the store's schema ({_first_line(error)})",
        ) from None
    finally:
        engine.dispose()


def _first_line(error: Exception) -> str:
    inner = getattr(error, "orig", None) or error
    return str(inner).strip().splitlines()[0] if str(inner).strip() else type(inner).__name__


__all__ = ["HEAD", "MIGRATIONS", "StoreError", "upgrade"]
