"""ASGI middleware of a public service: request size limits, security headers, and a
structured access log that never holds a query code or a token (it logs no body, no header and
no query string)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ACCESS_LOG = logging.getLogger("fyrules.web.access")

# No scripts, styles, frames or plugins from anywhere: the API serves JSON. Pages that come
# later pass their own policy (SecurityHeaders(policy=...)).
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


class _TooLarge(Exception):
    pass


async def _json(send: Send, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


class BodyLimit:
    """Refuse (413) a request body longer than ``limit`` bytes, or ``limits[path]`` for a
    path named there, whether it says its length or streams it."""

    def __init__(self, app: ASGIApp, limit: int, limits: dict[str, int] | None = None):
        self.app, self.limit, self.limits = app, limit, limits or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope.get("path", ""), self.limit)
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = limit + 1
                if declared > limit:
                    await _json(send, 413, _too_large(limit))
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except _TooLarge:
            if not started:
                await _json(send, 413, _too_large(limit))


def _too_large(limit: int) -> dict[str, Any]:
    return {
        "error": "TOO-LARGE",
        "message_zh": f"请求体超过 {limit} 字节，请分批提交",
        "message_en": f"the request body is over {limit} bytes; send it in smaller parts",
    }


class SecurityHeaders:
    """Content-Security-Policy, no MIME sniffing, no framing, no referrer, no caching."""

    def __init__(self, app: ASGIApp, policy: str = API_POLICY):
        self.app = app
        self.headers = [
            (b"content-security-policy", policy.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cache-control", b"no-store"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", ())}
                message["headers"] = [
                    *message.get("headers", ()),
                    *(h for h in self.headers if h[0] not in names),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


class AccessLog:
    """One JSON line per request on the ``fyrules.web.access`` logger: time, client, method,
    path (without its query string), status, bytes sent and milliseconds."""

    def __init__(self, app: ASGIApp, logger: logging.Logger = ACCESS_LOG):
        self.app, self.logger = app, logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status, sent = 500, 0

        async def counted(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counted)
        finally:
            client = scope.get("client")
            self.logger.info(
                json.dumps(
                    {
                        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                        "client": client[0] if client else None,
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status,
                        "bytes": sent,
                        "ms": round((time.perf_counter() - start) * 1000, 2),
                    },
                    ensure_ascii=False,
                )
            )
