"""Opening the store a server runs on, from the ``--store`` text: the one place that turns it
into a :class:`fyrules.Store` (database URLs plug in here), and the applicant codes beside it.

A SQLite file (``fyrules.db``, ``sqlite:///PATH``, ``:memory:``) or a PostgreSQL URL
(``postgresql+psycopg://USER@HOST/DB``, a database prepared by ``fyrules db upgrade``). A
PostgreSQL database written in N partitions opens as the list of its N partitions' stores:
the service serves the whole center (:mod:`.service`)."""

from __future__ import annotations

from typing import Any

from fyrules import Store

from .codes import ApplicantCodes

DEFAULT_STORE = "fyrules.db"


class StoreOpenError(Exception):
    """The store cannot be opened; the message is ``中文 / English``."""


def open_store(spec: str) -> Store | list[Store]:
    """The store ``spec`` names (see the module's doc)."""
    path = spec.removeprefix("sqlite:///") if spec.startswith("sqlite:///") else spec
    if "://" in path:
        return _open_database(spec)
    from fyrules_adapters.sqlite import SqliteStore, StoreError

    try:
        return SqliteStore(path)
    except StoreError as exc:
        raise StoreOpenError(str(exc)) from None


def _open_database(url: str) -> Store | list[Store]:
    if not url.startswith(("postgresql://", "postgresql+")):
        raise StoreOpenError(
            f"不支持的存储地址：{url}（可用 SQLite 文件路径、sqlite:///路径或 postgresql+psycopg://…） / "
            f"unsupported store URL: {url} (use a SQLite file path, sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST/DB)"
        )
    try:
        from fyrules_adapters.postgresql import PostgresStore, StoreError
    except ImportError:
        raise StoreOpenError(
            "未安装 PostgreSQL 适配器 / the PostgreSQL adapter is not installed: "
            "pip install 'fyrules[postgresql]'"
        ) from None
    opened: list[Any] = []
    try:
        reader = PostgresStore(url, partitions=None)
        partitions = reader.partitions
        reader.close()
        if partitions == 1:
            return PostgresStore(url)
        for k in range(partitions):
            opened.append(PostgresStore(url, partition=k, partitions=partitions))
        return opened
    except StoreError as exc:
        for store in opened:
            store.close()
        raise StoreOpenError(str(exc)) from None


def open_codes(store: Any) -> ApplicantCodes:
    """The applicant codes kept beside ``store``: in its SQLite file (in memory for a store
    in memory), or in its PostgreSQL database."""
    url = getattr(store, "url", None)
    if isinstance(url, str):
        from .codes_postgresql import PostgresApplicantCodes

        return PostgresApplicantCodes(url)
    return ApplicantCodes(getattr(store, "path", ":memory:"))
