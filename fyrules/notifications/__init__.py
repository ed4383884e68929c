"""Notifications (预警通知): the notifier port, the scheduler that emits notifications as case
clocks cross the rulebook's thresholds, delivery with retries, and supervision after approval
(``inform`` events within the rulebook's limit). See docs/notifications.md."""

from .dispatch import Delivery, Dispatcher, RetryPolicy
from .due import CaseNotices, Recipients, notification_key
from .extension import EXTENSION, InformLimit, NotificationPolicy, Trigger
from .inform import inform_findings
from .port import DeliveryError, Notification, NotificationLog, Notifier
from .scheduler import MemoryNotificationLog, Scheduler

__all__ = [
    "EXTENSION",
    "CaseNotices",
    "Delivery",
    "DeliveryError",
    "Dispatcher",
    "InformLimit",
    "MemoryNotificationLog",
    "Notification",
    "NotificationLog",
    "NotificationPolicy",
    "Notifier",
    "Recipients",
    "RetryPolicy",
    "Scheduler",
    "Trigger",
    "inform_findings",
    "notification_key",
]
