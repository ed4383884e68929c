"""A guard against zip bombs, checked before an XLSX workbook is parsed.

An ``.xlsx`` file is a zip archive of XML parts. A hostile one holds a part that inflates to
gigabytes from a few megabytes (a "zip bomb"); parsing it exhausts memory. Before ``openpyxl``
opens a workbook, every member's declared size is checked against :data:`MAX_MEMBER_BYTES`,
their total against :data:`MAX_TOTAL_BYTES`, each member's ratio of decompressed to compressed
size against :data:`MAX_RATIO`, and the count of members against :data:`MAX_MEMBERS`.

The declared sizes are what bound the work: Python's :mod:`zipfile` (which ``openpyxl`` reads
with) never inflates a member past the size its header declares, so a header that understates
the size yields a truncated part (a damaged file), not a bomb.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ...engine.problems import Location, Problem

MAX_MEMBER_BYTES = 64 * 1024 * 1024
"""The largest decompressed part: a 100,000-row item list's sheet is about 30 MB of XML."""

MAX_TOTAL_BYTES = 128 * 1024 * 1024
"""The largest sum of decompressed parts."""

MAX_RATIO = 200
"""The largest ratio of a part's decompressed to compressed size (real sheets: 5 to 50)."""

MAX_MEMBERS = 10_000
"""The most parts a workbook may hold."""

_SMALL = 1024 * 1024  # parts smaller than this are never bombs, whatever their ratio


def xlsx_bomb_problem(path: Path, shown: str) -> Problem | None:
    """Why the workbook at ``path`` must not be parsed (``IMPORT-SHEET``), or ``None``. A file
    that is not a zip archive is left to ``openpyxl`` to report."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if len(members) > MAX_MEMBERS:
        return _problem(
            f"工作簿含有 {len(members)} 个部件，超过上限 {MAX_MEMBERS}",
            f"the workbook holds {len(members)} parts, more than the limit of {MAX_MEMBERS}",
            shown,
        )
    total = 0
    for member in members:
        size, packed = member.file_size, member.compress_size
        total += size
        name = member.filename[:80]
        if size > _SMALL and size > MAX_RATIO * max(packed, 1):
            return _problem(
                f"部件 {name} 的压缩比为 {size // max(packed, 1)}:1，超过上限 {MAX_RATIO}:1"
                "（疑似压缩炸弹）",
                f"the part {name} inflates {size // max(packed, 1)} times, more than the limit "
                f"of {MAX_RATIO} (a zip bomb?)",
                shown,
            )
        if size > MAX_MEMBER_BYTES:
            return _problem(
                f"部件 {name} 解压后有 {size} 字节，超过上限 {MAX_MEMBER_BYTES}",
                f"the part {name} inflates to {size} bytes, more than the limit of "
                f"{MAX_MEMBER_BYTES}",
                shown,
            )
        if total > MAX_TOTAL_BYTES:
            return _problem(
                f"工作簿解压后超过 {MAX_TOTAL_BYTES} 字节的上限",
                f"the workbook inflates to more than the limit of {MAX_TOTAL_BYTES} bytes",
                shown,
            )
    return None


def _problem(zh: str, en: str, shown: str) -> Problem:
    return Problem(
        "IMPORT-SHEET",
        f"{zh}；未读取。请在 Excel 中另存后重试，或拆分工作簿",
        f"{en}; not read. Save it again in Excel and retry, or split the workbook",
        Location(shown),
    )
