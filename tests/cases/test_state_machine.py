"""Property tests of the case state machine behind a store: legal and illegal events at random.

A tiny driver stands in for the monitor: inside ``store.transaction()`` it acknowledges a
duplicate through the store, applies the event, and stores the new state or records the
rejection. Hypothesis sends it events the process expects and events it does not (random
kinds, times going backwards, missing actors, unknown cases and items, duplicates), while a
newer process version comes into force in the middle of open cases.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import fyrules
from fyrules.cases.events import EVENT_KINDS, Event
from fyrules.cases.process import OPENING_EVENTS, ProcessBook
from fyrules.cases.state import Accepted, Rejected, apply, expected_events, is_duplicate
from fyrules.cases.store import MemoryStore
from tests.helpers import write_rulebook

CATALOG = """\
departments: [{id: SC, name: 市场监管局}]
item_types:
  - {id: commitment, kind: commitment, name: 承诺件}
  - {id: immediate, kind: immediate, name: 即办件}
items:
  - {code: C-1, name: 承诺事项, department: SC, type: commitment}
  - {code: I-1, name: 即办事项, department: SC, type: immediate}
"""
SIDE = """\
    during:
      pause: {from: accept, until: complete}
      resume: {from: accept, until: complete}
      extend: {from: accept, until: complete}
      withdraw: {from: submit, until: complete}
      complaint: {from: submit}
      rate: {from: submit}
      inspect: {from: accept}
      rectify: {from: accept}
    anonymous: [complaint, rate]
"""
# Version 1 of the commitment process ends on 30 June; version 2 (no review) starts 1 July.
PROCESSES = f"""\
processes:
  - id: P-COMMITMENT
    title: 承诺件流程（一）
    basis: 测试依据
    applies_to: {{kinds: [commitment]}}
    valid_from: 2025-01-01
    valid_to: 2025-06-30
    starts: [submit, accept]
    stages: [submit, accept, undertake, review, approve, complete, deliver]
    after:
      correction_requested: [submit, corrected]
      corrected: [correction_requested]
      accept: [corrected]
      reject: [submit, correction_requested, corrected]
      deny: [review]
      complete: [deny]
{SIDE}
  - id: P-COMMITMENT
    title: 承诺件流程（二）
    basis: 测试依据
    applies_to: {{kinds: [commitment]}}
    valid_from: 2025-07-01
    starts: [submit, accept]
    stages: [submit, accept, undertake, approve, complete, deliver]
    after:
      reject: [submit]
      deny: [undertake]
      complete: [deny]
{SIDE}
  - id: P-IMMEDIATE
    title: 即办件流程
    basis: 测试依据
    applies_to: {{kinds: [immediate]}}
    valid_from: 2025-01-01
    starts: [submit, accept]
    stages: [submit, accept, approve, complete, deliver]
    after:
      reject: [submit]
      deny: [accept]
      complete: [deny]
{SIDE}
"""

_ROOT = Path(tempfile.mkdtemp(prefix="fyrules-state-machine-"))
BOOK: ProcessBook = fyrules.load(
    write_rulebook(_ROOT, {"catalog.yaml": CATALOG, "processes.yaml": PROCESSES})
).part("cases")

START = dt.datetime(2025, 6, 29, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
ITEMS = ("C-1", "C-1", "I-1")  # the item of the n-th case: two commitment cases in three
DATA = {
    "pause": {"reason": "expert_review"},
    "extend": {"days": 3, "approved_by": "head"},
    "rate": {"score": 4},
    "complaint_ruled": {"substantiated": True},
    "accountability_decided": {"decision": "warning"},
}


def dumped(state: dict | None) -> str:
    return json.dumps(state, sort_keys=True, ensure_ascii=False)


class Driver:
    """The smallest monitor: dedupe through the store, apply, store or record the rejection."""

    def __init__(self, book: ProcessBook, store: MemoryStore):
        self.book = book
        self.store = store

    def feed(self, event: Event) -> Accepted | Rejected | None:
        """The result, or ``None`` for a duplicate delivery."""
        with self.store.transaction():
            if is_duplicate(self.store, event):
                return None
            state = self.store.get_case(event.case)
            result = apply(
                state,
                event,
                process=self.book.for_event(state, event),
                item_known=self.book.knows_item(event.item),
            )
            if isinstance(result, Accepted):
                self.store.put_case(event.case, result.state)
                if event.id is not None:
                    self.store.remember_event(event.case, event.id)
            else:
                self.store.add_rejected(result.record(event))
            return result


def replay(events: list[Event]) -> dict | None:
    """A case's state from its accepted events, from scratch."""
    state = None
    for e in events:
        result = apply(state, e, process=BOOK.for_event(state, e), item_known=True)
        assert isinstance(result, Accepted), result
        state = result.state
    return state


class CaseMachine(RuleBasedStateMachine):
    """Invariants: the store changes only through accepted events; a rejected or duplicate
    event leaves the stored state byte-identical; replaying a case's accepted events gives
    its stored state; a closed case accepts only side events (and the stages that follow its
    closing stage); the process a case bound at acceptance never changes, and is the version
    in force on the acceptance date, even after a newer version comes into force."""

    @initialize()
    def start(self) -> None:
        self.store = MemoryStore()
        self.driver = Driver(BOOK, self.store)
        self.now = START
        self.cases: list[str] = []
        self.items: dict[str, str] = {}
        self.accepted: dict[str, list[Event]] = {}
        self.sent: list[Event] = []
        self.rejections = 0
        self.bound: dict[str, dict] = {}
        self.serial = 0

    # --- sending -----------------------------------------------------------------------------

    def _send(self, event: Event) -> None:
        before = dumped(self.store.get_case(event.case))
        previous = self.store.get_case(event.case)
        result = self.driver.feed(event)
        after = self.store.get_case(event.case)
        self.sent.append(event)
        if not isinstance(result, Accepted):
            assert dumped(after) == before
            if isinstance(result, Rejected):
                self.rejections += 1
                assert result.reason_code.startswith("EVENT-")
                assert result.message_zh and result.message_en
            return
        assert after == result.state
        self.accepted[event.case].append(event)
        self.now = max(self.now, event.at)
        if previous is not None and previous["closed"]:
            process = BOOK.bound(previous["process"])
            follow_on = previous["stage"] == previous["closed_by"] and event.event in (
                process.next_stages(previous["stage"])
            )
            after_close = event.event in process.during and process.during[event.event].end is None
            assert follow_on or after_close, event.event

    def _event(self, case: str, kind: str, **changes) -> Event:
        self.serial += 1
        fields = {
            "id": f"e-{self.serial}",
            "case": case,
            "item": self.items.get(case, "C-1"),
            "event": kind,
            "at": self.now,
            "actor": "u1",
            "data": DATA.get(kind, {}),
        }
        fields.update(changes)
        return Event(**fields)

    @rule()
    def new_case(self) -> None:
        """A case number not used before (nothing is sent yet)."""
        case = f"K-{len(self.cases) + 1}"
        self.cases.append(case)
        self.items[case] = ITEMS[len(self.cases) % len(ITEMS)]
        self.accepted[case] = []

    @precondition(lambda self: self.cases)
    @rule(data=st.data(), hours=st.integers(0, 30), main_line=st.booleans())
    def expected_event(self, data: st.DataObject, hours: int, main_line: bool) -> None:
        """An event the case expects is accepted (a stage event, when ``main_line``)."""
        case = data.draw(st.sampled_from(self.cases), label="case")
        state = self.store.get_case(case)
        item = state["item"] if state is not None else self.items[case]
        e0 = self._event(case, "submit", item=item, at=self.now + dt.timedelta(hours=hours))
        process = BOOK.for_event(state, e0)
        if process is None:
            return
        choices = expected_events(state, process)
        if main_line and state is not None:
            main, _ = process.expected(
                state["stage"],
                closed=state["closed"],
                paused=state["paused"],
                closed_by=state["closed_by"],
            )
            choices = main or choices
        if not choices:
            return
        kind = data.draw(st.sampled_from(choices), label="kind")
        event = self._event(case, kind, item=item, at=e0.at, actor=f"u{hours % 3}")
        if state is not None and state["accepted_at"] is None and kind == "accept":
            # the case binds the version in force today, which may allow other stages
            process = BOOK.for_event(state, event)
            if state["stage"] not in process.follows["accept"]:
                return
        self._send(event)
        assert self.accepted[case] and self.accepted[case][-1] is event

    @precondition(lambda self: self.cases)
    @rule(
        data=st.data(),
        unknown=st.booleans(),
        kind=st.sampled_from(EVENT_KINDS),
        hours=st.integers(-48, 48),
        actor=st.sampled_from(("u1", "u2", None, "")),
        item=st.sampled_from((None, "C-1", "I-1", "X-9")),
    )
    def any_event(self, data, unknown: bool, kind: str, hours: int, actor, item) -> None:
        """Any event at all: accepted or rejected, never an error."""
        case = "K-UNKNOWN" if unknown else data.draw(st.sampled_from(self.cases), label="case")
        changes = {"at": self.now + dt.timedelta(hours=hours), "actor": actor}
        if item is not None:
            changes["item"] = item
        if case == "K-UNKNOWN":
            # an event that cannot open a case, for a case never seen
            kind = "approve" if kind in OPENING_EVENTS else kind
            changes.setdefault("item", "C-1")
            event = Event(**{**self._event("K-1", kind, **changes).model_dump(), "case": case})
            self._send(event)
            assert self.store.get_case(case) is None
            return
        self._send(self._event(case, kind, **changes))

    @precondition(lambda self: self.sent)
    @rule(data=st.data())
    def duplicate(self, data: st.DataObject) -> None:
        """An event delivered again: a duplicate if it was accepted, otherwise judged again."""
        event = data.draw(st.sampled_from(self.sent), label="again")
        was_accepted = any(e is event for e in self.accepted.get(event.case, ()))
        before = dumped(self.store.get_case(event.case))
        result = self.driver.feed(event)
        if was_accepted:
            assert result is None
            assert dumped(self.store.get_case(event.case)) == before
        elif isinstance(result, Accepted):
            self.accepted[event.case].append(event)
            self.now = max(self.now, event.at)
        else:
            self.rejections += result is not None

    @rule(days=st.integers(1, 3))
    def time_passes(self, days: int) -> None:
        """Days go by; from 1 July version 2 of the commitment process is in force."""
        self.now += dt.timedelta(days=days)

    # --- invariants ----------------------------------------------------------------------------

    @invariant()
    def stored_states_are_the_replay_of_accepted_events(self) -> None:
        for case, events in self.accepted.items():
            stored = self.store.get_case(case)
            assert dumped(stored) == dumped(replay(events))
            if stored is not None:
                assert stored["events"] == len(events)
                assert json.loads(json.dumps(stored)) == stored
        assert self.store.get_case("K-UNKNOWN") is None

    @invariant()
    def every_rejection_is_recorded(self) -> None:
        assert len(list(self.store.rejected())) == self.rejections

    @invariant()
    def the_bound_process_never_changes_after_acceptance(self) -> None:
        for case in self.cases:
            state = self.store.get_case(case)
            if state is None or state["accepted_at"] is None:
                continue
            if case in self.bound:
                assert state["process"] == self.bound[case]
                continue
            self.bound[case] = state["process"]
            accepted_on = BOOK.local_date(dt.datetime.fromisoformat(state["accepted_at"]))
            kind = BOOK.item_kinds[state["item"]]
            assert BOOK.resolve(state["item"], kind, accepted_on).ref == state["process"]


CaseMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=60, deadline=None)
test_case_state_machine = CaseMachine.TestCase
