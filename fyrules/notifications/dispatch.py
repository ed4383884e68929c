"""Delivery (通知送达): each emitted notification through every configured notifier, with
retries and exponential backoff; every attempt and the outcome recorded in the log, so a
failure is never lost silently (status ``failed``, and :meth:`Dispatcher.redeliver` tries
again later).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

import attrs

from .port import JSON, DeliveryError, Notification, NotificationLog, Notifier


@attrs.frozen(slots=True)
class RetryPolicy:
    """``attempts`` tries per notifier, waiting ``backoff × 2^(n-1)`` seconds after the n-th
    failed try (capped at ``max_wait``)."""

    attempts: int = 4
    backoff: float = 1.0
    max_wait: float = 60.0

    def wait(self, failed: int) -> float:
        """Seconds to wait after the ``failed``-th failed try."""
        return min(self.max_wait, self.backoff * 2 ** (failed - 1))


@attrs.frozen(slots=True)
class Delivery:
    """What became of one notification: ``sent`` through every notifier, or ``failed``."""

    notification: Notification
    status: str
    attempts: tuple[JSON, ...]

    @property
    def ok(self) -> bool:
        """Whether it was delivered through every notifier."""
        return self.status == "sent"


class Dispatcher:
    """Delivers through ``notifiers`` and records each outcome in ``log``."""

    def __init__(
        self,
        notifiers: Sequence[Notifier],
        log: NotificationLog,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.notifiers = tuple(notifiers)
        self.log = log
        self.retry = retry or RetryPolicy()
        self._sleep = sleep

    def deliver(self, notifications: Iterable[Notification]) -> list[Delivery]:
        """Deliver each; never raises for a notifier's failure (it is recorded)."""
        return [self._deliver(n, ()) for n in notifications]

    def redeliver(self) -> list[Delivery]:
        """Try again every notification the log holds as ``failed`` or ``pending``."""
        out = []
        for record in list(self.log.notification_records()):
            if record.get("status") in ("failed", "pending"):
                notification = Notification.from_dict(record["notification"])
                out.append(self._deliver(notification, tuple(record.get("attempts", ()))))
        return out

    def _deliver(self, notification: Notification, earlier: tuple[JSON, ...]) -> Delivery:
        attempts = list(earlier)
        done = {a["notifier"] for a in attempts if a.get("ok")}
        status = "sent"
        for notifier in self.notifiers:
            if notifier.name in done:
                continue  # already delivered there: a redelivery does not repeat it
            if not self._through(notifier, notification, attempts):
                status = "failed"
        record = {"notification": notification.to_dict(), "status": status, "attempts": attempts}
        self.log.record_notification(notification.key, record)
        return Delivery(notification, status, tuple(attempts))

    def _through(
        self, notifier: Notifier, notification: Notification, attempts: list[JSON]
    ) -> bool:
        retry = self.retry
        for n in range(1, retry.attempts + 1):
            try:
                notifier.send(notification)
            except DeliveryError as exc:
                attempts.append({"notifier": notifier.name, "ok": False, "error": str(exc)})
                if exc.permanent or n == retry.attempts:
                    return False
                self._sleep(retry.wait(n))
            else:
                attempts.append({"notifier": notifier.name, "ok": True, "error": None})
                return True
        return False
