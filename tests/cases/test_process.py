"""Process definitions: the processes: section, its checks, versions and resolution."""

from __future__ import annotations

import datetime as dt
import os
import re
import textwrap
from pathlib import Path

import pytest

import fyrules
from fyrules.cases.process import ProcessBook, resolve_process
from fyrules.rulebook import check
from fyrules.schema import rule_file_schema
from tests.conftest import fuyang_rulebook
from tests.helpers import codes, write_rulebook

CATALOG = """\
departments:
  - {id: SC, name: 市场监管局}
item_types:
  - {id: immediate, kind: immediate, name: 即办件}
  - {id: commitment, kind: commitment, name: 承诺件}
items:
  - {code: I-1, name: 即办事项, department: SC, type: immediate}
  - {code: C-1, name: 承诺事项, department: SC, type: commitment}
  - {code: C-2, name: 另一承诺事项, department: SC, type: commitment}
"""

COMMITMENT = """\
  - id: P-COMMITMENT
    title: 承诺件流程
    basis: 行政许可法第三十四条至第三十八条
    applies_to: {kinds: [commitment]}
    valid_from: 2024-01-01
    starts: [submit, accept]
    stages: [submit, accept, undertake, review, approve, complete, deliver]
    after:
      reject: [submit]
      deny: [review]
      complete: [deny]
    during:
      pause: {from: accept, until: complete}
      resume: {from: accept, until: complete}
      withdraw: {from: submit, until: complete}
      complaint: {from: submit}
"""

IMMEDIATE = """\
  - id: P-IMMEDIATE
    title: 即办件流程
    basis: 行政许可法第三十四条第二款
    applies_to: {kinds: [immediate]}
    stages: [accept, approve, complete]
"""


def rulebook(tmp_path: Path, processes: str = COMMITMENT + IMMEDIATE, **files: str) -> Path:
    text = "processes:\n" + processes if processes else ""
    return write_rulebook(tmp_path, {"catalog.yaml": CATALOG, "processes.yaml": text, **files})


def problems_of(root: Path, today: dt.date = dt.date(2025, 10, 9)):
    return check(root, today=today).problems


def line_of(root: Path, needle: str, file: str = "processes.yaml") -> int:
    lines = (root / file).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


# --- the national baseline and Fuyang --------------------------------------------------------


def test_the_baseline_has_one_process_per_case_kind_citing_the_licensing_law():
    book = fuyang_rulebook().part("cases")
    assert isinstance(book, ProcessBook)
    kinds = sorted(k for p in book for k in p.kinds)
    assert kinds == ["commitment", "immediate", "joint", "report_up"]
    for p in book:
        assert "行政许可法" in p.basis and "第三十二条" in p.basis and "第四十四条" in p.basis
        assert p.version == "2019-04-23"
        assert {"accept", "complete"} <= set(p.stages)


def test_fuyang_checks_clean_with_processes():
    result = check("examples/fuyang")
    assert [p.format() for p in result.problems if p.code.startswith("PROCESS-")] == []
    assert result.ok


def test_every_fuyang_item_resolves_to_the_process_of_its_kind():
    rb = fuyang_rulebook()
    book = rb.part("cases")
    for code in rb.items:
        kind = rb.items.kind(rb.items[code])
        process = resolve_process(book, code, kind, dt.date(2025, 10, 9))
        assert process is not None and kind in process.kinds, code


def test_immediate_cases_may_skip_undertaking_and_review():
    book = fuyang_rulebook().part("cases")
    immediate = next(p for p in book if "immediate" in p.kinds)
    commitment = next(p for p in book if "commitment" in p.kinds)
    assert "accept" in immediate.follows["approve"]
    assert "accept" not in commitment.follows["approve"]
    assert commitment.follows["approve"] == {"review"}


# --- the compiled form -----------------------------------------------------------------------


def test_stages_follow_each_other_and_after_adds_the_other_ways_in(tmp_path):
    book = fyrules.load(rulebook(tmp_path)).part("cases")
    p = next(p for p in book if p.id == "P-COMMITMENT")
    assert p.follows["review"] == {"undertake"}
    assert p.follows["complete"] == {"approve", "deny"}
    assert p.follows["reject"] == {"submit"}
    assert p.next_stages("review") == ("approve", "deny")
    assert p.starts == ("submit", "accept")


def test_side_events_are_allowed_from_their_stage_until_their_end(tmp_path):
    p = next(p for p in fyrules.load(rulebook(tmp_path)).part("cases") if p.id == "P-COMMITMENT")
    assert "pause" not in p.side_at["submit"]
    assert "pause" in p.side_at["accept"] and "pause" in p.side_at["deny"]
    assert "pause" not in p.side_at["complete"] and "pause" not in p.side_at["deliver"]
    assert "withdraw" in p.side_at["submit"] and "withdraw" not in p.side_at["deliver"]
    assert "complaint" in p.side_at["deliver"] and "complaint" in p.side_at["reject"]


def test_starts_defaults_to_the_first_stage(tmp_path):
    p = next(p for p in fyrules.load(rulebook(tmp_path)).part("cases") if p.id == "P-IMMEDIATE")
    assert p.starts == ("accept",)
    assert p.version is None


def test_the_fingerprint_follows_the_transitions_not_the_title(tmp_path):
    first = fyrules.load(rulebook(tmp_path / "a")).part("cases").processes[0]
    retitled = COMMITMENT.replace("title: 承诺件流程", "title: 承诺件办理流程（修订）")
    second = fyrules.load(rulebook(tmp_path / "b", retitled + IMMEDIATE)).part("cases")
    assert second.processes[0].fingerprint == first.fingerprint
    shorter = COMMITMENT.replace("deny: [review]", "deny: [review, undertake]")
    third = fyrules.load(rulebook(tmp_path / "c", shorter + IMMEDIATE)).part("cases")
    assert third.processes[0].fingerprint != first.fingerprint


# --- what fyrules check reports ------------------------------------------------------------


def test_an_unknown_event_kind_is_named_with_a_suggestion_at_its_line(tmp_path):
    root = rulebook(tmp_path, COMMITMENT.replace("deny: [review]", "deny: [reveiw]") + IMMEDIATE)
    (problem,) = [p for p in problems_of(root) if p.code == "PROCESS-UNKNOWN-EVENT"]
    assert "reveiw" in problem.message_en and "did you mean 'review'" in problem.message_en
    assert problem.line == line_of(root, "deny: [reveiw]")
    assert problem.rule == "P-COMMITMENT"


def test_an_unknown_stage_kind_in_stages_is_reported(tmp_path):
    root = rulebook(tmp_path, COMMITMENT.replace("approve, complete", "aprove, complete"))
    found = [p for p in problems_of(root) if p.code == "PROCESS-UNKNOWN-EVENT"]
    assert found and "approve" in found[0].message_en


def test_a_reference_to_a_stage_the_process_lacks_is_reported(tmp_path):
    text = COMMITMENT.replace(
        "pause: {from: accept, until: complete}", "pause: {from: accept, until: rate}"
    )
    root = rulebook(tmp_path, text + IMMEDIATE)
    found = [p for p in problems_of(root) if p.code == "PROCESS-UNKNOWN-STAGE"]
    assert found and "'rate'" in found[0].message_en
    assert found[0].line == line_of(root, "until: rate")


def test_a_stage_no_path_reaches_is_unreachable(tmp_path):
    text = COMMITMENT.replace("      reject: [submit]\n", "      reject: [reject]\n")
    root = rulebook(tmp_path, text + IMMEDIATE)
    (problem,) = [p for p in problems_of(root) if p.code == "PROCESS-UNREACHABLE"]
    assert "reject" in problem.message_en
    assert problem.line == line_of(root, "reject: [reject]")


def test_a_process_without_a_path_from_accept_to_complete_is_an_error(tmp_path):
    text = IMMEDIATE.replace("[accept, approve, complete]", "[accept, approve]")
    text += "    after: {complete: [complete]}\n"
    root = rulebook(tmp_path, COMMITMENT + text)
    found = codes(problems_of(root))
    assert "PROCESS-NO-PATH" in found
    with pytest.raises(fyrules.RulebookError):
        fyrules.load(root)


def test_a_process_without_accept_has_no_path(tmp_path):
    text = IMMEDIATE.replace("[accept, approve, complete]", "[submit, approve, complete]")
    root = rulebook(tmp_path, COMMITMENT + text)
    (problem,) = [p for p in problems_of(root) if p.code == "PROCESS-NO-PATH"]
    assert problem.rule == "P-IMMEDIATE"


def test_two_versions_of_one_process_that_overlap_are_an_error(tmp_path):
    later = COMMITMENT.replace("valid_from: 2024-01-01", "valid_from: 2025-01-01")
    earlier = COMMITMENT.replace(
        "valid_from: 2024-01-01", "valid_from: 2024-01-01\n    valid_to: 2025-06-30"
    )
    root = rulebook(tmp_path, earlier + later + IMMEDIATE)
    (problem,) = [p for p in problems_of(root) if p.code == "PROCESS-OVERLAP"]
    assert "commitment" in problem.message_en


def test_versions_that_follow_each_other_do_not_overlap(tmp_path):
    earlier = COMMITMENT.replace(
        "valid_from: 2024-01-01", "valid_from: 2024-01-01\n    valid_to: 2024-12-31"
    )
    later = COMMITMENT.replace("valid_from: 2024-01-01", "valid_from: 2025-01-01")
    root = rulebook(tmp_path, earlier + later + IMMEDIATE)
    assert codes(problems_of(root)) == []


def test_two_processes_for_one_kind_in_force_at_once_overlap(tmp_path):
    other = COMMITMENT.replace("id: P-COMMITMENT", "id: P-OTHER")
    root = rulebook(tmp_path, COMMITMENT + other + IMMEDIATE)
    assert "PROCESS-OVERLAP" in codes(problems_of(root))


def test_an_item_process_does_not_overlap_its_kinds_process(tmp_path):
    own = COMMITMENT.replace("id: P-COMMITMENT", "id: P-C1").replace(
        "{kinds: [commitment]}", "{items: [C-1]}"
    )
    root = rulebook(tmp_path, COMMITMENT + own + IMMEDIATE)
    assert codes(problems_of(root)) == []


def test_a_validity_that_ends_before_it_starts_is_empty(tmp_path):
    text = COMMITMENT.replace(
        "valid_from: 2024-01-01", "valid_from: 2024-01-01\n    valid_to: 2023-01-01"
    )
    root = rulebook(tmp_path, text + IMMEDIATE)
    (problem,) = [p for p in problems_of(root) if p.code == "VALIDITY-EMPTY"]
    assert problem.rule == "P-COMMITMENT"


def test_an_item_of_a_kind_without_a_process_in_force_is_reported(tmp_path):
    root = rulebook(tmp_path, COMMITMENT)
    (problem,) = [p for p in problems_of(root) if p.code == "PROCESS-MISSING"]
    assert problem.rule == "I-1" and problem.line == line_of(root, "code: I-1", "catalog.yaml")


def test_an_item_is_missing_a_process_before_its_kinds_version_starts(tmp_path):
    root = rulebook(tmp_path)
    missing = [
        p.rule for p in problems_of(root, dt.date(2023, 6, 1)) if p.code == "PROCESS-MISSING"
    ]
    assert missing == ["C-1", "C-2"]


def test_a_rulebook_without_processes_is_not_checked_for_them(tmp_path):
    root = rulebook(tmp_path, "")
    assert codes(problems_of(root)) == []


def test_a_process_for_an_item_not_in_the_catalog_is_an_unknown_reference(tmp_path):
    own = COMMITMENT.replace("id: P-COMMITMENT", "id: P-C9").replace(
        "{kinds: [commitment]}", "{items: [C-9]}"
    )
    root = rulebook(tmp_path, COMMITMENT + own + IMMEDIATE)
    (problem,) = [p for p in problems_of(root) if p.code == "UNKNOWN-REFERENCE"]
    assert "C-9" in problem.message_en and "did you mean" in problem.message_en


@pytest.mark.parametrize(
    ("change", "code", "needle"),
    [
        (
            ("stages: [submit, accept,", "stages: [submit, accept, submit,"),
            "INVALID-VALUE",
            "twice",
        ),
        (("starts: [submit, accept]", "starts: [submit, review]"), "INVALID-VALUE", "starts"),
        (
            (
                "      complaint: {from: submit}\n",
                "      complaint: {from: submit}\n      review: {from: accept}\n",
            ),
            "INVALID-VALUE",
            "both",
        ),
        (("applies_to: {kinds: [commitment]}", "applies_to: {}"), "INVALID-VALUE", "applies_to"),
        (
            ("applies_to: {kinds: [commitment]}", "applies_to: {kinds: [comitment]}"),
            "INVALID-VALUE",
            "kinds",
        ),
        (("    basis: 行政许可法第三十四条至第三十八条\n", ""), "MISSING-BASIS", "basis"),
        (("pause: {from: accept,", "pause: {form: accept,"), "UNKNOWN-KEY", "from"),
    ],
)
def test_malformed_processes_are_positioned_problems(tmp_path, change, code, needle):
    root = rulebook(tmp_path, COMMITMENT.replace(*change) + IMMEDIATE)
    found = [p for p in problems_of(root) if p.code == code]
    assert found, codes(problems_of(root))
    assert needle in found[0].message_en and found[0].line is not None


# --- layering, versions and resolution ---------------------------------------------------


def test_a_local_rulebook_replaces_a_national_process_by_its_id(tmp_path):
    national = fuyang_rulebook().part("cases")
    local = textwrap.dedent(
        """\
        processes:
          - id: NAT-PROCESS-IMMEDIATE
            title: 本地即办件流程
            basis: 本地规定
            applies_to: {kinds: [immediate]}
            valid_from: 2025-01-01
            stages: [accept, approve, complete]
        """
    )
    root = write_rulebook(tmp_path, {"p.yaml": local}, extends="national")
    book = fyrules.load(root).part("cases")
    (immediate,) = [p for p in book if p.id == "NAT-PROCESS-IMMEDIATE"]
    assert immediate.version == "2025-01-01" and immediate.layer == "t"
    assert len(book) == len(national)


def test_an_items_own_process_wins_over_its_kinds(tmp_path):
    own = COMMITMENT.replace("id: P-COMMITMENT", "id: P-C1").replace(
        "{kinds: [commitment]}", "{items: [C-1]}"
    )
    book = fyrules.load(rulebook(tmp_path, COMMITMENT + own + IMMEDIATE)).part("cases")
    on = dt.date(2025, 1, 1)
    assert resolve_process(book, "C-1", "commitment", on).id == "P-C1"
    assert resolve_process(book, "C-2", "commitment", on).id == "P-COMMITMENT"
    assert resolve_process(book, "C-2", None, on) is None


def test_the_version_in_force_on_the_date_is_resolved(tmp_path):
    earlier = COMMITMENT.replace(
        "valid_from: 2024-01-01", "valid_from: 2024-01-01\n    valid_to: 2024-12-31"
    )
    later = COMMITMENT.replace("valid_from: 2024-01-01", "valid_from: 2025-01-01").replace(
        "deny: [review]", "deny: [review, undertake]"
    )
    book = fyrules.load(rulebook(tmp_path, earlier + later + IMMEDIATE)).part("cases")
    assert book.resolve("C-1", "commitment", dt.date(2024, 12, 31)).version == "2024-01-01"
    assert book.resolve("C-1", "commitment", dt.date(2025, 1, 1)).version == "2025-01-01"
    assert book.resolve("C-1", "commitment", dt.date(2023, 12, 31)) is None
    first = book.resolve("C-1", "commitment", dt.date(2024, 6, 1))
    assert book.bound(first.ref) is first
    assert book.bound({"id": "P-COMMITMENT", "version": "2099-01-01"}) is None
    assert book.bound(None) is None


def test_the_book_knows_the_catalogs_items_and_their_kinds(tmp_path):
    book = fyrules.load(rulebook(tmp_path)).part("cases")
    assert book.knows_item("C-1") and not book.knows_item("C-9")
    assert book.item_kinds["I-1"] == "immediate"


def test_the_schema_describes_the_processes_section():
    schema = rule_file_schema()
    assert "processes" in schema["properties"]
    text = str(schema)
    assert re.search(r"'from'", text)


def test_the_example_in_the_docs_is_a_valid_process_for_fuyang(tmp_path):
    text = (Path(__file__).resolve().parents[2] / "docs" / "processes.md").read_text("utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, flags=re.S).group(1)
    fuyang = Path("examples/fuyang").resolve()
    # extends takes a relative path (an absolute one is PATH-OUTSIDE)
    root = write_rulebook(
        tmp_path, {"processes.yaml": example}, extends=os.path.relpath(fuyang, tmp_path)
    )
    result = check(root, today=dt.date(2025, 10, 9))
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    book = result.rulebook.part("cases")
    assert book.resolve("FY-ZJ-001", "commitment", dt.date(2025, 10, 9)).id == (
        "FY-PROCESS-CONSTRUCTION-PERMIT"
    )
