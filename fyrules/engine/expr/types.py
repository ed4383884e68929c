"""Static types of the expression language and of scope contexts.

A scope (item, event, case, assignment, month) declares its context as an :class:`ObjectType`;
the expression compiler checks every field name and operator against it at load time, so a
misspelled field or a comparison of a date with a number fails when the rulebook loads, not
when a case arrives.

At run time a context is a plain mapping: objects are ``dict``-like, lists are sequences,
dates are :class:`datetime.date`, datetimes are timezone-aware :class:`datetime.datetime`.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs


@attrs.frozen(slots=True)
class Type:
    """A simple type: ``bool``, ``number``, ``string``, ``date``, ``datetime``, ``null`` or
    ``any``."""

    name: str

    def __str__(self) -> str:
        return self.name


BOOL = Type("bool")
NUMBER = Type("number")
STRING = Type("string")
DATE = Type("date")
DATETIME = Type("datetime")
NULL = Type("null")
ANY = Type("any")


@attrs.frozen(slots=True)
class ListType(Type):
    """A list whose elements all have type ``element``."""

    element: Type = ANY

    def __str__(self) -> str:
        return f"list[{self.element}]"


def list_of(element: Type) -> ListType:
    return ListType("list", element)


@attrs.frozen(slots=True)
class OptionalType(Type):
    """A value of type ``inner`` or ``None`` (a field that may be absent)."""

    inner: Type = ANY

    def __str__(self) -> str:
        return f"{self.inner}?"


def optional(inner: Type) -> Type:
    if isinstance(inner, OptionalType) or inner in (ANY, NULL):
        return inner
    return OptionalType("optional", inner)


@attrs.frozen(slots=True, eq=False)
class ObjectType(Type):
    """A record with named fields; ``doc`` explains each field (shown in docs and errors)."""

    fields: Mapping[str, Type] = attrs.field(factory=dict)
    doc: Mapping[str, str] = attrs.field(factory=dict)
    # the values a text field can take, where the rule files fix them (``online``: none, apply,
    # full): a condition comparing the field with another value can never fire
    values: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    def __str__(self) -> str:
        return self.name

    def field(self, name: str) -> Type | None:
        return self.fields.get(name)


def object_type(
    name: str,
    fields: Mapping[str, Type],
    doc: Mapping[str, str] | None = None,
    values: Mapping[str, tuple[str, ...]] | None = None,
) -> ObjectType:
    return ObjectType(name, dict(fields), dict(doc or {}), dict(values or {}))


def strip_optional(t: Type) -> Type:
    return t.inner if isinstance(t, OptionalType) else t


def from_name(name: str) -> Type | None:
    """A simple type from its name in a rule file (``number``, ``string`` …); ``None`` if
    unknown."""
    return _SIMPLE.get(name)


_SIMPLE: dict[str, Type] = {t.name: t for t in (BOOL, NUMBER, STRING, DATE, DATETIME, ANY)}


# --- how types relate: what the checker asks -------------------------------------------

#: Types whose values can be ordered with ``<``: numbers, strings, dates, datetimes.
ORDERED: frozenset[Type] = frozenset({NUMBER, STRING, DATE, DATETIME})

_ZH_NAMES = {
    "bool": "布尔值（真/假）",
    "number": "数值",
    "string": "文本",
    "date": "日期",
    "datetime": "日期时间",
    "null": "空值 None",
    "any": "任意值",
}


def describe(t: Type, lang: str = "en") -> str:
    """A type's name for a message: ``list[number]`` or ``数值列表``."""
    if lang != "zh":
        return f"object {t.name}" if isinstance(t, ObjectType) else str(t)
    if isinstance(t, ListType):
        return f"{describe(t.element, 'zh')}列表"
    if isinstance(t, OptionalType):
        return f"{describe(t.inner, 'zh')}（可为空）"
    if isinstance(t, ObjectType):
        return f"对象 {t.name}"
    return _ZH_NAMES.get(t.name, t.name)


def accepts(actual: Type, expected: Type) -> bool:
    """Whether a value of type ``actual`` may be passed where ``expected`` is wanted,
    leniently: an optional value is accepted (``None`` fails when the expression runs)."""
    if ANY in (actual, expected):
        return True
    if actual == NULL:
        return expected == NULL or isinstance(expected, OptionalType)
    a, e = strip_optional(actual), strip_optional(expected)
    if isinstance(a, ListType) and isinstance(e, ListType):
        return accepts(a.element, e.element)
    return a == e


def assignable(actual: Type, expected: Type) -> bool:
    """Whether ``actual`` is strictly an ``expected``: an optional value is not a bool."""
    if ANY in (actual, expected):
        return True
    if isinstance(expected, OptionalType):
        return actual == NULL or assignable(strip_optional(actual), expected.inner)
    if isinstance(actual, OptionalType) or actual == NULL:
        return False
    if isinstance(actual, ListType) and isinstance(expected, ListType):
        return accepts(actual.element, expected.element)
    return actual == expected


def comparable(a: Type, b: Type) -> bool:
    """Whether ``a == b`` makes sense (``None`` may be compared with anything)."""
    a, b = strip_optional(a), strip_optional(b)
    if ANY in (a, b) or NULL in (a, b):
        return True
    if isinstance(a, ListType) and isinstance(b, ListType):
        return comparable(a.element, b.element)
    return a == b


def orderable(a: Type, b: Type) -> bool:
    """Whether ``a < b`` makes sense: two numbers, strings, dates or datetimes."""
    a, b = strip_optional(a), strip_optional(b)
    if a == ANY and b == ANY:
        return True
    if a == ANY or b == ANY:
        return (b if a == ANY else a) in ORDERED
    return a == b and a in ORDERED


def unify(a: Type, b: Type) -> Type | None:
    """The type of a value that is either an ``a`` or a ``b``; ``None`` if they differ."""
    if a == b:
        return a
    if ANY in (a, b):
        return ANY
    if NULL in (a, b):
        return optional(b if a == NULL else a)
    inner_a, inner_b = strip_optional(a), strip_optional(b)
    if isinstance(inner_a, ListType) and isinstance(inner_b, ListType):
        element = unify(inner_a.element, inner_b.element)
        joined: Type | None = None if element is None else list_of(element)
    else:
        joined = inner_a if inner_a == inner_b else None
    if joined is None:
        return None
    either_optional = isinstance(a, OptionalType) or isinstance(b, OptionalType)
    return optional(joined) if either_optional else joined
