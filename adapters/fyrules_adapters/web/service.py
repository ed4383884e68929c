"""What the HTTP endpoints ask of fyrules, without any web framework.

A :class:`CaseService` owns one store, its monitor and the applicant codes beside it. The
store is one connection used by one thread: every call that touches it runs on the service's
own thread (:meth:`CaseService.run`), one at a time, so events are fed in the order requests
arrive and a response is sent only after its events are committed.

A database written in N partitions (N writers, each owning the cases of its partition:
``fyrules evaluate --partition K/N``) is served whole: the service opens every partition, feeds
each event to the partition that owns its case (under that partition's lock, so it may run
beside the other writers) and reads a case from its partition, while the supervision list, the
board and the rankings read every partition: a supervisor watches the whole center. Everything goes through
fyrules' public entry points (:func:`fyrules.load`'s :class:`~fyrules.Rulebook`, its monitor,
the store port).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from fyrules import Duplicate, Event, FyrulesError, Rejected, Rulebook, Store, partition_of

from .clock import system_clock
from .codes import ApplicantCodes, CodeRecord
from .stores import open_codes

T = TypeVar("T")
Clock = Callable[[], dt.datetime]


class CaseService:
    """One store, its monitor and applicant codes, served on one thread."""

    def __init__(
        self,
        rulebook: Rulebook,
        open_store: Callable[[], Store | list[Store]],
        *,
        clock: Clock = system_clock,
    ):
        """``open_store`` gives the store, or the stores of every partition of one database
        (partition k at position k)."""
        self.rulebook = rulebook
        self.zone = ZoneInfo(rulebook.timezone)
        self.clock = clock
        self._open_store = open_store
        self._thread = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="fyrules-store")
        self._store: Store | None = None
        self._stores: list[Store] = []
        self._monitors: list[Any] = []
        self._codes: ApplicantCodes | None = None
        self._monitor: Any = None

    # --- life ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the store on the service's thread (raises what opening raises); once."""
        if self._store is None:
            self._thread.submit(self._start).result()

    def _start(self) -> None:
        opened = self._open_store()
        self._stores = list(opened) if isinstance(opened, list) else [opened]
        self._store = self._stores[0]
        self._monitors = [self.rulebook.monitor(store=store) for store in self._stores]
        self._monitor = self._monitors[0]
        self._codes = open_codes(self._store)

    def stop(self) -> None:
        """Finish the calls already queued, then close the store (committing what it holds)."""
        self._thread.submit(self._stop).result()
        self._thread.shutdown(wait=True)

    def _stop(self) -> None:
        if self._codes is not None:
            self._codes.close()
        for store in self._stores:
            close = getattr(store, "close", None)
            if close is not None:
                close()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the store's thread."""
        return await asyncio.get_running_loop().run_in_executor(self._thread, fn, *args)

    @property
    def store(self) -> Store:
        """The store (the first partition's, when the database is partitioned: read a case
        through :meth:`store_of`, every case through :meth:`open_cases`)."""
        assert self._store is not None, "CaseService.start() first"
        return self._store

    @property
    def monitor(self) -> Any:
        """The rulebook's monitor over the store (on the store's thread only)."""
        assert self._monitor is not None, "CaseService.start() first"
        return self._monitor

    @property
    def partitions(self) -> int:
        """How many partitions the database is written in (1 for a plain store)."""
        return len(self._stores)

    def _part(self, case: Any) -> int:
        n = len(self._stores)
        return partition_of(case, n) if n > 1 and isinstance(case, str) else 0

    def store_of(self, case: str) -> Store:
        """The store of the partition that owns ``case``."""
        return self._stores[self._part(case)]

    def monitor_of(self, case: str) -> Any:
        """The monitor of the partition that owns ``case``."""
        return self._monitors[self._part(case)]

    def open_cases(self) -> list[tuple[str, dict[str, Any]]]:
        """Every open case of every partition."""
        return [pair for store in self._stores for pair in store.open_cases()]

    def trail_heads(self) -> tuple[Any, ...]:
        """The head of each partition's chain of the trail."""
        return tuple(store.trail_head() for store in self._stores)

    def score(self, month: str, previous: Any = None) -> Any:
        """The month's scorecards and ranking from every case the store holds, every
        partition's month merged (:meth:`fyrules.Rulebook.score_stores`): nothing replayed,
        so the scores are those of the cases as recorded, numbers as they were delivered."""
        return self.rulebook.score_stores(self._stores, month=month, previous=previous)

    @property
    def codes(self) -> ApplicantCodes:
        assert self._codes is not None, "CaseService.start() first"
        return self._codes

    # --- on the store's thread -----------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        heads = [
            {"index": head["index"], "hash": head["hash"]} if head else None
            for head in self.trail_heads()
        ]
        answer: dict[str, Any] = {
            "status": "ok",
            "rulebook": self.rulebook.id,
            "rulebook_version": self.rulebook.manifest.version,
            "trail_head": heads[0] if len(heads) == 1 else None,
        }
        if len(heads) > 1:  # one chain per partition (fyrules trail verify --store: their root)
            answer["partitions"] = len(heads)
            answer["chains"] = {str(k): head for k, head in enumerate(heads)}
        return answer

    def feed(self, events: Iterable[Any], depts: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """Feed events in order; one answer per event. Events of a department outside
        ``depts`` (when given) are refused without touching the store. All the events of one
        call are committed together before the answers go back (each still all or nothing)."""
        answers: list[dict[str, Any]] = []
        with contextlib.ExitStack() as batches:
            for store in self._stores:
                batch = getattr(store, "batch", None)
                if batch is not None:
                    batches.enter_context(batch())
            for index, raw in enumerate(events):
                answers.append(self._feed_one(index, raw, depts))
        return answers

    def _feed_one(self, index: int, raw: Any, depts: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(raw, Mapping | str):
            # a JSON value that is not an object: as the line `fyrules evaluate` would read
            # (Monitor.feed takes a mapping or a text)
            raw = json.dumps(raw)
        # read here only to name the event's case and department in the answer; the monitor
        # reads the event as it came, as `fyrules evaluate` reads a line, and rejects and
        # records what does not parse
        event: Any
        try:
            event = Event.model_validate(json.loads(raw) if isinstance(raw, str) else dict(raw))
        except (ValueError, TypeError, RecursionError):
            event = None
        if event is not None and depts and event.dept not in depts:
            return {
                "index": index,
                "outcome": "rejected",
                "case": event.case,
                "id": event.id,
                "reason": "DEPT-FORBIDDEN",
                "message_zh": "此令牌不能提交该部门的事件",
                "message_en": "this token may not post events of that department",
            }
        case = event.case if event is not None else None
        kind = event.event if event is not None else None
        # the partition that owns the case (an event that names none: the first, as a
        # partitioned replay reports unreadable lines once, in partition 0)
        monitor = self._monitors[self._part(case)]
        answer: dict[str, Any] = {
            "index": index,
            "case": case,
            "id": event.id if event is not None else None,
        }
        try:
            outcome = monitor.feed(raw)
        except FyrulesError as exc:
            # Monitor.feed can still raise on an event whose data the trail cannot record
            # (TRAIL-VALUE: a whole number past 2**53 that it then tries to record as
            # rejected); its transaction left the store unchanged
            problem = getattr(exc, "problem", None)
            answer.update(
                outcome="rejected",
                reason=problem.code if problem is not None else "EVENT-INVALID",
                message_zh=problem.message_zh if problem is not None else str(exc),
                message_en=problem.message_en if problem is not None else str(exc),
            )
            return answer
        if isinstance(outcome, Rejected):
            answer.update(
                outcome="rejected",
                reason=outcome.reason_code,
                message_zh=outcome.message_zh,
                message_en=outcome.message_en,
            )
            return answer
        answer["outcome"] = "duplicate" if isinstance(outcome, Duplicate) else "accepted"
        if kind == "accept" and isinstance(case, str):
            if answer["outcome"] == "accepted":
                answer["issue_code"] = True
            elif not self.codes.has(case) and self._accepted(case):
                # the acceptance was committed but its code was not (a crash in between): the
                # case system delivers the event again and gets the code then
                answer["issue_code"] = True
        return answer

    def keep_codes(self, prepared: Iterable[tuple[str, CodeRecord]]) -> set[str]:
        """Keep the prepared code records; the cases whose code was kept (not those that
        had one already)."""
        return {case for case, record in prepared if self.codes.store(case, record)}

    def _accepted(self, case: str) -> bool:
        state = self._state(case)
        return state is not None and state.get("accepted_at") is not None

    def _state(self, case: str) -> dict[str, Any] | None:
        store = self.store_of(case)
        state = store.get_case(case)
        if state is not None:
            return state
        closed = store.get_closed(case)
        if closed is not None and isinstance(closed.get("state"), dict):
            return {**closed["state"], **_closing(closed)}
        return None

    def case_dept(self, case: str) -> tuple[bool, str | None]:
        """Whether ``case`` is known, and its department."""
        state = self._state(case)
        return (False, None) if state is None else (True, state.get("dept"))

    def case(self, case: str, as_of: dt.datetime | None) -> dict[str, Any] | None:
        """State, stages, clock (deadlines) and findings of ``case``, or ``None``."""
        store = self.store_of(case)
        open_state = store.get_case(case)
        closed = store.get_closed(case) if open_state is None else None
        if open_state is None and closed is None:
            return None
        findings = list(store.findings(case))
        if open_state is not None:
            state = {k: v for k, v in open_state.items() if k != "log"}
            clock = self.monitor_of(case).case_clock(open_state, as_of)
            if clock is not None:
                findings.extend(self._clock_findings(clock))
            return {
                "case": case,
                "status": "open",
                "state": state,
                "clock": clock.to_dict() if clock is not None else None,
                "findings": findings,
            }
        assert closed is not None
        state = closed.get("state") or {}
        return {
            "case": case,
            "status": "closed",
            "state": {k: v for k, v in state.items() if k != "log"},
            "clock": None,
            "summary": {k: v for k, v in closed.items() if k != "state"},
            "findings": findings,
        }

    def _clock_findings(self, clock: Any) -> list[dict[str, Any]]:
        """The ``case`` rules' findings for an open case's clock (what the monitor reports
        for it as of the same moment)."""
        found = self.rulebook.evaluate(
            "case", clock.to_context(), on=clock.accepted_on, at=clock.as_of
        )
        return [f.to_dict() for f in found]

    def findings(
        self,
        as_of: dt.datetime | None,
        dept: str | None,
        window: str | None,
        allowed: tuple[str, ...],
    ) -> list[dict[str, Any]]:
        """The supervision list as of ``as_of``: findings of finished cases and of open cases
        then, of ``dept`` / ``window`` when given, and of the ``allowed`` departments."""
        where: dict[str, tuple[Any, Any]] = {}
        for store in self._stores:
            for case, state in store.open_cases():
                where[case] = (state.get("dept"), state.get("window"))
            for case, summary in store.closed_cases():
                where[case] = (summary.get("dept"), summary.get("window"))
        out = []
        everything = [f for monitor in self._monitors for f in monitor.findings(as_of)]
        for finding in everything:
            f_dept, f_window = where.get(finding.subject, (None, None))
            if allowed and f_dept not in allowed:
                continue
            if dept is not None and f_dept != dept:
                continue
            if window is not None and f_window != window:
                continue
            out.append({**finding.to_dict(), "dept": f_dept, "window": f_window})
        return out

    def rankings(self, month: str) -> dict[str, Any]:
        """Scorecards and ranking of ``month`` from every case the store holds (:meth:`score`)."""
        return self.score(month).to_dict()

    # --- the applicant's query -----------------------------------------------------------------

    def code_record(self, case: str) -> tuple[CodeRecord, bool]:
        return self.codes.record_or_dummy(case)

    def progress(self, case: str) -> dict[str, Any] | None:
        """What the applicant of ``case`` may see: its progress, stages, due dates and
        delays; no staff member's identity (only the window), nothing of another case."""
        item_name = None
        store = self.store_of(case)
        open_state = store.get_case(case)
        closed = store.get_closed(case) if open_state is None else None
        state = open_state if open_state is not None else (closed or {}).get("state")
        if not isinstance(state, dict):
            return None
        item = self.rulebook.items.items.get(str(state.get("item")))
        if item is not None:
            item_name = {"zh": item.name.zh, "en": item.name.en}
        answer: dict[str, Any] = {
            "case": case,
            "item": state.get("item"),
            "item_name": item_name,
            "window": state.get("window"),
            "status": "open" if open_state is not None else "closed",
            "stage": state.get("stage"),
            "submitted_at": state.get("submitted_at"),
            "accepted_at": state.get("accepted_at"),
            "paused": bool(state.get("paused")),
            "pause_reason": state.get("pause_reason"),
            "closed_at": state.get("closed_at"),
            "closed_by": state.get("closed_by"),
            "deadlines": None,
            "stages": [],
            "pauses": [],
        }
        if open_state is not None:
            last = _moment(open_state.get("last_at"))
            now = self.clock()
            as_of = now if last is None or now > last else last
            clock = self.monitor_of(case).case_clock(open_state, as_of)
            if clock is not None:
                answer["deadlines"] = _applicant_clock(clock.to_dict())
                answer["stages"] = [_stage(s) for s in clock.to_dict()["stages"]]
                answer["pauses"] = [_pause(p) for p in clock.to_dict()["pauses"]]
        else:
            assert closed is not None
            # a finished case keeps its summary, not its clock: how it settled
            answer["deadlines"] = {
                **dict.fromkeys(_CLOCK_FIELDS),
                "completed": True,
                "committed_limit": closed.get("committed_limit"),
                "used_days": closed.get("used_days"),
                "settlement": closed.get("settlement"),
            }
        return answer


_CLOCK_FIELDS = (
    "as_of",
    "statutory_limit",
    "committed_limit",
    "statutory_due",
    "committed_due",
    "provisional",
    "used_days",
    "paused_days",
    "extended_days",
    "statutory_remaining",
    "committed_remaining",
    "completed",
    "settlement",
    "committed_hours",
    "hours_used",
    "hours_remaining",
    "committed_deadline_at",
    "statutory_deadline_at",
    "late_stages",
)


def _applicant_clock(clock: Mapping[str, Any]) -> dict[str, Any]:
    return {k: clock.get(k) for k in _CLOCK_FIELDS}


def _stage(stage: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("name", "days", "budget", "over", "open", "started_at", "ended_at")
    return {k: stage.get(k) for k in keys}


def _pause(pause: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("reason", "days", "max_days", "counted", "open", "started_at", "ended_at")
    return {k: pause.get(k) for k in keys}


def _moment(text: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _closing(summary: Mapping[str, Any]) -> dict[str, Any]:
    return {k: summary[k] for k in ("closed_at", "closed_by") if k in summary}


def parse_moment(text: str, zone: ZoneInfo) -> dt.datetime:
    """An ISO date-time; without an offset it is read in ``zone``. Raises ``ValueError``."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


__all__ = ["CaseService", "FyrulesError", "parse_moment", "system_clock"]
