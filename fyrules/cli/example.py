"""``fyrules example DIR``: copy an example rulebook shipped with fyrules into a new folder."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from ..engine.problems import UsageError
from ._common import EXIT_OK

HELP = "copy an example rulebook shipped with fyrules into a folder, to read, check and edit"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", metavar="DIR", help="the new folder (must not exist, or be empty)")
    p.add_argument(
        "--name", default="fuyang", help="which example (default fuyang, the Fuyang rulebook)"
    )


def run(args: argparse.Namespace) -> int:
    from ..examples import rulebook_path

    source = rulebook_path(args.name)
    target = Path(args.out)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(
            f"{target}: 已存在且不是空文件夹，请换一个新文件夹 / already exists and is not an empty "
            "folder; name a new one"
        )
    try:
        shutil.copytree(source, target, dirs_exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{target}: {exc.strerror}") from None
    sys.stdout.write(
        f"已复制示例规则集 {args.name} 到 {target}，可以运行 fyrules check {target} / "
        f"copied the example rulebook {args.name} to {target}; next: fyrules check {target}\n"
    )
    return EXIT_OK
