"""SqliteStore and MemoryStore answer alike: a random program of storage-port calls (writes,
reads, transactions that succeed or fail, nested ones, inside a batch or not) is run on both
and every answer compared."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fyrules import MemoryStore
from fyrules_adapters.sqlite import SqliteStore

CASES = st.sampled_from(["C-1", "C-2", "C-3"])
EVENT_IDS = st.sampled_from(["e-1", "e-2"])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
OBJECTS = st.dictionaries(st.text(max_size=4), VALUES, max_size=4)
FINDINGS = st.builds(lambda case, rest: {**rest, "case": case}, CASES, OBJECTS) | OBJECTS

WRITES = st.one_of(
    st.tuples(st.just("put_case"), CASES, OBJECTS),
    st.tuples(st.just("close_case"), CASES, OBJECTS),
    st.tuples(st.just("remember_event"), CASES, EVENT_IDS),
    st.tuples(st.just("append_trail"), OBJECTS),
    st.tuples(st.just("add_finding"), FINDINGS),
    st.tuples(st.just("add_rejected"), OBJECTS),
)
READS = st.one_of(
    st.tuples(st.just("get_case"), CASES),
    st.tuples(st.just("get_closed"), CASES),
    st.tuples(st.just("open_cases")),
    st.tuples(st.just("closed_cases")),
    st.tuples(st.just("seen_event"), CASES, EVENT_IDS),
    st.tuples(st.just("trail_head")),
    st.tuples(st.just("trail"), st.integers(-3, 6)),
    st.tuples(st.just("findings"), st.none() | CASES),
    st.tuples(st.just("rejected")),
)
CALLS = WRITES | READS
PROGRAMS = st.lists(
    st.recursive(
        CALLS,
        lambda inner: st.tuples(st.just("transaction"), st.lists(inner, max_size=6), st.booleans()),
        max_leaves=12,
    ),
    max_size=20,
)


class Fail(Exception):
    """Ends a transaction that the program makes fail."""


def _run(store: Any, program: list[Any], answers: list[Any]) -> None:
    for call in program:
        name, *arguments = call
        if name == "transaction":
            body, fails = arguments
            with contextlib.suppress(Fail), store.transaction():
                _run(store, body, answers)
                if fails:
                    raise Fail
            answers.append(("after transaction", _contents(store)))
            continue
        answer = getattr(store, name)(*arguments)
        if name in ("open_cases", "closed_cases"):
            answer = sorted(answer)  # the port does not order them
        elif name in ("trail", "findings", "rejected"):
            answer = list(answer)
        answers.append((name, answer))


def _contents(store: Any) -> Any:
    return (
        sorted(store.open_cases()),
        sorted(store.closed_cases()),
        list(store.trail()),
        list(store.findings()),
        list(store.rejected()),
        [store.seen_event(c, e) for c in ("C-1", "C-2", "C-3") for e in ("e-1", "e-2")],
    )


@given(program=PROGRAMS, batch=st.none() | st.integers(1, 3))
def test_sqlite_answers_every_call_as_memory_does(program, batch):
    """For any program of port calls, every answer of SqliteStore (in a batch of any size or
    not) equals MemoryStore's, and so does everything stored after each transaction (open
    and closed cases compared as sets: the port does not order them)."""
    memory_answers: list[Any] = []
    _run(MemoryStore(), program, memory_answers)
    store = SqliteStore(":memory:")
    sqlite_answers: list[Any] = []
    with store.batch(every=batch) if batch else contextlib.nullcontext():
        _run(store, program, sqlite_answers)
    assert sqlite_answers == memory_answers
