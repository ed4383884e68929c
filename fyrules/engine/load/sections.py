"""Sections: the top-level keys of rule files, and the entries they hold.

A rule file is a YAML mapping whose keys are sections (``rules``, ``tables``, ``parameters``,
``tests``, and those the domain packages add: ``items``, ``calendar`` …). Each section says how
to validate one entry, whether entries carry ids, and how a local rulebook's entry may replace
a higher one's (``tighten``: a local value may tighten, never loosen).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from pydantic import BaseModel

from ..problems import Location, Problem
from .source import KeyPath, SourceMap
from .validation import validate


@attrs.frozen(slots=True)
class Entry:
    """One validated entry of a section, remembering where it was written."""

    section: str
    id: str | None
    spec: Any
    source: SourceMap
    keys: KeyPath
    layer: str

    @property
    def location(self) -> Location:
        return self.source.locate(self.keys)

    def locate(self, *sub: str | int) -> Location:
        return self.source.locate((*self.keys, *sub))

    @property
    def path(self) -> str:
        return self.source.path


Builder = Callable[[Any, SourceMap, KeyPath], tuple[Any, list[Problem]]]
TightenCheck = Callable[[Entry, Entry], list[Problem]]


@attrs.frozen(slots=True)
class Section:
    """How one top-level key of a rule file is read and layered.

    ``model`` validates one entry (and documents it in the JSON Schema); ``build`` turns raw data
    into the entry's value when plain validation is not enough (decision tables compile their
    cells). With ``many`` the section holds a list of entries with an ``id``; otherwise one
    mapping. ``versioned`` entries may repeat an id with different validity periods.
    ``tighten(parent, child)`` reports a local entry that loosens the one it replaces."""

    key: str
    model: type[BaseModel]
    title_zh: str
    title_en: str
    many: bool = True
    versioned: bool = False
    build: Builder | None = None
    tighten: TightenCheck | None = None

    def read(self, data: Any, source: SourceMap, keys: KeyPath) -> tuple[Any, list[Problem]]:
        if self.build is not None:
            return self.build(data, source, keys)
        return validate(self.model, data, source, keys)


def loosened(parent: Entry, child: Entry, field: str, zh: str, en: str) -> Problem:
    """A LOOSENED problem at the child's field that names the parent's file and line."""
    where = parent.locate(field)
    return Problem(
        "LOOSENED",
        f"{zh}（上级规定见 {where}）",
        f"{en} (the higher rule is at {where})",
        child.locate(field),
        child.id,
    )


def empty_validity(entry: Entry, valid_from: Any, valid_to: Any) -> Problem | None:
    """VALIDITY-EMPTY when an entry's ``valid_to`` comes before its ``valid_from``."""
    if valid_from and valid_to and valid_to < valid_from:
        return Problem(
            "VALIDITY-EMPTY",
            f"失效日期 {valid_to} 早于生效日期 {valid_from}",
            f"valid_to {valid_to} is before valid_from {valid_from}",
            entry.locate("valid_to"),
            entry.id,
        )
    return None
