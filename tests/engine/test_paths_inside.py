"""Files stay inside (issue 21): a rulebook reads its own folder and the rulebooks it
declares with ``extends``, nothing else; a path that leaves or cannot be a path is a problem
at file:line, never read and never an exception."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fyrules.engine.compile import ENGINE_SECTIONS
from fyrules.engine.load.loader import read_sources
from fyrules.engine.load.paths import PATH_MAX
from fyrules.rulebook import default_extensions
from tests.helpers import codes, write_rulebook

SECTIONS = (*ENGINE_SECTIONS, *(s for e in default_extensions() for s in e.sections))
SECRET = "db_password: hunter2\n"

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")


def read(root: Path):
    return read_sources(root, SECTIONS)


def only(problems, code):
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, problems
    return found[0]


@needs_symlinks
def test_a_rule_file_linked_to_a_secret_outside_is_path_outside_and_never_read(tmp_path):
    (tmp_path / "secret.yaml").write_text(SECRET, encoding="utf-8")
    root = write_rulebook(tmp_path / "rb", {})
    (root / "rules").mkdir()
    (root / "rules" / "x.yaml").symlink_to(tmp_path / "secret.yaml")
    sources = read(root)
    problem = only(sources.problems, "PATH-OUTSIDE")
    assert problem.path is not None and problem.path.endswith("rules/x.yaml")
    text = " ".join(p.format() for p in sources.problems)
    assert "db_password" not in text and "UNKNOWN-KEY" not in codes(sources.problems)


@needs_symlinks
def test_the_check_command_does_not_print_the_keys_of_a_linked_secret(tmp_path):
    (tmp_path / "secret.yaml").write_text(SECRET, encoding="utf-8")
    root = write_rulebook(tmp_path / "rb", {}, extends="national")
    (root / "rules").mkdir()
    (root / "rules" / "x.yaml").symlink_to(tmp_path / "secret.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "fyrules", "check", str(root)], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "PATH-OUTSIDE" in done.stdout and "db_password" not in done.stdout + done.stderr


@needs_symlinks
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="no /proc on this system")
def test_a_table_linked_to_proc_environ_is_path_outside(tmp_path):
    root = write_rulebook(tmp_path / "rb", {})
    (root / "tables").mkdir()
    (root / "tables" / "env.csv").symlink_to("/proc/self/environ")
    only(read(root).problems, "PATH-OUTSIDE")


@needs_symlinks
def test_a_link_that_stays_inside_the_rulebook_is_read(tmp_path):
    rule = "rules:\n  - {id: R-1, title: t, basis: b, scope: item, condition: 'true', message: {zh: 甲, en: a}}\n"
    root = write_rulebook(tmp_path / "rb", {"shared/r.yaml": rule})
    (root / "rules").mkdir()
    (root / "rules" / "r.yaml").symlink_to(root / "shared" / "r.yaml")
    sources = read(root)
    assert "PATH-OUTSIDE" not in codes(sources.problems)


@needs_symlinks
def test_a_manifest_linked_outside_is_path_outside(tmp_path):
    (tmp_path / "elsewhere.yaml").write_text(SECRET, encoding="utf-8")
    root = tmp_path / "rb"
    root.mkdir()
    (root / "rulebook.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    assert codes(read(root).problems) == ["PATH-OUTSIDE"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_where_a_rule_file_belongs_is_path_invalid_and_not_opened(tmp_path):
    root = write_rulebook(tmp_path / "rb", {})
    (root / "rules").mkdir()
    os.mkfifo(root / "rules" / "pipe.yaml")  # opening it would block forever
    only(read(root).problems, "PATH-INVALID")


@needs_symlinks
def test_a_link_to_a_device_is_refused(tmp_path):
    root = write_rulebook(tmp_path / "rb", {})
    (root / "rules").mkdir()
    (root / "rules" / "zero.yaml").symlink_to(os.devnull)
    assert "PATH-OUTSIDE" in codes(read(root).problems)


@pytest.mark.parametrize(
    ("extends", "code"),
    [
        ("/etc", "PATH-OUTSIDE"),
        ('"C:\\\\rulebooks\\\\national"', "PATH-OUTSIDE"),
        ('"a\\0b"', "PATH-INVALID"),
        ("a" * 10_000, "PATH-INVALID"),
        ("/".join(["ab"] * (PATH_MAX // 3 + 1)), "PATH-INVALID"),
    ],
)
def test_extends_that_is_absolute_has_nul_or_is_too_long_is_a_problem_at_its_line(
    tmp_path, extends, code
):
    root = write_rulebook(tmp_path / "rb", {}, extends=extends)
    problem = only(read(root).problems, code)
    assert problem.path is not None and problem.path.endswith("rulebook.yaml")
    assert problem.line == 5  # the manifest's extends line


def test_extends_of_a_declared_parent_by_relative_path_still_works(tmp_path):
    write_rulebook(tmp_path / "parent", {}, rulebook_id="p")
    root = write_rulebook(tmp_path / "child", {}, rulebook_id="c", extends="../parent")
    sources = read(root)
    assert sources.problems == ()
    assert [layer.manifest.rulebook for layer in sources.layers] == ["p", "c"]
