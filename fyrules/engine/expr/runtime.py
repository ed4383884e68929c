"""Run-time helpers that compiled expressions and the tracer share.

Generated code calls these under names starting with ``_rt_`` (which user text cannot
write). They read fields only through :class:`~collections.abc.Mapping` lookups, never
``getattr``, and check values whose static type is ``any`` before an operator could
misuse them (``any * any`` must not repeat a string a billion times).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any


def member(target: Any, name: str, optional: bool) -> Any:
    """``target.name`` on a value that may be ``None`` (giving ``None``) or of unknown type."""
    if target is None:
        return None
    if not isinstance(target, Mapping):
        raise TypeError(f"a {type(target).__name__} value has no field {name!r}")
    return target.get(name) if optional else target[name]


def index(target: Any, key: int | str) -> Any:
    """``target[key]`` on a value that may be ``None`` (giving ``None``) or of unknown type."""
    if target is None:
        return None
    if isinstance(key, str) and isinstance(target, Mapping):
        return target.get(key)
    if isinstance(key, int) and isinstance(target, list | tuple | str):
        return target[key]
    raise TypeError(f"a {type(target).__name__} value cannot be indexed with {key!r}")


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def add(left: Any, right: Any) -> Any:
    """``left + right`` for two values of type ``any``: two numbers or two strings only."""
    if (is_number(left) and is_number(right)) or (isinstance(left, str) and isinstance(right, str)):
        return left + right
    raise TypeError(f"cannot add {type(left).__name__} and {type(right).__name__}")


def _ensure(kind: str, test: Callable[[Any], bool]) -> Callable[[Any], Any]:
    def ensure(value: Any) -> Any:
        if test(value):
            return value
        raise TypeError(f"expected a {kind}, got {type(value).__name__} {value!r:.40}")

    ensure.__name__ = f"ensure_{kind}"
    return ensure


def as_list(value: Any) -> Any:
    """Lists and tuples compare equal element by element: ``[1] == (1,)`` is true here."""
    return list(value) if isinstance(value, tuple) else value


ENSURE: Mapping[str, Callable[[Any], Any]] = MappingProxyType(
    {
        "bool": _ensure("bool", lambda v: v is True or v is False),
        "number": _ensure("number", is_number),
        "string": _ensure("string", lambda v: isinstance(v, str)),
        "date": _ensure(
            "date", lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime)
        ),
        "datetime": _ensure("datetime", lambda v: isinstance(v, dt.datetime)),
        "list": as_list,
    }
)

#: The helpers generated code calls (its globals, besides the library's functions).
NAMESPACE: Mapping[str, Any] = MappingProxyType(
    {
        "_rt_member": member,
        "_rt_index": index,
        "_rt_add": add,
        **{f"_rt_{kind}": check for kind, check in ENSURE.items()},
    }
)
