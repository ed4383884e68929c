"""The semantic diff of two rulebooks: entries keyed by section and id, not by lines.

Every section the loader reads (items, rules, decision tables, processes, the calendar,
separation constraints, scoring schemes, parameters …) is compared entry by entry on its id,
as layered (an entry the township replaces is compared as the township has it). An entry is
added, removed or changed field by field; each change names its file:line in OLD and in NEW,
and the entry's basis on each side. Whether a change loosens the rulebook is judged by
:mod:`.direction`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs
from pydantic import BaseModel

from ..engine.load.sections import Entry, Section
from ..engine.problems import Location
from ..engine.tables import DecisionTable
from .direction import Verdict, entry_verdicts, field_verdict, removal_verdict
from .fields import MISSING, FieldChange, field_changes

Kind = Literal["added", "removed", "changed"]
MANIFEST = "rulebook"  # the pseudo-section of rulebook.yaml's own fields
LIMIT_FIELDS = ("statutory_days", "committed_days", "committed_hours")


@attrs.frozen(slots=True)
class FieldDiff:
    """One field of an entry that changed, located on both sides, with its verdict."""

    change: FieldChange
    old_at: Location | None
    new_at: Location | None
    verdict: Verdict | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.change.label,
            "kind": self.change.kind,
            "old": None if self.change.old is MISSING else self.change.old,
            "new": None if self.change.new is MISSING else self.change.new,
            "old_at": _where(self.old_at),
            "new_at": _where(self.new_at),
            "verdict": self.verdict.to_dict() if self.verdict else None,
        }


@attrs.frozen(slots=True)
class EntryChange:
    """An entry added, removed or changed. ``limits`` (items only): each time limit as
    ``(old, new)``; ``verdicts``: loosenings and tightenings the change makes."""

    section: str
    section_title: str
    id: str
    kind: Kind
    title: str
    old_at: Location | None
    new_at: Location | None
    old_basis: str | None
    new_basis: str | None
    fields: tuple[FieldDiff, ...] = ()
    limits: Mapping[str, tuple[Any, Any]] = attrs.field(factory=dict)
    verdicts: tuple[Verdict, ...] = ()
    catalog_findings: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    @property
    def lawful(self) -> bool | None:
        """Items only: whether NEW's catalog rules (the ``item`` scope: a committed limit within
        the statutory one …) find nothing at error level in the item as NEW has it."""
        found = self.catalog_findings.get("new")
        if found is None:
            return None
        return not any(f.startswith("error ") for f in found)

    @property
    def loosened(self) -> bool:
        return any(v.loosened for v in self.verdicts)

    @property
    def tightened(self) -> bool:
        return any(not v.loosened for v in self.verdicts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "old_at": _where(self.old_at),
            "new_at": _where(self.new_at),
            "basis": {"old": self.old_basis, "new": self.new_basis},
            "limits": {k: {"old": o, "new": n} for k, (o, n) in self.limits.items()},
            "loosened": self.loosened,
            "lawful": self.lawful,
            "catalog_findings": {k: list(v) for k, v in self.catalog_findings.items()},
            "verdicts": [v.to_dict() for v in self.verdicts],
            "fields": [f.to_dict() for f in self.fields],
        }


@attrs.frozen(slots=True)
class Side:
    """What one side of the diff is made of: one entry per key, in reading order."""

    entries: Mapping[tuple[str, str], Entry]
    sections: Mapping[str, Section]


def rule_changes(old: Any, new: Any) -> list[EntryChange]:
    """Every entry added, removed or changed from rulebook ``old`` to rulebook ``new``."""
    a, b = _side(old), _side(new)
    out: list[EntryChange] = []
    out.extend(_manifest_changes(old, new))
    for key in [*a.entries, *(k for k in b.entries if k not in a.entries)]:
        change = _compare(key, a.entries.get(key), b.entries.get(key), {**a.sections, **b.sections})
        if change is not None and change.section == "items":
            change = attrs.evolve(change, catalog_findings=_catalog_findings(old, new, key[1]))
        if change is not None:
            out.append(change)
    return out


def _catalog_findings(old: Any, new: Any, code: str) -> dict[str, tuple[str, ...]]:
    """What each side's catalog rules (latest versions) find in its version of the item, as
    ``severity RULE-ID``."""
    out = {}
    for side, rulebook in (("old", old), ("new", new)):
        item = rulebook.items.items.get(code)
        if item is not None:
            findings = rulebook.evaluate("item", rulebook.items.context(item))
            out[side] = tuple(sorted(f"{f.severity} {f.rule}" for f in findings))
    return out


def _side(rulebook: Any) -> Side:
    from ..engine.compile import ENGINE_SECTIONS

    sections: dict[str, Section] = {}
    for section in [*ENGINE_SECTIONS, *(s for e in rulebook.extensions for s in e.sections)]:
        sections.setdefault(section.key, section)
    entries: dict[tuple[str, str], Entry] = {}
    for key in sections:
        versions: dict[str, list[Entry]] = {}
        for entry in rulebook.sources.section(key):
            if entry.id is None:
                entries[(key, _anonymous_key(entry))] = entry
            else:
                versions.setdefault(entry.id, []).append(entry)
        for entry_id, group in versions.items():
            group.sort(key=_start)
            for n, entry in enumerate(group):
                entries[(key, entry_id if n == 0 else f"{entry_id} (版本 / version {n + 1})")] = (
                    entry
                )
    return Side(entries, sections)


def _start(entry: Entry) -> dt.date:
    return getattr(entry.spec, "valid_from", None) or dt.date.min


def _anonymous_key(entry: Entry) -> str:
    """An entry without an id: a single-entry section's (``calendar:``) is known by its layer,
    any other by its content (so a changed one is one removed and one added)."""
    if entry.keys == (entry.section,):
        return f"{entry.section}@{entry.layer}"
    return "#" + hashlib.sha256(_canonical(_data(entry)).encode()).hexdigest()[:12]


def _compare(
    key: tuple[str, str], old: Entry | None, new: Entry | None, sections: Mapping[str, Section]
) -> EntryChange | None:
    section_key, entry_key = key
    section = sections[section_key]
    title = f"{section.title_zh} / {section.title_en}"
    either = new if new is not None else old
    assert either is not None
    # the versions of a versioned entry are paired in order of their first day: a new version
    # is one added (and the old one's valid_to changed), not the rule removed and re-added
    display_id = entry_key if either.id is not None else _content_label(either, entry_key)
    limits = _limits(old, new) if section_key == "items" else {}
    if old is None or new is None:
        kind: Kind = "added" if old is None else "removed"
        verdicts = () if new is None and old is None else removal_verdict(section_key, old, new)
        return EntryChange(
            section_key,
            title,
            display_id,
            kind,
            _title(either),
            _entry_location(old),
            _entry_location(new),
            _basis(old),
            _basis(new),
            limits=limits,
            verdicts=verdicts,
        )
    old_data, new_data = _data(old), _data(new)
    if old_data == new_data:
        return None
    fields = []
    for change in field_changes(old_data, new_data):
        fields.append(
            FieldDiff(
                change,
                _field_location(old, change.old_keys),
                _field_location(new, change.new_keys),
                field_verdict(section_key, change, new.spec),
            )
        )
    if not fields:
        return None
    judged = tuple(f.verdict for f in fields if f.verdict is not None)
    checked = entry_verdicts(section, old, new, judged)
    for i, f in enumerate(fields):  # the section's own check may judge a field: show it there
        if f.verdict is None:
            found = [v for v in checked if v.field == f.change.label]
            if found:
                fields[i] = attrs.evolve(f, verdict=found[0])
    verdicts = judged + checked
    return EntryChange(
        section_key,
        title,
        display_id,
        "changed",
        _title(new),
        _entry_location(old),
        _entry_location(new),
        _basis(old),
        _basis(new),
        fields=tuple(fields),
        limits=limits,
        verdicts=verdicts,
    )


def _manifest_changes(old: Any, new: Any) -> list[EntryChange]:
    """``rulebook.yaml``'s own fields (version, name, extends …), as one entry."""
    a, b = old.manifest, new.manifest
    old_data, new_data = a.model_dump(mode="json"), b.model_dump(mode="json")
    if old_data == new_data:
        return []
    old_source, new_source = old.layers[-1].manifest_source, new.layers[-1].manifest_source
    fields = tuple(
        FieldDiff(c, old_source.locate(c.old_keys), new_source.locate(c.new_keys))
        for c in field_changes(old_data, new_data)
    )
    return [
        EntryChange(
            MANIFEST,
            "规则集 / rulebook",
            b.rulebook,
            "changed",
            _title_text(b.name),
            old_source.locate(()),
            new_source.locate(()),
            a.basis,
            b.basis,
            fields=fields,
        )
    ]


# --- an entry's data, title, basis and places -----------------------------------------------


def _data(entry: Entry) -> Any:
    """The entry as plain JSON: its validated model (defaults filled in, so writing a default
    out is no change), or for a compiled decision table what its file says."""
    spec = entry.spec
    if isinstance(spec, BaseModel):
        return spec.model_dump(mode="json", by_alias=True)
    if isinstance(spec, DecisionTable):
        return _table_data(spec)
    return json.loads(_canonical(attrs.asdict(spec) if attrs.has(type(spec)) else repr(spec)))


def _table_data(table: DecisionTable) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": {"zh": table.title_zh, "en": table.title_en},
        "basis": table.basis,
        "hit_policy": table.hit_policy,
        "inputs": [{"name": c.name, "type": c.type} for c in table.inputs],
        "outputs": [{"name": c.name, "type": c.type} for c in table.outputs],
        "rows": [[*(c.text for c in row.cells), *row.outputs] for row in table.rows],
    }
    if table.aggregation is not None:
        data["aggregation"] = table.aggregation
    if table.default is not None:
        data["default"] = list(table.default)
    return json.loads(_canonical(data))


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _title(entry: Entry | None) -> str:
    if entry is None:
        return ""
    spec = entry.spec
    if isinstance(spec, DecisionTable):
        return f"{spec.title_zh} / {spec.title_en}" if spec.title_zh else ""
    for name in ("title", "name"):
        value = getattr(spec, name, None)
        if value is not None:
            return _title_text(value)
    return ""


def _title_text(value: Any) -> str:
    zh, en = getattr(value, "zh", None), getattr(value, "en", None)
    if zh is None:
        return str(value)
    return f"{zh} / {en}" if en and en != zh else str(zh)


def _basis(entry: Entry | None) -> str | None:
    if entry is None:
        return None
    spec = entry.spec
    parts = [getattr(spec, n, None) for n in ("basis", "legal_basis", "statutory_basis")]
    text = "；".join(str(p).strip() for p in parts if p)
    return text or None


def _content_label(entry: Entry, key: str) -> str:
    """What to call an entry without an id: a single section's own id, or its section and
    layer (``calendar (fuyang)``), or a few of its fields."""
    if entry.keys == (entry.section,):
        own = getattr(entry.spec, "id", None)
        return str(own) if own else f"{entry.section} ({entry.layer})"
    data = _data(entry)
    if isinstance(data, dict):
        shown = [f"{k}={v}" for k, v in data.items() if not isinstance(v, dict | list)][:3]
        if shown:
            return ", ".join(shown)
    return key


def _limits(old: Entry | None, new: Entry | None) -> dict[str, tuple[Any, Any]]:
    out = {}
    for name in LIMIT_FIELDS:
        a = getattr(old.spec, name, None) if old is not None else None
        b = getattr(new.spec, name, None) if new is not None else None
        if a is not None or b is not None:
            out[name] = (a, b)
    return out


def _entry_location(entry: Entry | None) -> Location | None:
    if entry is None:
        return None
    if isinstance(entry.spec, DecisionTable) and entry.spec.location is not None:
        return entry.spec.location
    return entry.location


def _field_location(entry: Entry, keys: tuple[str | int, ...]) -> Location:
    """Where ``keys`` (below the entry) stand in the entry's file; a decision table read from
    CSV knows its rows' lines itself."""
    spec = entry.spec
    if isinstance(spec, DecisionTable):
        row = keys[1] if len(keys) >= 2 and keys[0] == "rows" else None
        if isinstance(row, int) and row < len(spec.rows):
            location = spec.rows[row].location
            if location is not None:
                return location
        found = entry.locate(*keys)
        return found if found.line is not None or spec.location is None else spec.location
    return entry.locate(*keys)


def _where(location: Location | None) -> str | None:
    return None if location is None else str(location)


def count_kinds(changes: Iterable[EntryChange]) -> dict[str, int]:
    """How many entries were added, removed and changed, and how many loosen the rulebook."""
    out = {"added": 0, "removed": 0, "changed": 0, "loosened": 0}
    for change in changes:
        out[change.kind] += 1
        out["loosened"] += change.loosened
    return out
