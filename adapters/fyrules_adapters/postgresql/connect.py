"""Engines for database URLs, and URLs as they may be shown (without their password)."""

from __future__ import annotations

from typing import Any

from fyrules_adapters.errors import unavailable


def shown(url: str) -> str:
    """The URL with its password masked, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(a database URL)"


def engine_for(url: str, **options: Any) -> Any:
    """A SQLAlchemy engine for ``url``; a URL it cannot use is ``STORE-UNAVAILABLE``."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        return create_engine(url, **options)
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as error:
        raise unavailable(
            shown(url), f"不是可用的数据库地址（{error}）", f"not a usable database URL ({error})"
        ) from None
