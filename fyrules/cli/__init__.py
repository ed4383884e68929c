"""The ``fyrules`` command line, the only code that knows about flags: the parser and the
dispatch to one module per command (``fyrules = "fyrules.cli:main"``).

Every command module has ``HELP`` (its line in ``fyrules --help``), ``add_arguments(parser)``
and ``run(args) -> int`` (the exit code). A new command is a new module listed in
:data:`COMMANDS`.

Exit codes (docs/architecture.md, docs/cli.md): 0 valid or passing, 1 problems found or tests failing, 2 could not run
(bad arguments, a path that does not exist, an internal failure). No input gives a traceback;
set ``FYRULES_DEBUG=1`` to see one for an internal failure.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import ModuleType

from .._version import __version__
from ..engine.problems import FyrulesError, UsageError
from ..engine.safe_text import SafeStream
from ._common import EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS
from ._words import BilingualParser, bilingual

__all__ = ["COMMANDS", "EXIT_CANNOT_RUN", "EXIT_OK", "EXIT_PROBLEMS", "main"]

# Each command's module, in the order ``fyrules --help`` lists them. A module is imported when
# its command runs (or when the whole parser is built, for ``--help`` and completion), so a
# command's start-up does not pay for every other command's imports.
_MODULES: dict[str, str] = {
    "check": "check",
    "test": "test",
    "deadline": "deadline",
    "calendar": "calendar",
    "evaluate": "evaluate",
    "generate": "generate",
    "score": "score",
    "schema": "schema",
    "import-catalog": "import_catalog",
    "publish": "publish",
    "trail": "trail",
    "db": "db",
    "inspect": "inspect",
    "notify": "notify",
    "verify": "verify",
    "diff": "diff",
    "serve": "serve",  # argparse only: the web adapter is imported when the command runs
    "token": "token",
    "demo": "demo",
    "example": "example",
    "completion": "completion",
    "catalog-stats": "catalog_stats",
    "parallel": "parallel",
    "project": "project",
}


class _Commands(Mapping[str, ModuleType]):
    """Command name to its module, imported on first look-up."""

    def __getitem__(self, name: str) -> ModuleType:
        return importlib.import_module(f"{__name__}.{_MODULES[name]}")

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


COMMANDS: Mapping[str, ModuleType] = _Commands()


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser, or, when ``argv`` starts with a command's name, the parser of that
    command alone (the same parse: the other commands' subparsers are never consulted)."""
    names = list(COMMANDS)
    if argv and argv[0] in _MODULES:
        names = [argv[0]]
    elif argv and argv[0] == "--version":  # argparse prints it and stops before any command
        names = []
    parser = BilingualParser(
        prog="fyrules",
        description="fyrules: 行政审批规则引擎 / declarative rules for administrative approval",
    )
    parser.add_argument("--version", action="version", version=f"fyrules {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in names:
        module = COMMANDS[name]
        p = sub.add_parser(name, help=module.HELP)
        module.add_arguments(p)
        p.set_defaults(run=module.run)
    return bilingual(parser)


def main(argv: Sequence[str] | None = None) -> int:
    # every format a command prints, and every message, carries input's control characters
    # escaped (fyrules.engine.safe_text)
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)  # type: ignore[assignment]
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage error
        return EXIT_CANNOT_RUN if exc.code not in (0, None) else EXIT_OK
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    args.whole_process = argv is None  # the program's own command line: the process ends next
    if run is None:
        parser.print_help()
        return EXIT_CANNOT_RUN
    try:
        return run(args)
    except UsageError as exc:
        sys.stderr.write(f"fyrules {args.command}: {exc}\n")
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        return 130
    except FyrulesError as exc:  # a known failure a command did not catch itself: no traceback
        problems = getattr(exc, "problems", None) or ([exc.problem] if exc.problem else [])
        lines = [p.format() for p in problems] or [str(exc)]
        for line in lines:
            sys.stderr.write(f"fyrules {args.command}: {line}\n")
        return EXIT_CANNOT_RUN
    except Exception as exc:  # an internal failure: never show users a raw traceback
        if os.environ.get("FYRULES_DEBUG"):
            traceback.print_exc()
        sys.stderr.write(
            f"fyrules {args.command}: 内部错误 / internal error: {type(exc).__name__}: {exc}\n"
            "(set FYRULES_DEBUG=1 for details; please report it)\n"
        )
        return EXIT_CANNOT_RUN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
