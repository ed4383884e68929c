"""``fyrules notify RULEBOOK EVENTS --as-of TIME``: the notifications that would have been
sent up to TIME, and the supervision-after-approval findings (exit 0; 1 when an approval's
notice to the supervisors is missing or late at error level, or a delivery failed; 2 on bad
input). With ``--send --config FILE`` they are delivered through the configured notifiers
(SMTP, signed webhook; the ``notify`` extra), with retries; with ``--store`` the record of
what was sent lives in the store, so a later run sends nothing twice.

The events are replayed in time order; between two events the scheduler emits what fell due
(:class:`fyrules.notifications.Scheduler`), as a live service would have. See
docs/notifications.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import operator
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..cases.events import Event, read_events
from ..cases.monitor import Monitor
from ..cases.partition import events_of, partition_of
from ..cases.store import MemoryStore
from ..engine.problems import FyrulesError, UsageError
from ..notifications import Dispatcher, Notification, NotificationLog
from ..notifications.replay import replay_notifications
from ._common import EXIT_OK, EXIT_PROBLEMS, emit, loaded
from ._store import writer_stores

HELP = "the notifications that would be sent as of a moment (预警通知), and send them"

TRIGGER_WORDS = {
    "prompt": "预警提示 / prompt",
    "yellow": "黄牌 / yellow card",
    "red": "红牌 / red card",
    "stage_overrun": "环节超时 / stage over budget",
    "inspection_assigned": "抽查指派 / inspection assigned",
    "rectification_due": "整改到期 / rectification due",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rulebook")
    p.add_argument("events", help="events file (JSON Lines)")
    p.add_argument("--as-of", required=True, metavar="TIME", help="up to this moment (ISO)")
    p.add_argument("--draw", metavar="FILE", help="a draw (fyrules inspect --format json)")
    p.add_argument("--store", metavar="PATH|URL", help="the store")
    p.add_argument("--send", action="store_true", help="deliver them")
    p.add_argument("--config", metavar="FILE", help="delivery configuration (TOML)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("zh", "en", "both"), default="both")
    p.add_argument("--output", "-o", metavar="FILE", help="write the result to FILE")


def run(args: argparse.Namespace) -> int:
    rulebook = loaded(args.rulebook)
    text, code = report(rulebook, args)
    emit(text, args.output)
    return code


def report(rulebook: Any, args: argparse.Namespace) -> tuple[str, int]:
    """The output and the exit code (bad input raises UsageError: exit 2)."""
    if rulebook.part("notifications") is None:
        raise UsageError(
            f"规则集 {rulebook.id} 没有 notifications: 通知制度，请先在规则文件中声明（见 "
            f"docs/notifications.md） / rulebook {rulebook.id} declares no notifications: "
            "section; declare one first (docs/notifications.md)"
        )
    if not Path(args.events).is_file():
        raise UsageError(f"{args.events}: 不存在 / does not exist")
    as_of = _moment(args.as_of, rulebook.timezone)
    draw = _draw(args.draw) if args.draw else None
    if args.send and not args.config:
        raise UsageError("--send 需要 --config FILE / --send needs --config FILE")
    dispatcher = _dispatcher(args.config) if args.send else None
    if not args.store:
        return _run(rulebook, args, as_of, draw, [Monitor(rulebook, MemoryStore())], dispatcher)
    # one writer, or one per partition of a database written in N (each event replayed into
    # the partition that owns its case); the record of what was sent is shared by them all
    stores = [store for _, store in writer_stores(args.store)]
    with contextlib.ExitStack() as closing:
        for store in stores:
            closing.callback(store.close)
        if not isinstance(stores[0], NotificationLog):
            raise UsageError(
                f"{args.store}: 这种存储不保存已发出的通知，无法避免重复发送；请用 SQLite 或 "
                "PostgreSQL 存储 / this store keeps no record of the notifications sent, so a "
                "later run could send them again: use a SQLite or PostgreSQL store"
            )
        monitors = [Monitor(rulebook, store) for store in stores]
        return _run(rulebook, args, as_of, draw, monitors, dispatcher)


def _moment(text: str, timezone: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"不是 ISO 时间 / not an ISO date-time: {text!r}") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(timezone))


def _draw(path: str) -> dict[str, Any]:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror}") from None
    except ValueError as exc:
        raise UsageError(f"{path}: 不是合法的 JSON / not valid JSON: {exc}") from None
    draw = doc.get("draw") if isinstance(doc, dict) else None
    if not isinstance(draw, dict) or "drawn_on" not in draw or "month" not in draw:
        raise UsageError(
            f"{path}: 不是抽签结果（fyrules inspect --format json 的输出） / not a draw (the output "
            "of fyrules inspect --format json)"
        )
    return draw


def _dispatcher(config_path: str) -> Any:
    try:
        from fyrules_adapters.notify import notifiers_from_config, read_config
    except ImportError:
        raise UsageError(
            "发送需要 notify 附加组件：pip install 'fyrules[notify]' / sending needs the notify "
            "extra: pip install 'fyrules[notify]'"
        ) from None
    try:
        notifiers, retry = notifiers_from_config(read_config(config_path), config_path)
    except FyrulesError as exc:
        raise UsageError(str(exc)) from None
    return notifiers, retry


def _run(
    rulebook: Any,
    args: argparse.Namespace,
    as_of: dt.datetime,
    draw: dict[str, Any] | None,
    monitors: list[Monitor],
    dispatcher: Any,
) -> tuple[str, int]:
    """Replay the events into ``monitors`` (one, or one per partition of a store, each fed the
    events and the draw's cases its partition owns), emit and deliver what fell due, merged
    in time order."""
    events: list[Event] = []
    try:
        events = [item for item in read_events(args.events) if isinstance(item, Event)]
    except OSError as exc:
        raise UsageError(f"{args.events}: {exc.strerror}") from None
    parts = len(monitors)
    emitted: list[Notification] = []
    findings: list[Any] = []
    deliveries: list[Any] = []
    rejected = 0
    # a partitioned store records its draws on the first chain (fyrules inspect --store)
    recorded = _draws(monitors[0].store) if parts > 1 else []
    for k, monitor in enumerate(monitors):
        replayed = replay_notifications(
            monitor,
            events if parts == 1 else list(events_of(events, k, parts)),
            as_of,
            draw=draw,
            draws=recorded,
            owns=None if parts == 1 else _owner(k, parts),
        )
        emitted.extend(replayed.notifications)
        findings.extend(replayed.findings)
        if dispatcher is not None:
            notifiers, retry = dispatcher
            deliveries.extend(
                Dispatcher(notifiers, replayed.scheduler.log, retry=retry).deliver(
                    list(replayed.notifications)
                )
            )
        rejected += sum(1 for _ in monitor.rejected())
    if parts > 1:  # each partition's are in time order: so are all of them, merged
        emitted.sort(key=_AT)
        deliveries.sort(key=lambda d: d.notification.at)
    failed = sum(1 for d in deliveries if not d.ok)
    code = EXIT_PROBLEMS if failed or any(f.severity == "error" for f in findings) else EXIT_OK
    if args.format == "json":
        doc = {
            "as_of": as_of.isoformat(),
            "notifications": [n.to_dict() for n in emitted],
            "findings": [f.to_dict() for f in findings],
            "deliveries": [
                {"key": d.notification.key, "status": d.status, "attempts": list(d.attempts)}
                for d in deliveries
            ],
            "rejected_events": rejected,
        }
        return json.dumps(doc, ensure_ascii=False, indent=2), code
    return _text(emitted, findings, deliveries, as_of, rejected, args.lang), code


def _owner(partition: int, partitions: int) -> Callable[[str], bool]:
    """Whether ``partition`` of ``partitions`` owns a case."""
    return lambda case: partition_of(case, partitions) == partition


def _draws(store: Any) -> list[dict[str, Any]]:
    """The draws recorded in ``store``'s trail."""
    return [e["record"] for e in store.trail() if e.get("kind") == "draw"]


_AT = operator.attrgetter("at")


def _text(
    emitted: list[Notification],
    findings: list[Any],
    deliveries: list[Any],
    as_of: dt.datetime,
    rejected: int,
    lang: str,
) -> str:
    def say(zh: str, en: str) -> str:
        return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")

    lines = [
        say(
            f"截至 {as_of.isoformat()} 应发出的通知：{len(emitted)} 条",
            f"notifications due up to {as_of.isoformat()}: {len(emitted)}",
        )
    ]
    for n in emitted:
        trigger = TRIGGER_WORDS.get(n.trigger, n.trigger)
        name = {"zh": trigger.split(" / ")[0], "en": trigger.split(" / ")[-1]}.get(lang, trigger)
        to = ", ".join(n.recipients) or say("（名册中无人）", "(no one on the roster)")
        lines.append(f"  {n.at.isoformat()}  {name}  {n.case}  → {to}")
        lines.append(f"      {say(n.message_zh, n.message_en)}")
        lines.append(f"      {say('依据', 'basis')}: {n.basis}")
    if findings:
        lines.append(
            say(
                f"审后监管告知的发现：{len(findings)} 条",
                f"supervision-after-approval findings: {len(findings)}",
            )
        )
        lines.extend(f"  {f.format(lang)}" for f in findings)
    if deliveries:
        sent = sum(1 for d in deliveries if d.ok)
        lines.append(
            say(
                f"已发送 {sent} 条，失败 {len(deliveries) - sent} 条（失败的已记录，可重发）",
                f"sent {sent}, failed {len(deliveries) - sent} (failures are recorded "
                "for redelivery)",
            )
        )
        for d in deliveries:
            if not d.ok:
                last = d.attempts[-1]["error"] if d.attempts else ""
                lines.append(f"  {d.notification.key}: {last}")
    if rejected:
        lines.append(
            say(
                f"被拒绝的事件：{rejected} 个（fyrules evaluate 可看原因）",
                f"rejected events: {rejected} (fyrules evaluate shows why)",
            )
        )
    return "\n".join(lines)
