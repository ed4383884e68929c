"""Failure counting for the applicant's query: too many wrong codes from one client, or for
one case, within a window, and the query answers 429 with ``Retry-After`` until the oldest of
them leaves the window. Kept in memory, bounded in size (the oldest keys go first)."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

import attrs


@attrs.frozen(slots=True)
class Limit:
    """At most ``failures`` failures per key within ``window`` seconds."""

    failures: int
    window: float


class FailureLimiter:
    """Failures per key (``client:…``, ``case:…``) in a sliding window."""

    def __init__(
        self,
        limit: Limit,
        *,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.limit = limit
        self._max_keys = max_keys
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again: 0 when it may now."""
        with self._lock:
            times = self._current(key)
            if times is None or len(times) < self.limit.failures:
                return 0
            return max(1, math.ceil(times[0] + self.limit.window - self._clock()))

    def fail(self, key: str) -> None:
        """Count one failure of ``key``."""
        with self._lock:
            times = self._current(key)
            if times is None:
                times = self._failures[key] = deque(maxlen=self.limit.failures)
                while len(self._failures) > self._max_keys:
                    self._failures.popitem(last=False)
            self._failures.move_to_end(key)
            times.append(self._clock())

    def _current(self, key: str) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        horizon = self._clock() - self.limit.window
        while times and times[0] <= horizon:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times
