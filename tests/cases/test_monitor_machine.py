"""A Hypothesis state machine driving the real Monitor with legal and illegal events.

Invariants:
- a case's stored state changes only through accepted events (a rejected or duplicate event
  leaves every stored case, the trail head and the findings exactly as they were);
- the trail always verifies;
- replaying the same stream into a fresh monitor gives the same trail head and findings.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import fyrules
from fyrules.cases.monitor import Duplicate, Monitor
from fyrules.cases.state import Accepted, Rejected
from fyrules.cases.trail import verify

RB = fyrules.load(Path(__file__).resolve().parents[2] / "examples" / "fuyang")
TZ = dt.timezone(dt.timedelta(hours=8))
KINDS = [
    "submit",
    "accept",
    "undertake",
    "review",
    "approve",
    "deny",
    "pause",
    "resume",
    "extend",
    "complete",
    "deliver",
    "withdraw",
    "complaint",
    "rate",
    "reject",
]
ITEMS = ["FY-SC-001", "FY-SC-002", "FY-ZR-003", "NO-SUCH-ITEM"]


def _snapshot(monitor: Monitor):
    store = monitor.store
    return (
        copy.deepcopy(dict(store.open_cases())),
        copy.deepcopy(dict(store.closed_cases())),
        store.trail_head(),
        list(store.findings()),
    )


class MonitorMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.monitor = Monitor(RB)
        self.sent: list[dict | str] = []
        self.clock = dt.datetime(2025, 10, 9, 9, 0, tzinfo=TZ)
        self.counter = 0

    def _event(
        self, case: str, kind: str, item: str, *, minutes: int, actor: str | None, data: dict
    ):
        self.counter += 1
        self.clock += dt.timedelta(minutes=minutes)
        return {
            "id": f"e{self.counter}",
            "case": case,
            "item": item,
            "event": kind,
            "at": self.clock.isoformat(),
            "actor": actor,
            "dept": "SC",
            "window": "W02",
            "data": data,
        }

    def _send(self, event) -> None:
        before = _snapshot(self.monitor)
        outcome = self.monitor.feed(event)
        self.sent.append(event)
        if isinstance(outcome, (Rejected, Duplicate)):
            after = _snapshot(self.monitor)
            # Only the rejected report and the trail (which records the rejection) may grow.
            assert after[0] == before[0] and after[1] == before[1] and after[3] == before[3]
            if isinstance(outcome, Duplicate):
                assert after[2] == before[2]
        else:
            assert isinstance(outcome, Accepted)

    @rule(
        case=st.sampled_from(["C-1", "C-2", "C-3"]),
        kind=st.sampled_from(KINDS),
        item=st.sampled_from(ITEMS),
        minutes=st.integers(-120, 3000),
        actor=st.sampled_from(["u1", "u2", None]),
    )
    def send_any(self, case, kind, item, minutes, actor):
        data = {
            "pause": {"reason": "inspection"},
            "extend": {"days": 3, "approved_by": "head"},
            "rate": {"score": 5},
        }.get(kind, {})
        self._send(self._event(case, kind, item, minutes=minutes, actor=actor, data=data))

    @rule(case=st.sampled_from(["C-4", "C-5"]), data=st.data())
    def send_a_legal_path(self, case, data):
        steps = ["submit", "accept", "undertake", "review", "approve", "complete", "deliver"]
        upto = data.draw(st.integers(1, len(steps)))
        for kind in steps[:upto]:
            self._send(self._event(case, kind, "FY-SC-001", minutes=30, actor=f"u-{kind}", data={}))

    @rule()
    def resend_the_last_event(self):
        if self.sent:
            last = self.sent[-1]
            self._send(dict(last) if isinstance(last, dict) else last)

    @rule(text=st.text(max_size=40))
    def send_garbage(self, text):
        before = _snapshot(self.monitor)
        assert isinstance(self.monitor.feed(text), Rejected)
        self.sent.append(text)
        assert _snapshot(self.monitor)[:2] == before[:2]

    @invariant()
    def the_trail_verifies(self):
        assert verify(self.monitor.store.trail()).ok

    def teardown(self):
        again = Monitor(RB)
        for event in self.sent:
            again.feed(event)
        assert again.store.trail_head() == self.monitor.store.trail_head()
        assert again.findings() == self.monitor.findings()


MonitorMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=30, deadline=None)
test_monitor_machine = MonitorMachine.TestCase
