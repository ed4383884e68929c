"""The command line: exit codes, output formats, and never a traceback."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from fyrules.cli import main
from tests.conftest import FUYANG
from tests.helpers import write_rulebook

# `check` warns from 1 December when next year's holiday schedule is missing: every check here
# runs as of a fixed day, so what it reports does not depend on the real date.
TODAY = "2025-10-15"

BROKEN_RULE = """\
rules:
  - id: R-1
    title: 测试
    basis: 第一条
    scope: item
    condition: comitted_days > 1
    message: {zh: 甲, en: a}
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_on_the_fuyang_rulebook_passes(capsys):
    code, out, _ = run(capsys, "check", str(FUYANG), "--today", TODAY)
    assert code == 0, out
    assert "0 error(s)" in out


def test_test_on_the_fuyang_rulebook_passes_with_full_coverage(capsys):
    code, out, _ = run(capsys, "test", str(FUYANG), "--min-coverage", "100")
    assert code == 0, out
    assert " 0 failed" in out and "coverage: 100.0%" in out


def test_check_reports_problems_with_exit_1(capsys, tmp_path):
    root = write_rulebook(tmp_path, {"r.yaml": BROKEN_RULE})
    code, out, _ = run(capsys, "check", str(root), "--lang", "en", "--today", TODAY)
    assert code == 1
    assert "r.yaml:6:16: EXPR-UNKNOWN-FIELD: R-1: unknown field 'comitted_days'" in out


def test_missing_rulebook_is_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "check", str(tmp_path / "nowhere"))
    assert code == 2 and "nowhere" in err


def test_bad_arguments_are_exit_2(capsys):
    assert run(capsys, "check")[0] == 2
    assert run(capsys, "check", ".", "--format", "pdf")[0] == 2
    assert run(capsys)[0] == 2


@pytest.mark.parametrize("fmt", ["json", "github", "sarif", "junit"])
def test_every_format_carries_the_problem(capsys, tmp_path, fmt):
    root = write_rulebook(tmp_path, {"r.yaml": BROKEN_RULE})
    code, out, _ = run(capsys, "check", str(root), "--format", fmt, "--today", TODAY)
    assert code == 1
    if fmt == "json":
        (problem,) = json.loads(out)["problems"]
        assert (problem["code"], problem["line"], problem["rule"]) == (
            "EXPR-UNKNOWN-FIELD",
            6,
            "R-1",
        )
    elif fmt == "github":
        assert out.startswith("::error file=") and ",line=6,col=16," in out
    elif fmt == "sarif":
        doc = json.loads(out)
        assert doc["version"] == "2.1.0"
        (result,) = doc["runs"][0]["results"]
        assert result["ruleId"] == "EXPR-UNKNOWN-FIELD"
        assert result["locations"][0]["physicalLocation"]["region"] == {
            "startLine": 6,
            "startColumn": 16,
        }
    else:
        suite = ET.fromstring(out)
        assert suite.get("failures") == "1"


def test_test_junit_lists_every_case(capsys):
    code, out, _ = run(capsys, "test", str(FUYANG), "--format", "junit")
    suite = ET.fromstring(out)
    assert code == 0 and suite.get("failures") == "0"
    assert int(suite.get("tests")) == len(suite.findall("testcase")) >= 10


def test_failing_rulebook_test_is_exit_1(capsys, tmp_path):
    test = """\
    tests:
      - id: T-1
        table: T
        given: {x: 1}
        expect: {output: 99}
    tables:
      - id: T
        title: 表
        basis: 依据
        hit_policy: FIRST
        inputs: [{name: x, type: number}]
        outputs: [{name: y, type: number}]
        rows: [["-", 1]]
    """
    root = write_rulebook(tmp_path, {"t.yaml": test})
    code, out, _ = run(capsys, "test", str(root), "--lang", "en")
    assert code == 1
    assert "TEST-FAILED: T-1: expected output 99, got 1" in out


def test_min_coverage_fails_below_the_threshold(capsys, tmp_path):
    root = write_rulebook(
        tmp_path, {"r.yaml": BROKEN_RULE.replace("comitted_days", "committed_days")}
    )
    code, _, err = run(capsys, "test", str(root), "--min-coverage", "50")
    assert code == 1 and "COVERAGE-LOW" in err


def test_schema_is_json_schema_with_every_section(capsys):
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["$schema"].startswith("https://json-schema.org/")
    for key in ("rulebook", "rules", "tables", "tests", "parameters", "items", "calendar"):
        assert key in schema["properties"]


def test_output_file(capsys, tmp_path):
    target = tmp_path / "report.sarif"
    code, out, _ = run(
        capsys, "check", str(FUYANG), "--format", "sarif", "--output", str(target), "--today", TODAY
    )
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_a_command_imports_no_other_command_module():
    """``fyrules check`` builds the parser of ``check`` alone: the other commands' modules (and
    what they import) are not loaded, so one command's start-up does not pay for all of them."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from fyrules.cli import main\n"
        f"rc = main(['check', {str(FUYANG)!r}])\n"
        "print(sorted(m for m in sys.modules if m.startswith('fyrules.cli.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == (
        "['fyrules.cli._common', 'fyrules.cli._words', 'fyrules.cli.check']"
    )


def test_version_imports_no_command_module():
    """``fyrules --version`` prints the version before any command is looked at, so it loads
    no command's module (its start-up is the interpreter and ``fyrules.cli`` alone)."""
    import subprocess
    import sys

    from fyrules import __version__

    script = (
        "import sys\n"
        "from fyrules.cli import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "finally:\n"
        "    print(sorted(m for m in sys.modules if m.startswith('fyrules.cli.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == [f"fyrules {__version__}", "['fyrules.cli._common', 'fyrules.cli._words']"]


def test_the_whole_parser_still_lists_every_command(capsys):
    from fyrules.cli import COMMANDS

    assert main(["--help"]) == 0
    listed = capsys.readouterr().out
    assert len(COMMANDS) == 24
    for name in COMMANDS:
        assert f"    {name}" in listed, name
