"""``fyrules import-catalog SHEET --out DIR``: item files from a CSV or XLSX item list (事项清单)."""

from __future__ import annotations

import argparse
import sys

from ..engine.testing.report import FORMATS
from ._common import emit, report_options

HELP = "item files from a CSV or XLSX item list (事项清单)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("sheet_file", metavar="SHEET", help="the item list (.csv or .xlsx)")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    p.add_argument("--sheet", dest="sheet_name", metavar="NAME", help="worksheet of an .xlsx file")
    p.add_argument("--mapping", metavar="FILE", help="YAML: column header → field")
    p.add_argument(
        "--encoding",
        metavar="NAME",
        help="CSV 的编码（utf-8、gb18030、big5），默认自动判断 / encoding of a CSV file (utf-8, gb18030, big5); detected when not given",
    )
    p.add_argument(
        "--partial", action="store_true", help="write the good rows even if some are bad"
    )
    p.add_argument("--force", action="store_true", help="replace files that already exist")
    report_options(p, FORMATS)


def run(args: argparse.Namespace) -> int:
    from ..items.importer import import_catalog

    outcome = import_catalog(
        args.sheet_file,
        args.out,
        sheet_name=args.sheet_name,
        mapping=args.mapping,
        partial=args.partial,
        force=args.force,
        encoding=args.encoding,
    )
    emit(outcome.report(args.format, lang=args.lang, target=args.sheet_file), args.output)
    if args.format != "text":
        sys.stderr.write(outcome.summary(args.lang) + "\n")
    return outcome.exit_code
