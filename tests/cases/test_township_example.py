"""The township example (issue 22.6): shipped with the package (``fyrules example --name
township`` copies it with the Fuyang rulebook it extends), and a parameter tightened per layer
with the city's tests whose outcome that changes restated under their own ids."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from contextlib import redirect_stderr, redirect_stdout

import fyrules
from fyrules.cases.events import parse_event
from fyrules.cli import main
from fyrules.examples import NAMES, example_chain, rulebook_path
from tests.cases.test_township_handoff import FUYANG, TOWNSHIP

TODAY = dt.date(2025, 10, 15)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_the_package_ships_the_township_and_what_it_extends():
    assert "township" in NAMES
    assert example_chain("township") == ["township", "fuyang"]
    assert example_chain("fuyang") == ["fuyang"]
    assert rulebook_path("township") == TOWNSHIP.resolve()


def test_fyrules_example_copies_the_township_beside_fuyang_and_it_checks_and_tests_clean(
    tmp_path,
):
    target = tmp_path / "mytown"
    code, out, _ = run("example", str(target), "--name", "township")
    assert code == 0
    assert (target / "township" / "rulebook.yaml").is_file()
    assert (target / "fuyang" / "rulebook.yaml").is_file()
    assert f"fyrules check {target / 'township'}" in out and "beside it" in out
    code, out, _ = run("check", str(target / "township"))
    assert code == 0 and "0 个错误" in out
    code, out, _ = run("test", str(target / "township"))
    assert code == 0 and "0 个未通过" in out


def test_fyrules_example_still_copies_fuyang_into_the_folder_itself(tmp_path):
    code, _, _ = run("example", str(tmp_path / "mycity"))
    assert code == 0 and (tmp_path / "mycity" / "rulebook.yaml").is_file()


def test_the_township_prompts_earlier_than_the_city():
    """The town tightens prompt_days_before (the city 1, the town 2): the same case two
    working days before its committed deadline is prompted by the town, not by the city."""
    town, city = fyrules.load(TOWNSHIP), fyrules.load(FUYANG)
    assert town.parameters["prompt_days_before"].value == 2
    assert city.parameters["prompt_days_before"].value == 1
    cst = dt.timezone(dt.timedelta(hours=8))
    events = [
        parse_event({"case": "C", "item": "FY-SC-001", "event": kind, "at": at})
        for kind, at in (
            ("accept", "2025-09-30T10:00:00+08:00"),
            ("undertake", "2025-09-30T14:00:00+08:00"),
            ("review", "2025-10-10T10:00:00+08:00"),
        )
    ]
    two_days_before = dt.datetime(2025, 10, 11, 12, tzinfo=cst)  # due 14 October
    town_rules = {f.rule for f in town.case_findings(events, as_of=two_days_before)}
    city_rules = {f.rule for f in city.case_findings(events, as_of=two_days_before)}
    assert "FY-PROMPT" in town_rules and "FY-PROMPT" not in city_rules


def test_the_city_tests_the_town_changes_are_restated_under_their_ids():
    """Every city test runs on the town's rulebook; the four whose outcome the town's prompt
    changes run as the town restated them (tests/city-restated.yaml), and all pass."""
    report = fyrules.load(TOWNSHIP).run_tests()
    where = {r.id: r.location.path for r in report.results}
    restated = [
        "T-CASE-PROMPT",
        "T-CASE-PAUSE-MOVES-THE-DEADLINE",
        "T-LAW-CORRECTION-NOTICE-LATE",
        "T-LAW-EXTENSION-BEFORE-EXPIRY",
    ]
    assert all(where[t].endswith("township/tests/city-restated.yaml") for t in restated)
    assert all(r.passed for r in report.results)


def test_a_township_loosening_a_city_parameter_is_refused(tmp_path):
    shutil.copytree(TOWNSHIP.parent, tmp_path / "examples", symlinks=True)
    parameters = tmp_path / "examples" / "township" / "parameters.yaml"
    parameters.write_text(
        parameters.read_text(encoding="utf-8").replace("value: 2", "value: 0"), encoding="utf-8"
    )
    problems = fyrules.check(tmp_path / "examples" / "township", today=TODAY).problems
    assert any(p.code == "LOOSENED" and p.path.endswith("parameters.yaml") for p in problems)
