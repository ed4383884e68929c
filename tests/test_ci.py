"""The CI examples of docs/ci.md work: the workflows parse and their fyrules commands run,
the SARIF that `fyrules check` writes has what GitHub's upload-sarif needs, the shell script
tells the exit codes apart, and .pre-commit-hooks.yaml defines hooks pre-commit can run."""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests import doc_blocks

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def _load(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def _expand(command: str, variables: dict[str, str]) -> str:
    for name, value in variables.items():
        command = command.replace(f'"${name}"', value).replace(f"${name}", value)
    return command


def _run(command: str, tmp_path: Path) -> tuple[int, str]:
    with doc_blocks.workspace(tmp_path):
        return doc_blocks.run_command(command)


# --- GitHub Actions ---------------------------------------------------------------------------


def _github_steps() -> list[dict]:
    workflow = _load("github-actions.yml")
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def _sarif_step() -> tuple[str, str]:
    """The check command of the workflow and the file it writes."""
    for step in _github_steps():
        run = step.get("run", "")
        if run.startswith("fyrules check") and "--format sarif" in run:
            words = shlex.split(run)
            return run, words[words.index("--output") + 1]
    raise AssertionError("no `fyrules check --format sarif` step")


def test_the_github_workflow_uploads_what_fyrules_check_writes():
    workflow = _load("github-actions.yml")
    assert workflow["permissions"]["security-events"] == "write"
    _, written = _sarif_step()
    uploads = [
        s
        for s in _github_steps()
        if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")
    ]
    assert len(uploads) == 1
    assert uploads[0]["with"]["sarif_file"] == written
    assert uploads[0]["if"] == "always()"  # the problems are uploaded when the check fails


URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
ABSOLUTE_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:" + URI_REFERENCE.pattern)


def _uris_are_what_the_schema_allows(sarif: dict) -> None:
    """The SARIF schema's formats, which upload-sarif enforces: every URI of a rule is an
    absolute URI (`uri`), every artifact location a URI reference (`uri-reference`)."""
    for run in sarif["runs"]:
        driver = run["tool"]["driver"]
        assert ABSOLUTE_URI.fullmatch(driver.get("informationUri", "x:"))
        for rule in driver.get("rules", []):
            for key in ("helpUri",):
                if key in rule:
                    assert ABSOLUTE_URI.fullmatch(rule[key]), rule[key]
        for result in run["results"]:
            for location in result.get("locations", []):
                uri = location["physicalLocation"]["artifactLocation"]["uri"]
                assert URI_REFERENCE.fullmatch(uri), uri


def _sarif(rulebook: str, tmp_path: Path) -> tuple[int, dict]:
    run, written = _sarif_step()
    code, _ = _run(_expand(run, {"RULEBOOK": rulebook}), tmp_path)
    return code, json.loads((tmp_path / written).read_text(encoding="utf-8"))


def test_the_workflow_check_passes_on_fuyang_with_an_empty_sarif(tmp_path):
    code, sarif = _sarif("examples/fuyang", tmp_path)
    assert code == 0
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"] == []


def test_the_sarif_of_a_broken_rulebook_has_what_upload_sarif_needs(tmp_path):
    """version 2.1.0; each run names its tool; each result has a rule id, a level, a message
    and a location relative to the repository's root, with a start line."""
    code, sarif = _sarif("examples/broken", tmp_path)
    assert code == 1
    assert sarif["version"] == "2.1.0"
    _uris_are_what_the_schema_allows(sarif)
    assert sarif["runs"]
    for run in sarif["runs"]:
        driver = run["tool"]["driver"]
        assert driver["name"] == "fyrules"
        rule_ids = {rule["id"] for rule in driver.get("rules", [])}
        assert run["results"]
        for result in run["results"]:
            assert result["ruleId"] in rule_ids
            assert result["level"] in ("error", "warning", "note")
            assert result["message"]["text"]
            assert result["locations"]
            for location in result["locations"]:
                physical = location["physicalLocation"]
                uri = physical["artifactLocation"]["uri"]
                assert not uri.startswith("/") and (ROOT / uri).is_file()
                assert physical["region"]["startLine"] >= 1


def test_a_file_named_in_chinese_is_a_percent_encoded_uri_in_the_sarif(tmp_path):
    """Policy staff name files in Chinese; the SARIF location stays a valid URI reference that
    decodes back to the file."""
    from urllib.parse import unquote

    run, written = _sarif_step()
    with doc_blocks.workspace(tmp_path):
        items = tmp_path / "examples" / "broken" / "items"
        (items / "mistakes.yaml").rename(items / "错误 示例.yaml")
        code, _ = doc_blocks.run_command(_expand(run, {"RULEBOOK": "examples/broken"}))
    sarif = json.loads((tmp_path / written).read_text(encoding="utf-8"))
    assert code == 1
    _uris_are_what_the_schema_allows(sarif)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for loc in result["locations"]
    }
    assert unquote(uris.pop()) == "examples/broken/items/错误 示例.yaml"


def test_the_workflow_test_step_runs(tmp_path):
    run = next(s["run"] for s in _github_steps() if s.get("run", "").startswith("fyrules test"))
    code, _ = _run(_expand(run, {"RULEBOOK": "examples/fuyang"}), tmp_path)
    assert code == 0
    assert "<testsuite" in (tmp_path / "fyrules-tests.xml").read_text(encoding="utf-8")


# --- GitLab CI ----------------------------------------------------------------------------------


def test_the_gitlab_job_runs_and_reports_what_it_writes(tmp_path):
    pipeline = _load("gitlab-ci.yml")
    job = pipeline["rulebook"]
    commands = [c for c in job["script"] if c.startswith("fyrules ")]
    assert [c.split()[1] for c in commands] == ["check", "test"]
    reported = set(job["artifacts"]["reports"]["junit"])
    for command in commands:
        code, _ = _run(_expand(command, pipeline["variables"]), tmp_path)
        assert code == 0
        written = shlex.split(command)[shlex.split(command).index("--output") + 1]
        assert written in reported
        assert "<testsuite" in (tmp_path / written).read_text(encoding="utf-8")


# --- the shell script ---------------------------------------------------------------------------


@pytest.fixture
def fyrules_on_path(tmp_path) -> dict[str, str]:
    """An environment whose PATH has a `fyrules` command running this checkout."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "fyrules"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m fyrules "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.mark.parametrize(
    ("rulebook", "code", "says"),
    [
        ("examples/fuyang", 0, "rulebook examples/fuyang: valid, tests pass"),
        ("examples/broken", 1, "the rulebook has errors"),
        ("examples/missing", 2, "could not run (exit 2)"),
    ],
)
def test_the_shell_script_tells_the_exit_codes_apart(fyrules_on_path, rulebook, code, says):
    done = subprocess.run(
        ["sh", str(EXAMPLES / "ci.sh"), rulebook],
        cwd=ROOT,
        env=fyrules_on_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == code, done.stderr
    assert says in done.stdout + done.stderr


# --- pre-commit ----------------------------------------------------------------------------------


def _hooks() -> list[dict]:
    return yaml.safe_load(HOOKS.read_text(encoding="utf-8"))


def test_the_pre_commit_hooks_have_the_keys_pre_commit_requires():
    hooks = _hooks()
    assert [h["id"] for h in hooks] == ["fyrules-check", "fyrules-test"]
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"  # pre-commit installs this package for it
        assert hook["pass_filenames"] is False  # the rulebook folder is the argument
        assert isinstance(hook["args"], list)
        files = re.compile(hook["files"])
        for changed in ("rules/catalog.yaml", "items/x.yml", "tables/satisfaction-band.csv"):
            assert files.search(changed)
        assert not files.search("README.md")


@pytest.mark.parametrize("hook", _hooks(), ids=lambda h: h["id"])
def test_each_hook_entry_runs_on_a_rulebook(hook, tmp_path):
    """The entry with a rulebook folder as its argument (as a user's `args` gives it) runs
    and passes on Fuyang's rulebook, and fails on the broken one."""
    entry = hook["entry"]
    assert entry.split()[0] == "fyrules"  # the console script pyproject.toml installs
    assert _run(f"{entry} examples/fuyang", tmp_path / "ok")[0] == 0
    assert _run(f"{entry} examples/broken", tmp_path / "broken")[0] == 1


def test_the_console_script_the_hooks_call_is_installed_by_the_package():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^fyrules = "fyrules\.cli:main"$', pyproject, flags=re.M)


def test_the_ci_examples_install_fyrules_from_a_wheel_not_an_index():
    """fyrules is not on a package index: the examples install the wheel built from it."""
    installs = [
        step["run"] for step in _github_steps() if step.get("run", "").startswith("pip install")
    ]
    installs += [c for c in _load("gitlab-ci.yml")["rulebook"]["before_script"] if "pip" in c]
    assert installs == ['pip install "$FYRULES_WHEEL"'] * 2
    assert _load("github-actions.yml")["env"]["FYRULES_WHEEL"].endswith(".whl")
    assert _load("gitlab-ci.yml")["variables"]["FYRULES_WHEEL"].endswith(".whl")
