"""Cases: events at the border, fixed processes, case state, the trail and the monitor."""

from .events import EVENT_KINDS, Event, EventError, parse_event, read_events
from .monitor import Duplicate, Monitor, ReplaySummary
from .process import ProcessBook, resolve_process
from .state import Accepted, Rejected, apply
from .store import MemoryStore, Store
from .trail import Trail, TrailHead, export_trail, import_trail, verify

__all__ = [
    "EVENT_KINDS",
    "Accepted",
    "Duplicate",
    "Event",
    "EventError",
    "MemoryStore",
    "Monitor",
    "ProcessBook",
    "Rejected",
    "ReplaySummary",
    "Store",
    "Trail",
    "TrailHead",
    "apply",
    "export_trail",
    "import_trail",
    "parse_event",
    "read_events",
    "resolve_process",
    "verify",
]
