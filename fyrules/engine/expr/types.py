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
    """A simple type: ``bool``, ``number``, ``string``, ``date``, ``datetime``, ``null``, ``any``."""

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

    def __str__(self) -> str:
        return self.name

    def field(self, name: str) -> Type | None:
        return self.fields.get(name)


def object_type(name: str, fields: Mapping[str, Type], doc: Mapping[str, str] | None = None) -> ObjectType:
    return ObjectType(name, dict(fields), dict(doc or {}))


def strip_optional(t: Type) -> Type:
    return t.inner if isinstance(t, OptionalType) else t


def from_name(name: str) -> Type | None:
    """A simple type from its name in a rule file (``number``, ``string`` …); ``None`` if unknown."""
    return _SIMPLE.get(name)


_SIMPLE: dict[str, Type] = {t.name: t for t in (BOOL, NUMBER, STRING, DATE, DATETIME, ANY)}
