"""The MemoryStore's one reusable transaction per store, and the process book's memo.

The MemoryStore opens the same transaction object for every event; nested uses leave the
decision to the outermost, and a failure anywhere inside undoes every write. The process
book remembers the resolutions of catalog items only, so codes from bad events never pile up.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fyrules.cases.store import MemoryStore
from tests.conftest import fuyang_rulebook


def test_a_failure_inside_nested_transactions_undoes_them_all():
    store = MemoryStore()
    with store.transaction():
        store.put_case("A", {"n": 1})
    with pytest.raises(RuntimeError), store.transaction():
        store.put_case("A", {"n": 2})
        with store.transaction():
            store.remember_event("A", "e1")
        raise RuntimeError
    assert store.get_case("A") == {"n": 1} and not store.seen_event("A", "e1")
    with store.transaction():  # the store is usable again
        store.put_case("B", {"n": 3})
    assert store.get_case("B") == {"n": 3}


def test_the_process_book_remembers_catalog_items_only():
    rb = fuyang_rulebook()
    book = rb.part("cases")
    day = dt.date(2025, 10, 9)
    assert book.resolve("NO-SUCH-ITEM", None, day) is None
    assert all(key[0] != "NO-SUCH-ITEM" for key in book._resolved)
    kind = rb.items.kind(rb.items.items["FY-SC-001"])
    first = book.resolve("FY-SC-001", kind, day)
    assert first is not None and book.resolve("FY-SC-001", kind, day) is first
