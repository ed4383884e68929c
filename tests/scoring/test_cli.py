"""``fyrules score`` and the ranking pages of ``fyrules publish``."""

from __future__ import annotations

import csv
import io
import json

import pytest

from fyrules.cli import main
from tests.conftest import FUYANG as FUYANG_PATH

FUYANG = str(FUYANG_PATH)


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_contracts_row_fields(capsys, october_file):
    code, out, _ = _run(
        capsys, "score", FUYANG, str(october_file), "--month", "2025-10", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    row = data["rows"][0]
    assert row["rank"] == 1 and {"window", "score", "stats"} <= set(row)
    assert {"accepted", "closed", "in_progress", "closing_rate"} <= set(row["stats"])


@pytest.mark.parametrize("fmt", ["text", "csv", "md", "html"])
def test_every_format_renders(capsys, october_file, fmt):
    code, out, _ = _run(
        capsys, "score", FUYANG, str(october_file), "--month", "2025-10", "--format", fmt
    )
    assert code == 0 and "2025-10" in out
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows[0]["rank"] == "1" and "points.OVERTIME" in rows[0]
    if fmt == "html":
        assert (
            "<svg" in out
            and "<script" not in out.lower()
            and "http://" not in out.replace('xmlns="http://www.w3.org/2000/svg"', "")
        )
        assert "Content-Security-Policy" in out


def test_previous_month_and_output_file(capsys, tmp_path, october_file, september_file):
    target = tmp_path / "ranking.json"
    code, _, _ = _run(
        capsys, "score", FUYANG, str(october_file), "--month", "2025-10",
        "--previous", str(september_file), "--format", "json", "--output", str(target),
    )  # fmt: skip
    assert code == 0
    data = json.loads(target.read_text("utf-8"))
    assert data["previous_month"] == "2025-09"
    assert any(row["change"] is not None for row in data["rows"])


@pytest.mark.parametrize(
    "argv, says",
    [
        (["--month", "2025-13"], "YYYY-MM"),
        (["--month", "October"], "YYYY-MM"),
        (["--month", "2025-10", "--previous", "/no/such/file"], "does not exist"),
        (["--month", "2020-01"], "SCORE-NO-SCHEME"),
        (["--month", "2025-10", "--version", "0.9"], "SCORE-NO-SCHEME"),
        (["--month", "2025-10", "--format", "pdf"], "unknown value for --format"),
    ],
)
def test_bad_input_exits_2_without_a_traceback(capsys, october_file, argv, says):
    code, out, err = _run(capsys, "score", FUYANG, str(october_file), *argv)
    assert code == 2
    assert says in err and "Traceback" not in err + out


def test_missing_events_file_and_bad_assessments_exit_2(capsys, tmp_path, october_file):
    code, _, err = _run(capsys, "score", FUYANG, str(tmp_path / "none.jsonl"), "--month", "2025-10")
    assert code == 2 and "does not exist" in err
    bad = tmp_path / "a.csv"
    bad.write_text("window,integration\nW77,1\n", "utf-8")
    code, _, err = _run(
        capsys, "score", FUYANG, str(october_file), "--month", "2025-10", "--assessments", str(bad)
    )
    assert code == 2 and "ASSESSMENT-INVALID" in err and "a.csv:2" in err


def test_publish_writes_the_ranking_pages(capsys, tmp_path, october_file):
    out = tmp_path / "site"
    code, _, _ = _run(
        capsys,
        "publish",
        FUYANG,
        "--out",
        str(out),
        "--events",
        str(october_file),
        "--month",
        "2025-10",
    )
    assert code == 0
    for suffix in ("html", "md", "csv", "json"):
        assert (out / "rankings" / f"2025-10.{suffix}").is_file()
    assert (out / "index.html").is_file()
    page = (out / "rankings" / "2025-10.html").read_text("utf-8")
    assert "<svg" in page and "<script" not in page


def test_publish_needs_month_and_events_together(capsys, tmp_path, october_file):
    code, _, err = _run(
        capsys, "publish", FUYANG, "--out", str(tmp_path), "--events", str(october_file)
    )
    assert code == 2 and "--month" in err
