"""Opening the store a server runs on, from the ``--store`` text: the one place that turns it
into a :class:`fyrules.Store` (database URLs plug in here), and the applicant codes beside it."""

from __future__ import annotations

from typing import Any

from fyrules import Store

from .codes import ApplicantCodes

DEFAULT_STORE = "fyrules.db"


class StoreOpenError(Exception):
    """The store cannot be opened; the message is ``中文 / English``."""


def open_store(spec: str) -> Store:
    """The store ``spec`` names: a SQLite file path, ``sqlite:///PATH`` or ``:memory:``."""
    from fyrules_adapters.sqlite import SqliteStore, StoreError

    path = spec.removeprefix("sqlite:///") if spec.startswith("sqlite:///") else spec
    if "://" in path:
        raise StoreOpenError(
            f"不支持的存储地址：{spec}（可用 SQLite 文件路径或 sqlite:///路径） / "
            f"unsupported store URL: {spec} (use a SQLite file path or sqlite:///PATH)"
        )
    try:
        return SqliteStore(path)
    except StoreError as exc:
        raise StoreOpenError(str(exc)) from None


def open_codes(store: Any) -> ApplicantCodes:
    """The applicant codes kept beside ``store``: in its SQLite file (in memory for a store
    in memory)."""
    return ApplicantCodes(getattr(store, "path", ":memory:"))
