"""Terminal escapes from input never reach an output raw (issue 21): every format the command
line writes (text, JSON, Markdown, CSV, SARIF) and the published pages carry control
characters escaped as ``\\uXXXX``, while JSON still reads back the original value."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fyrules.cli import main
from fyrules.engine.safe_text import escape_controls
from tests.conftest import FUYANG

ROOT = Path(__file__).resolve().parents[1]
CLEAR = "\x1b[2J"  # clears the screen
TITLE = "\x1b]0;pwned\x07"  # sets the terminal's title
CSI = "\x9b2J"  # the one-byte (C1) form of ESC [
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def assert_no_raw_controls(text: str) -> None:
    assert not any(c in text for c in RAW), [c for c in RAW if c in text]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_escape_controls_keeps_lines_and_tabs_and_escapes_the_rest():
    assert escape_controls("a\tb\nc\r\nd") == "a\tb\nc\r\nd"
    assert escape_controls(f"x{CLEAR}y") == "x\\u001b[2Jy"
    assert escape_controls("over\rwrite") == "over\\u000dwrite"
    assert escape_controls("\u202egnp.exe") == "\\u202egnp.exe"
    assert escape_controls(CSI) == "\\u009b2J"


@pytest.fixture
def events(tmp_path):
    path = tmp_path / "events.jsonl"
    lines = [
        {
            "case": f"C1{CLEAR}",
            "item": "FY-SC-001",
            "event": "approve",  # an unknown case: rejected, and named in the report
            "at": "2025-10-09T09:30:00+08:00",
            "actor": f"u1{TITLE}",
        },
        {
            "case": f"C2{CSI}\u202e",
            "item": "FY-SC-001",
            "event": "accept",
            "at": "2025-10-09T09:30:00+08:00",
            "actor": "u1",
            "dept": "SC",
            "window": "W02",
        },
    ]
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in lines), "utf-8")
    return path


def test_evaluate_text_escapes_case_ids_and_actors(capsys, events):
    code, out, err = run(capsys, "evaluate", str(FUYANG), str(events))
    assert code in (0, 1), err
    assert_no_raw_controls(out + err)
    assert "C1\\u001b[2J" in out


def test_evaluate_json_escapes_and_still_reads_back_the_values(capsys, events):
    code, out, err = run(capsys, "evaluate", str(FUYANG), str(events), "--format", "json")
    assert code in (0, 1), err
    assert_no_raw_controls(out)
    doc = json.loads(out)
    cases = {r["event"]["case"] for r in doc["rejected"]}
    assert f"C1{CLEAR}" in cases  # the JSON escape is the value itself


@pytest.fixture
def hostile_rulebook(tmp_path):
    """Fuyang with a department's and a window's names carrying terminal escapes."""
    root = tmp_path / "fuyang"
    shutil.copytree(FUYANG, root)
    departments = root / "departments.yaml"
    text = departments.read_text("utf-8")
    text = text.replace("zh: 市市场监督管理局", 'zh: "市市场监督管理局\\e[2J\\e]0;pwned\\a"', 1)
    text = text.replace("zh: 企业登记综合窗口", 'zh: "企业登记综合窗口\\e[2J\\x9b2J"', 1)
    departments.write_text(text, "utf-8")
    # extends: national stays a built-in name; nothing else changes
    return root


def test_check_text_json_and_sarif_escape_a_key_from_the_rule_file(capsys, tmp_path):
    root = tmp_path / "rb"
    shutil.copytree(FUYANG, root)
    (root / "rules" / "hostile.yaml").write_text(
        f'"bad{CLEAR}key{TITLE}": 1\n'.replace("\x1b", "\\e").replace("\x07", "\\a"), "utf-8"
    )
    for fmt in ("text", "json", "github", "sarif", "junit"):
        code, out, err = run(capsys, "check", str(root), "--format", fmt)
        assert code == 1, (fmt, err)
        assert_no_raw_controls(out + err)
        assert "bad\\u001b[2Jkey" in out, fmt
        if fmt in ("json", "sarif"):
            json.loads(out)


def test_score_text_markdown_csv_and_json_escape_names_from_the_rulebook(
    capsys, hostile_rulebook, tmp_path
):
    from fyrules.rulebook import load
    from fyrules.simulation.cases import generate, write_jsonl

    rb = load(hostile_rulebook)
    month = tmp_path / "month.jsonl"
    with month.open("w", encoding="utf-8") as handle:
        write_jsonl(generate(rb, month="2025-10", cases=60, seed=3), handle)
    seen = ""
    for fmt in ("text", "md", "csv", "json", "html"):
        out_file = tmp_path / f"score.{fmt}"
        code, out, err = run(
            capsys,
            "score",
            str(hostile_rulebook),
            str(month),
            "--month",
            "2025-10",
            "--format",
            fmt,
            "--output",
            str(out_file),
        )
        assert code == 0, (fmt, err)
        written = out_file.read_text("utf-8")
        assert_no_raw_controls(written + out + err)
        seen += written
        if fmt == "json":
            json.loads(written)
    assert "\\u001b[2J" in seen  # the names were in the output, escaped


def test_published_markdown_pages_escape_names_from_the_rulebook(
    capsys, hostile_rulebook, tmp_path
):
    out_dir = tmp_path / "public"
    code, _out, err = run(capsys, "publish", str(hostile_rulebook), "--out", str(out_dir))
    assert code == 0, err
    pages = [p for p in out_dir.rglob("*") if p.is_file()]
    markdown = [p for p in pages if p.suffix == ".md"]
    assert markdown
    texts = "".join(p.read_text("utf-8") for p in pages)
    assert_no_raw_controls(texts)
    # the page writers drop C0 controls themselves; the C1 one is escaped on writing
    assert "\\u009b2J" in "".join(p.read_text("utf-8") for p in markdown)
