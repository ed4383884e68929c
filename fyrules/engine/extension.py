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
    from .expr import FunctionLibrary, FunctionSpec
    from .loader import Sources
    from .scopes import ScopeRegistry


@attrs.frozen(slots=True)
class BuildContext:
    """What an extension sees while a rulebook is being built."""

    sources: Sources
    parameters: Mapping[str, Any]
    built: Mapping[str, Any]  # what earlier extensions built, by extension name
    # the expression functions of the engine and of the extensions built before this one, and
    # every scope: what an extension that compiles expressions (invariants) compiles against
    functions: FunctionLibrary | None = None
    scopes: ScopeRegistry | None = None


@attrs.frozen(slots=True)
class BuildResult:
    value: Any = None
    problems: tuple[Problem, ...] = ()
    functions: tuple[FunctionSpec, ...] = ()


@attrs.frozen(slots=True)
class Extension:
    """A domain package's part in loading and checking a rulebook."""

    name: str
    sections: tuple[Section, ...] = ()
    scopes: tuple[Scope, ...] = ()
    build: Callable[[BuildContext], BuildResult] | None = None
    # called as check(rulebook, today=date) by `fyrules check`; returns problems and findings
    check: Callable[..., list[Problem]] | None = None
