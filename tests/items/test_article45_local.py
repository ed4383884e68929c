"""Only the law's eight procedures stop the statutory clock, and only the national baseline
declares them (Administrative Licensing Law Art. 45): a local rulebook that marks one of its
own procedures ``article45: true`` is refused at file:line with ``ARTICLE45-LOCAL``."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import fyrules

FUYANG = Path(__file__).resolve().parents[2] / "examples" / "fuyang"
ON = dt.date(2025, 10, 15)


def _rulebook(root: Path, procedures: str, extends: str | None = None) -> Path:
    root.mkdir()
    parent = extends if extends is not None else os.path.relpath(FUYANG, root)
    (root / "rulebook.yaml").write_text(
        f"rulebook: local\nname: 本地\njurisdiction: 本地\nversion: '1'\nextends: {parent}\n",
        encoding="utf-8",
    )
    (root / "procedures.yaml").write_text(procedures, encoding="utf-8")
    return root


def _article45_problems(root: Path) -> list[fyrules.Problem]:
    result = fyrules.check(root, today=ON)
    return [p for p in result.problems if p.code == "ARTICLE45-LOCAL"]


OWN = """procedures:
  - id: site_check
    name: {zh: 现场核查, en: Site check}
    counted: false
    article45: true
    basis: 本地规定
"""


def test_a_local_procedure_marked_article45_is_an_error_at_its_line(tmp_path):
    root = _rulebook(tmp_path / "local", OWN)
    [problem] = _article45_problems(root)
    assert problem.severity == "error" and problem.rule == "site_check"
    assert problem.path.endswith("procedures.yaml") and problem.line == 5
    assert "第四十五条" in problem.message_zh and "Art. 45" in problem.message_en


def test_turning_fuyangs_site_survey_into_an_article45_procedure_is_an_error(tmp_path):
    text = OWN.replace("site_check", "site_survey")
    [problem] = _article45_problems(_rulebook(tmp_path / "local", text))
    assert problem.rule == "site_survey"


def test_a_baseline_procedure_restated_with_a_local_limit_stays_lawful(tmp_path):
    text = """procedures:
  - id: hearing
    name: {zh: 听证, en: Hearing}
    counted: false
    max_days: 20
    article45: true
    basis: 《中华人民共和国行政许可法》第四十五条、第四十七条
"""
    assert _article45_problems(_rulebook(tmp_path / "local", text)) == []


def test_the_national_baseline_and_fuyang_declare_no_local_article45_procedure():
    assert _article45_problems(FUYANG) == []
    rb = fyrules.load(FUYANG)
    assert sorted(p for p, spec in rb.items.procedures.items() if spec.article45) == sorted(
        [
            "hearing",
            "bidding",
            "auction",
            "inspection",
            "testing",
            "quarantine",
            "appraisal",
            "expert_review",
        ]
    )


def test_a_local_article45_procedure_counts_as_an_error_of_check(tmp_path):
    from fyrules.cli import main

    root = _rulebook(tmp_path / "local", OWN)
    assert main(["check", str(root)]) == 1


def test_a_copy_of_the_national_baseline_may_declare_the_laws_eight(tmp_path):
    """A folder holding a copy of the baseline (a center's own baseline, a test removing one
    rule) declares the same eight procedures with ``article45: true``: that is the law, not a
    local procedure, so it loads."""
    import shutil

    import fyrules
    from tests.conftest import FUYANG

    national = tmp_path / "national"
    shutil.copytree(Path(fyrules.__file__).resolve().parent / "baseline" / "national", national)
    root = tmp_path / "fy"
    shutil.copytree(FUYANG, root, symlinks=False)
    manifest = root / "rulebook.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("extends: national\n", "extends: ../national\n"), "utf-8")
    rulebook = fyrules.load(root)
    assert {p for p, spec in rulebook.items.procedures.items() if spec.article45} == {
        "hearing",
        "bidding",
        "auction",
        "inspection",
        "testing",
        "quarantine",
        "appraisal",
        "expert_review",
    }
