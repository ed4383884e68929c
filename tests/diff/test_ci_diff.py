"""The `fyrules diff` CI examples of docs/ci.md run: the GitHub workflow's shell steps on a
base and a head checkout, and the GitLab job's script in a real git clone of a repository
whose merge request shortens a limit, posting its note to an HTTP server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs

import pytest
import yaml

from tests.conftest import FUYANG, ROOT

EXAMPLES = ROOT / "docs" / "examples"
SHORTER = ("committed_days: 20", "committed_days: 15")
LONGER = ("committed_days: 20", "committed_days: 25")
PINNED_MONTH = "2025-10"  # the month of the generated events


@pytest.fixture
def shell_env(tmp_path) -> dict[str, str]:
    """An environment whose PATH has a `fyrules` command running this checkout."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "fyrules"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m fyrules "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    env = {k: v for k, v in os.environ.items() if k != "MONTH"}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    return env


def _rulebook(where: Path, edit: tuple[str, str] | None = None) -> None:
    shutil.copytree(FUYANG, where)
    if edit is not None:
        path = where / "items" / "civil-affairs.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``script`` as the CI runners do: bash, stopping at the first failing command."""
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _last_month() -> str:
    first = dt.datetime.now(dt.UTC).date().replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


# --- GitHub Actions -------------------------------------------------------------------------------


def _workflow() -> dict:
    return yaml.safe_load((EXAMPLES / "github-diff.yml").read_text(encoding="utf-8"))


def _steps() -> dict[str, dict]:
    (job,) = _workflow()["jobs"].values()
    return {step.get("name", step.get("uses", "")): step for step in job["steps"]}


def test_the_github_workflow_checks_out_base_and_head_and_comments_what_diff_writes():
    workflow = _workflow()
    assert workflow["permissions"]["pull-requests"] == "write"
    assert "pull_request" in workflow[True if True in workflow else "on"]
    steps = _steps()
    head = steps["Check out the head (the change)"]
    base = steps["Check out the base (the rules in force)"]
    assert head["uses"].startswith("actions/checkout@") and head["with"] == {"path": "head"}
    assert base["with"] == {"ref": "${{ github.event.pull_request.base.sha }}", "path": "base"}
    assert steps["Install fyrules"]["run"] == 'pip install "head/$FYRULES_WHEEL"'
    assert workflow["env"]["FYRULES_WHEEL"].endswith(".whl")  # fyrules is on no index
    diff = steps["What the change does"]["run"]
    written = diff.split("--output", 1)[1].split()[0]
    assert steps["Post it on the pull request"]["with"]["path"] == written


def _run_github_steps(tmp_path: Path, env: dict[str, str], edit: tuple[str, str], events: Path):
    """The workflow's shell steps after the checkouts (which this builds: base/ and head/)."""
    workflow = _workflow()
    _rulebook(tmp_path / "base" / workflow["env"]["RULEBOOK"])
    _rulebook(tmp_path / "head" / workflow["env"]["RULEBOOK"], edit)
    exports = tmp_path / "head" / workflow["env"]["EVENTS"]
    exports.mkdir()
    shutil.copy(events, exports / f"{PINNED_MONTH}.jsonl")
    env = {**env, **workflow["env"], "GITHUB_ENV": str(tmp_path / "github_env")}
    results = {}
    for name, step in _steps().items():
        if "run" not in step or step["run"].startswith("pip install"):
            continue
        if name == "Last month":  # today's last month, then the month the exports hold
            done = _bash(step["run"], tmp_path, env)
            assert done.returncode == 0, done.stderr
            written = (tmp_path / "github_env").read_text(encoding="utf-8")
            assert written == f"MONTH={_last_month()}\n"
            env["MONTH"] = PINNED_MONTH
            done = _bash(step["run"], tmp_path, env)
            assert done.returncode == 0, done.stderr
            assert (
                (tmp_path / "github_env")
                .read_text(encoding="utf-8")
                .endswith(f"MONTH={PINNED_MONTH}\n")
            )
            continue
        results[name] = _bash(step["run"], tmp_path, env)
    return results


def test_the_github_workflow_steps_run_and_pass_a_shortened_limit(
    tmp_path, shell_env, month_events
):
    results = _run_github_steps(tmp_path, shell_env, SHORTER, month_events)
    diff = results["What the change does"]
    assert diff.returncode == 0, diff.stderr  # changes are exit 1: the step tolerates it
    comment = (tmp_path / "fyrules-diff.md").read_text(encoding="utf-8")
    assert comment.startswith("## fyrules diff")
    assert "`FY-MZ-001`" in comment and "<details>" in comment
    assert "期限变化的案件 / cases whose deadlines move" in comment
    gate = results["Refuse a change that loosens a rule"]
    assert gate.returncode == 0, gate.stdout + gate.stderr


def test_the_github_workflow_fails_a_change_that_loosens_a_limit(tmp_path, shell_env, month_events):
    results = _run_github_steps(tmp_path, shell_env, LONGER, month_events)
    assert results["What the change does"].returncode == 0
    gate = results["Refuse a change that loosens a rule"]
    assert gate.returncode == 1
    assert "### 放宽 / loosened (1)" in gate.stdout


# --- GitLab CI ------------------------------------------------------------------------------------


class _Notes(BaseHTTPRequestHandler):
    """GitLab's notes endpoint, as far as the job uses it: records each POST."""

    received: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.received.append(
            {
                "path": self.path,
                "token": self.headers.get("PRIVATE-TOKEN"),
                "form": parse_qs(self.rfile.read(length).decode("utf-8")),
            }
        )
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": 1}')

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        return


@pytest.fixture
def notes_server():
    _Notes.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Notes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v4", _Notes.received
    server.shutdown()
    server.server_close()


def _git(cwd: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "policy",
        "GIT_AUTHOR_EMAIL": "policy@example.org",
        "GIT_COMMITTER_NAME": "policy",
        "GIT_COMMITTER_EMAIL": "policy@example.org",
    }
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _merge_request(tmp_path: Path, edit: tuple[str, str], events: Path, job: dict) -> Path:
    """A repository whose main branch holds Fuyang and last month's export, and a clone on a
    branch that changes it, as the runner checks a merge request out."""
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    _git(tmp_path, "init", "--bare", "-b", "main", str(origin))
    _git(tmp_path, "clone", str(origin), str(work))
    rulebook = job["variables"]["RULEBOOK"]
    _rulebook(work / rulebook)
    (work / job["variables"]["EVENTS"]).mkdir()
    shutil.copy(events, work / job["variables"]["EVENTS"] / f"{PINNED_MONTH}.jsonl")
    _git(work, "checkout", "-b", "main")
    _git(work, "add", "-A")
    _git(work, "commit", "-m", "the rules in force")
    _git(work, "push", "origin", "main")
    _git(work, "checkout", "-b", "change")
    path = work / rulebook / "items" / "civil-affairs.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    _git(work, "commit", "-am", "a change to a committed limit")
    _git(work, "push", "origin", "change")
    project = tmp_path / "project"
    _git(tmp_path, "clone", "--branch", "change", str(origin), str(project))
    return project


def _gitlab_job() -> dict:
    pipeline = yaml.safe_load((EXAMPLES / "gitlab-diff.yml").read_text(encoding="utf-8"))
    return {"variables": pipeline["variables"], **pipeline["rulebook-diff"]}


NEEDS_GIT_AND_CURL = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("curl") is None,
    reason="the GitLab job runs git and curl: apt-get install git curl (.ci/run installs them)",
)


@NEEDS_GIT_AND_CURL
@pytest.mark.parametrize(("edit", "code"), [(SHORTER, 0), (LONGER, 1)], ids=["shorter", "longer"])
def test_the_gitlab_job_diffs_a_merge_request_and_posts_the_note(
    tmp_path, shell_env, month_events, notes_server, edit, code
):
    api, received = notes_server
    job = _gitlab_job()
    project = _merge_request(tmp_path, edit, month_events, job)
    env = {
        **shell_env,
        **job["variables"],
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
        "CI_API_V4_URL": api,
        "CI_PROJECT_ID": "42",
        "CI_MERGE_REQUEST_IID": "7",
        "FYRULES_NOTE_TOKEN": "token-for-the-test",
        "MONTH": PINNED_MONTH,
    }
    done = _bash("\n".join(job["script"]), project, env)
    assert done.returncode == code, done.stdout + done.stderr  # the gate: 1 only when loosened
    written = (project / job["artifacts"]["paths"][0]).read_text(encoding="utf-8")
    assert "`FY-MZ-001`" in written
    (note,) = received
    assert note["path"] == "/api/v4/projects/42/merge_requests/7/notes"
    assert note["token"] == "token-for-the-test"
    assert note["form"]["body"] == [written]
    assert (project / "base" / job["variables"]["RULEBOOK"] / "rulebook.yaml").is_file()


def test_the_gitlab_job_takes_last_month_when_none_is_set(tmp_path, shell_env):
    (line,) = [s for s in _gitlab_job()["script"] if s.startswith("MONTH=")]
    done = _bash(line + '\necho "$MONTH"', tmp_path, shell_env)
    assert done.stdout.strip() == _last_month()
