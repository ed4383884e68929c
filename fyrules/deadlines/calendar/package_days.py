"""The ``holidays`` package's schedule for China, kept in the user's cache folder between runs.

Importing ``holidays`` (it registers every country) and building its Chinese schedule for the
thirty-odd years of a calendar take about a fifth of a second, most of what ``fyrules check``
spends before it reads a rule file. The answer depends on nothing but the installed
``holidays`` release and the years asked, so it is worked out once per release and years,
written to a file in the cache folder, and read back on the next runs (a millisecond); the
package is then never imported. A new ``holidays`` release has a new version: its schedule is
worked out afresh (an upgrade that adds next year's schedule is seen at once).

The cache folder is ``FYRULES_CACHE_DIR``, else ``$XDG_CACHE_HOME/fyrules``, else
``~/.cache/fyrules`` (``%LOCALAPPDATA%\\fyrules\\cache`` on Windows). ``FYRULES_CACHE_DIR=``
(empty) turns the cache off. A file that cannot be written (a read-only home) or read back
(damaged, another format) is ignored and the schedule worked out from the package, so the
answer is always the package's own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

CACHE_ENV = "FYRULES_CACHE_DIR"
_FORMAT = 1  # bumped when the layout of the files changes

# A day off of the package: its date, its Chinese name and its English name (if any).
HolidayNames = dict[dt.date, tuple[str, str | None]]


def china_days(first_year: int, last_year: int) -> tuple[HolidayNames, frozenset[dt.date]]:
    """The package's days off (by date, in its order, with their Chinese and English names)
    and make-up workdays (weekend days worked) of ``first_year`` … ``last_year``: what
    ``holidays.China(years=…)`` gives for those years, from the cache when it is there."""
    data = _cached(f"china-{first_year}-{last_year}", lambda: _china_days(first_year, last_year))
    try:
        return _days_of(data)
    except (KeyError, TypeError, ValueError):  # a damaged file: the package answers
        return _days_of(_china_days(first_year, last_year))


def _days_of(data: dict[str, Any]) -> tuple[HolidayNames, frozenset[dt.date]]:
    """:func:`china_days`' answer from the data it caches (``ValueError`` when it is not
    that data)."""
    names: HolidayNames = {}
    for day, zh, en in data["off"]:
        if not isinstance(zh, str) or not (en is None or isinstance(en, str)):
            raise ValueError(f"not a holiday's names: {zh!r}, {en!r}")
        names[dt.date.fromisoformat(day)] = (zh, en)
    return names, frozenset(dt.date.fromisoformat(day) for day in data["makeup"])


def schedule_through(first_year: int, last_supported: int) -> int:
    """The last year from ``first_year`` on, up to ``last_supported``, such that every year
    after ``first_year`` up to it has make-up workdays in the package (its official
    schedules: the package guesses later years and gives them none), from the cache when it
    is there."""
    data = _cached(
        f"china-through-{first_year}-{last_supported}",
        lambda: {"year": _schedule_through(first_year, last_supported)},
    )
    year = data.get("year")
    if isinstance(year, int) and first_year <= year <= max(first_year, last_supported):
        return year
    return _schedule_through(first_year, last_supported)


def _china_days(first_year: int, last_year: int) -> dict[str, Any]:
    import holidays

    years = range(first_year, last_year + 1)
    names_zh = holidays.China(years=years, language="zh_CN")
    names_en = holidays.China(years=years, language="en_US")
    return {
        "off": [
            [day.isoformat(), name, names_en.get(day)]
            for day, name in names_zh.items()
            if first_year <= day.year <= last_year
        ],
        "makeup": sorted(
            day.isoformat()
            for day in names_zh.weekend_workdays
            if first_year <= day.year <= last_year
        ),
    }


def _schedule_through(first_year: int, last_supported: int) -> int:
    import holidays

    year = first_year
    while year < last_supported:
        following = year + 1
        workdays = holidays.China(years=(following, following + 1)).weekend_workdays
        if not any(d.year == following for d in workdays):
            break
        year = following
    return year


def cache_folder() -> Path | None:
    """Where the schedules are kept, or ``None`` when the cache is off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "fyrules" / "cache"
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "fyrules"


def _cached(name: str, work_out: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    folder = cache_folder()
    version = _package_version()
    if folder is None or version is None:
        return work_out()
    path = folder / f"holidays-{version}-{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("format") == _FORMAT:
            return data
    except (OSError, ValueError):
        pass
    data = {"format": _FORMAT, **work_out()}
    _write(path, json.dumps(data, ensure_ascii=False))
    return data


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a reader never sees half a file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:  # a read-only or full disk: the next run works it out again
        pass


def _package_version() -> str | None:
    """The installed ``holidays`` release (``None``: not found, so nothing is cached)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("holidays")
    except PackageNotFoundError:
        return None
    # the version names a file: keep it to the characters versions are written with
    return found if found and all(c.isalnum() or c in ".+-_!" for c in found) else None
