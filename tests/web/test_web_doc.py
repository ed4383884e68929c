"""docs/web.md, step by step, as a new user runs it: the extra it installs exists, and its
shell blocks run in order in one bash session in a fresh folder (the ``serve`` block in the
background, on a free port instead of 8000), each printing exactly what the document shows.

Markers (HTML comments before a block): ``web-test: install`` (the ``pip install`` line, checked
against pyproject.toml's extras), ``web-test: run`` (run), ``web-test: serve`` (run in the
background until the end), ``web-test: prints`` (the output of the ``run`` block before it),
``web-test: python`` (a program run in a fresh folder).
The steps need ``curl`` and ``jq`` (Debian's); without them this test skips, unless
``FYRULES_REQUIRE`` names ``web`` (.ci/run), where it fails."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from tests.doc_blocks import blocks
from tests.web.conftest import REQUIRED
from tests.web.support import ROOT, free_port, httpx

DOC = ROOT / "docs" / "web.md"
MARKER = re.compile(r"^<!-- web-test: (\w+) -->$")


def _marked() -> list[tuple[str, str, int]]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    out = []
    for block in blocks(DOC):
        before = lines[block.line - 2] if block.line >= 2 else ""
        found = MARKER.match(before)
        if found:
            out.append((found.group(1), block.text, block.line))
    return out


def test_the_install_step_names_the_web_extra_with_fastapi_and_uvicorn():
    installs = [text for kind, text, _ in _marked() if kind == "install"]
    assert installs == ["pip install '.[web]'\n"] or installs == ["pip install '.[web]'"]
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert {d.split(">")[0].split("=")[0] for d in extras["web"]} == {"fastapi", "uvicorn"}


def test_the_mounting_example_runs(tmp_path):
    [example] = [text for kind, text, _ in _marked() if kind == "python"]
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    done = subprocess.run(
        [sys.executable, "-c", example],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "adapters")])},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "host.db").is_file()


def test_every_step_of_the_walkthrough_prints_what_the_document_shows(tmp_path):
    missing = [tool for tool in ("curl", "jq", "bash") if shutil.which(tool) is None]
    if missing:
        if REQUIRED:
            pytest.fail(f"FYRULES_REQUIRE names web but {missing} are not installed")
        pytest.skip(f"{missing} not installed: apt-get install curl jq")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    port = str(free_port())
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "adapters")]),
    }
    steps = _marked()
    assert [k for k, *_ in steps].count("serve") == 1 and [k for k, *_ in steps].count(
        "prints"
    ) >= 3
    expected, server = [], None
    errors = (tmp_path / "stderr.txt").open("w")
    shell = subprocess.Popen(  # one session: a block's variables are the next one's
        ["bash", "--norc", "--noprofile"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
    )
    try:
        for n, (kind, text, line) in enumerate(steps):
            text = text.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
            if kind == "serve":
                command = text.strip() + f" --port {port}"
                server = subprocess.Popen(
                    ["bash", "-c", command],
                    cwd=tmp_path,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
                _wait_for(f"http://127.0.0.1:{port}/api/items", server)
            elif kind == "run":
                printed, status = _run(shell, text)
                assert status == 0, f"docs/web.md:{line}: exit {status}"
                following = steps[n + 1] if n + 1 < len(steps) else None
                if following is not None and following[0] == "prints":
                    assert printed == following[1], f"docs/web.md:{line}"
                    expected.append(line)
    finally:
        shell.stdin.close()
        shell.wait(timeout=60)
        errors.close()
        if server is not None:
            os.killpg(server.pid, 15)
            server.wait(timeout=120)
    assert len(expected) >= 3
    assert "curl:" not in (tmp_path / "stderr.txt").read_text(encoding="utf-8")


def _wait_for(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"fyrules serve exited with {server.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("fyrules serve did not answer")


def _run(shell: subprocess.Popen, text: str) -> tuple[str, int]:
    """Run one block in the session; its output and the exit status of its last command."""
    separator = "@@@ web-test status"
    shell.stdin.write(f"set -o pipefail\n{text}\necho '{separator}' $?\n")
    shell.stdin.flush()
    out = []
    while True:
        line = shell.stdout.readline()
        if not line:
            raise AssertionError("the shell ended")
        if line.startswith(separator):
            return "".join(out), int(line.split()[-1])
        out.append(line)
