"""Notifiers (the core's :class:`fyrules.Notifier` port): email through SMTP and a signed
webhook, both on the standard library (extra ``notify``), and the delivery configuration
``fyrules notify --send`` reads (:func:`notifiers_from_config`). See docs/notifications.md."""

from .config import notifiers_from_config, read_config
from .smtp import SmtpNotifier
from .webhook import WebhookNotifier, signature, verify_signature

__all__ = [
    "SmtpNotifier",
    "WebhookNotifier",
    "notifiers_from_config",
    "read_config",
    "signature",
    "verify_signature",
]
