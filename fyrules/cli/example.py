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
        "--name",
        default="fuyang",
        help="which example (default fuyang, the Fuyang rulebook; township: a township center "
        "extending it)",
    )


def run(args: argparse.Namespace) -> int:
    from ..examples import example_chain, rulebook_path

    chain = example_chain(args.name)
    target = Path(args.out)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(
            f"{target}: 已存在且不是空文件夹，请换一个新文件夹 / already exists and is not an empty "
            "folder; name a new one"
        )
    # an example that extends another (township → ../fuyang) is copied beside it, each in a
    # folder of its own name, so its extends: still finds it
    places = [(name, target / name) for name in chain] if len(chain) > 1 else [(chain[0], target)]
    try:
        for name, place in places:
            shutil.copytree(rulebook_path(name), place, dirs_exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{target}: {exc.strerror}") from None
    rulebook = places[0][1]
    sys.stdout.write(
        f"已复制示例规则集 {args.name} 到 {rulebook}"
        + (f"（及其继承的 {', '.join(chain[1:])}，在旁边）" if len(chain) > 1 else "")
        + f"，可以运行 fyrules check {rulebook} / copied the example rulebook {args.name} to "
        f"{rulebook}"
        + (f" (with {', '.join(chain[1:])}, which it extends, beside it)" if len(chain) > 1 else "")
        + f"; next: fyrules check {rulebook}\n"
    )
    return EXIT_OK
