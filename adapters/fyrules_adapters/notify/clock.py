"""The wall clock a signed webhook stamps its requests with: the one place the notifiers read
it. A timestamp against replay must be the real time of sending; a host (or a test) passes
its own clock to :class:`~.webhook.WebhookNotifier`."""

from __future__ import annotations

import datetime as dt


def wall_clock() -> float:
    """Now, as seconds since the epoch (UTC)."""
    return dt.datetime.now(dt.UTC).timestamp()
