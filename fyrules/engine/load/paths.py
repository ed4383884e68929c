"""Files stay inside: which paths a rulebook may read.

A rulebook is read from its own folder and from the rulebooks it declares with ``extends``,
and from nothing else. A rule file or table that is a symbolic link leaving its rulebook's
folder (to a secrets file, to ``/proc/self/environ``) is ``PATH-OUTSIDE`` and is never
opened; a device, pipe or socket where a rule file is expected is ``PATH-INVALID``. An
``extends`` that is absolute is ``PATH-OUTSIDE``; one holding a NUL character or longer than
the platform allows is ``PATH-INVALID``. Each is a problem at the file (and line) that names
the path, never an exception.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..problems import Location, Problem


def _limit(name: str, fallback: int) -> int:
    try:
        return int(os.pathconf("/", name))
    except (AttributeError, OSError, ValueError):  # Windows has no pathconf
        return fallback


PATH_MAX = _limit("PC_PATH_MAX", 4096)
"""The longest path the platform opens (POSIX ``PATH_MAX``; 4096 on Linux)."""

NAME_MAX = _limit("PC_NAME_MAX", 255)
"""The longest name of one folder or file (POSIX ``NAME_MAX``; 255 on Linux)."""


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every symbolic link followed, lies in ``root`` (resolved)."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


def rulebook_file_problem(file: Path, root: Path, shown: str) -> Problem | None:
    """Why the rule file or table ``file`` found in the rulebook folder ``root`` (resolved)
    must not be read, or ``None`` when it is a regular file inside ``root``."""
    try:
        if file.is_symlink() and not is_inside(file, root):
            return path_outside(
                "符号链接指向规则集目录之外，未读取",
                "a symbolic link that leads out of the rulebook's folder; not read",
                Location(shown),
            )
        mode = file.stat().st_mode
    except OSError as exc:
        return Problem(
            "FILE-UNREADABLE",
            f"无法读取文件：{exc.strerror}",
            f"cannot read file: {exc.strerror}",
            Location(shown),
        )
    if not stat.S_ISREG(mode):
        return path_invalid(
            "不是普通文件（设备、管道或套接字），未读取",
            "not a regular file (a device, pipe or socket); not read",
            Location(shown),
        )
    return None


def relative_path_problem(name: str, where: Location | None) -> Problem | None:
    """Why ``name``, a path written in a rule file (``extends``), cannot be used: absolute
    (``PATH-OUTSIDE``), or holding NUL or longer than the platform allows (``PATH-INVALID``).
    ``None`` when it is a usable relative path."""
    if "\x00" in name:
        return path_invalid("路径含有空字符（NUL）", "the path contains a NUL character", where)
    if len(name.encode("utf-8", "surrogatepass")) >= PATH_MAX or any(
        len(part.encode("utf-8", "surrogatepass")) > NAME_MAX
        for part in name.replace("\\", "/").split("/")
    ):
        return path_invalid(
            f"路径过长（上限 {PATH_MAX} 字节，每级 {NAME_MAX} 字节）",
            f"the path is too long (the limit is {PATH_MAX} bytes, {NAME_MAX} for each part)",
            where,
        )
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).anchor:
        return path_outside(
            "路径须相对于本规则集目录，不接受绝对路径",
            "the path must be relative to this rulebook's folder, not absolute",
            where,
        )
    return None


def path_outside(zh: str, en: str, where: Location | None) -> Problem:
    return Problem(
        "PATH-OUTSIDE",
        f"{zh}。请把文件放进规则集目录，或用 extends 声明上级规则集",
        f"{en}. Put the file in the rulebook's folder, or declare its rulebook with extends",
        where,
    )


def path_invalid(zh: str, en: str, where: Location | None) -> Problem:
    return Problem("PATH-INVALID", f"{zh}。请改正路径", f"{en}. Correct the path", where)
