"""Notifications posted to a webhook, signed (HMAC-SHA256) and timestamped against replay.

Each notification is one ``POST`` of its JSON (``Notification.to_dict()``, UTF-8, keys
sorted) with these headers:

- ``X-Fyrules-Timestamp``: seconds since the epoch when it was sent;
- ``X-Fyrules-Signature``: ``sha256=`` and the hex HMAC-SHA256, under the shared secret, of
  the timestamp, a ``.``, and the body's bytes;
- ``X-Fyrules-Key``: the notification's dedup key (a receiver may drop a key it has seen).

A receiver checks the signature with :func:`verify_signature` and refuses a timestamp older
than its tolerance (default five minutes), so a captured request cannot be replayed later. A
``4xx`` answer (but 408 and 429) is a permanent failure; a ``5xx``, a timeout or a refused
connection is retried by the dispatcher.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from collections.abc import Callable

from fyrules import DeliveryError, Notification

from .clock import wall_clock

TIMESTAMP_HEADER = "X-Fyrules-Timestamp"
SIGNATURE_HEADER = "X-Fyrules-Signature"
KEY_HEADER = "X-Fyrules-Key"
TOLERANCE_SECONDS = 300


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``timestamp.body`` under ``secret``."""
    digest = hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify_signature(
    secret: bytes,
    timestamp: str,
    body: bytes,
    signed: str,
    *,
    now: float,
    tolerance: float = TOLERANCE_SECONDS,
) -> bool:
    """Whether ``signed`` is the signature of ``body`` at ``timestamp`` and the timestamp is
    within ``tolerance`` seconds of ``now`` (compared in constant time)."""
    try:
        sent = float(timestamp)
    except ValueError:
        return False
    if abs(now - sent) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), signed)


class WebhookNotifier:
    """Posts each notification, signed, to one URL."""

    name = "webhook"

    def __init__(
        self,
        url: str,
        secret: bytes,
        *,
        timeout: float = 10.0,
        clock: Callable[[], float] = wall_clock,
    ):
        if not secret:
            raise ValueError("webhook 须有共享密钥 / a webhook needs a shared secret")
        self.url, self.secret, self.timeout, self._clock = url, secret, timeout, clock

    def request(self, notification: Notification) -> urllib.request.Request:
        """The signed request of one notification."""
        body = json.dumps(notification.to_dict(), ensure_ascii=False, sort_keys=True).encode()
        timestamp = str(int(self._clock()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(self.secret, timestamp, body),
            KEY_HEADER: notification.key,
        }
        return urllib.request.Request(self.url, data=body, headers=headers, method="POST")

    def send(self, notification: Notification) -> None:
        try:
            with urllib.request.urlopen(self.request(notification), timeout=self.timeout):
                return
        except urllib.error.HTTPError as exc:
            permanent = 400 <= exc.code < 500 and exc.code not in (408, 429)
            raise DeliveryError(
                f"webhook 返回 HTTP {exc.code} / the webhook answered HTTP {exc.code}",
                permanent=permanent,
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(
                f"无法连接 webhook {self.url} / cannot reach the webhook: {exc}"
            ) from exc
