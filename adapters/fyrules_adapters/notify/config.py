"""The delivery configuration ``fyrules notify --send --config FILE`` reads (TOML)::

    [smtp]
    host = "smtp.center.example"
    port = 25
    sender = "dzjc@center.example"
    starttls = true
    username = "dzjc"                       # optional
    password_env = "FYRULES_SMTP_PASSWORD"  # the password comes from the environment

    [webhook]
    url = "https://oa.center.example/fyrules"
    secret_env = "FYRULES_WEBHOOK_SECRET"   # the shared secret, from the environment

    [retry]
    attempts = 4          # tries per notifier
    backoff_seconds = 1   # waits 1, 2, 4 … seconds between tries

    [contacts]            # person id of the roster → email address
    P-SC-01 = "wangjianguo@center.example"

Secrets never sit in the file: it names the environment variables that hold them. Either of
``[smtp]`` and ``[webhook]`` may be left out, not both. A bad file is a
:class:`NotifyConfigError` naming the file and what to write.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from fyrules import FyrulesError, RetryPolicy

from .smtp import SmtpNotifier
from .webhook import WebhookNotifier


class NotifyConfigError(FyrulesError):
    """The delivery configuration cannot be used; the message says why and what to write."""


def read_config(path: str | Path) -> dict[str, Any]:
    """The configuration file as a mapping (TOML)."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise NotifyConfigError(f"{path}: 无法读取 / cannot be read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise NotifyConfigError(f"{path}: 不是合法的 TOML / not valid TOML: {exc}") from None


def _secret(table: dict[str, Any], key: str, where: str) -> str | None:
    name = table.get(key)
    if name is None:
        return None
    value = os.environ.get(str(name))
    if not value:
        raise NotifyConfigError(
            f"{where}: 环境变量 {name} 未设置（{key}） / the environment variable {name} "
            f"({key}) is not set"
        )
    return value


def notifiers_from_config(
    config: dict[str, Any], where: str = "<config>"
) -> tuple[list[Any], RetryPolicy]:
    """The notifiers and the retry policy a configuration describes."""
    notifiers: list[Any] = []
    contacts = config.get("contacts", {})
    if not isinstance(contacts, dict) or not all(isinstance(v, str) for v in contacts.values()):
        raise NotifyConfigError(
            f'{where}: [contacts] 须为 人员编号 = "邮箱" / [contacts] maps person ids to addresses'
        )
    try:
        smtp = config.get("smtp")
        if smtp is not None:
            notifiers.append(
                SmtpNotifier(
                    str(smtp["host"]),
                    int(smtp.get("port", 25)),
                    sender=str(smtp["sender"]),
                    contacts=contacts,
                    starttls=bool(smtp.get("starttls", False)),
                    username=smtp.get("username"),
                    password=_secret(smtp, "password_env", where),
                    timeout=float(smtp.get("timeout_seconds", 10)),
                )
            )
        webhook = config.get("webhook")
        if webhook is not None:
            secret = _secret(webhook, "secret_env", where)
            if secret is None:
                raise NotifyConfigError(
                    f"{where}: [webhook] 须有 secret_env（存放共享密钥的环境变量名） / [webhook] "
                    "needs secret_env (the environment variable holding the shared secret)"
                )
            notifiers.append(
                WebhookNotifier(
                    str(webhook["url"]),
                    secret.encode(),
                    timeout=float(webhook.get("timeout_seconds", 10)),
                )
            )
        retry = config.get("retry", {})
        policy = RetryPolicy(
            attempts=int(retry.get("attempts", 4)),
            backoff=float(retry.get("backoff_seconds", 1.0)),
            max_wait=float(retry.get("max_wait_seconds", 60.0)),
        )
    except KeyError as exc:
        raise NotifyConfigError(f"{where}: 缺少 {exc.args[0]} / {exc.args[0]} is missing") from None
    except (TypeError, ValueError) as exc:
        raise NotifyConfigError(f"{where}: 取值不对 / a bad value: {exc}") from None
    if not notifiers:
        raise NotifyConfigError(
            f"{where}: 须有 [smtp] 或 [webhook] / configure [smtp] or [webhook] (or both)"
        )
    if policy.attempts < 1:
        raise NotifyConfigError(f"{where}: retry.attempts 须至少为 1 / must be at least 1")
    return notifiers, policy
