"""A real ``fyrules serve`` process on 127.0.0.1, and tokens and events for it."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FUYANG, fuyang_rulebook, generated_month

for _name in ("fastapi", "uvicorn"):
    pytest.importorskip(_name, reason="the web extra is not installed: pip install -e '.[test]'")
httpx = pytest.importorskip("httpx", reason="httpx is not installed: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parents[2]
ROLES = ("intake", "staff", "supervisor")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def add_token(path: Path, role: str, *depts: str) -> str:
    """A token made by the real command, ``fyrules token add``."""
    argv = [sys.executable, "-m", "fyrules", "token", "add", str(path), "--role", role]
    for d in depts:
        argv += ["--dept", d]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=_env())
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "adapters")])
    return env


class Server:
    """``fyrules serve`` in its own process; ``stop()`` sends SIGTERM and waits."""

    def __init__(
        self,
        store: Path | str,
        tokens: Path | None,
        rulebook: Path = FUYANG,
        log_dir: Path | None = None,
    ):
        """``store``: a SQLite file, or a database URL with ``log_dir`` for the server's log."""
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        if isinstance(store, Path):
            self.log = store.with_name(store.name + f".{self.port}.log")
        else:
            assert log_dir is not None, "a database URL needs log_dir"
            self.log = log_dir / f"serve.{self.port}.log"
        argv = [
            sys.executable,
            "-m",
            "fyrules",
            "serve",
            str(rulebook),
            "--store",
            str(store),
            "--port",
            str(self.port),
        ]
        if tokens is not None:
            argv += ["--tokens", str(tokens)]
        self._log_file = self.log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            argv, stdout=self._log_file, stderr=subprocess.STDOUT, env=_env(), cwd=ROOT
        )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"fyrules serve exited: {self.output()}")
            try:
                if httpx.get(self.base + "/api/items", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"fyrules serve did not answer: {self.output()}")
            time.sleep(0.2)
        self.client = httpx.Client(base_url=self.base, timeout=120)

    def output(self) -> str:
        if not self._log_file.closed:
            self._log_file.flush()
        return self.log.read_text(encoding="utf-8")

    signalled = False

    def terminate(self) -> None:
        """Ask the server to stop (SIGTERM), once."""
        self.signalled = True
        self.process.send_signal(signal.SIGTERM)

    def stop(self) -> int:
        with contextlib.suppress(AttributeError):
            self.client.close()
        if self.process.poll() is None and not self.signalled:
            self.terminate()
        code = self.process.wait(timeout=120)
        self._log_file.close()
        return code


@contextlib.contextmanager
def running(
    store: Path | str, tokens: Path | None, log_dir: Path | None = None
) -> Iterator[Server]:
    server = Server(store, tokens, log_dir=log_dir)
    try:
        yield server
    finally:
        server.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def month_events(cases: int = 40, seed: int = 3) -> list[dict[str, Any]]:
    """Generated events of October 2025 as JSON objects."""
    return [e.model_dump(mode="json") for e in generated_month(cases, seed)]


def ndjson(events: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events).encode()


@contextlib.contextmanager
def in_process(folder: Path, settings: Any = None) -> Iterator[tuple[Any, dict[str, str]]]:
    """The app on a SQLite file in ``folder``, through FastAPI's test client (for what a
    real server cannot vary: its limits), with a token of each role."""
    from fastapi.testclient import TestClient

    from fyrules_adapters.web.app import create_app
    from fyrules_adapters.web.service import CaseService
    from fyrules_adapters.web.stores import open_store
    from fyrules_adapters.web.tokens import TokenBook
    from fyrules_adapters.web.tokens import add_token as make_token

    rulebook = fuyang_rulebook()
    tokens_file = folder / "tokens.json"
    tokens = {role: make_token(tokens_file, role) for role in ROLES}
    service = CaseService(rulebook, lambda: open_store(str(folder / "cases.db")))
    app = create_app(rulebook, service, TokenBook.load(tokens_file), settings)
    with TestClient(app) as client:
        yield client, tokens
