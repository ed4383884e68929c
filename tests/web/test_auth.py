"""Tokens and roles on a real ``fyrules serve`` process: every guarded endpoint refuses a
request without a token or with an unknown one (401), and a token of the wrong role (403),
and answers the right roles; public endpoints need no token; department limits hold."""

from __future__ import annotations

import json

import pytest

from tests.web.support import ROLES, add_token, bearer, month_events, running

CASE_PLACEHOLDER = "{case}"
GUARDED = {
    ("GET", "/api/health"): {"intake", "staff", "supervisor"},
    ("POST", "/api/events"): {"intake"},
    ("GET", "/api/cases/{case}"): {"staff", "supervisor"},
    ("GET", "/api/findings?as_of=2025-10-31T18:00:00%2B08:00"): {"supervisor"},
    ("GET", "/api/deadline?item=FY-SC-001&accepted=2025-10-09T10:00:00%2B08:00"): {
        "intake",
        "staff",
        "supervisor",
    },
}
PUBLIC = [
    ("GET", "/api/items"),
    ("GET", "/api/items/FY-SC-001"),
    ("GET", "/api/rankings/2025-10"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("auth")
    tokens_file = folder / "tokens.json"
    tokens = {role: add_token(tokens_file, role) for role in ROLES}
    tokens["intake-SC"] = add_token(tokens_file, "intake", "SC")
    tokens["staff-SC"] = add_token(tokens_file, "staff", "SC")
    tokens["supervisor-SC"] = add_token(tokens_file, "supervisor", "SC")
    with running(folder / "cases.db", tokens_file) as srv:
        events = month_events(cases=30, seed=13)
        answer = srv.client.post("/api/events", json=events, headers=bearer(tokens["intake"]))
        assert answer.status_code == 200 and answer.json()["accepted"] > 0
        by_dept = {}
        for e in events:
            by_dept.setdefault(e["dept"], e["case"])
        yield srv, tokens, by_dept, tokens_file


def _call(srv, method, path, token, case):
    path = path.replace(CASE_PLACEHOLDER, case)
    headers = bearer(token) if token is not None else {}
    if method == "POST":
        return srv.client.post(path, json=[], headers=headers)
    return srv.client.get(path, headers=headers)


@pytest.mark.parametrize(("method", "path"), list(GUARDED), ids=lambda v: str(v))
@pytest.mark.parametrize("who", ["none", "unknown", "malformed", *ROLES])
def test_each_guarded_endpoint_answers_each_kind_of_caller(server, method, path, who):
    srv, tokens, by_dept, _ = server
    token = {
        "none": None,
        "unknown": "fyr_000000000000_" + "x" * 43,
        "malformed": "not-a-token",
    }.get(who, tokens.get(who))
    answer = _call(srv, method, path, token, by_dept["SC"])
    if who in ("none", "unknown", "malformed"):
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert answer.json()["error"] == "UNAUTHORIZED"
    elif who in GUARDED[(method, path)]:
        assert answer.status_code == 200, answer.text
    else:
        assert answer.status_code == 403
        assert answer.json()["error"] == "FORBIDDEN"


def test_a_token_file_keeps_hashes_never_the_tokens(server):
    _, tokens, _, tokens_file = server
    text = tokens_file.read_text(encoding="utf-8")
    entries = json.loads(text)["tokens"]
    assert len(entries) == len(tokens)
    for token in tokens.values():
        assert token not in text and token.split("_", 2)[2] not in text
    assert {e["role"] for e in entries} == set(ROLES)


@pytest.mark.parametrize(("method", "path"), PUBLIC)
def test_public_endpoints_need_no_token(server, method, path):
    srv, *_ = server
    assert srv.client.get(path).status_code == 200


def test_the_applicants_query_needs_no_token(server):
    srv, _, by_dept, _ = server
    answer = srv.client.post(
        "/api/public/progress", json={"case": by_dept["SC"], "code": "AAAAA-AAAAA"}
    )
    assert answer.status_code == 404 and answer.json()["error"] == "NOT-FOUND"


def test_a_staff_token_limited_to_a_department_reads_only_its_cases(server):
    srv, tokens, by_dept, _ = server
    other = next(d for d in by_dept if d != "SC")
    own = srv.client.get(f"/api/cases/{by_dept['SC']}", headers=bearer(tokens["staff-SC"]))
    foreign = srv.client.get(f"/api/cases/{by_dept[other]}", headers=bearer(tokens["staff-SC"]))
    assert own.status_code == 200 and own.json()["state"]["dept"] == "SC"
    assert foreign.status_code == 403
    assert foreign.json() == REFUSED_DEPARTMENT


def test_a_supervisor_limited_to_a_department_sees_only_its_findings(server):
    srv, tokens, by_dept, _ = server
    as_of = {"as_of": "2026-01-30T18:00:00+08:00"}
    everything = srv.client.get("/api/findings", params=as_of, headers=bearer(tokens["supervisor"]))
    limited = srv.client.get("/api/findings", params=as_of, headers=bearer(tokens["supervisor-SC"]))
    assert {f["dept"] for f in everything.json()["findings"]} > {"SC"}, (
        "the month needs findings in SC and elsewhere"
    )
    assert {f["dept"] for f in limited.json()["findings"]} == {"SC"}
    other = next(d for d in by_dept if d != "SC")
    refused = srv.client.get(
        "/api/findings", params={**as_of, "dept": other}, headers=bearer(tokens["supervisor-SC"])
    )
    assert refused.status_code == 403
    assert refused.json() == REFUSED_DEPARTMENT


# a department beyond the token's, for a case or for findings: one answer
REFUSED_DEPARTMENT = {
    "error": "FORBIDDEN",
    "message_zh": "此令牌不能查看该部门的案件和发现",
    "message_en": "this token may not read that department's cases and findings",
}


def test_an_intake_token_limited_to_a_department_posts_only_its_events(server):
    srv, tokens, _, _ = server
    events = [
        {**e, "case": "DEPT-" + e["case"], "id": "dept-" + e["id"]}
        for e in month_events(cases=12, seed=12)
    ]
    answer = srv.client.post("/api/events", json=events, headers=bearer(tokens["intake-SC"]))
    results = answer.json()["results"]
    for event, result in zip(events, results, strict=True):
        if event["dept"] == "SC":
            assert result["outcome"] == "accepted"
        else:
            assert result["outcome"] == "rejected" and result["reason"] == "DEPT-FORBIDDEN"
    assert any(e["dept"] != "SC" for e in events) and any(e["dept"] == "SC" for e in events)
