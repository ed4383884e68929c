"""``fyrules db upgrade --store URL [--app-role ROLE]``: create or upgrade a database store's
schema (the PostgreSQL adapter's Alembic migrations), and grant the application's role what it
needs: INSERT and SELECT only on the trail, findings and rejected events.

Exit 0 when the schema is at this version's revision, 2 when it could not be done (no
adapter, a database that is down or refuses: ``STORE-UNAVAILABLE``). A SQLite file needs no
upgrade: its store creates its schema on first use.
"""

from __future__ import annotations

import argparse

from ..engine.problems import FyrulesError, UsageError
from ._store import is_url, sqlite_path

HELP = "a database store: create or upgrade its schema"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``fyrules db``: an action and its options."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser("upgrade", help="create or upgrade a database store's schema")
    p.add_argument(
        "--store", required=True, metavar="URL", help="postgresql+psycopg://USER@HOST/DB"
    )
    p.add_argument(
        "--app-role",
        metavar="ROLE",
        help="the role the application connects as: granted INSERT and SELECT only on the "
        "trail, findings and rejected events",
    )


def run(args: argparse.Namespace) -> int:
    """Upgrade; print the revision the database is at."""
    if not is_url(args.store) or sqlite_path(args.store) is not None:
        print(
            f"{args.store}: SQLite 存储首次使用时自动建表，无需升级 / a SQLite store creates its "
            "schema on first use; nothing to upgrade"
        )
        return 0
    try:
        from fyrules_adapters.postgresql import upgrade
    except ImportError:
        raise UsageError(
            "未安装 PostgreSQL 适配器 / the PostgreSQL adapter is not installed: "
            "pip install 'fyrules[postgresql]'"
        ) from None
    try:
        revision = upgrade(args.store, app_role=args.app_role)
    except FyrulesError as exc:
        raise UsageError(str(exc)) from None
    print(f"存储结构已是版本 {revision} / the store's schema is at revision {revision}")
    return 0
