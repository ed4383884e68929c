"""The mistakes corpus (tests/mistakes/): each broken rule file gets the message it should.

Every case is a mistake policy staff really make (a full-width colon, 并且 for ``and``, a date
with dots …). Its header fixes the exit code of ``fyrules check``, the place and code of the
first problem and the start of its Chinese message; see tests/mistakes/README.md.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from fyrules.cli import main

HERE = Path(__file__).parent / "mistakes"
BASE = HERE / "base"
CASES = sorted((HERE / "cases").glob("*.yaml"))

# Words of pydantic, PyYAML/libyaml and Python's parser that must never reach policy staff.
FOREIGN = re.compile(
    r"Input should|String should|should have at least|Field required|Extra inputs|"
    r"errors\.pydantic|Value error,|valid integer|valid date|unable to parse|"
    r"could not find expected|found character|cannot start any token|while scanning|"
    r"while parsing|did not find expected|mapping values are not allowed|found unexpected|"
    r"found unknown escape|invalid syntax|Perhaps you forgot|Maybe you meant|was never closed|"
    r"unterminated string|invalid decimal literal|unexpected EOF|SyntaxError|Traceback|"
    r"\['[^'\s\]]*'(?:, '[^']*')*\]"  # a Python list's repr
)


def header(path: Path) -> dict[str, str]:
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r"# (\w+): (.*)", line)
        if match:
            fields[match.group(1)] = match.group(2)
    return fields


def run_case(path: Path, tmp_path: Path) -> tuple[int, list[dict], Path]:
    fields = header(path)
    root = tmp_path / "rb"
    shutil.copytree(BASE, root)
    (root / fields["file"]).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        code = main(["check", str(root), "--format", "json", "--today", fields["today"]])
    return code, json.loads(out.getvalue())["problems"], root


def test_the_corpus_holds_at_least_sixty_mistakes():
    assert len(CASES) >= 60


def test_the_base_rulebook_has_no_problem(tmp_path):
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", str(BASE), "--format", "json", "--today", "2025-10-15"])
    assert code == 0, out.getvalue()
    assert json.loads(out.getvalue())["problems"] == []


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_each_mistake_gets_its_message_at_its_place(case, tmp_path):
    fields = header(case)
    code, problems, root = run_case(case, tmp_path)
    assert code == int(fields["exit"]), problems
    errors = [p for p in problems if p["severity"] == "error"] or problems
    first = errors[0]
    where = f"{Path(first['path']).relative_to(root).as_posix()}:{first['line']}:{first['column']}"
    assert where == fields["at"]
    assert first["code"] == fields["code"]
    assert first["message_zh"].startswith(fields["zh"])


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_no_message_holds_pydantic_yaml_or_python_text(case, tmp_path):
    """Every message of the corpus, in both languages, is fyrules' own words."""
    _, problems, _ = run_case(case, tmp_path)
    assert problems
    for p in problems:
        for text in (p["message_zh"], p["message_en"]):
            assert not FOREIGN.search(text), text
        assert re.search(r"[\u4e00-\u9fff]", p["message_zh"]), p["message_zh"]
