"""Hostile item lists (issue 21): a zip bomb dressed as .xlsx is refused before it inflates,
within 100 MB of memory; an import too large for one file is split into files ``check``
reads."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import fyrules
from fyrules.engine.load import source
from fyrules.items.importer import import_catalog, itemfiles, read_catalog, zipguard

MANIFEST = (
    'rulebook: imported\nname: 导入测试\njurisdiction: 测试\nversion: "1"\nextends: national\n'
)
SHEET_XML_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
    b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)


def zip_bomb(path: Path, inflated: int) -> Path:
    """A workbook-shaped zip whose sheet XML inflates to ``inflated`` bytes of one repeated
    byte (a few hundred kilobytes on disk per hundred megabytes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(SHEET_XML_HEAD)
            chunk = b" " * (1 << 20)
            for _ in range(inflated >> 20):
                part.write(chunk)
    return path


@pytest.mark.optional  # reading .xlsx needs openpyxl (the xlsx extra)
def test_an_xlsx_zip_bomb_is_refused_before_parsing(tmp_path):
    bomb = zip_bomb(tmp_path / "bomb.xlsx", 60 << 20)  # under the size limit: the ratio
    assert bomb.stat().st_size < 1 << 20
    result = read_catalog(bomb)
    assert result.fatal
    (problem,) = result.problems
    assert problem.code == "IMPORT-SHEET" and "zip bomb" in problem.message_en


@pytest.mark.optional  # reading .xlsx needs openpyxl (the xlsx extra)
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_an_xlsx_zip_bomb_errors_within_100_mb_of_memory(tmp_path):
    bomb = zip_bomb(tmp_path / "bomb.xlsx", 512 << 20)  # 512 MiB of sheet XML
    program = textwrap.dedent(
        rf"""
        import re
        from pathlib import Path
        from fyrules.cli import main
        code = main(["import-catalog", {str(bomb)!r}, "--out", {str(tmp_path / "out")!r}])
        # VmHWM: this program's own peak (ru_maxrss would carry the forking parent's over exec)
        status = Path("/proc/self/status").read_text()
        peak_kib = re.search(r"VmHWM:\s+(\d+) kB", status).group(1)
        print(code, peak_kib)
        """
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    code, peak_kib = done.stdout.split()[-2:]
    assert code == "2", done.stdout + done.stderr
    assert "IMPORT-SHEET" in done.stdout
    assert int(peak_kib) < 100 * 1024, f"peak {int(peak_kib) // 1024} MiB"


def test_a_part_declared_larger_than_the_limit_is_refused(tmp_path, monkeypatch):
    """The size limit, apart from the ratio: an incompressible part over the limit (the limit
    lowered so the test writes megabytes, not the real 64 MiB)."""
    import os

    monkeypatch.setattr(zipguard, "MAX_MEMBER_BYTES", 2 << 20)
    path = tmp_path / "large.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", os.urandom(3 << 20))
    problem = zipguard.xlsx_bomb_problem(path, "large.xlsx")
    assert problem is not None and "limit of 2097152" in problem.message_en


def test_a_real_workbook_passes_the_guard(tmp_path):
    openpyxl = pytest.importorskip("openpyxl", reason="pip install 'fyrules[xlsx]'")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["事项编码", "事项名称", "实施部门", "受理窗口", "办件类型", "法定时限", "承诺时限"]
    )
    for n in range(2000):  # repetitive rows compress well, as real lists do
        sheet.append([f"T-{n:04d}", "甲事项", "CS", "W1", "承诺件", 20, 10])
    book.save(tmp_path / "list.xlsx")
    assert zipguard.xlsx_bomb_problem(tmp_path / "list.xlsx", "list.xlsx") is None
    assert read_catalog(tmp_path / "list.xlsx").ok


def test_an_import_too_large_for_one_file_is_split_into_files_check_reads(tmp_path, monkeypatch):
    """The importer writes what the checker reads: a department whose items exceed one file
    goes into several (``SC.part-001.yaml`` …), each within the limit, and ``check`` accepts
    the folder. The file-size limit is lowered to 128 KiB for both sides so that the test
    needs thousands of rows rather than the 100,000 of the issue."""
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 128 * 1024)
    monkeypatch.setattr(itemfiles, "MAX_ITEM_FILE_BYTES", 64 * 1024)
    buffer = io.StringIO()
    rows = [["事项编码", "事项名称", "实施部门", "受理窗口", "办件类型", "法定时限", "承诺时限"]]
    rows += [
        [
            f"SC-{n:05d}",
            f"市场监管事项第{n}号",
            "市市场监督管理局（SC）",
            "W1",
            "承诺件",
            "20",
            "10",
        ]
        for n in range(1500)
    ] + [[f"TX-{n:03d}", "税务事项", "TX", "W2", "即办件", "5", "即办"] for n in range(10)]
    csv.writer(buffer).writerows(rows)
    sheet = tmp_path / "list.csv"
    sheet.write_text(buffer.getvalue(), encoding="utf-8")
    out = tmp_path / "rb"
    out.mkdir()
    (out / "rulebook.yaml").write_text(MANIFEST, encoding="utf-8")
    outcome = import_catalog(sheet, out)
    assert outcome.exit_code == 0, [p.format() for p in outcome.problems]
    files = sorted(p.name for p in (out / "items").iterdir())
    parts = [f for f in files if f.startswith("SC.part-")]
    assert len(parts) >= 3 and "TX.yaml" in files and "SC.yaml" not in files
    total = sum((out / "items" / f).stat().st_size for f in parts)
    assert total > source.MAX_FILE_BYTES  # one file would have been refused
    assert all((out / "items" / f).stat().st_size <= 64 * 1024 for f in parts)
    result = fyrules.check(out)
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    assert len(result.rulebook.items.items) == 1510
    # imported again with --force: the parts are its own files, not duplicates
    again = import_catalog(sheet, out, force=True)
    assert again.exit_code == 0, [p.format() for p in again.problems]
