"""``--store PATH|URL``: the store a command replays into, from what the user typed.

A SQLite path (``cases.db``) or ``sqlite:///cases.db`` (``sqlite:////abs/cases.db`` for an
absolute path) opens the SQLite adapter; any other URL (``postgresql+psycopg://user@host/db``)
opens the PostgreSQL adapter, through SQLAlchemy. The adapter is imported here, only when the
option is given: the core never imports one otherwise. A store that cannot be opened is a
:class:`~fyrules.engine.problems.UsageError` (exit 2) naming ``STORE-UNAVAILABLE``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..engine.problems import FyrulesError, UsageError

SQLITE_SCHEME = "sqlite://"


def is_url(text: str) -> bool:
    """Whether ``--store`` names a database URL rather than a SQLite file."""
    scheme, sep, _ = text.partition("://")
    return bool(sep) and scheme.replace("+", "").replace("_", "").isalnum()


def sqlite_path(text: str) -> str | None:
    """The file of a SQLite ``--store`` (``:memory:`` for ``sqlite://``), else ``None``."""
    if not is_url(text):
        return text
    if not text.startswith(SQLITE_SCHEME):
        return None
    rest = text[len(SQLITE_SCHEME) :]
    if rest in ("", "/", "/:memory:"):
        return ":memory:"
    return rest[1:] if rest.startswith("/") else rest


def open_store(text: str, *, partition: int = 0, partitions: int | None = 1) -> Any:
    """The store ``--store`` names (see the module's doc); ``partition`` of ``partitions``
    for a database written by several processes (PostgreSQL only); ``partitions=None`` for a
    reader: as many as the database was written in."""
    path = sqlite_path(text)
    try:
        if path is not None:
            if partitions not in (1, None):
                raise UsageError(
                    "分区回放需要 PostgreSQL 存储 / a partitioned replay needs a PostgreSQL store"
                )
            try:
                from fyrules_adapters.sqlite import SqliteStore
            except ImportError:
                raise UsageError(
                    "未安装 SQLite 适配器 / the SQLite adapter is not installed: "
                    "pip install 'fyrules[sqlite]'"
                ) from None
            return SqliteStore(path)
        try:
            from fyrules_adapters.postgresql import PostgresStore
        except ImportError:
            raise UsageError(
                "未安装 PostgreSQL 适配器 / the PostgreSQL adapter is not installed: "
                "pip install 'fyrules[postgresql]'"
            ) from None
        return PostgresStore(text, partition=partition, partitions=partitions)
    except FyrulesError as exc:  # the adapters' StoreError: STORE-UNAVAILABLE
        raise UsageError(str(exc)) from None


def partition_stores(text: str) -> list[tuple[int, Any]]:
    """Every partition of the store ``--store`` names, as ``(partition, store)``, to read them
    all (a merged report): one for a SQLite file or a database written by one writer, N for a
    database written in N partitions. The caller closes them."""
    if sqlite_path(text) is not None:
        return [(0, open_store(text))]
    reader = open_store(text, partitions=None)
    partitions = reader.partitions
    if partitions == 1:
        return [(0, reader)]
    reader.close()
    stores: list[tuple[int, Any]] = []
    try:
        for k in range(partitions):
            stores.append((k, open_store(text, partition=k, partitions=partitions)))
    except BaseException:
        for _, store in stores:
            store.close()
        raise
    return stores


def writer_stores(text: str) -> list[tuple[int, Any]]:
    """The store ``--store`` names, to replay into and report from: one writer for a SQLite
    file or a database written by one writer (or none yet: the writer then fixes one
    partition), one writer per partition, as ``(partition, store)``, for a database written in
    N partitions (``evaluate --partition K/N``); each event then goes to the partition that
    owns its case (:func:`~fyrules.cases.partition.events_of`). The caller closes them."""
    stores = partition_stores(text)
    if len(stores) == 1:  # a reader: reopened as the writer, which fixes the partitions
        stores[0][1].close()
        return [(0, open_store(text))]
    return stores


def case_store(text: str, case: str) -> Any:
    """The writer of the store ``--store`` names that owns ``case``: the store itself, or, for
    a database written in N partitions, its partition ``crc32(case) mod N``. The caller closes
    it."""
    from ..cases.partition import partition_of

    stores = writer_stores(text)
    if len(stores) == 1:
        return stores[0][1]
    owner = partition_of(case, len(stores))
    for k, store in stores:
        if k != owner:
            store.close()
    return stores[owner][1]


def recorded_events(store: Any, *, case: str | None = None) -> list[Any]:
    """The events ``store`` accepted, in the order it accepted them, read back from its
    delivery log, or from its trail (entries of kind ``event``) when it keeps no complete log:
    what a command that reports from a store (``deadline``, ``inspect --report``) counts,
    whichever run delivered them. ``case``: only that case's."""
    from ..cases.deliveries import DeliveryLog, replay_stream
    from ..cases.events import Event, EventError, parse_event

    entries = list(store.trail())
    if isinstance(store, DeliveryLog):
        # the delivery log, when it holds every accepted event: the events as delivered, their
        # numbers numbers (the trail writes a rating of 4.5 as the text "4.5")
        logged = [r for r in store.deliveries() if r.get("outcome") == "accepted"]
        if len(logged) == sum(entry.get("kind") == "event" for entry in entries):
            return [
                e
                for e in replay_stream(logged)
                if isinstance(e, Event) and (case is None or e.case == case)
            ]
    out = []
    for entry in entries:
        record = entry.get("record")
        if entry.get("kind") != "event" or not isinstance(record, dict):
            continue
        if case is not None and record.get("case") != case:
            continue
        try:
            out.append(parse_event({k: v for k, v in record.items() if v is not None}))
        except EventError as exc:  # never a silent gap: a count without it would be wrong
            raise UsageError(
                f"存储留痕第 {entry.get('index')} 条事件无法读回：{exc.problem.message_zh} / "
                f"the store's trail entry {entry.get('index')} does not read back as an event: "
                f"{exc.problem.message_en}"
            ) from None
    return out


def delivered_events(text: str) -> list[Any]:
    """Every event the store ``--store`` names decided, as it was delivered (its delivery log:
    :mod:`fyrules.cases.deliveries`), read back as a replay feeds them: every partition's in
    turn, each in the order its events were decided. A store whose trail records more events
    than its log (written before fyrules kept the log) is a usage error: a replay of part of a
    month would mislead."""
    from ..cases.deliveries import DeliveryLog, replay_stream

    path = sqlite_path(text)
    if path is not None and path != ":memory:" and not Path(path).is_file():
        # never a new, empty store made as a side effect of a read
        raise UsageError(f"{text}: 存储不存在 / the store does not exist")
    out: list[Any] = []
    stores = partition_stores(text)
    try:
        for k, store in stores:
            if not isinstance(store, DeliveryLog):
                raise UsageError(
                    f"{text}: 这种存储不保存投递记录 / this store keeps no delivery log"
                )
            records = list(store.deliveries())
            trail: Any = store  # the port's trail, beside the log
            decided = len([e for e in trail.trail() if e.get("kind") in ("event", "rejected")])
            if len(records) < decided:
                raise UsageError(
                    f"{text}: 分区 {k} 的留痕记录了 {decided} 个事件，投递记录只有 {len(records)} 个"
                    "（存储早于投递记录）：请改用 --events 给出事件文件 / partition "
                    f"{k}'s trail records {decided} events but its delivery log only "
                    f"{len(records)} (the store predates the log): give the events file with "
                    "--events instead"
                )
            out.extend(replay_stream(records))
    except FyrulesError as exc:  # the store stopped serving
        raise UsageError(str(exc)) from None
    finally:
        for _, store in stores:
            store.close()
    return out
