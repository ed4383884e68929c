"""How a domain package (items, deadlines, cases …) plugs into rulebook loading.

The engine knows nothing of items or calendars. Each domain package offers one
:class:`Extension`: the rule-file sections it reads, the scopes its rules run in, how it builds
its part of a rulebook from those sections, the expression functions it adds (working-day
arithmetic bound to the rulebook's calendar, say), and the checks ``fyrules check`` runs.
:func:`fyrules.load` composes the extensions; a host system may compose its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .problems import Problem
from .scopes import Scope
from .sections import Section

if TYPE_CHECKING:
    from .expr import FunctionSpec
    from .loader import Sources


@attrs.frozen(slots=True)
class BuildContext:
    """What an extension sees while a rulebook is being built."""

    sources: Sources
    parameters: Mapping[str, Any]
    built: Mapping[str, Any]  # what earlier extensions built, by extension name


@attrs.frozen(slots=True)
class BuildResult:
    value: Any = None
    problems: tuple[Problem, ...] = ()
    functions: tuple[FunctionSpec, ...] = ()
    # values the rule files declare for a text field of a scope's context (scope → field →
    # values: the case types of ``item_types`` for ``item.type``); a condition comparing the
    # field with another value can never fire, and is an error
    field_values: Mapping[str, Mapping[str, tuple[str, ...]]] = attrs.field(factory=dict)


@attrs.frozen(slots=True)
class Extension:
    """A domain package's part in loading and checking a rulebook."""

    name: str
    sections: tuple[Section, ...] = ()
    scopes: tuple[Scope, ...] = ()
    build: Callable[[BuildContext], BuildResult] | None = None
    # called as check(rulebook, today=date) by `fyrules check`; returns problems and findings
    check: Callable[..., list[Problem]] | None = None
