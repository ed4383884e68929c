"""The ``holidays`` package's schedule read from the cache is the package's own.

:mod:`fyrules.deadlines.calendar.package_days` keeps what ``holidays.China`` gives in the user's
cache folder; whatever the folder holds (nothing, a good file, a damaged one) or whether it can
be written at all, the answer must be exactly what asking the package gives, and a warm cache
must spare ``fyrules check`` the import of ``holidays``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fyrules.deadlines.calendar import package_days
from fyrules.deadlines.calendar.days import DaySchedule, package_schedule_through
from fyrules.deadlines.calendar.spec import FIRST_YEAR, LAST_SUPPORTED_YEAR, PROVISIONAL_YEARS

ROOT = Path(__file__).resolve().parents[2]
FUYANG = ROOT / "examples" / "fuyang"


def asked_of_the_package(
    first_year: int, last_year: int
) -> tuple[dict[dt.date, tuple[str, str | None]], frozenset[dt.date]]:
    """The days off and make-up workdays as ``DaySchedule.build`` asked the package before the
    cache (the code it replaced, verbatim but for the rulebook's years)."""
    years = range(first_year, last_year + 1)
    names_zh = holidays.China(years=years, language="zh_CN")
    names_en = holidays.China(years=years, language="en_US")

    def kept(day: dt.date) -> bool:
        return first_year <= day.year <= last_year

    names = {day: (name, names_en.get(day)) for day, name in names_zh.items() if kept(day)}
    return names, frozenset(day for day in names_zh.weekend_workdays if kept(day))


def through_asked_of_the_package(first_year: int) -> int:
    """``package_schedule_through`` as it asked the package before the cache."""
    year = first_year
    while year < LAST_SUPPORTED_YEAR - PROVISIONAL_YEARS:
        following = year + 1
        workdays = holidays.China(years=(following, following + 1)).weekend_workdays
        if not any(d.year == following for d in workdays):
            break
        year = following
    return year


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(package_days.CACHE_ENV, str(folder))
    return folder


def test_a_cold_then_a_warm_cache_give_the_package_s_schedule(cache: Path) -> None:
    expected = asked_of_the_package(FIRST_YEAR, 2031)
    cold = package_days.china_days(FIRST_YEAR, 2031)
    [written] = cache.iterdir()
    assert written.name == f"holidays-{holidays.__version__}-china-{FIRST_YEAR}-2031.json"
    warm = package_days.china_days(FIRST_YEAR, 2031)
    assert cold == warm == expected
    # in the package's order too (a calendar lists its days in that order)
    assert list(warm[0]) == list(expected[0])


def test_the_warm_cache_is_what_is_read(cache: Path) -> None:
    """A second run takes the file's days, not the package's (what makes it fast): a file
    edited by hand shows through."""
    package_days.china_days(2020, 2021)
    [written] = cache.iterdir()
    data = json.loads(written.read_text(encoding="utf-8"))
    data["off"] = [["2020-03-03", "测试日", None]]
    written.write_text(json.dumps(data), encoding="utf-8")
    assert package_days.china_days(2020, 2021)[0] == {dt.date(2020, 3, 3): ("测试日", None)}


@pytest.mark.parametrize(
    "damage",
    [
        "",
        "{not json",
        "[]",
        '{"format": 1}',
        '{"format": 1, "off": [["2020-13-01", "x", null]], "makeup": []}',
        '{"format": 1, "off": [["2020-01-01", 3, null]], "makeup": []}',
        '{"format": 1, "off": [], "makeup": [5]}',
        '{"format": 99, "off": [], "makeup": []}',
    ],
)
def test_a_damaged_cache_file_gives_the_package_s_schedule(cache: Path, damage: str) -> None:
    package_days.china_days(2024, 2026)
    [written] = cache.iterdir()
    written.write_text(damage, encoding="utf-8")
    assert package_days.china_days(2024, 2026) == asked_of_the_package(2024, 2026)


def test_an_unwritable_cache_folder_gives_the_package_s_schedule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(package_days.CACHE_ENV, str(blocker / "cache"))  # under a file
    assert package_days.china_days(2024, 2026) == asked_of_the_package(2024, 2026)


def test_an_empty_cache_setting_turns_the_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(package_days.CACHE_ENV, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert package_days.cache_folder() is None
    assert package_days.china_days(2024, 2026) == asked_of_the_package(2024, 2026)
    assert list(tmp_path.iterdir()) == []


def test_the_cache_folder_follows_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(package_days.CACHE_ENV, raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)  # Windows' own place, when it is set
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert package_days.cache_folder() == tmp_path / "fyrules"


@settings(max_examples=12, deadline=None)
@given(
    first=st.integers(min_value=FIRST_YEAR, max_value=2040),
    span=st.integers(min_value=0, max_value=12),
)
def test_any_years_cached_are_the_package_s(first: int, span: int) -> None:
    """For any years, the schedule from a cold cache, a warm cache and no cache is the one the
    package gives."""
    last = first + span
    expected = asked_of_the_package(first, last)
    saved = os.environ.get(package_days.CACHE_ENV)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ[package_days.CACHE_ENV] = tmp
        try:
            assert package_days.china_days(first, last) == expected  # cold: written
            assert package_days.china_days(first, last) == expected  # warm: read back
            os.environ[package_days.CACHE_ENV] = ""
            assert package_days.china_days(first, last) == expected  # no cache
        finally:
            if saved is None:
                del os.environ[package_days.CACHE_ENV]
            else:
                os.environ[package_days.CACHE_ENV] = saved


def test_schedule_through_is_the_package_s_cold_and_warm(cache: Path) -> None:
    expected = through_asked_of_the_package(FIRST_YEAR)
    assert package_schedule_through() == expected
    assert any(cache.iterdir())
    assert package_schedule_through() == expected
    assert package_schedule_through(2030) == through_asked_of_the_package(2030)


def test_the_day_schedule_is_the_one_built_from_the_package(cache: Path) -> None:
    built = DaySchedule.build(FIRST_YEAR, 2031, full_schedule_years=(2026,))
    names, makeup = asked_of_the_package(FIRST_YEAR, 2031)
    assert dict(built.holiday_names) == {d: n for d, n in names.items() if d.year != 2026}
    assert built.makeup == frozenset(d for d in makeup if d.year != 2026)


def test_check_with_a_warm_cache_does_not_import_holidays(cache: Path) -> None:
    """What the cache is for: the second ``fyrules check`` never imports the package, and
    reports exactly what the first did."""
    script = (
        "import sys; from fyrules.cli import main; code = main(); "
        "print('holidays imported:', 'holidays' in sys.modules); sys.exit(code)"
    )
    argv = [sys.executable, "-c", script, "check", str(FUYANG), "--format", "json"]
    env = {**os.environ, package_days.CACHE_ENV: str(cache)}
    cold = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    warm = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    assert cold.stdout.endswith("holidays imported: True\n")
    assert warm.stdout.endswith("holidays imported: False\n")
    assert cold.stdout.removesuffix("True\n") == warm.stdout.removesuffix("False\n")
