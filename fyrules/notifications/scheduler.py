"""The scheduler (预警调度): notifications when they fall due, without polling every case.

It keeps a heap of next-crossing moments, one live entry per open case (recomputed from the
case's clock each time an event of that case arrives: :meth:`Scheduler.observe`), plus one
entry per pending rectification and per inspection assignment. :meth:`Scheduler.due` pops
what is due up to a moment, evaluates only those cases at their moment, and emits each
notification whose key was never emitted before. Emitted keys are recorded in the
:class:`~fyrules.notifications.port.NotificationLog` (the store), so a scheduler rebuilt on the
same store (:meth:`Scheduler.resume`) never emits a key twice; it rebuilds its heap from the
open cases and, for rectifications and draws, from the trail.

The scheduler emits; delivery is the :class:`~fyrules.notifications.dispatch.Dispatcher`'s.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ..cases.events import Event, EventError, parse_event
from ..engine.problems import FyrulesError
from ..separation.inspection.rectification import collect
from .due import CaseNotices, handler_of, notification_key
from .extension import NotificationPolicy
from .port import JSON, Notification, NotificationLog

_CASE = "case"
_ONE = "one"  # a single prepared notification (a rectification due, an inspection assigned)


class MemoryNotificationLog:
    """The notification log in memory (for a store that keeps none, and for tests)."""

    def __init__(self) -> None:
        self._records: dict[str, JSON] = {}

    def notification_keys(self) -> Iterator[str]:
        return iter(list(self._records))

    def record_notification(self, key: str, record: JSON) -> None:
        self._records[key] = record

    def notification_records(self) -> Iterator[JSON]:
        return iter(list(self._records.values()))


class Scheduler:
    """Emits the notifications of one monitor's cases as they fall due (see the module)."""

    def __init__(
        self,
        monitor: Any,
        log: NotificationLog | None = None,
        *,
        policy: NotificationPolicy | None = None,
        owns: Callable[[str], bool] | None = None,
    ):
        """``owns``: the cases this scheduler notifies about, when its monitor's store is one
        partition of a database written in several (a draw names the cases of every
        partition: each partition's scheduler assigns the inspections of its own)."""
        policy = policy if policy is not None else monitor.rulebook.part("notifications")
        if policy is None:
            raise FyrulesError(
                f"规则集 {monitor.rulebook.id} 没有 notifications: 通知制度 / rulebook "
                f"{monitor.rulebook.id} declares no notifications: section"
            )
        self.monitor = monitor
        self.policy = policy
        if log is None:
            store = monitor.store
            log = store if isinstance(store, NotificationLog) else MemoryNotificationLog()
        self.log: NotificationLog = log
        self._notices = CaseNotices(monitor, policy)
        self._notified: set[str] = set(log.notification_keys())
        self._heap: list[tuple[dt.datetime, int, str, str]] = []
        self._seq = itertools.count()
        self._live: dict[str, int] = {}  # case → the seq of its one live heap entry
        self._prepared: dict[str, Notification] = {}  # key → a notification waiting its moment
        self._owns = owns

    # --- what arrives ------------------------------------------------------------------------

    def observe(self, event: Event) -> list[Notification]:
        """Note an event the monitor accepted: what fires at the event itself is emitted, and
        its case's next crossing is recomputed from the next midnight on (the case's entry in
        the heap is replaced); an ``inspect`` with findings schedules their rectification
        reminders, a ``rectify`` cancels those it settles."""
        out: list[Notification] = []
        if event.event in ("inspect", "rectify"):
            self._inspection_event(event)
        state = self.monitor.store.get_case(event.case)
        if state is None:
            self._live.pop(event.case, None)  # finished: nothing more is due for it
            return out
        notices = self._notices
        out = [
            self._emit(n) for n in notices.firing(state, event.at) if n.key not in self._notified
        ]
        # The scan for the next crossing waits for the next midnight: a case's events of one
        # day (often several) then cost one scan, not one each; nothing can cross before it.
        local = event.at.astimezone(notices.zone).date() + dt.timedelta(days=1)
        self._push(dt.datetime.combine(local, dt.time(0), notices.zone), _CASE, event.case)
        return out

    def assign_inspections(
        self, draw: Mapping[str, Any], items: Mapping[str, str] | None = None
    ) -> None:
        """Schedule ``inspection_assigned`` for each case a draw (its JSON record, as
        ``fyrules inspect --format json`` prints it under ``draw``) assigned, at the start of
        the day it was drawn on. ``items``: the item of cases the store may not hold yet
        (a replay assigns a draw before it feeds the month drawn from)."""
        trigger = self.policy.triggers.get("inspection_assigned")
        if trigger is None or not draw.get("assignment"):
            return
        zone = self._notices.zone
        drawn_on = dt.date.fromisoformat(draw["drawn_on"])
        at = dt.datetime.combine(drawn_on, dt.time(0), zone)
        items = {**items, **self._summaries()} if items else self._summaries()
        owns = self._owns
        for row in draw["assignment"]:
            case, inspector = row["case"], row["inspector"]
            if owns is not None and not owns(case):
                continue
            key = notification_key(case, "inspection_assigned", draw["month"])
            if key in self._notified or key in self._prepared:
                continue
            item = items.get(case, "")
            recipients = self._notices.recipients.resolve(
                trigger.to, item, drawn_on, inspector=inspector
            )
            self._prepare(
                Notification(
                    key=key,
                    trigger="inspection_assigned",
                    case=case,
                    item=item,
                    department=row.get("department"),
                    at=at,
                    recipients=recipients,
                    roles=trigger.to,
                    rule=None,
                    message_zh=f"{draw['month']} 月度随机抽查：请评查案件 {case} 的档案",
                    message_en=f"monthly random inspection {draw['month']}: inspect the file of "
                    f"case {case}",
                    basis=trigger.basis,
                )
            )

    # --- what falls due ----------------------------------------------------------------------

    def next_due(self) -> dt.datetime | None:
        """The earliest moment something may fall due, or ``None``: a host sleeps until then
        (or until the next event)."""
        self._drop_stale()
        return self._heap[0][0] if self._heap else None

    def due(self, until: dt.datetime) -> list[Notification]:
        """Every notification that falls due up to ``until`` (inclusive), in time order, each
        emitted once: recorded in the log with status ``pending`` before it is returned."""
        out: list[Notification] = []
        heap = self._heap
        while heap and heap[0][0] <= until:
            moment, seq, kind, ref = heapq.heappop(heap)
            if kind == _CASE:
                if self._live.get(ref) != seq:
                    continue  # superseded by a later event of the case
                del self._live[ref]
                state = self.monitor.store.get_case(ref)
                if state is not None:
                    out.extend(self._visit(ref, state, moment))
            else:
                notification = self._prepared.pop(ref, None)
                if notification is not None and ref not in self._notified:
                    out.append(self._emit(notification))
        return out

    def resume(self, now: dt.datetime, trail: Iterable[Mapping[str, Any]] = ()) -> None:
        """Rebuild the heap after a restart: every open case is due at ``now`` (what fires then
        and was never emitted is emitted by the next :meth:`due`), and the trail's inspections,
        rectifications and draws reschedule their reminders."""
        for case, _state in self.monitor.store.open_cases():
            self._push(now, _CASE, case)
        for entry in trail:
            if entry.get("kind") == "draw":
                self.assign_inspections(entry["record"])
            elif entry.get("kind") == "event":
                record = entry.get("record") or {}
                if record.get("event") in ("inspect", "rectify"):
                    try:
                        self._inspection_event(parse_event(dict(record)))
                    except EventError:
                        continue

    # --- inside --------------------------------------------------------------------------------

    def _visit(self, case: str, state: Mapping[str, Any], at: dt.datetime) -> list[Notification]:
        notices = self._notices
        out = [self._emit(n) for n in notices.firing(state, at) if n.key not in self._notified]
        following = notices.next_crossing(state, at, self._notified)
        if following is None:
            self._live.pop(case, None)
        else:
            self._push(following, _CASE, case)
        return out

    def _emit(self, notification: Notification) -> Notification:
        self._notified.add(notification.key)
        self.log.record_notification(
            notification.key,
            {"notification": notification.to_dict(), "status": "pending", "attempts": []},
        )
        return notification

    def _push(self, moment: dt.datetime, kind: str, ref: str) -> None:
        seq = next(self._seq)
        if kind == _CASE:
            self._live[ref] = seq
        heapq.heappush(self._heap, (moment, seq, kind, ref))

    def _prepare(self, notification: Notification) -> None:
        self._prepared[notification.key] = notification
        self._push(notification.at, _ONE, notification.key)

    def _drop_stale(self) -> None:
        heap = self._heap
        while heap:
            _moment, seq, kind, ref = heap[0]
            stale = (
                self._live.get(ref) != seq
                if kind == _CASE
                else ref not in self._prepared or ref in self._notified
            )
            if not stale:
                return
            heapq.heappop(heap)

    def _summaries(self) -> dict[str, str]:
        """Case → item, for open and finished cases (a draw names finished ones)."""
        store = self.monitor.store
        out = {case: s.get("item", "") for case, s in store.closed_cases()}
        out.update({case: s.get("item", "") for case, s in store.open_cases()})
        return out

    def _inspection_event(self, event: Event) -> None:
        trigger = self.policy.triggers.get("rectification_due")
        inspection = self.monitor.rulebook.part("inspection")
        if trigger is None or inspection is None:
            return
        if event.event == "rectify":
            only = event.data.get("categories")
            prefix = notification_key(event.case, "rectification_due", "")
            for key in [k for k in self._prepared if k.startswith(prefix)]:
                category = key.rsplit("|", 1)[-1].split("@", 1)[0]
                if not isinstance(only, list) or category in only:
                    del self._prepared[key]
            return
        try:
            outcomes = collect(self.monitor.rulebook, inspection, [event], event.at)
        except FyrulesError:
            return
        zone = self._notices.zone
        state = self.monitor.store.get_case(event.case) or {}
        for finding in outcomes.findings:
            if finding.due is None:
                continue
            detail = f"{finding.category}@{finding.inspected_at.isoformat()}"
            key = notification_key(event.case, "rectification_due", detail)
            if key in self._notified:
                continue
            recipients = self._notices.recipients.resolve(
                trigger.to, finding.item, finding.due, handler=handler_of(state)
            )
            self._prepare(
                Notification(
                    key=key,
                    trigger="rectification_due",
                    case=event.case,
                    item=finding.item,
                    department=finding.department,
                    at=dt.datetime.combine(finding.due, dt.time(0), zone),
                    recipients=recipients,
                    roles=trigger.to,
                    rule=inspection.rectify_rule,
                    message_zh=f"抽查发现的问题（{finding.category}：{finding.description}）"
                    f"今日 {finding.due} 整改到期，请整改并书面反馈",
                    message_en=f"the inspection finding ({finding.category}: "
                    f"{finding.description}) is due for rectification today, {finding.due}: "
                    "rectify it and report back in writing",
                    basis=f"{trigger.basis}；{inspection.rectify_basis}",
                )
            )
