"""``fyrules completion bash|zsh``: shell completion generated from the command's own parser."""

from __future__ import annotations

import argparse
import sys

from ._common import EXIT_OK
from ._words import completion_script

HELP = "shell 补全脚本 / shell completion script (bash, zsh)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("shell", choices=("bash", "zsh"))


def run(args: argparse.Namespace) -> int:
    from . import _parser

    sys.stdout.write(completion_script(_parser(), args.shell))
    return EXIT_OK
