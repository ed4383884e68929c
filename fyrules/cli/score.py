"""``fyrules score`` and the ranking pages of ``fyrules publish``.

    fyrules score RULEBOOK EVENTS --month 2025-10 [--format text|json|csv|md|html]
                  [--previous EVENTS] [--assessments FILE] [--version V] [--output FILE]
                  [--store PATH|URL]
    fyrules score RULEBOOK --store PATH|URL --month 2025-10   (what the store holds, every
                  partition merged)
    fyrules publish RULEBOOK --out DIR --events FILE --month 2025-10

Bad input (a month that is not ``YYYY-MM``, a file that does not exist, bad normal-index
rows, no scheme in force) is exit 2 with the problem named, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path
from typing import Any

from ..engine.problems import FyrulesError, UsageError
from ..scoring.api import ScoreResult, previous_month, scheme_of, score
from ..scoring.pages import ranking_pages
from ..scoring.render import render
from ..scoring.scheme import ScoringError
from ._common import EXIT_OK, emit, loaded

FORMATS = ("text", "json", "csv", "md", "html")
HELP = "monthly scorecards and ranking (efficiency index)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook", help="rulebook folder (holding rulebook.yaml)")
    p.add_argument(
        "events",
        nargs="?",
        help="events file (JSON Lines); omitted with --store: score what the store holds, "
        "every partition's month merged",
    )
    _month_arguments(p, required=True)
    p.add_argument(
        "--previous", metavar="EVENTS", help="the previous month's events, for the change"
    )
    p.add_argument(
        "--version", dest="scheme_version", metavar="V", help="score under this scheme version"
    )
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE")
    _store_argument(p)


def _store_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        metavar="PATH|URL",
        help="replay into this store (a SQLite file, sqlite:///FILE or "
        "postgresql+psycopg://USER@HOST/DB) and score from everything it holds; a store "
        "written in N partitions is scored from all of them",
    )


def add_publish_arguments(p: argparse.ArgumentParser) -> None:
    """``fyrules publish``'s options for the ranking pages."""
    p.add_argument("--events", metavar="FILE", help="events (JSON Lines): also write the ranking")
    _month_arguments(p, required=False)
    p.add_argument("--previous", metavar="EVENTS", help="the previous month's events")
    _store_argument(p)


def _month_arguments(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--month", required=required, metavar="YYYY-MM", help="the month scored")
    p.add_argument(
        "--assessments",
        metavar="FILE",
        help="normal-index points entered for the month (CSV or YAML)",
    )


def _month(text: str) -> str:
    from ..engine.months import Month

    try:
        return str(Month.parse(text))
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _file(text: str | None, zh: str, en: str) -> Path | None:
    return None if text is None else _existing(text, zh, en)


def _existing(text: str, zh: str, en: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise UsageError(f"{text}: {zh}不存在 / the {en} does not exist")
    return path


def result_of(rulebook: Any, args: argparse.Namespace) -> ScoreResult:
    """The month's result for the options given; bad input raises :class:`UsageError`."""
    from ..scoring.assessments import AssessmentError, read_assessments

    month = _month(args.month)
    store_text = getattr(args, "store", None)
    if args.events is None and not store_text:
        raise UsageError(
            "请给出事件文件，或只给 --store 以按存储中的全部案件评分 / give an events file, or "
            "--store alone to score every case the store holds"
        )
    events = None if args.events is None else _existing(args.events, "事件文件", "events file")
    previous = _file(
        getattr(args, "previous", None), "上月事件文件", "previous month's events file"
    )
    assessments_file = _file(getattr(args, "assessments", None), "常态指数文件", "assessments file")
    version = getattr(args, "scheme_version", None)
    try:
        assessments = None
        if assessments_file is not None:
            scheme = scheme_of(rulebook, _first(month), version)
            units = (
                rulebook.items.windows if scheme.unit == "window" else rulebook.items.departments
            )
            assessments = read_assessments(assessments_file, scheme, month=month, units=units)
        prior = None
        if previous is not None:
            prior = score(rulebook, previous, month=previous_month(month))
        if store_text:
            return _from_store(
                rulebook,
                store_text,
                events,
                month=month,
                previous=prior,
                assessments=assessments,
                version=version,
            )
        assert events is not None
        return score(
            rulebook,
            events,
            month=month,
            previous=prior,
            assessments=assessments,
            version=version,
        )
    except ScoringError as exc:
        raise UsageError(exc.problem.format()) from None
    except AssessmentError as exc:
        raise UsageError(
            "常态指数文件有错误 / the normal-index file has errors:\n" + str(exc)
        ) from None
    except FyrulesError as exc:  # the store stopped serving (down, locked elsewhere)
        raise UsageError(str(exc)) from None


def _from_store(rulebook: Any, store_text: str, events: Path | None, **options: Any) -> ScoreResult:
    """``--store``: the events (if given) replayed into the store, then the month scored from
    every case it holds. A store written in N partitions (``evaluate --partition K/N``) is read
    partition by partition, each event given here replayed into the partition that owns its
    case; the partitions' months are merged (:func:`~fyrules.scoring.api.score_partitions`),
    so the result is that of one replay of every case."""
    from ..cases.events import read_events
    from ..cases.partition import events_of
    from ..scoring.api import score_partitions
    from ..scoring.records import case_records, replay
    from ._store import partition_stores, writer_stores

    # given events, writers (one fixes the number of partitions of a new store); else readers
    stores = partition_stores(store_text) if events is None else writer_stores(store_text)
    with contextlib.ExitStack() as closing:
        for _, store in stores:
            closing.callback(store.close)
        records = []
        replayed = rejected = 0
        for k, store in stores:
            if events is None:
                monitor = rulebook.monitor(store=store)
            elif len(stores) == 1:
                monitor, summary = replay(rulebook, events, store)
            else:
                monitor, summary = replay(
                    rulebook, events_of(read_events(events), k, len(stores)), store
                )
            if events is not None:
                replayed, rejected = replayed + summary.events, rejected + summary.rejected
            records.append(case_records(monitor))
        return score_partitions(
            rulebook,
            records,
            month=options.pop("month"),
            events=replayed,
            rejected=rejected,
            **options,
        )


def _first(month: str) -> Any:
    import datetime as dt

    year, mon = (int(p) for p in month.split("-"))
    return dt.date(year, mon, 1)


def run(args: argparse.Namespace) -> int:
    """Print (or write to ``--output``) the report of ``fyrules score``."""
    emit(report(loaded(args.rulebook), args), args.output)
    return EXIT_OK


def report(rulebook: Any, args: argparse.Namespace) -> str:
    """The report ``fyrules score`` prints."""
    return render(result_of(rulebook, args), args.format)


def publish_writers(rulebook: Any, args: argparse.Namespace) -> tuple[Any, ...]:
    """The page writers of ``fyrules publish``: the catalog's, and the ranking's when
    ``--events`` is given (which then needs ``--month``)."""
    from ..items.publicity import PAGE_WRITERS

    if args.events is None:
        if args.month is not None:
            raise UsageError("--month 需与 --events 同用 / --month needs --events")
        return PAGE_WRITERS
    if args.month is None:
        raise UsageError("--events 需与 --month 同用 / --events needs --month")
    return (*PAGE_WRITERS, ranking_pages(result_of(rulebook, args)))
