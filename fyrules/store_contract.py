"""The contract of the storage port (:class:`fyrules.Store`), as a reusable test suite.

An adapter proves it plugs in by running this suite with pytest (``pip install pytest``
beside fyrules; docs/embedding.md)::

    # test_my_store.py
    from fyrules.store_contract import StoreContract

    class TestMyStore(StoreContract):
        def make_store(self):
            return MyStore(...)            # a fresh, empty store

Each test states one promise the monitor relies on (docs/embedding.md lists them). The last
ones replay a generated month through a monitor on the store and on a :class:`MemoryStore`
and compare what both report, so an adapter that keeps every method's promise but stores a
value unfaithfully is caught too.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest

import fyrules
from fyrules.examples import rulebook_path
from fyrules.simulation.cases import generate

FUYANG = rulebook_path("fuyang")
STATE = {"case": "C-1", "item": "FY-SC-001", "stage": "accepted", "log": [["accept", "t", None]]}


@functools.cache
def _fuyang() -> fyrules.Rulebook:
    return fyrules.load(FUYANG)


@functools.cache
def _month() -> tuple[Any, ...]:
    return tuple(generate(_fuyang(), month="2025-10", cases=120, seed=3))


def _replay(store: Any, as_of: Any) -> dict[str, Any]:
    monitor = _fuyang().monitor(store=store)
    summary = monitor.feed_all(_month())
    key = lambda f: (f["case"], f["rule"], f["at"])  # noqa: E731
    return {
        "summary": summary.to_dict(),
        "findings": sorted((f.to_dict() for f in monitor.findings()), key=key),
        "as_of": sorted((f.to_dict() for f in monitor.findings(as_of=as_of)), key=key),
        "rejected": list(monitor.rejected()),
        "head": store.trail_head(),
        "open": sorted(monitor.open_case_ids()),
        "closed": sorted(case for case, _ in store.closed_cases()),
    }


class Boom(Exception):
    """Raised inside a transaction to make it fail."""


class StoreContract:
    """Subclass, define :meth:`make_store`, and pytest runs every promise against it."""

    def make_store(self) -> Any:
        raise NotImplementedError

    @pytest.fixture
    def store(self) -> Any:
        return self.make_store()

    # --- the protocol ---------------------------------------------------------------------------

    def test_it_is_a_store(self, store):
        assert isinstance(store, fyrules.Store)

    # --- cases ------------------------------------------------------------------------------------

    def test_an_unknown_case_is_none(self, store):
        assert store.get_case("C-404") is None
        assert store.get_closed("C-404") is None

    def test_put_case_stores_the_state_and_replaces_it(self, store):
        store.put_case("C-1", STATE)
        assert store.get_case("C-1") == STATE
        store.put_case("C-1", {**STATE, "stage": "reviewed"})
        assert store.get_case("C-1")["stage"] == "reviewed"
        assert [case for case, _ in store.open_cases()] == ["C-1"]

    def test_close_case_drops_the_state_and_keeps_the_summary(self, store):
        store.put_case("C-1", STATE)
        store.put_case("C-2", {**STATE, "case": "C-2"})
        store.close_case("C-1", {"case": "C-1", "closed_by": "deliver"})
        assert store.get_case("C-1") is None
        assert store.get_closed("C-1") == {"case": "C-1", "closed_by": "deliver"}
        assert [case for case, _ in store.open_cases()] == ["C-2"]
        assert list(store.closed_cases()) == [("C-1", {"case": "C-1", "closed_by": "deliver"})]

    def test_closing_again_replaces_the_summary(self, store):
        """Late ratings and complaints re-close a finished case with a richer summary."""
        store.close_case("C-1", {"case": "C-1", "rating": None})
        store.close_case("C-1", {"case": "C-1", "rating": 5})
        assert store.get_closed("C-1") == {"case": "C-1", "rating": 5}
        assert len(list(store.closed_cases())) == 1

    def test_listing_open_cases_is_a_snapshot(self, store):
        """The monitor may write while it walks the open cases."""
        for n in range(3):
            store.put_case(f"C-{n}", {**STATE, "case": f"C-{n}"})
        seen = []
        for case, _ in store.open_cases():
            seen.append(case)
            store.close_case(case, {"case": case})
        assert sorted(seen) == ["C-0", "C-1", "C-2"]
        assert list(store.open_cases()) == []

    def test_values_come_back_as_json(self, store):
        """What goes in comes back equal as JSON (a tuple may come back as a list)."""
        state = {"n": 1, "x": 2.5, "t": "文字", "ok": True, "none": None, "nested": {"l": [1, "a"]}}
        store.put_case("C-1", state)
        assert store.get_case("C-1") == state

    # --- duplicate deliveries ---------------------------------------------------------------------

    def test_an_event_id_is_seen_once_remembered_for_its_case(self, store):
        assert not store.seen_event("C-1", "e-1")
        store.remember_event("C-1", "e-1")
        store.remember_event("C-1", "e-1")  # remembering twice is harmless
        assert store.seen_event("C-1", "e-1")
        assert not store.seen_event("C-2", "e-1")
        assert not store.seen_event("C-1", "e-2")

    # --- the trail --------------------------------------------------------------------------------

    def test_an_empty_trail_has_no_head(self, store):
        assert store.trail_head() is None
        assert list(store.trail()) == []

    def test_the_trail_keeps_entries_in_order(self, store):
        entries = [{"index": n, "hash": f"h{n}"} for n in range(5)]
        for entry in entries:
            store.append_trail(entry)
        assert store.trail_head() == entries[-1]
        assert list(store.trail()) == entries
        assert list(store.trail(3)) == entries[3:]
        assert list(store.trail(5)) == []

    # --- findings and rejected events ---------------------------------------------------------------

    def test_findings_in_order_all_or_of_one_case(self, store):
        found = [{"case": c, "rule": r} for c, r in [("C-1", "A"), ("C-2", "B"), ("C-1", "C")]]
        for finding in found:
            store.add_finding(finding)
        assert list(store.findings()) == found
        assert list(store.findings("C-1")) == [found[0], found[2]]
        assert list(store.findings("C-9")) == []

    def test_rejected_events_in_the_order_they_arrived(self, store):
        records = [{"reason": "EVENT-INVALID", "line": n} for n in range(3)]
        for record in records:
            store.add_rejected(record)
        assert list(store.rejected()) == records

    # --- transactions -------------------------------------------------------------------------------

    def _write_everything(self, store: Any) -> None:
        store.put_case("C-2", {**STATE, "case": "C-2"})
        store.put_case("C-1", {**STATE, "stage": "changed"})
        store.close_case("C-3", {"case": "C-3"})
        store.remember_event("C-1", "e-2")
        store.append_trail({"index": 1})
        store.add_finding({"case": "C-1", "rule": "R"})
        store.add_rejected({"reason": "X"})

    def _contents(self, store: Any) -> dict[str, Any]:
        return {
            "open": sorted(store.open_cases()),
            "closed": sorted(store.closed_cases()),
            "seen": [store.seen_event("C-1", e) for e in ("e-1", "e-2")],
            "trail": list(store.trail()),
            "head": store.trail_head(),
            "findings": list(store.findings()),
            "rejected": list(store.rejected()),
        }

    def _prepared(self, store: Any) -> Any:
        store.put_case("C-1", STATE)
        store.put_case("C-3", {**STATE, "case": "C-3"})
        store.remember_event("C-1", "e-1")
        store.append_trail({"index": 0})
        return store

    def test_a_transaction_that_succeeds_keeps_every_write(self, store):
        store = self._prepared(store)
        with store.transaction():
            self._write_everything(store)
        after = self._contents(store)
        assert after["seen"] == [True, True]
        assert after["head"] == {"index": 1}
        assert [case for case, _ in after["closed"]] == ["C-3"]

    def test_a_transaction_that_fails_undoes_every_write(self, store):
        store = self._prepared(store)
        before = self._contents(store)
        with pytest.raises(Boom), store.transaction():
            self._write_everything(store)
            raise Boom
        assert self._contents(store) == before

    def test_a_nested_transaction_belongs_to_the_outer_one(self, store):
        store = self._prepared(store)
        before = self._contents(store)
        with pytest.raises(Boom), store.transaction():
            with store.transaction():
                self._write_everything(store)
            raise Boom
        assert self._contents(store) == before

    # --- through the monitor ----------------------------------------------------------------------

    def test_a_month_replayed_on_it_reports_what_memory_reports(self, store):
        """The monitor on this store finds the same findings (as of the end and as of a moment
        mid-month), rejects the same events and ends on the same trail head as on MemoryStore."""
        as_of = _month()[len(_month()) // 2].at
        assert _replay(store, as_of) == _replay(fyrules.MemoryStore(), as_of)


class NotificationLogContract:
    """The contract of the sent-notification record (:class:`fyrules.NotificationLog`) that a
    store keeps beside the port, so a restart sends nothing twice. Subclass, define
    :meth:`make_log` (a fresh, empty log) and, for a log kept in a database,
    :meth:`reopen` (a new connection to the same log)::

        class TestMyLog(NotificationLogContract):
            def make_log(self):
                return MyStore(...)
            def reopen(self, log):
                return MyStore(...same database...)
    """

    def make_log(self) -> Any:
        raise NotImplementedError

    def reopen(self, log: Any) -> Any:
        """The same log as a restarted process sees it (in memory: the same object)."""
        return log

    @pytest.fixture
    def log(self) -> Any:
        return self.make_log()

    def test_it_is_a_notification_log(self, log):
        assert isinstance(log, fyrules.NotificationLog)

    def test_an_empty_log_has_no_keys_and_no_records(self, log):
        assert list(log.notification_keys()) == []
        assert list(log.notification_records()) == []

    def test_keys_and_records_come_back_in_the_order_first_recorded(self, log):
        keys = ["C-2|red", "C-1|prompt", "C-1|yellow"]
        for key in keys:
            log.record_notification(key, {"key": key, "status": "pending"})
        assert list(log.notification_keys()) == keys
        assert list(log.notification_records()) == [{"key": k, "status": "pending"} for k in keys]

    def test_recording_a_key_again_replaces_its_record_in_its_place(self, log):
        """A delivery's status changes (pending → sent, failed → sent) without a second row."""
        log.record_notification("C-1|prompt", {"key": "C-1|prompt", "status": "pending"})
        log.record_notification("C-2|red", {"key": "C-2|red", "status": "pending"})
        log.record_notification("C-1|prompt", {"key": "C-1|prompt", "status": "sent"})
        assert list(log.notification_keys()) == ["C-1|prompt", "C-2|red"]
        assert [r["status"] for r in log.notification_records()] == ["sent", "pending"]

    def test_records_come_back_as_json(self, log):
        record = {
            "key": "案件-1|red",
            "recipients": ["P-SC-01", "P-SC-13"],
            "attempts": [{"at": "2025-10-15T09:00:00+08:00", "error": None, "delay": 0.25}],
            "message_zh": "红牌：已超过承诺时限",
            "ok": True,
        }
        log.record_notification(record["key"], record)
        assert list(log.notification_records()) == [record]

    def test_a_restarted_process_reads_every_key_back(self, log):
        """What keeps a restart from sending again: the keys outlive the process."""
        for key in ("C-1|prompt", "C-1|red"):
            log.record_notification(key, {"key": key, "status": "sent"})
        again = self.reopen(log)
        assert list(again.notification_keys()) == ["C-1|prompt", "C-1|red"]
        assert [r["status"] for r in again.notification_records()] == ["sent", "sent"]
