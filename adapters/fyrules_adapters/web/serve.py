"""``fyrules serve``: the web service on uvicorn.

uvicorn stops on SIGINT or SIGTERM by refusing new connections and finishing the requests it
has; the app's lifespan then closes the store. An event is answered ``accepted`` only after
its request's events are committed, so a stop loses no accepted event.
"""

from __future__ import annotations

import logging
import signal
import sys
from typing import Any

import uvicorn

from fyrules import PublishError, Rulebook

from .app import Settings, create_app
from .middleware import ACCESS_LOG
from .service import CaseService
from .stores import StoreOpenError, open_store
from .tokens import TokenBook, TokenFileError


class ServeError(Exception):
    """The service cannot start; the message is ``中文 / English``."""


def build(
    rulebook: Rulebook, store: str, tokens: str | None, settings: Settings | None = None
) -> Any:
    """The app for ``serve``, its store already open (so a bad store stops it here)."""
    try:
        book = TokenBook.load(tokens)
    except TokenFileError as exc:
        raise ServeError(str(exc)) from None
    service = CaseService(rulebook, lambda: open_store(store))
    try:
        service.start()
    except StoreOpenError as exc:
        service.stop()
        raise ServeError(str(exc)) from None
    try:
        # the pages render the catalog now: a broken template of the rulebook stops it here
        return create_app(rulebook, service, book, settings), book
    except PublishError as exc:
        service.stop()
        raise ServeError(str(exc)) from None


def serve(
    rulebook: Rulebook,
    *,
    store: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    tokens: str | None = None,
) -> int:
    """Run the service until it is stopped; 0 after a clean stop."""
    app, book = build(rulebook, store, tokens)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    ACCESS_LOG.addHandler(handler)
    ACCESS_LOG.setLevel(logging.INFO)
    ACCESS_LOG.propagate = False
    if not len(book):
        sys.stderr.write(
            "fyrules serve: 没有令牌（--tokens），只有公开接口可用 / no tokens (--tokens): only "
            "the public endpoints answer\n"
        )
    sys.stderr.write(
        f"fyrules serve: {rulebook.id} {rulebook.manifest.version or ''} on "
        f"http://{host}:{port}/api (store {store})\n"
    )
    sys.stderr.flush()
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=False,  # the app writes its own, structured
        proxy_headers=False,  # the client address is the peer's: a header cannot change it
        server_header=False,
        log_level="warning",
    )
    # uvicorn stops gracefully on SIGTERM, then raises it again for the handler it found:
    # this one, so a stop asked for ends with exit 0 rather than death by the signal
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        uvicorn.Server(config).run()
    finally:
        signal.signal(signal.SIGTERM, previous)
    sys.stderr.write("fyrules serve: 已停止，存储已关闭 / stopped, the store is closed\n")
    return 0
