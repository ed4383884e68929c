"""``fyrules demo``: the whole job on examples/fuyang, and the progress bar it shows."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from fyrules.cli import main
from fyrules.cli.demo import run_demo
from fyrules.engine.problems import UsageError
from fyrules.progress import Progress, tracked
from tests.conftest import FUYANG, fuyang_rulebook


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, run_demo(FUYANG, out, cases=300, seed=3, lang="en", progress=False)


def test_demo_reports_every_section_management_reads(small_demo):
    _, result = small_demo
    titles = [s.title for s in result.sections]
    assert titles[:2] == ["The rulebook", "The month's cases"]
    for wanted in (
        "Deadline warnings and overdue cases",
        "Separation of duties",
        "Rejected events",
        "Publication and output",
    ):
        assert wanted in titles
    text = result.text()
    assert "own tests:" in text and "passed" in text
    assert "fyrules trail verify" in text


def test_demo_writes_the_month_the_findings_and_the_publication(small_demo):
    out, result = small_demo
    events = (out / "2025-10.jsonl").read_text(encoding="utf-8").splitlines()
    cases = {json.loads(line)["case"] for line in events}
    assert len(cases) == 300
    findings = json.loads((out / "2025-10-findings.json").read_text(encoding="utf-8"))
    assert findings["as_of"].startswith("2025-10-31T23:59:59")
    assert all(
        {"rule", "severity", "case", "message", "basis"} <= set(f) for f in findings["findings"]
    )
    assert (out / "public" / "index.html").is_file()
    assert all(path.exists() for path in result.written)


def test_demo_findings_are_the_monitors_own(small_demo, tmp_path):
    """The demo only orders what the library computes: replaying its events file through a
    fresh monitor as of the same moment gives the same findings."""
    import datetime as dt

    out, _ = small_demo
    rb = fuyang_rulebook()
    monitor = rb.monitor()
    monitor.replay_file(out / "2025-10.jsonl")
    saved = json.loads((out / "2025-10-findings.json").read_text(encoding="utf-8"))
    as_of = dt.datetime.fromisoformat(saved["as_of"])
    assert (
        json.loads(json.dumps([f.to_dict() for f in monitor.findings(as_of)], ensure_ascii=False))
        == saved["findings"]
    )


def test_demo_is_reproducible(tmp_path):
    one = run_demo(FUYANG, tmp_path / "a", cases=120, seed=11, lang="zh", progress=False)
    two = run_demo(FUYANG, tmp_path / "b", cases=120, seed=11, lang="zh", progress=False)
    assert (tmp_path / "a" / "2025-10.jsonl").read_bytes() == (
        tmp_path / "b" / "2025-10.jsonl"
    ).read_bytes()
    strip = [s for s in one.sections if s.title != "公示与输出"]
    assert strip == [s for s in two.sections if s.title != "公示与输出"]


def test_demo_command_exits_0_and_says_where_it_wrote(tmp_path, capsys):
    code = main(["demo", "--out", str(tmp_path), "--cases", "150", "--no-progress", "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert str(tmp_path / "public" / "index.html") in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--month", "2025-13"], "YYYY-MM"),
        (["--cases", "0"], "--cases"),
        (["--rulebook", "no/such/folder"], "no/such/folder"),
    ],
)
def test_demo_refuses_bad_input_with_exit_2(tmp_path, capsys, argv, message):
    code = main(["demo", "--out", str(tmp_path), "--no-progress", *argv])
    _, err = capsys.readouterr()
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_demo_that_cannot_write_its_pages_says_so_and_exits_2(tmp_path, capsys):
    (tmp_path / "public" / "index.md").mkdir(parents=True)  # a folder where a page goes
    code = main(["demo", "--out", str(tmp_path), "--cases", "20", "--no-progress"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "无法写入" in err and "choose another output folder" in err
    assert "internal error" not in err and "Traceback" not in err


def test_demo_on_a_rulebook_with_errors_stops_before_writing(tmp_path):
    broken = FUYANG.parent / "broken"
    with pytest.raises(UsageError, match="errors"):
        run_demo(broken, tmp_path / "out", cases=10, progress=False)
    assert not (tmp_path / "out" / "2025-10.jsonl").exists()


def test_progress_off_a_terminal_writes_one_line_when_the_step_ends():
    stream = io.StringIO()
    with Progress("replaying", 10, stream=stream) as bar:
        for _ in tracked(range(10), bar, every=3):
            pass
        assert stream.getvalue() == ""
    assert stream.getvalue().count("\n") == 1
    assert "100%" in stream.getvalue() and "10/10" in stream.getvalue()


def test_progress_on_a_terminal_redraws_in_place():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    with Progress("generating", 4, stream=stream) as bar:
        bar.advance(2)
    text = stream.getvalue()
    assert text.startswith("\r") and text.endswith("\n")
    assert "50%" in text and "100%" not in text.split("\r")[1]


def test_progress_disabled_writes_nothing():
    stream = io.StringIO()
    with Progress("quiet", 5, stream=stream, enabled=False) as bar:
        bar.advance(5)
    assert stream.getvalue() == ""


def test_demo_draw_is_the_one_anyone_can_rerun(small_demo):
    """The demo's inspection draw is recorded in its trail, and re-running the draw from the
    events file and the same public value gives the same digest."""
    from fyrules.cli.demo import DEFAULT_PUBLIC_VALUE

    out, result = small_demo
    section = next(s for s in result.sections if s.title == "The month's random inspection draw")
    rb = fuyang_rulebook()
    rerun = rb.inspection_draw(
        out / "2025-10.jsonl", month="2025-10", public_value=DEFAULT_PUBLIC_VALUE
    )
    assert rerun.feasible
    assert any(rerun.digest()[:16] in line for line in section.lines)


def test_demo_trail_verifies_against_the_head_it_prints_and_catches_tampering(small_demo, tmp_path):
    """The command the demo prints checks its exported trail (exit 0); one changed byte in
    the file makes the same command fail (exit 1)."""
    _, result = small_demo
    line = next(line for line in result.text().splitlines() if "fyrules trail verify" in line)
    argv = line.split("fyrules ", 1)[1].split()
    assert main(argv) == 0
    trail = Path(argv[2])
    raw = bytearray(trail.read_bytes())
    at = raw.index(b'"approve"')
    raw[at + 1 : at + 2] = b"A"
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_bytes(bytes(raw))
    assert main([argv[0], argv[1], str(tampered), *argv[3:]]) == 1
