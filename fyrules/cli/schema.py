"""``fyrules schema``: the JSON Schema of rule files, for editors."""

from __future__ import annotations

import argparse
import json

from ._common import EXIT_OK, emit

HELP = "print the JSON Schema of rule files, for editors"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", "-o", metavar="FILE", help="write the schema to FILE")


def run(args: argparse.Namespace) -> int:
    from ..schema import rule_file_schema

    emit(json.dumps(rule_file_schema(), ensure_ascii=False, indent=2), args.output)
    return EXIT_OK
