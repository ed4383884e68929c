"""What every command shares: exit codes, the common options, reading a rulebook, writing out.

Exit codes (docs/architecture.md, docs/cli.md): 0 valid or passing, 1 problems found or tests failing, 2 could not run
(bad arguments, a path that does not exist, an internal failure).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.problems import RulebookError, UsageError
from ..engine.safe_text import Escaped, escape_controls
from ._words import add_color_option, colour, paint

if TYPE_CHECKING:
    from ..rulebook import Rulebook

EXIT_OK, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2


def report_options(p: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    """``--format``, ``--lang`` and ``--output`` of a command that prints a report."""
    p.add_argument("--format", choices=formats, default="text", help="output format")
    p.add_argument(
        "--lang",
        choices=("zh", "en", "both"),
        default="both",
        help="language of messages (默认中英文 / default both)",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    add_color_option(p)


def painted(text: str, args: argparse.Namespace) -> str:
    """``text`` in colour when it is a text report going to a terminal that wants colour."""
    if args.format == "text" and not args.output and colour(args.color, sys.stdout):
        # input's control characters escaped first, then fyrules' own colours added
        return Escaped(paint(escape_controls(text)))
    return text


def today_argument(p: argparse.ArgumentParser) -> None:
    """``--today``: the date a command's checks run as of (default: ``FYRULES_TODAY``, else the
    system's date in the rulebook's time zone)."""
    p.add_argument(
        "--today",
        type=date_arg,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date checks run as of (default: $FYRULES_TODAY, else today)",
    )


def date_arg(text: str) -> dt.date:
    """An argparse type: a ``YYYY-MM-DD`` date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def emit(text: str, output: str | None) -> None:
    """Write ``text`` to the file ``output``, or to standard output."""
    if output:
        try:
            # control characters from input escaped, as on the terminal (SafeStream)
            Path(output).write_text(escape_controls(text) + "\n", encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror}") from None
    else:
        line = text + "\n"
        sys.stdout.write(Escaped(line) if isinstance(text, Escaped) else line)


def rulebook_path(text: str, side: str | None = None) -> Path:
    """The rulebook folder named on the command line; exit 2 when it does not exist.
    ``side`` names which of two rulebooks it is (``diff``'s OLD and NEW) in the message."""
    path = Path(text)
    if not path.exists():
        raise UsageError(
            f"{side} {text}: 不存在 / does not exist"
            if side
            else f"{text}: 不存在 / does not exist"
        )
    return path


def loaded(path: str, side: str | None = None) -> Rulebook:
    """A rulebook for a command that needs one working (loaded, not checked: only ``check``
    and ``test`` run the static checks); its errors (at most 20, on standard error) are exit 2.
    ``side`` names which of two rulebooks it is (``diff``'s OLD and NEW) in the messages."""
    from ..rulebook import load

    try:
        return load(rulebook_path(path, side))
    except RulebookError as exc:
        for problem in exc.problems[:20]:
            sys.stderr.write(problem.format() + "\n")
        if side is None:
            raise UsageError("规则集有错误 / the rulebook has errors") from None
        raise UsageError(
            f"{side} {path}: 规则集有错误，请先修正 / the rulebook has errors; fix them first"
        ) from None
