"""Canonical identities: ids are compared as written, so a non-canonical one is refused, never
rewritten (issue 13, point 2)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fyrules
from fyrules.cases.events import Event
from fyrules.cases.identity import IdentityCheck, identity_problem
from fyrules.cases.monitor import Monitor
from fyrules.cases.state import Accepted, Rejected
from fyrules.rulebook import check as check_as_of
from tests.helpers import codes, write_rulebook
from tests.separation.rulebooks import CATALOG

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
# The seven spellings of P-SC-13 the issue tried: all passed separation of duties before.
VARIANTS = {
    "zero-width space": "P-SC-13\u200b",
    "fullwidth P": "\uff30-SC-13",
    "Cyrillic Er": "\u0420-SC-13",
    "lower case": "p-sc-13",
    "trailing space": "P-SC-13 ",
    "NUL": "P-SC-13\x00",
    "RTL override": "\u202eP-SC-13",
}
HISTORY = """\
history_constraints:
  - id: ONE-REVIEW-ONE-APPROVAL
    title: 一审一核
    stages: [review, [approve, deny]]
    same: person
    severity: error
    basis: 一审一核
"""


def reviewed_case(monitor: Monitor, case: str, item: str, reviewer: str) -> None:
    steps = [("submit", "applicant-1"), ("accept", "acc-1"), ("undertake", reviewer)]
    for n, (kind, actor) in enumerate([*steps, ("review", reviewer)]):
        outcome = monitor.feed(
            {
                "case": case,
                "item": item,
                "event": kind,
                "at": f"2025-10-09T09:{n:02d}:00+08:00",
                "actor": actor,
            }
        )
        assert isinstance(outcome, Accepted), outcome


@pytest.mark.parametrize("name", sorted(set(VARIANTS) - {"lower case"}))
def test_a_reviewer_cannot_approve_under_another_spelling_of_their_id(tmp_path, name):
    """Without a roster, only the ids' canonical form and the history constraint stand between
    the reviewer and the approval: the variant is refused, the real id too, another passes.
    (``p-sc-13`` is a canonical id; it is someone else unless the roster says otherwise, and on
    Fuyang's roster it is no one: see the next test.)"""
    root = write_rulebook(
        tmp_path, {"catalog.yaml": CATALOG, "sod.yaml": HISTORY}, extends="national"
    )
    m = Monitor(fyrules.load(root))
    reviewed_case(m, "C-1", "SC-1", "P-SC-13")

    def approve(actor: str, minute: int):
        at = f"2025-10-09T10:{minute:02d}:00+08:00"
        return m.feed({"case": "C-1", "item": "SC-1", "event": "approve", "at": at, "actor": actor})

    out = approve(VARIANTS[name], 0)
    assert isinstance(out, Rejected) and out.reason_code == "EVENT-ID-NOT-CANONICAL"
    assert "actor" in out.message_en and "never rewritten" in out.message_en
    assert approve("P-SC-13", 1).reason_code == "SOD-HISTORY"
    assert m.store.get_case("C-1")["stage"] == "review"  # nothing was recorded
    assert isinstance(approve("P-SC-15", 2), Accepted)


def test_the_seven_spellings_log_is_refused_on_fuyang(fuyang):
    """tests/scenarios/identity-variants.jsonl: the case's reviewer tries to approve under
    seven spellings of their id; every one is refused and the case waits for an approver."""
    m = Monitor(fuyang)
    m.replay_file(SCENARIOS / "identity-variants.jsonl")
    reasons = {r["event"]["id"]: r["reason"] for r in m.rejected()}
    assert reasons == {
        "i-05": "EVENT-ID-NOT-CANONICAL",
        "i-06": "EVENT-ID-NOT-CANONICAL",
        "i-07": "EVENT-ID-NOT-CANONICAL",
        "i-08": "ROSTER-NOT-LISTED",
        "i-09": "EVENT-ID-NOT-CANONICAL",
        "i-10": "EVENT-ID-NOT-CANONICAL",
        "i-11": "EVENT-ID-NOT-CANONICAL",
    }
    kept = {r["event"]["id"]: r["event"]["actor"] for r in m.rejected()}
    assert kept["i-05"] == VARIANTS["zero-width space"]  # recorded as sent, not rewritten
    assert m.store.get_case("FY-2025-I1")["stage"] == "approve"
    assert m.store.get_case("FY-2025-I1")["actors"]["approve"] == ["P-SC-15"]


@pytest.mark.parametrize("field", ["case", "dept", "window"])
def test_case_department_and_window_ids_are_checked_too(fuyang, field):
    event = {
        "case": "C-1",
        "item": "FY-SC-001",
        "event": "submit",
        "at": "2025-10-09T09:00:00+08:00",
        "actor": "applicant-1",
        field: "SC\u200b" if field != "case" else "C-1\u200b",
    }
    out = Monitor(fuyang).feed(event)
    assert isinstance(out, Rejected) and out.reason_code == "EVENT-ID-NOT-CANONICAL"
    assert field in out.message_en


def test_the_approver_of_an_extension_is_an_id_too(fuyang):
    event = Event.model_validate(
        {
            "case": "C-1",
            "item": "FY-SC-001",
            "event": "extend",
            "at": "2025-10-09T09:00:00+08:00",
            "actor": "P-SC-15",
            "data": {"days": 3, "approved_by": "P-SC-15\u200b"},
        }
    )
    problem = identity_problem(event, None)
    assert problem is not None and "data.approved_by" in problem.message_en


def test_a_rulebook_declares_its_own_pattern(tmp_path):
    params = """\
parameters:
  - id: identifier_pattern
    title: 编号格式
    value: "[A-Z]{2}-[0-9]+"
    tighten: free
    basis: 本地编号规则
"""
    root = write_rulebook(
        tmp_path, {"catalog.yaml": CATALOG, "params.yaml": params}, extends="national"
    )
    m = Monitor(fyrules.load(root))
    ok = {"case": "CA-1", "item": "SC-1", "event": "submit", "at": "2025-10-09T09:00:00+08:00"}
    assert isinstance(m.feed({**ok, "actor": "AP-1"}), Accepted)
    out = m.feed({**ok, "case": "CA-2", "actor": "applicant-1"})
    assert out.reason_code == "EVENT-ID-NOT-CANONICAL" and "[A-Z]{2}-[0-9]+" in out.message_en


def test_a_pattern_that_is_no_regular_expression_is_reported_by_check(tmp_path):
    params = """\
parameters:
  - id: identifier_pattern
    title: 编号格式
    value: "[A-Z"
    tighten: free
    basis: 本地编号规则
"""
    root = write_rulebook(
        tmp_path, {"catalog.yaml": CATALOG, "params.yaml": params}, extends="national"
    )
    problems = check_as_of(root, today=dt.date(2025, 10, 9)).problems
    assert "INVALID-VALUE" in codes(problems)
    assert any(p.rule == "identifier_pattern" for p in problems)
    Monitor(fyrules.load(root))  # and the monitor is still built, checking the canonical form


ids = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=12)


@given(ids)
def test_an_accepted_id_is_its_own_canonical_form(value):
    """Any id the check lets through is NFKC-normal, unspaced and free of control and format
    characters, so two accepted ids are the same person exactly when they are equal."""
    event = Event.model_validate(
        {
            "case": "C",
            "item": "I",
            "event": "submit",
            "at": "2025-10-09T09:00:00+08:00",
            "actor": value,
        }
    )
    if identity_problem(event, None) is None:
        assert unicodedata.normalize("NFKC", value) == value == value.strip()
        assert not any(unicodedata.category(c) in {"Cc", "Cf", "Co", "Cn"} for c in value)


_id_fields = st.fixed_dictionaries(
    {"case": st.sampled_from(["C-1", "C-2", "Ｃ-1"]) | ids},
    optional={
        "actor": st.sampled_from(["P-SC-03", "P-SC-03 ", "P\u200bSC"]) | ids,
        "dept": st.sampled_from(["FY-SC-001", "ＦＹ"]) | ids,
        "window": ids,
        "approved_by": st.sampled_from(["P-SC-01", "p-sc-01"]) | ids | st.integers(),
    },
)


@given(st.lists(_id_fields, min_size=1, max_size=12), st.sampled_from([None, r"[A-Z0-9-]+"]))
def test_the_monitors_remembering_check_answers_as_identity_problem(streams, pattern):
    """The monitor's :class:`IdentityCheck`, which remembers the ids it found canonical,
    answers every event of a stream exactly as :func:`identity_problem` does, whatever came
    before it (ids seen again, canonical or not, under a pattern or none)."""
    import re

    compiled = re.compile(pattern) if pattern else None
    check = IdentityCheck(compiled)
    for fields in streams:
        approver = fields.pop("approved_by", None)
        event = Event.model_validate(
            {
                **fields,
                "item": "I",
                "event": "submit",
                "at": "2025-10-09T09:00:00+08:00",
                "data": {} if approver is None else {"approved_by": approver},
            }
        )
        assert check(event) == identity_problem(event, compiled)
