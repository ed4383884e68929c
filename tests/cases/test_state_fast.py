"""The short way of :func:`apply` against the full check, on random event sequences.

Invariant: for every state and event, ``apply`` (the transition-table short way, falling back
to the full check) and ``checked_apply`` (the full check, condition by condition) give equal
answers: the same new state for an accepted event, the same reason, messages and expected
events for a rejected one. The sequences mix events the case expects with any kind, times
going backwards and forwards in several UTC offsets (with and without fractions of a
second), missing or blank actors, unknown items, states of another case and states bound to
a process version that has since changed.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from fyrules.cases.events import EVENT_KINDS, Event
from fyrules.cases.state import Accepted, _not_before, apply, checked_apply, expected_events
from tests.cases.test_state_machine import BOOK, DATA

START = dt.datetime(2025, 6, 28, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
OFFSETS = [
    dt.timezone(dt.timedelta(hours=8)),
    dt.UTC,
    dt.timezone(dt.timedelta(hours=-5, minutes=-30)),
    dt.timezone(dt.timedelta(hours=5, minutes=45, seconds=30)),
]
moments = st.builds(
    lambda minutes, micro, zone: (
        START + dt.timedelta(minutes=minutes, microseconds=micro)
    ).astimezone(zone),
    st.integers(-3000, 3000),
    st.sampled_from([0, 0, 1, 500_000, 999_999]),
    st.sampled_from(OFFSETS),
)


@given(a=moments, b=moments)
def test_time_order_as_text_is_time_order(a, b):
    """Two ISO texts (any offsets, fractions or not) compare like the times they write."""
    assert _not_before(a.isoformat(), b.isoformat(), a) == (a >= b)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_the_short_way_gives_the_full_checks_answer(data):
    """apply == checked_apply at every step of a random case (see the module docstring)."""
    state = None
    at = START
    for _ in range(data.draw(st.integers(1, 24))):
        process = None
        if state is not None:
            process = BOOK.for_event(state, _probe(state, at))
        # what the case expects, what would follow its stage were it not paused or closed,
        # and anything
        expected = list(expected_events(state, process)) if process is not None else []
        if state is not None and process is not None:
            expected += process.next_stages(state["stage"])
        kinds = st.sampled_from(EVENT_KINDS)
        kind = data.draw(st.sampled_from(expected) | kinds if expected else kinds)
        micro = data.draw(st.sampled_from([0, 0, 1, 500_000]))
        at = (
            at + dt.timedelta(minutes=data.draw(st.integers(-30, 600)), microseconds=micro)
        ).astimezone(data.draw(st.sampled_from(OFFSETS)))
        event = Event(
            id=None,
            case=data.draw(st.sampled_from(["A"] * 9 + ["B"])),
            item=state["item"] if state is not None else data.draw(st.sampled_from(["C-1", "I-1"])),
            event=kind,
            at=at,
            actor=data.draw(st.sampled_from(["u1", "u2"] * 4 + [None, "", " "])),
            data=DATA.get(kind, {}),
        )
        if data.draw(st.integers(0, 9)) == 0:
            other = data.draw(st.sampled_from(["NO-SUCH-ITEM", "C-1", "I-1"]))
            event = event.model_copy(update={"item": other})
        given_state = state
        if state is not None and data.draw(st.integers(0, 14)) == 0:
            given_state = {**state, "process": {**state["process"], "fingerprint": "edited"}}
        if state is not None and data.draw(st.integers(0, 7)) == 0:
            # any combination of pause and closure, reachable or not under these processes
            given_state = {
                **given_state,
                "paused": data.draw(st.booleans()),
                "paused_at": state["last_at"],
                "pause_reason": "expert_review",
                "closed": data.draw(st.booleans()),
                "closed_by": data.draw(st.sampled_from([state["stage"], "complete", None])),
                "closed_at": state["last_at"],
            }
        process = BOOK.for_event(given_state, event)
        known = BOOK.knows_item(event.item)
        short = apply(given_state, event, process=process, item_known=known)
        full = checked_apply(given_state, event, process=process, item_known=known)
        assert short == full
        if isinstance(short, Accepted) and given_state is state and event.case == "A":
            state = short.state


def _probe(state: dict, at: dt.datetime) -> Event:
    """An event of the case that is not an acceptance: for_event gives its bound process."""
    return Event(case=state["case"], item=state["item"], event="review", at=at)


def test_every_reachable_state_and_event_gets_the_full_checks_answer():
    """apply == checked_apply for every event kind, with and without an actor, later and
    earlier than the case's last event, in every state the processes reach (breadth first,
    one state per stage, pause and closure), and in each of them paused or not and closed or
    not, whether the processes could get there or not."""
    seen: set[tuple] = set()
    frontier: list[dict | None] = [None]
    compared = 0
    for item in ("C-1", "I-1"):
        frontier = [None]
        at = START
        for _depth in range(9):
            reached: list[dict] = []
            at += dt.timedelta(hours=5)
            for state in _with_flags(frontier):
                for kind in EVENT_KINDS:
                    for actor, shift in (("u1", 0), (None, 0), ("u1", -120)):
                        event = Event(
                            case="A",
                            item=item,
                            event=kind,
                            at=at + dt.timedelta(minutes=shift),
                            actor=actor,
                            data=DATA.get(kind, {}),
                        )
                        process = BOOK.for_event(state, event)
                        short = apply(state, event, process=process, item_known=True)
                        assert short == checked_apply(
                            state, event, process=process, item_known=True
                        ), (state, event)
                        compared += 1
                        if isinstance(short, Accepted) and state in frontier:
                            new = short.state
                            key = (
                                item,
                                new["stage"],
                                new["paused"],
                                new["closed"],
                                new["accepted_at"] is None,
                            )
                            if key not in seen:
                                seen.add(key)
                                reached.append(new)
            frontier = reached
    assert compared > 1000 and any(key[2] for key in seen) and any(key[3] for key in seen)


def _with_flags(states: list[dict | None]) -> list[dict | None]:
    out: list[dict | None] = []
    for state in states:
        out.append(state)
        if state is None:
            continue
        for paused in (False, True):
            for closed_by in (None, state["stage"], "complete"):
                out.append(
                    {
                        **state,
                        "paused": paused,
                        "paused_at": state["last_at"] if paused else None,
                        "pause_reason": "expert_review" if paused else None,
                        "closed": closed_by is not None,
                        "closed_by": closed_by,
                        "closed_at": state["last_at"] if closed_by else None,
                    }
                )
    return out
