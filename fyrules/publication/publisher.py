"""What every published page is made of, whatever its format: text in Chinese and English, and
who publishes it (the imprint under each page)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from ..engine.load.model import Title

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@attrs.frozen(slots=True)
class Label:
    """A label in Chinese and English (fyrules' own words)."""

    zh: str
    en: str


@attrs.frozen(slots=True)
class Text:
    """One line of a value: Chinese, and English when fyrules knows it."""

    zh: str
    en: str | None = None


def lines_of(text: str) -> list[str]:
    """``text`` split at every kind of line break, control characters dropped: the renderers
    join the lines with their own break (``<br>``), so no value can end a table row."""
    return [_CONTROL.sub("", line) for line in text.splitlines()] or [""]


@attrs.frozen(slots=True)
class Publisher:
    """Who publishes the pages: the rulebook's name, jurisdiction and version, and the date of
    publication when one is given (pages carry no date otherwise, so output is reproducible)."""

    name: Title
    jurisdiction: str | None = None
    version: str | None = None
    published_on: dt.date | None = None

    @classmethod
    def from_rulebook(cls, rulebook: Any, published_on: dt.date | None = None) -> Publisher:
        manifest = rulebook.manifest
        return cls(manifest.name, manifest.jurisdiction, manifest.version, published_on)

    @classmethod
    def of(cls, value: Publisher | Title | str | None) -> Publisher | None:
        if value is None or isinstance(value, Publisher):
            return value
        return cls(value if isinstance(value, Title) else Title(zh=value))

    def lines(self) -> tuple[Text, ...]:
        """The imprint under a page: name, jurisdiction, version, date."""
        zh = [self.name.zh]
        en = [self.name.en or self.name.zh]
        if self.jurisdiction:
            zh.append(self.jurisdiction)
        if self.version:
            zh.append(f"规则集版本 {self.version}")
            en.append(f"rulebook version {self.version}")
        if self.published_on:
            zh.append(f"公布日期 {self.published_on.isoformat()}")
            en.append(f"published {self.published_on.isoformat()}")
        return (Text(" · ".join(zh), " · ".join(en)),)


DEFAULT_PUBLISHER = Publisher(Title(zh="政务服务中心", en="Administrative Service Center"))
