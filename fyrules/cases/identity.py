"""Canonical identities (编号规范): the ids an event names are compared as written, so each must
already be in its one canonical form.

Separation of duties compares persons by their ids; were ``P-SC-13`` and ``P-SC-13\\u200b``
(a zero-width space), ``Ｐ-SC-13`` (fullwidth), ``Р-SC-13`` (Cyrillic) or ``P-SC-13 `` two
people, one person could review and approve the same case. So an event's case, actor,
department and window ids, and the person in ``data.approved_by``, must each be

- in Unicode NFKC form (a fullwidth ``Ｐ`` is not, since NFKC reads it as ``P``);
- free of control and format characters (NUL, zero-width spaces, bidirectional overrides …);
- without spaces around it;
- a full match of the rulebook's declared pattern (the parameter ``identifier_pattern``),
  when it declares one.

An id that is not is refused (``EVENT-ID-NOT-CANONICAL``) with the reason; it is never
rewritten, since a rewritten id could silently become someone else's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ..engine.problems import Location, Problem

# The fields of an event that hold ids, as (label, how to read it from the event).
IDENTITY_FIELDS: tuple[str, ...] = ("case", "actor", "dept", "window", "data.approved_by")
# Unicode categories an id never holds: controls, format characters (zero-width, bidi),
# surrogates, private use, unassigned, line and paragraph separators.
_FORBIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def identity_pattern(rulebook: Any) -> re.Pattern[str] | None:
    """The rulebook's declared pattern of ids (parameter ``identifier_pattern``), or ``None``
    when it declares none (or one that does not compile: ``fyrules check`` reports that)."""
    param = rulebook.parameters.get("identifier_pattern")
    if param is None or not isinstance(param.value, str) or not param.value:
        return None
    try:
        return re.compile(param.value)
    except re.error:
        return None


def pattern_problems(rulebook: Any) -> list[Problem]:
    """INVALID-VALUE when the parameter ``identifier_pattern`` is not a regular expression."""
    param = rulebook.parameters.get("identifier_pattern")
    if param is None:
        return []
    value = param.value
    try:
        if isinstance(value, str):
            re.compile(value)
            return []
        reason = f"not text but {type(value).__name__}"
    except re.error as exc:
        reason = str(exc)
    return [
        Problem(
            "INVALID-VALUE",
            f"参数 identifier_pattern 不是合法的正则表达式（{reason}）；请改正，否则事件编号只按"
            "规范形式检查",
            f"parameter identifier_pattern is not a regular expression ({reason}); correct it, "
            "else ids are checked for their canonical form only",
            param.location,
            "identifier_pattern",
        )
    ]


def identity_problem(
    event: Any, pattern: re.Pattern[str] | None, location: Location | None = None
) -> Problem | None:
    """``EVENT-ID-NOT-CANONICAL`` for the first id of ``event`` not in canonical form, or
    ``None`` when every id is."""
    # the usual event, every id printable ASCII matching the pattern, is answered at once
    for value in (event.case, event.actor, event.dept, event.window, event.data.get("approved_by")):
        if isinstance(value, str) and not (
            value.isascii()
            and value.isprintable()
            and value.strip() == value
            and (pattern is None or pattern.fullmatch(value) is not None)
        ):
            break
    else:
        return None
    for field, value in _ids(event):
        why = _why_not_canonical(value, pattern)
        if why is not None:
            zh, en = why
            return Problem(
                "EVENT-ID-NOT-CANONICAL",
                f"{field} 的编号 {value!r} 不规范：{zh}；编号不会被自动改写，请按规范写法重新发送事件",
                f"the id {value!r} in {field} is not canonical: {en}; ids are never rewritten, "
                "send the event again with the id as the roster and catalog write it",
                location,
            )
    return None


def _ids(event: Any) -> Iterator[tuple[str, str]]:
    for field in IDENTITY_FIELDS:
        if field == "data.approved_by":
            value = event.data.get("approved_by")
        else:
            value = getattr(event, field)
        if isinstance(value, str):
            yield field, value


def _why_not_canonical(value: str, pattern: re.Pattern[str] | None) -> tuple[str, str] | None:
    # the usual id: printable ASCII is its own NFKC form, so only the pattern is left
    usual = value.isascii() and value.isprintable() and value.strip() == value
    if usual and (pattern is None or pattern.fullmatch(value) is not None):
        return None
    for position, char in enumerate(value):
        category = unicodedata.category(char)
        if category in _FORBIDDEN:
            name = unicodedata.name(char, "")
            shown = f"U+{ord(char):04X}{' ' + name if name else ''}"
            return (
                f"第 {position + 1} 个字符是控制或格式字符 {shown}",
                f"character {position + 1} is a control or format character, {shown}",
            )
    if value != value.strip():
        return "前后有空白", "it has spaces around it"
    normal = unicodedata.normalize("NFKC", value)
    if normal != value:
        return (
            f"不是 NFKC 规范形式（规范形式为 {normal!r}，如全角字母）",
            f"it is not in NFKC form (that would be {normal!r}: fullwidth letters, say)",
        )
    if pattern is not None and pattern.fullmatch(value) is None:
        return (
            f"不符合规则集声明的编号格式 {pattern.pattern}（参数 identifier_pattern）",
            f"it does not match the rulebook's id pattern {pattern.pattern} "
            "(parameter identifier_pattern)",
        )
    return None


class IdentityCheck:
    """:func:`identity_problem` for one monitor, remembering the ids it found canonical: a
    month of events names the same cases, people, departments and windows again and again,
    and an id once found canonical under the same pattern stays so. At most
    :data:`REMEMBERED_IDS` are kept (then forgotten all at once and learnt again)."""

    def __init__(self, pattern: re.Pattern[str] | None):
        self.pattern = pattern
        self._canonical: set[str] = set()

    def __call__(self, event: Any, location: Location | None = None) -> Problem | None:
        canonical = self._canonical
        values = (event.case, event.actor, event.dept, event.window, event.data.get("approved_by"))
        for value in values:
            if value is not None and (value.__class__ is not str or value not in canonical):
                break
        else:
            return None
        problem = identity_problem(event, self.pattern, location)
        if problem is None:
            if len(canonical) >= REMEMBERED_IDS:
                canonical.clear()
            canonical.update(v for v in values if v.__class__ is str)
        return problem


REMEMBERED_IDS = 100_000
