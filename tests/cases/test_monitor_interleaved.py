"""Several monitors over one store, their store calls interleaved in every order Hypothesis
chooses (issue 14).

Each monitor runs in its own thread on its own connection to one shared :class:`MemoryStore`,
and may make one store call only when the test gives it the turn, so Hypothesis picks the
interleaving call by call. A connection's outermost transaction holds the store's write lock,
as a database's does: a monitor that wants it while another holds it waits (its turns pass
without progress). Each monitor delivers whole cases in stream order; every case is delivered
by the first monitor and by any others Hypothesis picks (at-least-once delivery).

Invariant: after every delivery, each event was accepted exactly once over all monitors, the
trail is one chain that verifies and holds no entry twice, each rejection is stored once, and
cases, findings and rejections are those one monitor leaves after replaying the stream alone.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

import fyrules
from fyrules.cases.state import Accepted
from fyrules.simulation.cases import generate
from fyrules.store_contract import _fuyang
from tests.adapters.concurrency import assert_like_one_replay

MONITORS = 3

_PORT = (
    "get_case",
    "put_case",
    "close_case",
    "open_cases",
    "closed_cases",
    "get_closed",
    "seen_event",
    "remember_event",
    "append_trail",
    "trail_head",
    "trail",
    "add_finding",
    "findings",
    "add_rejected",
    "rejected",
)


@functools.cache
def _stream() -> tuple[Any, ...]:
    """Five cases' events with the faults deliveries bring: after each submit an approve its
    process refuses (delivered twice), a review for a mistyped case, and the submit again."""
    out: list[Any] = []
    for event in generate(_fuyang(), month="2025-10", cases=5, seed=4):
        out.append(event)
        if event.event == "submit":
            refused = event.model_copy(update={"id": f"{event.id}-x", "event": "approve"})
            typo = {"id": f"{event.id}-t", "case": f"{event.case}-X", "event": "review"}
            out += [refused, event.model_copy(update=typo), event, refused]
    return tuple(out)


class Turns:
    """Who may run: one monitor thread, or the test (``None``)."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.turn: int | None = None
        self.writer: int | None = None  # the connection holding the write lock


class Writer:
    """A monitor in its own thread, feeding its deliveries one store call per turn."""

    def __init__(self, turns: Turns, shared: fyrules.MemoryStore, index: int, events: list[Any]):
        self.turns, self.index, self.events = turns, index, events
        self.done = False
        self.error: BaseException | None = None
        self.accepted = 0
        self.monitor = _fuyang().monitor(store=Connection(shared, self))
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.pause()
            for event in self.events:
                if self.monitor.feed(event).__class__ is Accepted:
                    self.accepted += 1
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            with self.turns.cond:
                self.done = True
                self.turns.turn = None
                self.turns.cond.notify_all()

    def pause(self) -> None:
        """Give the turn back to the test and wait for the next one (in this thread)."""
        turns = self.turns
        with turns.cond:
            turns.turn = None
            turns.cond.notify_all()
            turns.cond.wait_for(lambda: turns.turn == self.index)

    def step(self) -> None:
        """Let this monitor make its next store call (from the test's thread)."""
        turns = self.turns
        with turns.cond:
            if self.done:
                return
            turns.turn = self.index
            turns.cond.notify_all()
            turns.cond.wait_for(lambda: turns.turn is None)


class Connection:
    """One monitor's connection to the shared store: every call waits for a turn."""

    def __init__(self, shared: fyrules.MemoryStore, writer: Writer):
        self._shared, self._writer = shared, writer
        self._depth = 0
        self._inner: Any = None

    def __getattr__(self, name: str) -> Any:
        if name not in _PORT:
            raise AttributeError(name)
        method = getattr(self._shared, name)

        def call(*args: Any) -> Any:
            self._writer.pause()
            return method(*args)

        return call

    def transaction(self) -> Any:
        return _Transaction(self)


class _Transaction:
    def __init__(self, connection: Connection):
        self._c = connection

    def __enter__(self) -> None:
        c = self._c
        c._depth += 1
        if c._depth > 1:
            return
        turns, me = c._writer.turns, c._writer.index
        while True:  # the write lock, as BEGIN IMMEDIATE or an advisory lock takes it
            c._writer.pause()
            if turns.writer is None:
                turns.writer = me
                break
        c._inner = c._shared.transaction()
        c._inner.__enter__()

    def __exit__(self, *exc: Any) -> bool:
        c = self._c
        c._depth -= 1
        if c._depth == 0:
            c._inner.__exit__(*exc)
            c._writer.turns.writer = None
        return False


class InterleavedMonitors(RuleBasedStateMachine):
    @initialize(
        cases=st.lists(st.sets(st.integers(0, 9)), min_size=MONITORS - 1, max_size=MONITORS - 1)
    )
    def start(self, cases: list[set[int]]) -> None:
        stream = _stream()
        ids = sorted({e.case for e in stream})
        self.shared = fyrules.MemoryStore()
        self.turns = Turns()
        chosen = [set(ids)] + [{ids[n] for n in picked if n < len(ids)} for picked in cases]
        self.writers = [
            Writer(self.turns, self.shared, n, [e for e in stream if e.case in mine])
            for n, mine in enumerate(chosen)
        ]

    @rule(writer=st.integers(0, MONITORS - 1), calls=st.integers(1, 12))
    def run_for_a_while(self, writer: int, calls: int) -> None:
        for _ in range(calls):
            self.writers[writer].step()

    def teardown(self) -> None:
        if not hasattr(self, "writers"):
            return
        while not all(w.done for w in self.writers):
            for w in self.writers:
                w.step()
        for w in self.writers:
            w.thread.join(timeout=10)
        errors = [w.error for w in self.writers if w.error is not None]
        assert not errors, errors
        summaries = [{"accepted": w.accepted} for w in self.writers]
        assert_like_one_replay(self.shared, _stream(), summaries)


InterleavedMonitors.TestCase.settings = settings(
    settings(), max_examples=40, stateful_step_count=30
)
TestInterleavedMonitors = InterleavedMonitors.TestCase
