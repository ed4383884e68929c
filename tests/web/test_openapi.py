"""schemathesis against the OpenAPI description of a real ``fyrules serve`` process: for
examples generated from every operation's schema (valid and invalid), no answer is a server
error, and every answer conforms to the description (status code, content type, headers,
body schema)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from tests.web.support import ROLES, add_token, bearer, month_events, running

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is not installed: pip install -e '.[test]'"
)

# no server error, and the answers conform to the description; schemathesis's checks of how a
# server should judge requests (that any schema-valid as_of is accepted, say) are not asked
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]
ROLE_OF = {"/api/events": "intake", "/api/cases/{case}": "staff"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("openapi")
    tokens_file = folder / "tokens.json"
    tokens = {role: add_token(tokens_file, role) for role in ROLES}
    with running(folder / "cases.db", tokens_file) as srv:
        answer = srv.client.post(
            "/api/events", json=month_events(cases=20, seed=41), headers=bearer(tokens["intake"])
        )
        assert answer.status_code == 200
        yield srv, tokens


def test_the_description_names_every_fixed_path_with_both_languages(served):
    srv, _ = served
    doc = srv.client.get("/openapi.json").json()
    fixed = {
        ("get", "/api/health"),
        ("post", "/api/events"),
        ("get", "/api/cases/{case}"),
        ("get", "/api/findings"),
        ("get", "/api/deadline"),
        ("get", "/api/items"),
        ("get", "/api/items/{code}"),
        ("get", "/api/rankings/{month}"),
        ("post", "/api/public/progress"),
    }
    described = {(m, p) for p, ops in doc["paths"].items() for m in ops}
    assert fixed <= described
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            zh, sep, en = op["summary"].partition(" / ")
            assert sep and any("\u4e00" <= ch <= "\u9fff" for ch in zh) and en.isascii(), (
                method,
                path,
            )
    assert "bearer" in str(doc["components"]["securitySchemes"]).lower()


def _operations(base: str) -> list:
    loaded = schemathesis.openapi.from_url(base + "/openapi.json")
    return [result.ok() for result in loaded.get_all_operations()]


def _checker(operation, generation, base, headers):
    from hypothesis import given

    @given(case=operation.as_strategy(generation_mode=generation))
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(base_url=base, headers=headers, checks=CHECKS)

    return check


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_no_request_gets_a_server_error_and_answers_conform(served, mode):
    """For each operation, examples generated from its schema (``positive``: valid ones;
    ``negative``: ones the schema forbids) all get a non-5xx answer that conforms."""
    srv, tokens = served
    operations = _operations(srv.base)
    assert len(operations) >= 9
    generation = schemathesis.GenerationMode(mode)
    for operation in operations:
        role = ROLE_OF.get(operation.path, "supervisor")
        takes_input = any(True for _ in operation.iter_parameters()) or operation.method == "post"
        if mode == "negative" and not takes_input:
            continue  # nothing to make invalid (GET /api/items)

        check = _checker(operation, generation, srv.base, bearer(tokens[role]))
        try:
            check()
        except BaseException:
            print(srv.output()[-6000:])  # the server's side of a failure
            raise
