"""Notifications by email through SMTP (``smtplib`` and ``email`` of the standard library).

Each notification is one message to every recipient's address, taken from ``contacts``
(person id → address: the roster holds no addresses, a host system does). A recipient with no
address is a permanent failure naming who is missing, recorded by the dispatcher; a refused
recipient or a 5xx answer is permanent too; a connection failure or a 4xx answer is retried.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import make_msgid

from fyrules import DeliveryError, Notification

TRIGGER_NAMES = {
    "prompt": ("预警提示", "prompt"),
    "yellow": ("黄牌", "yellow card"),
    "red": ("红牌", "red card"),
    "stage_overrun": ("环节超时", "stage over its budget"),
    "inspection_assigned": ("抽查指派", "inspection assigned"),
    "rectification_due": ("整改到期", "rectification due"),
}


class SmtpNotifier:
    """Delivers notifications as email through one SMTP server."""

    name = "smtp"

    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        sender: str,
        contacts: Mapping[str, str],
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
    ):
        self.host, self.port, self.sender = host, port, sender
        self.contacts = dict(contacts)
        self.starttls, self.username, self.password = starttls, username, password
        self.timeout = timeout

    def message(self, notification: Notification) -> EmailMessage:
        """The email of one notification: subject and body in Chinese, then English."""
        missing = [p for p in notification.recipients if p not in self.contacts]
        if missing or not notification.recipients:
            raise DeliveryError(
                f"通讯录中没有这些人员的邮箱：{', '.join(missing) or '（无接收人）'} / no address in "
                f"the contacts for: {', '.join(missing) or '(no recipients)'}",
                permanent=True,
            )
        zh, en = TRIGGER_NAMES.get(notification.trigger, (notification.trigger,) * 2)
        msg = EmailMessage()
        msg["Subject"] = f"[{zh} / {en}] {notification.case}"
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.contacts[p] for p in notification.recipients)
        msg["Message-ID"] = make_msgid(domain="fyrules")
        msg["X-Fyrules-Key"] = notification.key
        msg.set_content(
            "\n".join(
                [
                    notification.message_zh,
                    notification.message_en,
                    "",
                    f"案件 / case: {notification.case}  事项 / item: {notification.item}",
                    f"时间 / at: {notification.at.isoformat()}",
                    f"依据 / basis: {notification.basis}",
                ]
            )
        )
        return msg

    def send(self, notification: Notification) -> None:
        msg = self.message(notification)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as server:
                if self.starttls:
                    server.starttls(context=ssl.create_default_context())
                if self.username is not None:
                    server.login(self.username, self.password or "")
                server.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(
                f"收件人被拒绝 / recipients refused: {exc}", permanent=True
            ) from exc
        except smtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.smtp_code < 600
            raise DeliveryError(
                f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", permanent=permanent
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(
                f"无法连接 SMTP 服务器 {self.host}:{self.port} / cannot reach the SMTP server: {exc}"
            ) from exc
