"""Whether a change loosens a rulebook or tightens it.

NEW loosens OLD when it allows what OLD did not: a longer time limit (or none where there was
one), a lower threshold, a lower severity, a removed constraint. Three sources say so:

* the meaning of a few fields (:data:`DIRECTIONS`): a time limit is looser when longer, a
  sampling rate when lower; the numbers themselves stay in the rule files;
* the section's own ``tighten`` check, the one that keeps a township from loosening its city's
  rules (parameters with a direction, rules, history constraints, recusals): what it reports
  for NEW against OLD;
* removal of an entry of a constraint section (:data:`CONSTRAINT_SECTIONS`).
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from ..engine.load.sections import Entry, Section
from .fields import MISSING, FieldChange

Looser = Literal["longer", "lower"]

# (section, field pattern, which way is looser): "longer" when a larger value allows more,
# "lower" when a smaller one does. ``*`` stands for any element of a list or key of a mapping.
DIRECTIONS: tuple[tuple[str, tuple[str, ...], Looser], ...] = (
    ("items", ("statutory_days",), "longer"),
    ("items", ("committed_days",), "longer"),
    ("items", ("committed_hours",), "longer"),
    ("items", ("special_procedures", "*", "max_days"), "longer"),
    ("stage_budgets", ("stages", "*"), "longer"),
    ("inspection", ("sampling", "rate"), "lower"),
    ("inspection", ("sampling", "minimum"), "lower"),
    ("inspection", ("sampling", "departments", "*", "rate"), "lower"),
    ("inspection", ("rectification", "working_days"), "longer"),
)

# Sections whose entries each forbid something: removing one allows it. An invariant states
# what must always hold, so removing one lets a rulebook drop the guard that checks it.
CONSTRAINT_SECTIONS = frozenset(
    {"rules", "sod_constraints", "history_constraints", "recusals", "stage_budgets", "invariants"}
)

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@attrs.frozen(slots=True)
class Verdict:
    """A change judged: ``loosened`` (True) or tightened (False), and why, in both languages."""

    loosened: bool
    field: str
    message_zh: str
    message_en: str

    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "loosened": self.loosened,
            "field": self.field,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


# A parameter's own ``tighten:`` says which way its value may move in a local rulebook: the
# other way loosens it.
PARAMETER_LOOSER: dict[str, Looser] = {"lower": "longer", "higher": "lower"}


def field_verdict(section: str, change: FieldChange, spec: Any = None) -> Verdict | None:
    """The verdict on one field change whose meaning fixes a direction, else ``None``
    (``spec``: the entry as NEW has it, for a parameter's direction)."""
    if change.pattern and change.pattern[-1] == "severity":
        return _severity(change)
    if section == "parameters" and change.pattern == ("value",):
        looser = PARAMETER_LOOSER.get(getattr(spec, "tighten", ""))
        return None if looser is None else _limit(change, looser, limit=False)
    for sec, pattern, looser in DIRECTIONS:
        if sec == section and _matches(pattern, change.pattern):
            return _limit(change, looser)
    return None


def removal_verdict(section: str, old: Entry | None, new: Entry | None) -> tuple[Verdict, ...]:
    """An entry of a constraint section removed loosens; one added tightens."""
    if section not in CONSTRAINT_SECTIONS:
        return ()
    if new is None and old is not None:
        return (Verdict(True, "", "删除了约束", "a constraint removed"),)
    if old is None and new is not None:
        return (Verdict(False, "", "新增了约束", "a constraint added"),)
    return ()


def entry_verdicts(
    section: Section, old: Entry, new: Entry, already: tuple[Verdict, ...]
) -> tuple[Verdict, ...]:
    """What the section's ``tighten`` check says of NEW replacing OLD (a field already judged
    by its meaning is not judged twice)."""
    if section.tighten is None:
        return ()
    judged = {v.field.split("[")[0] for v in already}
    out = []
    for problem in section.tighten(old, new):
        field = _field_of(problem, new)
        if field in judged:
            continue
        out.append(Verdict(True, field, problem.message_zh, problem.message_en))
    return tuple(out)


def _field_of(problem: Any, entry: Entry) -> str:
    """The field of ``entry`` a problem stands at (its last key), or the entry itself."""
    for name in ("severity", "value", "tighten", "scope", "stages", "same"):
        if problem.location is not None and problem.location == entry.locate(name):
            return name
    return ""


def _matches(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    return len(pattern) == len(path) and all(
        p in ("*", q) for p, q in zip(pattern, path, strict=True)
    )


def _limit(change: FieldChange, looser: Looser, *, limit: bool = True) -> Verdict | None:
    old, new = change.old, change.new
    field = change.label
    if old is MISSING or old is None:
        if new is MISSING or new is None:
            return None
        return Verdict(False, field, f"{field} 新设为 {new}", f"{field} newly set to {new}")
    if new is MISSING or new is None:
        return Verdict(True, field, f"{field} 取消（原为 {old}）", f"{field} removed (was {old})")
    if not _number(old) or not _number(new) or old == new:
        return None
    if not limit:  # a parameter: its direction says which way is looser
        loosened = new > old if looser == "longer" else new < old
        zh = "放宽" if loosened else "收紧"
        en = "looser" if loosened else "tighter"
    elif looser == "longer":
        loosened = new > old
        zh = "时限延长" if loosened else "时限缩短"
        en = "a longer limit" if loosened else "a shorter limit"
    else:
        loosened = new < old
        zh = "门槛降低" if loosened else "门槛提高"
        en = "a lower threshold" if loosened else "a higher threshold"
    return Verdict(loosened, field, f"{field} {old} → {new}：{zh}", f"{field} {old} → {new}: {en}")


def _severity(change: FieldChange) -> Verdict | None:
    old = SEVERITY_RANK.get(change.old) if isinstance(change.old, str) else None
    new = SEVERITY_RANK.get(change.new) if isinstance(change.new, str) else None
    if old is None or new is None or old == new:
        return None
    loosened = new < old
    zh = "级别降低" if loosened else "级别提高"
    en = "a lower severity" if loosened else "a higher severity"
    field = change.label
    return Verdict(
        loosened,
        field,
        f"{field} {change.old} → {change.new}：{zh}",
        f"{field} {change.old} → {change.new}: {en}",
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
