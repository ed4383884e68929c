"""The notifier port (通知端口): what a host system plugs in to deliver notifications, and
where the record of what was sent lives.

- :class:`Notification`: one message to the people the rulebook names, with its basis. Its
  ``key`` is the dedup key: one per trigger per case (per stage for a stage overrun, per
  finding for a rectification), so the same threshold is never announced twice.
- :class:`Notifier`: delivers one notification (the SMTP and webhook adapters implement it;
  a host system may implement its own, as a storage adapter implements the storage port).
- :class:`NotificationLog`: the sent-notification record, kept in the store so that a
  restart never re-sends: :class:`~fyrules.cases.store.MemoryStore`, the SQLite adapter and
  the PostgreSQL adapter implement it beside the storage port
  (:class:`fyrules.store_contract.NotificationLogContract` is its contract suite).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Protocol, runtime_checkable

import attrs

JSON = dict[str, Any]


@attrs.frozen(slots=True)
class Notification:
    """One notification: a trigger fired for a case at ``at``, for ``recipients``."""

    key: str
    trigger: str
    case: str
    item: str
    department: str | None
    at: dt.datetime
    recipients: tuple[str, ...]  # person ids of the roster
    roles: tuple[str, ...]  # what the rulebook named: handler, inspector, a role id
    rule: str | None  # the case rule whose finding fired it (prompt, yellow, red)
    message_zh: str
    message_en: str
    basis: str

    def to_dict(self) -> JSON:
        """The notification as JSON (what the webhook posts, what ``--format json`` prints)."""
        return {
            "key": self.key,
            "trigger": self.trigger,
            "case": self.case,
            "item": self.item,
            "department": self.department,
            "at": self.at.isoformat(),
            "recipients": list(self.recipients),
            "roles": list(self.roles),
            "rule": self.rule,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "basis": self.basis,
        }

    @classmethod
    def from_dict(cls, data: JSON) -> Notification:
        """The inverse of :meth:`to_dict`."""
        return cls(
            key=data["key"],
            trigger=data["trigger"],
            case=data["case"],
            item=data["item"],
            department=data.get("department"),
            at=dt.datetime.fromisoformat(data["at"]),
            recipients=tuple(data.get("recipients", ())),
            roles=tuple(data.get("roles", ())),
            rule=data.get("rule"),
            message_zh=data["message_zh"],
            message_en=data["message_en"],
            basis=data["basis"],
        )


class DeliveryError(Exception):
    """A notifier could not deliver; ``permanent`` says a retry cannot help (a refused
    recipient, a rejected signature), else the dispatcher retries with backoff."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@runtime_checkable
class Notifier(Protocol):
    """Delivers notifications: raises :class:`DeliveryError` when it cannot."""

    name: str

    def send(self, notification: Notification) -> None:
        """Deliver one notification (to every recipient it can reach)."""


@runtime_checkable
class NotificationLog(Protocol):
    """The sent-notification record (its keys survive a restart)."""

    def notification_keys(self) -> Iterator[str]:
        """The key of every notification emitted so far."""

    def record_notification(self, key: str, record: JSON) -> None:
        """Create or replace the record of a notification (its JSON and delivery status)."""

    def notification_records(self) -> Iterator[JSON]:
        """Every record, in the order first recorded."""
