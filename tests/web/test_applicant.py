"""The applicant's query (POST /api/public/progress): a code issued once per case at
acceptance and kept only as a scrypt hash; a wrong code and an unknown case answer alike, in
the same time class; failures are limited per client and per case (429 with Retry-After);
the answer holds that case's progress and no staff member's identity."""

from __future__ import annotations

import re
import statistics
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.web.support import add_token, bearer, in_process, month_events, running

CODE = re.compile(r"^[0-9A-Z]{5}-[0-9A-Z]{5}$")
PROGRESS = "/api/public/progress"


def _post_month(client, token, cases=30, seed=21, until="2025-10-20"):
    """Post the generated events before ``until`` (so some cases are still open)."""
    events = [e for e in month_events(cases=cases, seed=seed) if e["at"] < until]
    answer = client.post("/api/events", json=events, headers=bearer(token))
    assert answer.status_code == 200
    codes = {r["case"]: r["query_code"] for r in answer.json()["results"] if r.get("query_code")}
    return events, answer.json(), codes


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("applicant")
    tokens_file = folder / "tokens.json"
    intake = add_token(tokens_file, "intake")
    store = folder / "cases.db"
    with running(store, tokens_file) as srv:
        events, answer, codes = _post_month(srv.client, intake)
        yield srv, intake, events, answer, codes, store, tokens_file


def test_each_accepted_case_gets_one_code_at_acceptance(served):
    srv, intake, events, answer, codes, *_ = served
    accepted_cases = {
        e["case"]
        for e, r in zip(events, answer["results"], strict=True)
        if e["event"] == "accept" and r["outcome"] == "accepted"
    }
    assert accepted_cases and set(codes) == accepted_cases
    assert all(CODE.match(code) for code in codes.values())
    assert len(set(codes.values())) == len(codes)
    for e, r in zip(events, answer["results"], strict=True):
        assert ("query_code" in r and r["query_code"] is not None) == (
            e["event"] == "accept" and r["outcome"] == "accepted"
        )
    again = srv.client.post("/api/events", json=events, headers=bearer(intake)).json()
    assert again["duplicates"] == len(events)
    assert not any(r.get("query_code") for r in again["results"])


def test_the_code_shows_its_case_and_no_staff_identity(served):
    srv, _, events, _, codes, *_ = served
    statuses = set()
    for case, code in codes.items():
        answer = srv.client.post(PROGRESS, json={"case": case, "code": code.lower()})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        statuses.add(body["status"])
        assert body["case"] == case and body["accepted_at"] is not None
        if body["status"] == "open":
            assert body["deadlines"]["committed_due"] and body["stages"]
        else:
            assert body["deadlines"]["completed"] and body["closed_at"]
        text = answer.text
        actors = {e["actor"] for e in events if e.get("actor")}
        assert not [a for a in actors if a in text]
        assert "approved_by" not in text and "actors" not in text
        assert not [c for c in codes if c != case and c in text]
    assert statuses == {"open", "closed"}


def test_a_wrong_code_and_an_unknown_case_answer_alike(served):
    srv, _, _, _, codes, *_ = served
    case = next(iter(codes))
    wrong = srv.client.post(PROGRESS, json={"case": case, "code": "00000-00000"})
    number = int(case.rsplit("-", 1)[1])
    unknown = srv.client.post(
        PROGRESS,
        json={"case": f"{case.rsplit('-', 1)[0]}-{number + 5000:06d}", "code": "00000-00000"},
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content
    drop = {"date", "content-length"}
    assert {k: v for k, v in wrong.headers.items() if k not in drop} == {
        k: v for k, v in unknown.headers.items() if k not in drop
    }


def test_codes_are_kept_as_hashes_only_and_survive_a_restart(served):
    srv, _, _, _, codes, store, tokens_file = served
    raw = b"".join(p.read_bytes() for p in store.parent.glob(store.name + "*"))
    for code in codes.values():
        assert code.encode() not in raw and code.replace("-", "").encode() not in raw
    case, code = next(iter(codes.items()))
    assert srv.stop() == 0
    with running(store, tokens_file) as again:
        answer = again.client.post(PROGRESS, json={"case": case, "code": code})
        assert answer.status_code == 200 and answer.json()["case"] == case


def test_failures_are_limited_per_case_and_per_client(tmp_path):
    tokens_file = tmp_path / "tokens.json"
    intake = add_token(tokens_file, "intake")
    with running(tmp_path / "cases.db", tokens_file) as srv:
        _, _, codes = _post_month(srv.client, intake, cases=12, seed=22)
        (case_a, code_a), (case_b, code_b) = list(codes.items())[:2]
        for _ in range(5):  # the per-case limit of Settings: 5 failures in 15 minutes
            assert srv.client.post(PROGRESS, json={"case": case_a, "code": "X"}).status_code == 404
        locked = srv.client.post(PROGRESS, json={"case": case_a, "code": code_a})
        assert locked.status_code == 429 and locked.json()["error"] == "TOO-MANY-FAILURES"
        assert 1 <= int(locked.headers["retry-after"]) <= 900
        assert srv.client.post(PROGRESS, json={"case": case_b, "code": code_b}).status_code == 200
        for n in range(5):  # the per-client limit: 10 failures in 10 minutes
            unknown = {"case": f"NO-SUCH-{n}", "code": "X"}
            assert srv.client.post(PROGRESS, json=unknown).status_code == 404
        refused = srv.client.post(PROGRESS, json={"case": case_b, "code": code_b})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 600


def test_a_wrong_code_and_an_unknown_case_take_the_same_time(tmp_path):
    """Both do one scrypt: their median times stay within a factor of 1.5 of each other
    (the success path and the rate limits aside; limits raised for the measurement)."""
    from fyrules_adapters.web.app import Settings
    from fyrules_adapters.web.limits import Limit

    loose = Settings(failures_per_client=Limit(10_000, 1.0), failures_per_case=Limit(10_000, 1.0))
    with in_process(tmp_path, loose) as (client, tokens):
        _, _, codes = _post_month(client, tokens["intake"], cases=8, seed=23)
        case = next(iter(codes))

        def timed(body):
            start = time.perf_counter()
            assert client.post(PROGRESS, json=body).status_code == 404
            return time.perf_counter() - start

        known, unknown = [], []
        for n in range(15):
            known.append(timed({"case": case, "code": f"WRONG-{n:05d}"}))
            unknown.append(timed({"case": f"FY-209912-{n:06d}", "code": f"WRONG-{n:05d}"}))
        ratio = statistics.median(known) / statistics.median(unknown)
        assert 1 / 1.5 < ratio < 1.5, (known, unknown)


@settings(max_examples=25, deadline=None)
@given(
    case=st.text(min_size=0, max_size=220),
    code=st.text(min_size=0, max_size=50),
)
def test_no_case_is_reached_without_its_code(tmp_path_factory, case, code):
    """Invariant: any case text and any code text that is not the case's code get a 404 with
    one fixed body (or 422 for a malformed query), never the case."""
    global _APP
    if _APP is None:
        from fyrules_adapters.web.app import Settings
        from fyrules_adapters.web.limits import Limit

        folder = tmp_path_factory.mktemp("enumeration")
        loose = Settings(failures_per_client=Limit(10**6, 1.0), failures_per_case=Limit(10**6, 1.0))
        manager = in_process(folder, loose)
        client, tokens = manager.__enter__()
        _, _, codes = _post_month(client, tokens["intake"], cases=6, seed=24)
        wrong = client.post(PROGRESS, json={"case": next(iter(codes)), "code": "0"}).content
        _APP = (manager, client, codes, wrong)
    _, client, codes, wrong = _APP
    for target in (case, *list(codes)[:1]):
        answer = client.post(PROGRESS, json={"case": target, "code": code})
        if answer.status_code == 200:
            assert code and codes.get(target, "").replace("-", "") == code.replace("-", "").upper()
        elif answer.status_code == 404:
            assert answer.content == wrong
        else:
            assert answer.status_code == 422


_APP = None


@pytest.fixture(scope="module", autouse=True)
def _close_enumeration_app():
    yield
    if _APP is not None:
        _APP[0].__exit__(None, None, None)
