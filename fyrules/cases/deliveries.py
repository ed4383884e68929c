"""The delivery log (投递记录): every event a store's monitor decided, as it was delivered.

The trail records what was decided in canonical JSON, which keeps no floats (a ``rate`` of 4.5
is recorded as the text ``"4.5"``), keeps nothing of a line that was no JSON at all, and is
hashed, so it cannot change. To replay a live system's month under another rulebook
(``fyrules diff OLD NEW --store X``) the events must come back exactly as they were delivered:
a store that implements :class:`DeliveryLog` beside the port (the SQLite and PostgreSQL
adapters) gets, in the same transaction as the decision, one record per event the monitor
accepted or rejected:

- ``{"outcome": "accepted" | "rejected", "json": TEXT}``: the event as it was delivered, as
  JSON text with every value's type kept (``4.5`` a number, ``"4.5"`` text; numbers as Python's
  ``json`` writes them, which read back to the same float), in ASCII so that any string
  (an unpaired surrogate, a NUL) is stored faithfully;
- ``{"outcome": "rejected", "problem": {...}}``: a line that was not an event at all (not JSON,
  not an object: :func:`~fyrules.cases.events.read_events` gives its problem instead), kept as
  that problem, which every rulebook refuses alike.

A duplicate delivery (an id already recorded, with the same content) changes nothing, by the
port's contract, so it is not logged. :class:`~fyrules.cases.store.MemoryStore` keeps no log:
a replay in memory has its events file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol, runtime_checkable

from ..engine.problems import Location, Problem
from .canonical import event_fields
from .events import Event, EventError, parse_event

JSON = dict[str, Any]


@runtime_checkable
class DeliveryLog(Protocol):
    """Where a store keeps the events its monitor decided, as delivered (see the module)."""

    def add_delivery(self, record: JSON) -> None:
        """Append one record (inside the transaction of the event's decision)."""

    def deliveries(self) -> Iterator[JSON]:
        """Every record, in the order the events were decided."""


_encode = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), default=str).encode


def _text(value: Any) -> str:
    """``value`` as ASCII JSON text; an object JSON cannot hold (from the Python API) as its
    ``str``."""
    return _encode(value)


def delivered(event: Event | Mapping[str, Any] | str) -> str:
    """The JSON text of an event as delivered: a mapping or a line as it came; an
    :class:`Event` with its ``data`` as given (its floats floats) and ``at`` as ISO 8601."""
    if isinstance(event, str):
        return _text(event)  # a JSON string literal holding the line
    if isinstance(event, Event):
        fields = event_fields(event)
        return _text({k: v for k, v in fields.items() if v is not None} | {"data": event.data})
    return _text(dict(event))


def delivery_record(event: Event | Mapping[str, Any] | str, accepted: bool) -> JSON:
    """The record of an event the monitor decided (see the module)."""
    return {"outcome": "accepted" if accepted else "rejected", "json": delivered(event)}


def problem_record(problem: Problem) -> JSON:
    """The record of a line that was no event (its problem)."""
    where = problem.location
    return {
        "outcome": "rejected",
        "problem": {
            "code": problem.code,
            "message_zh": problem.message_zh,
            "message_en": problem.message_en,
            "file": where.path if where is not None else None,
            "line": where.line if where is not None else None,
        },
    }


def replay_stream(records: Iterable[Mapping[str, Any]]) -> Iterator[Event | Problem]:
    """What a replay feeds (:meth:`~fyrules.Monitor.feed_all`), from delivery records: each
    event read back from its JSON as a line of an events file is read (one that does not
    parse yields its problem, as :func:`~fyrules.cases.events.read_events` does)."""
    for number, record in enumerate(records, start=1):
        problem = record.get("problem")
        if isinstance(problem, Mapping):
            yield Problem(
                str(problem.get("code")),
                str(problem.get("message_zh")),
                str(problem.get("message_en")),
                Location(str(problem.get("file") or "<delivered>"), problem.get("line")),
            )
            continue
        where = Location("<delivered>", number)
        try:
            value = json.loads(record["json"])
            yield parse_event(value if isinstance(value, str | dict) else json.dumps(value), where)
        except EventError as exc:
            yield exc.problem
