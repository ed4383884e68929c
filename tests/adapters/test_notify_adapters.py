"""The SMTP notifier against a real SMTP server (aiosmtpd) on loopback, and the signed webhook
against a real HTTP receiver on loopback that checks the signature and the timestamp; retries,
backoff and recorded failures through the dispatcher."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import http.server
import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from fyrules import DeliveryError, Dispatcher, Notification, RetryPolicy
from fyrules.notifications import MemoryNotificationLog
from fyrules_adapters.notify import (
    SmtpNotifier,
    WebhookNotifier,
    notifiers_from_config,
    verify_signature,
)
from fyrules_adapters.notify.config import NotifyConfigError

aiosmtpd = pytest.importorskip(
    "aiosmtpd.controller",
    reason="aiosmtpd is not installed: pip install -e '.[test]' (CI installs it)",
)

pytestmark = pytest.mark.optional

CST = dt.timezone(dt.timedelta(hours=8))
SECRET = b"s3cret-shared-with-the-receiver"
NOTICE = Notification(
    key="FY-202510-000001|red",
    trigger="red",
    case="FY-202510-000001",
    item="FY-SC-001",
    department="SC",
    at=dt.datetime(2025, 10, 17, tzinfo=CST),
    recipients=("P-SC-14", "P-SC-01"),
    roles=("handler", "approval_head"),
    rule="FY-RED-CARD",
    message_zh="红牌：已超过承诺时限 1 个工作日",
    message_en="red card: 1 working day past the committed deadline",
    basis="阜阳市政务服务中心电子监察系统预警规则（红牌）",
)
CONTACTS = {"P-SC-14": "fengtao@center.example", "P-SC-01": "wangjianguo@center.example"}


class _Inbox:
    def __init__(self, refuse: int = 0):
        self.messages: list[Any] = []
        self.refuse = refuse  # answer 451 (try again later) to this many messages first

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            self.refuse -= 1
            return "451 try again later"
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Any, _Inbox]]:
    inbox = _Inbox()
    controller = _smtp(inbox)
    try:
        yield controller, inbox
    finally:
        controller.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _smtp(inbox: _Inbox) -> Any:
    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    return controller


def _port(controller: Any) -> int:
    return int(controller.port)


def test_an_email_reaches_a_real_smtp_server_in_both_languages(smtp_server: Any) -> None:
    controller, inbox = smtp_server
    SmtpNotifier(
        "127.0.0.1", _port(controller), sender="dzjc@center.example", contacts=CONTACTS
    ).send(NOTICE)
    [envelope] = inbox.messages
    assert sorted(envelope.rcpt_tos) == sorted(CONTACTS.values())
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["X-Fyrules-Key"] == NOTICE.key
    assert "红牌 / red card" in message["Subject"]
    body = message.get_content()
    assert body.index("红牌：已超过") < body.index("red card: 1 working day")
    assert NOTICE.basis in body


def test_a_refused_then_accepted_email_is_retried_with_backoff(smtp_server: Any) -> None:
    controller, inbox = smtp_server
    inbox.refuse = 2
    waits: list[float] = []
    log = MemoryNotificationLog()
    notifier = SmtpNotifier(
        "127.0.0.1", _port(controller), sender="dzjc@center.example", contacts=CONTACTS
    )
    [delivery] = Dispatcher(
        [notifier], log, retry=RetryPolicy(attempts=4, backoff=0.5), sleep=waits.append
    ).deliver([NOTICE])
    assert delivery.ok and len(inbox.messages) == 1
    assert waits == [0.5, 1.0]  # 2 × 451, waiting backoff × 2^(n-1)
    [record] = log.notification_records()
    assert record["status"] == "sent"
    assert [a["ok"] for a in record["attempts"]] == [False, False, True]


def test_a_recipient_without_an_address_is_a_recorded_permanent_failure(smtp_server: Any) -> None:
    controller, inbox = smtp_server
    log = MemoryNotificationLog()
    notifier = SmtpNotifier(
        "127.0.0.1", _port(controller), sender="x@center.example", contacts={"P-SC-14": "a@b.c"}
    )
    [delivery] = Dispatcher([notifier], log, sleep=lambda s: None).deliver([NOTICE])
    assert not delivery.ok and inbox.messages == []
    assert len(delivery.attempts) == 1  # permanent: not retried
    assert "P-SC-01" in delivery.attempts[0]["error"]
    assert next(log.notification_records())["status"] == "failed"


def test_an_unreachable_server_fails_after_every_retry_and_is_redelivered_later() -> None:
    log = MemoryNotificationLog()
    down = SmtpNotifier("127.0.0.1", 9, sender="x@center.example", contacts=CONTACTS, timeout=2)
    [delivery] = Dispatcher(
        [down], log, retry=RetryPolicy(attempts=3, backoff=0), sleep=lambda s: None
    ).deliver([NOTICE])
    assert not delivery.ok and len(delivery.attempts) == 3
    inbox = _Inbox()
    controller = _smtp(inbox)
    try:
        up = SmtpNotifier(
            "127.0.0.1", _port(controller), sender="x@center.example", contacts=CONTACTS
        )
        [again] = Dispatcher([up], log, sleep=lambda s: None).redeliver()
    finally:
        controller.stop()
    assert again.ok and len(inbox.messages) == 1
    assert next(log.notification_records())["status"] == "sent"


class _Receiver(http.server.BaseHTTPRequestHandler):
    """A webhook receiver as a host system would write one: it checks the signature and the
    timestamp, and refuses a replayed request."""

    received: ClassVar[list[dict[str, Any]]] = []
    seen: ClassVar[set[str]] = set()
    now: ClassVar[float] = 0.0
    fail_first: ClassVar[int] = 0

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        cls = type(self)
        if cls.fail_first:
            cls.fail_first -= 1
            self.send_response(503)
            self.end_headers()
            return
        signed = self.headers.get("X-Fyrules-Signature", "")
        stamp = self.headers.get("X-Fyrules-Timestamp", "")
        if not verify_signature(SECRET, stamp, body, signed, now=cls.now):
            self.send_response(401)
            self.end_headers()
            return
        if signed in cls.seen:  # the same signed request again: a replay
            self.send_response(409)
            self.end_headers()
            return
        cls.seen.add(signed)
        cls.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[_Receiver]]]:
    handler = type("Receiver", (_Receiver,), {"received": [], "seen": set(), "now": 1.76e9})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler
    finally:
        server.shutdown()
        server.server_close()


def test_a_signed_webhook_is_verified_by_a_real_receiver(receiver: Any) -> None:
    url, handler = receiver
    WebhookNotifier(url, SECRET, clock=lambda: handler.now).send(NOTICE)
    assert handler.received == [NOTICE.to_dict()]


def test_a_wrong_secret_is_refused_permanently(receiver: Any) -> None:
    url, handler = receiver
    with pytest.raises(DeliveryError) as refused:
        WebhookNotifier(url, b"not-the-secret", clock=lambda: handler.now).send(NOTICE)
    assert refused.value.permanent and "401" in str(refused.value)
    assert handler.received == []


def test_an_old_timestamp_is_refused_against_replay(receiver: Any) -> None:
    url, handler = receiver
    notifier = WebhookNotifier(url, SECRET, clock=lambda: handler.now - 3600)
    with pytest.raises(DeliveryError, match="401"):
        notifier.send(NOTICE)
    request = WebhookNotifier(url, SECRET, clock=lambda: handler.now).request(NOTICE)
    with urllib.request.urlopen(request) as first:
        assert first.status == 204
    with pytest.raises(urllib.error.HTTPError) as replayed:
        urllib.request.urlopen(request)  # the very same signed request, sent again
    assert replayed.value.code == 409


def test_a_webhook_answering_503_is_retried_until_it_takes_it(receiver: Any) -> None:
    url, handler = receiver
    handler.fail_first = 2
    waits: list[float] = []
    [delivery] = Dispatcher(
        [WebhookNotifier(url, SECRET, clock=lambda: handler.now)],
        MemoryNotificationLog(),
        retry=RetryPolicy(attempts=3, backoff=1),
        sleep=waits.append,
    ).deliver([NOTICE])
    assert delivery.ok and waits == [1, 2] and len(handler.received) == 1


def test_a_configuration_names_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(NotifyConfigError, match=r"smtp.*webhook"):
        notifiers_from_config({"contacts": {}})
    monkeypatch.delenv("FY_HOOK_SECRET", raising=False)
    with pytest.raises(NotifyConfigError, match="FY_HOOK_SECRET"):
        notifiers_from_config(
            {"webhook": {"url": "http://127.0.0.1:1/", "secret_env": "FY_HOOK_SECRET"}}
        )
    monkeypatch.setenv("FY_HOOK_SECRET", "x")
    notifiers, retry = notifiers_from_config(
        {
            "webhook": {"url": "http://127.0.0.1:1/", "secret_env": "FY_HOOK_SECRET"},
            "retry": {"attempts": 2},
        }
    )
    assert [n.name for n in notifiers] == ["webhook"] and retry.attempts == 2


def test_fyrules_notify_send_delivers_through_smtp_and_the_webhook(
    tmp_path: Any, smtp_server: Any, receiver: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """The command end to end: the notifications due, emailed and posted, and recorded in
    the store so that a second run sends nothing."""
    from fyrules.cli import main
    from fyrules.examples import rulebook_path

    controller, inbox = smtp_server
    url, handler = receiver
    handler.now = dt.datetime.now(dt.UTC).timestamp()  # the notifier stamps the real time
    events = tmp_path / "events.jsonl"
    events.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"e-{n}",
                    "case": "FY-202510-000001",
                    "item": "FY-SC-001",
                    "event": kind,
                    "at": at,
                    "actor": actor,
                    "dept": "SC",
                    "data": {},
                }
            )
            + "\n"
            for n, (kind, at, actor) in enumerate(
                [
                    ("accept", "2025-10-09T09:30:00+08:00", "P-SC-03"),
                    ("undertake", "2025-10-09T10:00:00+08:00", "P-SC-14"),
                ]
            )
        ),
        encoding="utf-8",
    )
    config = tmp_path / "notify.toml"
    config.write_text(
        f"""
[smtp]
host = "127.0.0.1"
port = {_port(controller)}
sender = "dzjc@center.example"

[webhook]
url = "{url}"
secret_env = "FYRULES_TEST_WEBHOOK_SECRET"

[retry]
attempts = 2
backoff_seconds = 0

[contacts]
P-SC-14 = "fengtao@center.example"
P-SC-01 = "wangjianguo@center.example"
P-ZJ-02 = "chenjing@center.example"
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("FYRULES_TEST_WEBHOOK_SECRET", SECRET.decode())
    store = str(tmp_path / "cases.db")
    argv = [
        "notify",
        str(rulebook_path("fuyang")),
        str(events),
        "--as-of",
        "2025-11-10T00:00",
        "--send",
        "--config",
        str(config),
        "--store",
        store,
        "--format",
        "json",
    ]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [d["status"] for d in doc["deliveries"]] == ["sent"] * 4
    assert len(inbox.messages) == 4 and len(handler.received) == 4
    assert {m["trigger"] for m in handler.received} == {"prompt", "yellow", "red", "stage_overrun"}
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["notifications"] == []
    assert len(inbox.messages) == 4  # nothing sent twice
