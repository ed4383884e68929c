"""``fyrules serve RULEBOOK``: the HTTP service of the web adapter (extra ``web``).

The adapter is imported only when the command runs, so the core works without FastAPI."""

from __future__ import annotations

import argparse

from ..engine.problems import UsageError
from ._common import loaded

HELP = "the HTTP service for case systems, supervisors and applicants (extra web)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="rulebook folder (holding rulebook.yaml)")
    p.add_argument(
        "--store",
        default="fyrules.db",
        metavar="PATH|URL",
        help="the store: a SQLite file (created if missing; default fyrules.db), sqlite:///PATH, "
        "or postgresql+psycopg://USER@HOST/DB (after fyrules db upgrade); a database written in "
        "N partitions is served whole",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--tokens",
        metavar="FILE",
        help="token file made by `fyrules token add` (without it only public endpoints answer)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        from fyrules_adapters.web.serve import ServeError, serve
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] in ("fastapi", "uvicorn", "starlette"):
            raise UsageError(
                "未安装 web 适配器，请运行 pip install 'fyrules[web]' / the web adapter is not "
                "installed: pip install 'fyrules[web]'"
            ) from None
        raise
    rulebook = loaded(args.rulebook)
    try:
        return serve(rulebook, store=args.store, host=args.host, port=args.port, tokens=args.tokens)
    except ServeError as exc:
        raise UsageError(str(exc)) from None
