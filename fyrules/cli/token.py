"""``fyrules token add FILE --role ROLE [--dept D]``: a bearer token for the web service.

The token is printed once, on standard output; the file keeps only its hash."""

from __future__ import annotations

import argparse
import sys

from ..engine.problems import UsageError

HELP = "bearer tokens of the HTTP service: add one (printed once, kept as a hash)"

ROLES = ("intake", "staff", "supervisor")


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="create a token and print it once")
    add.add_argument("file", metavar="FILE", help="the token file (created if missing)")
    add.add_argument(
        "--role",
        required=True,
        choices=ROLES,
        help="intake: post events; staff: read cases; supervisor: read findings",
    )
    add.add_argument(
        "--dept",
        action="append",
        default=[],
        metavar="D",
        help="limit the token to department D (repeat for more; default: all)",
    )


def run(args: argparse.Namespace) -> int:
    from fyrules_adapters.web.tokens import TokenFileError, add_token

    try:
        token = add_token(args.file, args.role, tuple(args.dept))
    except TokenFileError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(token + "\n")
    sys.stderr.write(
        f"令牌已加入 {args.file}（只存其哈希，请立即保存，它不会再显示） / token added to "
        f"{args.file} (only its hash is kept: save it now, it is not shown again)\n"
    )
    return 0
