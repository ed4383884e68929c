"""The search: Hypothesis draws event streams (:mod:`.strategies`) and replays each through
the rulebook's monitor; a stream whose accepted events break an invariant is a counterexample,
shrunk to a minimal one.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as seeded

from ..cases.events import Event
from ..engine.findings import Finding
from ..invariants import broken, replay
from .strategies import streams
from .universe import DEFAULT_MAX_EXAMPLES, universe


@attrs.frozen(slots=True)
class Counterexample:
    """A minimal stream the monitor accepts that breaks invariants."""

    events: tuple[Event, ...]
    broken: tuple[Finding, ...]
    as_of: dt.datetime | None

    def jsonl(self) -> str:
        """The events, one JSON object per line, in delivery order."""
        import json

        return "".join(
            json.dumps(e.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n"
            for e in self.events
        )


@attrs.frozen(slots=True)
class SearchResult:
    invariants: tuple[str, ...]
    examples: int
    seed: int
    seconds: float
    counterexample: Counterexample | None


class _Broken(Exception):
    def __init__(self, found: Counterexample):
        super().__init__(", ".join(f.rule for f in found.broken))
        self.found = found


def search(
    rulebook: Any,
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    seed: int = 0,
    only: str | None = None,
) -> SearchResult:
    """Search ``rulebook`` for a stream its monitor accepts that breaks one of its invariants
    (``only``: that invariant, by id).

    The same rulebook, ``max_examples``, ``seed`` and ``only`` give the same result."""
    invariants = rulebook.part("invariants")
    ids = tuple(invariants.ids) if invariants else ()
    if only is not None:
        ids = tuple(i for i in ids if i == only)
    started = time.perf_counter()
    if not ids or not any(item.centralized for item in rulebook.items.items.values()):
        return SearchResult(ids, 0, seed, 0.0, None)
    world = universe(rulebook)
    runs = 0

    @seeded(seed)
    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=False,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(streams(world))
    def check(events: Sequence[Event]) -> None:
        nonlocal runs
        runs += 1
        replayed = replay(rulebook, events)
        found = [f for f in broken(rulebook, replayed) if f.rule in ids]
        if found:
            raise _Broken(Counterexample(tuple(events), tuple(found), replayed.as_of))

    try:
        check()
    except _Broken as exc:
        found = _minimal(rulebook, exc.found, ids)
        return SearchResult(ids, runs, seed, time.perf_counter() - started, found)
    return SearchResult(ids, runs, seed, time.perf_counter() - started, None)


def _minimal(rulebook: Any, found: Counterexample, ids: Sequence[str]) -> Counterexample:
    """``found`` reduced until every event left is needed: whole cases, then single events,
    are dropped while the rest still breaks every invariant ``found`` breaks. Hypothesis
    shrinks the values drawn, but seldom drops a whole case or a side step (a pause, an
    extension) drawn before the event that matters; those only obscure the reading."""
    wanted = {f.rule for f in found.broken}

    def still(events: tuple[Event, ...]) -> Counterexample | None:
        replayed = replay(rulebook, events)
        again = tuple(f for f in broken(rulebook, replayed) if f.rule in ids)
        if wanted <= {f.rule for f in again}:
            return Counterexample(events, again, replayed.as_of)
        return None

    best = found
    for case in dict.fromkeys(e.case for e in found.events):
        smaller = still(tuple(e for e in best.events if e.case != case))
        if smaller is not None:
            best = smaller
    changed = True
    while changed:
        changed = False
        for i in reversed(range(len(best.events))):
            smaller = still(best.events[:i] + best.events[i + 1 :])
            if smaller is not None:
                best, changed = smaller, True
    return best
