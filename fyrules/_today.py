"""The one place fyrules reads "today" from (今天的日期只从这里取).

Checks that depend on the date (a holiday schedule due from 1 December, a process or a rule in
force today) ask :func:`today`. A host system, a test suite or a CI job pins it for a whole
process with the environment variable ``FYRULES_TODAY`` (an ISO date, ``2025-10-15``); a
command pins it for one run with ``--today``. Nothing else in fyrules reads the system clock
for a date.
"""

from __future__ import annotations

import datetime as dt
import os

from .engine.problems import UsageError

TODAY_ENV = "FYRULES_TODAY"


def today(tz: dt.tzinfo | None = None) -> dt.date:
    """Today's date: ``FYRULES_TODAY`` when it is set, else the system clock's date in ``tz``
    (the machine's local zone when ``tz`` is None). Raises :class:`UsageError` when
    ``FYRULES_TODAY`` is not an ISO date."""
    pinned = os.environ.get(TODAY_ENV, "").strip()
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            raise UsageError(
                f"环境变量 {TODAY_ENV}={pinned!r} 不是日期，请写成 YYYY-MM-DD，或删除它以使用系统日期 / "
                f"the environment variable {TODAY_ENV}={pinned!r} is not a date: write it as "
                "YYYY-MM-DD, or unset it to use the system's date"
            ) from None
    return dt.datetime.now(tz).date() if tz is not None else dt.date.today()
