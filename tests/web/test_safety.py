"""A public service on a real ``fyrules serve`` process: request size limits, strict bodies
checked as ``fyrules evaluate`` checks events, security headers on every answer, a structured
access log without codes or tokens, and a graceful stop that loses no accepted event."""

from __future__ import annotations

import json
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fyrules.cli import main
from tests.web.support import (
    FUYANG,
    ROLES,
    Server,
    add_token,
    bearer,
    in_process,
    month_events,
    ndjson,
    running,
)

HEADERS = {
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("safety")
    tokens_file = folder / "tokens.json"
    tokens = {role: add_token(tokens_file, role) for role in ROLES}
    with running(folder / "cases.db", tokens_file) as srv:
        yield srv, tokens


def test_a_body_over_the_limit_is_refused_whether_declared_or_streamed(served):
    srv, tokens = served
    big = b"[" + b" " * (16 * 1024 * 1024) + b"]"
    declared = srv.client.post(
        "/api/events",
        content=big,
        headers={**bearer(tokens["intake"]), "content-type": "application/json"},
    )
    assert declared.status_code == 413 and declared.json()["error"] == "TOO-LARGE"

    def chunks():
        for _ in range(17):
            yield b" " * (1024 * 1024)

    streamed = srv.client.post(
        "/api/events",
        content=chunks(),
        headers={**bearer(tokens["intake"]), "content-type": "application/json"},
    )
    assert streamed.status_code == 413
    query = srv.client.post(
        "/api/public/progress", json={"case": "A", "code": "B" * 40, "pad": "x" * 5000}
    )
    assert query.status_code == 413


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"not json", "application/json"),
        (b'{"case": "x"}', "application/json"),
        (b"\xff\xfe[]", "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (b"\xff\n", "application/x-ndjson"),
    ],
    ids=["not-json", "object", "not-utf8", "deep", "ndjson-not-utf8"],
)
def test_a_body_that_is_not_events_is_a_400_and_records_nothing(served, body, content_type):
    srv, tokens = served
    before = srv.client.get("/api/health", headers=bearer(tokens["staff"])).json()
    answer = srv.client.post(
        "/api/events",
        content=body,
        headers={**bearer(tokens["intake"]), "content-type": content_type},
    )
    assert answer.status_code == 400 and answer.json()["error"] == "INVALID-BODY"
    assert " / " not in answer.json()["message_zh"] and answer.json()["message_en"]
    after = srv.client.get("/api/health", headers=bearer(tokens["staff"])).json()
    assert after["trail_head"] == before["trail_head"]


def test_events_are_checked_as_fyrules_evaluate_checks_them(tmp_path, capsys):
    """The same lines (with duplicates, refused events and broken lines) through the CLI and
    through POST /api/events as NDJSON: the same counts, the same rejections in order."""
    import fyrules
    from fyrules.simulation.cases import generate, write_jsonl

    lines = tmp_path / "events.jsonl"
    with lines.open("w", encoding="utf-8") as out:
        write_jsonl(
            generate(fyrules.load(FUYANG), month="2025-10", cases=25, seed=9, faults=True), out
        )
        out.write("not json at all\n")
        out.write('{"case": "FY-X", "item": "FY-SC-001", "event": "accept"}\n')
        out.write(
            '{"case": "FY-X", "item": "FY-SC-001", "event": "rate", "at": "2025-10-09T09:00:00+08:00", "data": {"score": NaN}}\n'
        )
        out.write(
            '{"case": "FY-X", "item": "FY-SC-001", "event": "fly", "at": "2025-10-09T09:00:00+08:00"}\n'
        )
    main(["evaluate", str(FUYANG), str(lines), "--format", "json"])
    cli = json.loads(capsys.readouterr().out)
    tokens_file = tmp_path / "tokens.json"
    intake = add_token(tokens_file, "intake")
    with running(tmp_path / "cases.db", tokens_file) as srv:
        answer = srv.client.post(
            "/api/events",
            content=lines.read_bytes(),
            headers={**bearer(intake), "content-type": "application/x-ndjson"},
        ).json()
    assert answer["accepted"] == cli["summary"]["accepted"]
    assert answer["duplicates"] == cli["summary"]["duplicates"]
    assert answer["rejected"] == cli["summary"]["rejected"] >= 4
    served_rejections = [
        (r["reason"], r["message_en"]) for r in answer["results"] if r["outcome"] == "rejected"
    ]
    cli_rejections = [(r["reason"], r["message_en"]) for r in cli["rejected"]]
    assert [r for r, _ in served_rejections] == [r for r, _ in cli_rejections]
    # the CLI's messages name the file's line; the service's the same problem without it
    for (_, mine), (_, theirs) in zip(served_rejections, cli_rejections, strict=True):
        assert mine.split(": ")[-1] in theirs


def test_a_json_array_and_ndjson_are_the_same_events(tmp_path):
    events = month_events(cases=10, seed=31)
    answers = []
    for n, body in enumerate(
        [
            (json.dumps(events).encode(), "application/json"),
            (ndjson(events), "application/x-ndjson"),
        ]
    ):
        tokens_file = tmp_path / f"tokens{n}.json"
        intake = add_token(tokens_file, "intake")
        with running(tmp_path / f"cases{n}.db", tokens_file) as srv:
            answer = srv.client.post(
                "/api/events", content=body[0], headers={**bearer(intake), "content-type": body[1]}
            ).json()
            answers.append([(r["case"], r["outcome"], r.get("reason")) for r in answer["results"]])
    assert answers[0] == answers[1] and len(answers[0]) == len(events)


def test_every_answer_carries_the_security_headers(served):
    srv, _ = served
    answers = [
        srv.client.get("/api/items"),
        srv.client.get("/api/no-such-path"),
        srv.client.get("/api/health"),
        srv.client.get("/api/rankings/2025-13"),
        srv.client.post("/api/public/progress", content=b"x" * 5000),
        srv.client.get("/openapi.json"),
    ]
    assert [a.status_code for a in answers] == [200, 404, 401, 422, 413, 200]
    for answer in answers:
        for name, value in HEADERS.items():
            assert answer.headers.get(name) == value, (answer.request.url, name)


def test_the_access_log_is_json_lines_without_codes_or_tokens(tmp_path):
    tokens_file = tmp_path / "tokens.json"
    tokens = {role: add_token(tokens_file, role) for role in ROLES}
    with running(tmp_path / "cases.db", tokens_file) as srv:
        answer = srv.client.post(
            "/api/events", json=month_events(cases=6, seed=32), headers=bearer(tokens["intake"])
        ).json()
        codes = {r["case"]: r["query_code"] for r in answer["results"] if r.get("query_code")}
        case, code = next(iter(codes.items()))
        assert (
            srv.client.post("/api/public/progress", json={"case": case, "code": code}).status_code
            == 200
        )
        srv.client.post("/api/public/progress", json={"case": case, "code": "WRONG-CODE1"})
        srv.client.get(
            "/api/findings?as_of=2025-10-31T00:00:00%2B08:00", headers=bearer(tokens["supervisor"])
        )
        srv.stop()
        log = srv.output()
    records = []
    for line in log.splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    assert [r["status"] for r in records if r["path"] == "/api/public/progress"] == [200, 404]
    assert {"time", "client", "method", "path", "status", "bytes", "ms"} <= set(records[-1])
    assert all("?" not in r["path"] for r in records)
    for secret in [*tokens.values(), *codes.values(), "WRONG-CODE1"]:
        assert secret not in log
        # a token is PREFIX_ID_SECRET, and its secret (token_urlsafe) may hold "_" itself
        assert secret.split("_", 2)[-1] not in log


def test_a_stop_during_a_post_finishes_it_and_loses_no_accepted_event(tmp_path):
    from fyrules_adapters.sqlite import SqliteStore

    tokens_file = tmp_path / "tokens.json"
    intake = add_token(tokens_file, "intake")
    events = month_events(cases=1500, seed=33)
    srv = Server(tmp_path / "cases.db", tokens_file)
    result: dict = {}

    def post():
        answer = srv.client.post("/api/events", json=events, headers=bearer(intake))
        result["answer"] = answer.json()
        result["done"] = time.monotonic()

    poster = threading.Thread(target=post)
    poster.start()
    time.sleep(1.0)
    signalled = time.monotonic()
    srv.terminate()
    poster.join(timeout=300)
    code = srv.stop()
    assert "done" in result and result["done"] > signalled, "the post ended before the stop"
    assert code == 0 and "stopped, the store is closed" in srv.output()
    accepted = result["answer"]["accepted"]
    assert accepted == len(events) - result["answer"]["rejected"] - result["answer"]["duplicates"]
    with SqliteStore(tmp_path / "cases.db") as store:
        # every id the answer counted is stored: accepted ones, and refused ones too, so a
        # redelivered refusal is a duplicate (stored once)
        refused_with_id = sum(1 for r in store.rejected() if (r.get("event") or {}).get("id"))
        assert store.stats()["event_ids"] == accepted + refused_with_id
        assert refused_with_id == result["answer"]["rejected"]


@settings(max_examples=60, deadline=None)
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(["case", "item", "event", "at", "id", "data", "dept", "x"]),
                    inner,
                    max_size=6,
                )
            ),
            max_leaves=20,
        ).map(lambda v: json.dumps(v).encode()),
    ),
    content_type=st.sampled_from(["application/json", "application/x-ndjson", "text/plain"]),
)
def test_no_body_posted_as_events_gives_a_server_error(tmp_path_factory, body, content_type):
    """Invariant: whatever the body, the answer is 200 (one answer per event) or 400."""
    global _FUZZ
    if _FUZZ is None:
        manager = in_process(tmp_path_factory.mktemp("fuzz"))
        client, tokens = manager.__enter__()
        _FUZZ = (manager, client, tokens)
    _, client, tokens = _FUZZ
    answer = client.post(
        "/api/events",
        content=body,
        headers={**bearer(tokens["intake"]), "content-type": content_type},
    )
    assert answer.status_code in (200, 400), answer.text
    if answer.status_code == 200:
        doc = answer.json()
        assert doc["accepted"] + doc["rejected"] + doc["duplicates"] == len(doc["results"])


_FUZZ = None


@pytest.fixture(scope="module", autouse=True)
def _close_fuzz_app():
    yield
    if _FUZZ is not None:
        _FUZZ[0].__exit__(None, None, None)
