"""How a domain package (items, deadlines, cases …) plugs into rulebook loading.

The engine knows nothing of items or calendars. Each domain package offers one
:class:`Extension`: the rule-file sections it reads, the scopes its rules run in, how it builds
its part of a rulebook from those sections, the expression functions it adds (working-day
arithmetic bound to the rulebook's calendar, say), and the checks ``fyrules check`` runs.
:func:`fyrules.load` composes the extensions; a host system may compose its own.

An extension may also plug into the monitor, which knows no domain package (cases is the base;
deadlines and separation plug in), through two hooks, each given the compiled rulebook:

- ``event_gate(rulebook)``: an :data:`EventGate` the monitor asks before it accepts an event
  (separation of duties), or ``None`` when it would check nothing;
- ``case_watch(rulebook)``: a :class:`CaseWatch` that computes a case's clock from its logged
  events, the findings of that clock (the ``case`` rules), and what the finished case's summary
  notes for scoring (deadlines);
- ``finding_note(rulebook)``: a :data:`FindingNote` that names who held a case when it ran
  over, for the findings that open an accountability record (workflows), or ``None``;
- ``track_findings(rulebook)``: a :data:`TrackFindings` that reports what a case's side
  workflows owe as of a moment (a complaint not answered in time, an approval not told to the
  supervisors), or ``None``.

The monitor takes the first extension, in build order, that offers each hook, except
``track_findings``: every extension's is asked, in build order (:func:`monitor_hooks`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from .load.sections import Section
from .problems import Problem
from .scopes import Scope

if TYPE_CHECKING:
    from .expr import FunctionLibrary, FunctionSpec
    from .findings import Finding
    from .load.loader import Sources
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
    # values the rule files declare for a text field of a scope's context (scope → field →
    # values: the case types of ``item_types`` for ``item.type``); a condition comparing the
    # field with another value can never fire, and is an error
    field_values: Mapping[str, Mapping[str, tuple[str, ...]]] = attrs.field(factory=dict)


# Called with an event the case's process accepts and the case's state before it (``None``
# for a new case); answers the outcome ``Rejected`` when the event is refused, else the
# findings (JSON dicts, usually none) to record with the accepted event.
EventGate = Callable[[Any, "Mapping[str, Any] | None"], Any]


# Called with a finding of a case, its clock and the case's state (with ``handlers``: who
# handled each stage, and when); answers the JSON of who held the case when it ran over
# (stage, person, department, basis), or ``None`` when the finding is not about running over.
FindingNote = Callable[[Any, Any, "Mapping[str, Any]"], "Mapping[str, Any] | None"]


# Called with a case's working state (an open case's, or the one kept with a finished case's
# summary) and the moment reported on; answers the findings of the workflows that follow the
# case beside its clock (complaints, accountability, supervision after approval) as of then.
TrackFindings = Callable[["Mapping[str, Any]", dt.datetime], "list[Finding]"]


class CaseWatch(Protocol):
    """What a domain computes of a case the monitor replays (the deadlines' clock)."""

    def clock(self, item: str, events: Sequence[Any], as_of: dt.datetime | None) -> Any:
        """The case's clock from its logged events (each with ``case``, ``item``, ``event``,
        ``at``, ``data``) as of ``as_of``; ``None`` when it cannot be computed."""
        ...

    def findings(self, clock: Any, *, explain: bool = False) -> list[Finding]:
        """The findings of the rules that read the clock."""
        ...

    def summary(self, clock: Any) -> Mapping[str, Any]:
        """What a finished case's summary keeps of its clock, for monthly statistics."""
        ...


@attrs.frozen(slots=True)
class Extension:
    """A domain package's part in loading and checking a rulebook."""

    name: str
    sections: tuple[Section, ...] = ()
    scopes: tuple[Scope, ...] = ()
    build: Callable[[BuildContext], BuildResult] | None = None
    # called as check(rulebook, today=date) by `fyrules check`; returns problems and findings
    check: Callable[..., list[Problem]] | None = None
    # the monitor's hooks (see the module's doc)
    event_gate: Callable[[Any], EventGate | None] | None = None
    case_watch: Callable[[Any], CaseWatch | None] | None = None
    finding_note: Callable[[Any], FindingNote | None] | None = None
    track_findings: Callable[[Any], TrackFindings | None] | None = None


def monitor_hook(rulebook: Any, name: str) -> Any:
    """What the first of the rulebook's extensions that offers the hook ``name``
    (``event_gate``, ``case_watch`` or ``finding_note``) makes for ``rulebook``, or ``None``."""
    for extension in getattr(rulebook, "extensions", ()):
        make = getattr(extension, name)
        if make is not None:
            made = make(rulebook)
            if made is not None:
                return made
    return None


def monitor_hooks(rulebook: Any, name: str) -> list[Any]:
    """What every one of the rulebook's extensions that offers the hook ``name`` makes for
    ``rulebook`` (those that make ``None`` left out), in build order."""
    out = []
    for extension in getattr(rulebook, "extensions", ()):
        make = getattr(extension, name)
        if make is not None:
            made = make(rulebook)
            if made is not None:
                out.append(made)
    return out
