"""The command line speaks the user's language: bilingual help and errors, a suggestion for a
mistyped command, Chinese-first output with ``--lang zh``, colour only where wanted, and shell
completion generated from the parser."""

from __future__ import annotations

import argparse
import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from fyrules.cli import _parser, main
from fyrules.cli._words import colour, paint

MISTAKES = Path(__file__).parent / "mistakes"
CJK_FIRST = re.compile(
    r"^\s*(?:\S+:\d+:\d+: )?(?:[A-Z][A-Z0-9-]+: )*(?:\[[^\]]*\] )?[\W\d]*[\u4e00-\u9fff]"
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _actions(parser: argparse.ArgumentParser, name: str = "fyrules"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _actions(sub, sub_name)
        else:
            yield name, action


def test_every_option_of_every_command_has_help_in_chinese_and_english():
    missing = [
        f"{name} {action.option_strings or action.dest}"
        for name, action in _actions(_parser())
        if not re.search(r"[\u4e00-\u9fff].* / \S", action.help or "")
    ]
    assert missing == []


def test_a_mistyped_command_gets_a_suggestion_in_both_languages():
    code, _, err = run("chekc", "x")
    assert code == 2
    assert "未知的命令 “chekc”（是否应为 “check”？）" in err
    assert "did you mean 'check'?" in err


def test_a_mistyped_choice_gets_a_suggestion():
    code, _, err = run("check", "x", "--format", "sarf")
    assert code == 2
    assert "是否应为 “sarif”" in err


def test_a_missing_argument_is_reported_in_chinese_first():
    code, _, err = run("test")
    assert code == 2
    assert "错误：缺少必需的参数：rulebook / error: missing required arguments" in err


def _case_rulebook(tmp_path: Path, case: str) -> Path:
    import shutil

    from tests.test_mistakes import header

    root = tmp_path / "rb"
    shutil.copytree(MISTAKES / "base", root)
    path = MISTAKES / "cases" / f"{case}.yaml"
    (root / header(path)["file"]).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return root


def test_check_in_chinese_puts_chinese_first_on_every_line(tmp_path):
    root = _case_rulebook(tmp_path, "calendar-weekend-holiday")
    code, out, _ = run("check", str(root), "--lang", "zh", "--today", "2025-10-15")
    assert code == 0
    lines = out.strip().splitlines()
    assert "[警告]" in lines[0]
    assert all(CJK_FIRST.match(line) for line in lines), lines


def test_test_in_chinese_puts_chinese_first_on_every_line(tmp_path):
    root = _case_rulebook(tmp_path, "test-expects-unknown-rule")
    # a test that fails at run time: it expects the rule not to fire
    tests = root / "tests" / "online.yaml"
    tests.write_text(
        tests.read_text(encoding="utf-8").replace("[FY-ONLINE-APLY]", "[]"), encoding="utf-8"
    )
    code, out, _ = run("test", str(root), "--lang", "zh", "--coverage")
    assert code == 1
    lines = out.strip().splitlines()
    assert any(line.startswith("失败 T-ONLINE-NONE") for line in lines)
    assert any("个通过，1 个未通过" in line for line in lines)
    assert any(line.startswith("覆盖率：") for line in lines)
    assert "['" not in out  # lists are never Python reprs
    assert all(CJK_FIRST.match(line) for line in lines), lines


def test_colour_only_when_wanted(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert colour("auto", Terminal())
    assert not colour("auto", io.StringIO())
    assert not colour("never", Terminal())
    assert colour("always", io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour("auto", Terminal())


def test_colour_marks_codes_and_warnings(tmp_path):
    root = _case_rulebook(tmp_path, "calendar-weekend-holiday")
    _, coloured, _ = run("check", str(root), "--color", "always", "--today", "2025-10-15")
    _, plain, _ = run("check", str(root), "--color", "never", "--today", "2025-10-15")
    assert "\033[" in coloured and "\033[" not in plain
    assert re.sub(r"\033\[[0-9;]*m", "", coloured) == plain
    assert paint("no code here") == "no code here"


@pytest.mark.optional  # shtab: the completion extra
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_is_generated_from_the_parser(shell):
    code, out, _ = run("completion", shell)
    assert code == 0
    for word in ("check", "import-catalog", "--min-coverage", "--strict"):
        assert word in out
