"""The web adapter on loopback: requests per second and p50/p99 latency of event intake
(POST /api/events) and of the applicant's query (POST /api/public/progress), on a real
``fyrules serve`` process on 127.0.0.1, against the in-process monitor on the same events.

The same generated month of Fuyang is

- fed in process to a monitor on a fresh ``SqliteStore`` file (the server's default store):
  one event per transaction, and in ``store.batch()`` — the peers;
- posted to a fresh server, one event per request, by ``--clients`` threads (each owning a
  share of the cases, so every case's events stay in order): requests per second and latency;
- posted to another fresh server in requests of ``--batch`` events.

The HTTP overhead is the ratio of the server's events per second to the in-process monitor's
on the same store. An ``accept`` event's answer carries the applicant's code, hashed with
scrypt before the answer goes back: that cost is the server's, not the monitor's, and is part
of the ratio. Then ``--queries`` applicant queries (right codes, so no rate limit) go to the
first server from the same threads. Every load is bounded in count and time.

    python benchmarks/bench_web.py [--cases N] [--clients C] [--batch B] [--queries Q] [--json]

Measured 2026-12-07 on the project's shared two-core machine (load average about 9), default
options: in process 1,430 events/s (one commit each), 3,188 (batch); one event per request 100
requests/s, p50 26 ms, p99 207 ms (accept events p50 123 ms: the code's scrypt; others 22 ms);
500 per request 175 events/s; applicant's query 28 requests/s, p50 143 ms, p99 238 ms; intake
÷ monitor 0.070 (single events), 0.055 (batches). docs/web.md §7 explains them.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
try:
    import fyrules
except ImportError:  # run from a checkout that is not installed
    sys.path.insert(0, str(ROOT))
    import fyrules
try:
    from fyrules_adapters.sqlite import SqliteStore
except ImportError:
    sys.path.insert(0, str(ROOT / "adapters"))
    from fyrules_adapters.sqlite import SqliteStore
import httpx  # noqa: E402  (after the checkout's paths)

from fyrules.simulation.cases import generate  # noqa: E402

FUYANG = ROOT / "examples" / "fuyang"
TIMEOUT = 600.0  # seconds a whole load may take


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "adapters")])}


class _Server:
    def __init__(self, folder: Path):
        tokens = folder / "tokens.json"
        self.intake = subprocess.run(
            [sys.executable, "-m", "fyrules", "token", "add", str(tokens), "--role", "intake"],
            capture_output=True,
            text=True,
            env=_env(),
            check=True,
        ).stdout.strip()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fyrules",
                "serve",
                str(FUYANG),
                "--store",
                str(folder / "cases.db"),
                "--port",
                str(self.port),
                "--tokens",
                str(tokens),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_env(),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/api/items", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("fyrules serve did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=120)


def _load(base: str, jobs: Sequence[Sequence[tuple[str, Any, dict[str, str]]]]) -> dict[str, Any]:
    """Run each job list on its own thread (requests in order); latencies and answers."""
    latencies: list[tuple[float, Any]] = []
    answers: list[Any] = []
    lock = threading.Lock()
    deadline = time.monotonic() + TIMEOUT

    def worker(job: Sequence[tuple[str, Any, dict[str, str]]]) -> None:
        mine, got = [], []
        with httpx.Client(base_url=base, timeout=120) as client:
            for path, body, headers in job:
                if time.monotonic() > deadline:
                    break
                began = time.perf_counter()
                answer = client.post(path, json=body, headers=headers)
                kind = body[0].get("event") if isinstance(body, list) and len(body) == 1 else None
                mine.append((time.perf_counter() - began, kind))
                got.append((answer.status_code, answer.json()))
        with lock:
            latencies.extend(mine)
            answers.extend(got)

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began
    latencies.sort(key=lambda entry: entry[0])
    times = [t for t, _ in latencies]
    out = {
        "requests": len(times),
        "seconds": seconds,
        "requests_per_s": len(times) / seconds,
        "p50_ms": 1000 * statistics.median(times),
        "p99_ms": 1000 * _p99(times),
    }
    accepts = [t for t, kind in latencies if kind == "accept"]
    others = [t for t, kind in latencies if kind not in (None, "accept")]
    if accepts and others:  # single events: an accept also issues the applicant's code
        out["accept_p50_ms"] = 1000 * statistics.median(accepts)
        out["other_p50_ms"] = 1000 * statistics.median(others)
        out["other_p99_ms"] = 1000 * _p99(others)
    return {
        **out,
        "answers": answers,
    }


def _p99(times: list[float]) -> float:
    return sorted(times)[min(len(times) - 1, int(0.99 * len(times)))]


def _in_process(rb: Any, events: list[Any], folder: Path, batch: bool) -> float:
    store = SqliteStore(folder / ("batch.db" if batch else "each.db"))
    monitor = rb.monitor(store=store)
    began = time.perf_counter()
    if batch:
        with store.batch():
            monitor.feed_all(events)
    else:
        monitor.feed_all(events)
    seconds = time.perf_counter() - began
    store.close()
    return len(events) / seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    rb = fyrules.load(FUYANG)
    events = [
        e.model_dump(mode="json")
        for e in generate(rb, month="2025-10", cases=args.cases, seed=args.seed)
    ]
    parsed = [fyrules.Event.model_validate(e) for e in events]
    figures: dict[str, Any] = {"events": len(events), "cases": args.cases, "clients": args.clients}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        figures["in_process_events_per_s"] = _in_process(rb, parsed, folder, batch=False)
        figures["in_process_batch_events_per_s"] = _in_process(rb, parsed, folder, batch=True)

        (folder / "one").mkdir()
        server = _Server(folder / "one")
        try:
            headers = {"Authorization": f"Bearer {server.intake}"}
            shares: list[list[tuple[str, Any, dict[str, str]]]] = [[] for _ in range(args.clients)]
            for e in events:
                shares[hash(e["case"]) % args.clients].append(("/api/events", [e], headers))
            intake = _load(server.base, shares)
            codes = {}
            for status, body in intake.pop("answers"):
                assert status == 200, body
                for r in body["results"]:
                    if r.get("query_code"):
                        codes[r["case"]] = r["query_code"]
            figures["intake_one_event_per_request"] = intake
            figures["intake_events_per_s"] = intake["requests"] / intake["seconds"]
            figures["cases_with_codes"] = len(codes)

            cases = sorted(codes)
            queries = [
                ("/api/public/progress", {"case": c, "code": codes[c]}, {})
                for c in (cases * (args.queries // max(1, len(cases)) + 1))[: args.queries]
            ]
            query = _load(server.base, [queries[i :: args.clients] for i in range(args.clients)])
            statuses = {s for s, _ in query.pop("answers")}
            assert statuses == {200}, statuses
            figures["applicant_query"] = query
        finally:
            server.stop()

        (folder / "batch").mkdir()
        server = _Server(folder / "batch")
        try:
            headers = {"Authorization": f"Bearer {server.intake}"}
            batches = [
                ("/api/events", events[i : i + args.batch], headers)
                for i in range(0, len(events), args.batch)
            ]
            batched = _load(server.base, [batches])
            accepted = sum(body["accepted"] for _, body in batched.pop("answers"))
            figures["intake_batch"] = {**batched, "batch": args.batch, "accepted": accepted}
            figures["intake_batch_events_per_s"] = len(events) / batched["seconds"]
        finally:
            server.stop()

    figures["ratio_intake_vs_monitor"] = (
        figures["intake_events_per_s"] / figures["in_process_events_per_s"]
    )
    figures["ratio_batch_intake_vs_monitor_batch"] = (
        figures["intake_batch_events_per_s"] / figures["in_process_batch_events_per_s"]
    )
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    i, q, b = (
        figures["intake_one_event_per_request"],
        figures["applicant_query"],
        figures["intake_batch"],
    )
    print(f"{figures['events']} events of {args.cases} cases, {args.clients} clients on 127.0.0.1")
    print(
        f"in process, SqliteStore file:   {figures['in_process_events_per_s']:10,.0f} events/s "
        f"(one commit each)   {figures['in_process_batch_events_per_s']:10,.0f} events/s (batch)"
    )
    print(
        f"POST /api/events, 1 per request: {i['requests_per_s']:10,.0f} requests/s   "
        f"p50 {i['p50_ms']:.1f} ms   p99 {i['p99_ms']:.1f} ms"
    )
    print(
        f"  of which accept events (they issue a code): p50 {i['accept_p50_ms']:.1f} ms;   "
        f"other events: p50 {i['other_p50_ms']:.1f} ms   p99 {i['other_p99_ms']:.1f} ms"
    )
    print(
        f"POST /api/events, {args.batch} per request: {figures['intake_batch_events_per_s']:10,.0f} events/s   "
        f"p50 {b['p50_ms']:.0f} ms per request"
    )
    print(
        f"POST /api/public/progress:      {q['requests_per_s']:10,.0f} requests/s   "
        f"p50 {q['p50_ms']:.1f} ms   p99 {q['p99_ms']:.1f} ms"
    )
    print(
        f"ratio, intake / in-process monitor: {figures['ratio_intake_vs_monitor']:.3f} (one event "
        f"per request vs one commit per event), {figures['ratio_batch_intake_vs_monitor_batch']:.3f} (batches)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
