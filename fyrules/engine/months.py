"""Calendar months written ``YYYY-MM`` (月份): parsing and bounds, one way for every package.

Monthly work — the generated month, the inspection draw, the efficiency index, the demo —
names its month as ASCII ``YYYY-MM``. The text is strict (full-width digits or ``2025-1``
are refused) because it is also part of the inspection draw's seed: the same month must be the
same text everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import attrs

_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


@attrs.frozen(slots=True, order=True)
class Month:
    """A calendar month."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """``YYYY-MM`` → a month; anything else raises ``ValueError`` with a message in
        Chinese and English."""
        try:
            if not isinstance(text, str) or not _MONTH.fullmatch(text):
                raise ValueError(text)
            year, month = int(text[:4]), int(text[5:])
            dt.date(year, month, 1)
            if year == dt.MAXYEAR and month == 12:  # no first day after it
                raise ValueError(text)
        except ValueError:
            raise ValueError(f"月份格式应为 YYYY-MM / a month is YYYY-MM, not {text!r}") from None
        return cls(year, month)

    @classmethod
    def of(cls, moment: dt.date) -> Month:
        """The month a date (or a datetime, as it is) falls in."""
        return cls(moment.year, moment.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def next_first_day(self) -> dt.date:
        """The first day after the month."""
        return dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next_first_day - dt.timedelta(days=1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def bounds(self, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """The month's first instant and the first instant after it, in ``zone``."""
        return (
            dt.datetime.combine(self.first_day, dt.time(), zone),
            dt.datetime.combine(self.next_first_day, dt.time(), zone),
        )
