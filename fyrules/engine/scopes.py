"""Scopes: where a rule runs and what it can see.

A scope (``item``, ``event``, ``case``, ``assignment``, ``month``) is declared by the domain
package that owns it, as a name and an :class:`~fyrules.engine.expr.types.ObjectType` describing
its evaluation context. The engine compiles every rule against the context of its scope, so a
misspelled field fails when the rulebook loads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from .expr.types import ObjectType


@attrs.frozen(slots=True)
class Scope:
    """A named evaluation context. ``subject`` names the context key that identifies what a
    finding is about (``code`` for an item, ``case`` for a case), used in reports.

    ``prepare(given, host)`` turns a context written by hand in a rulebook test into a full
    one, the way the domain package builds real contexts (an item's case ``kind`` from its
    ``type``); ``host`` is the rulebook. Without it, fields left out are empty.
    ``from_events(events, as_of, host)`` builds the context from a case's events, for tests
    written as events."""

    name: str
    context: ObjectType
    title_zh: str
    title_en: str
    subject: str | None = None
    prepare: Callable[[Mapping[str, Any], Any], dict[str, Any]] | None = None
    from_events: Callable[[list[Any], Any, Any], dict[str, Any]] | None = None
    # compute(context, host, on) -> (values, table rows hit): what a scope computes besides
    # rule findings (a month's score), for rulebook tests that `expect: values`
    compute: Callable[[Mapping[str, Any], Any, Any], tuple[dict[str, Any], tuple]] | None = None

    def complete(self, given: Mapping[str, Any], host: Any) -> dict[str, Any]:
        """A full context from a hand-written one (see ``prepare``)."""
        from .context import with_empty_fields

        if self.prepare is not None:
            return self.prepare(given, host)
        return with_empty_fields(self.context, given)


@attrs.frozen(slots=True)
class ScopeRegistry(Mapping[str, Scope]):
    """An immutable set of scopes, one per name."""

    _scopes: Mapping[str, Scope] = attrs.field(factory=dict, alias="scopes")

    @classmethod
    def of(cls, scopes: Iterable[Scope]) -> ScopeRegistry:
        table: dict[str, Scope] = {}
        for scope in scopes:
            if scope.name in table:
                raise ValueError(f"scope {scope.name!r} declared twice")
            table[scope.name] = scope
        return cls(scopes=table)

    def __getitem__(self, name: str) -> Scope:
        return self._scopes[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._scopes)

    def __len__(self) -> int:
        return len(self._scopes)


def with_field_values(
    scopes: ScopeRegistry, values: Mapping[str, Mapping[str, tuple[str, ...]]]
) -> ScopeRegistry:
    """``scopes`` with more declared field values (see ``ObjectType.values``) in the named
    scopes' contexts: the values a loaded rulebook fixes, such as its case types."""
    if not values:
        return scopes
    evolved = []
    for name, scope in scopes.items():
        extra = values.get(name)
        if extra:
            context = attrs.evolve(scope.context, values={**scope.context.values, **extra})
            scope = attrs.evolve(scope, context=context)
        evolved.append(scope)
    return ScopeRegistry.of(evolved)
