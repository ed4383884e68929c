"""Cases: events at the border, and (as it grows) process definitions, case state and the trail."""

from .events import EVENT_KINDS, Event, EventError, parse_event, read_events

__all__ = ["EVENT_KINDS", "Event", "EventError", "parse_event", "read_events"]
