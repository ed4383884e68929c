"""A progress bar for long steps of the command line (进度条), with no dependency.

On a terminal the bar redraws itself in place (``\\r``) at most ten times a second; anywhere
else (a pipe, a CI log) it writes one line when the step ends, so logs stay readable.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")

WIDTH = 30  # characters of the bar itself
REDRAW_EVERY = 0.1  # seconds between redraws on a terminal


class Progress:
    """Progress of one step: ``advance(n)`` as work is done, ``close()`` when it ends.

    ``total`` may be unknown (``None``): the bar then shows a count instead of a share."""

    def __init__(
        self,
        label: str,
        total: int | None = None,
        *,
        stream: TextIO | None = None,
        enabled: bool = True,
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.interactive = enabled and bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.perf_counter()
        self._drawn = 0.0
        self._closed = False

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.interactive:
            now = time.perf_counter()
            if now - self._drawn >= REDRAW_EVERY:
                self._drawn = now
                self.stream.write("\r" + self.line())
                self.stream.flush()

    def line(self) -> str:
        """The bar as text: ``label [#####.....]  52%  1,234/2,345  0.8 s``."""
        elapsed = time.perf_counter() - self.started
        if self.total:
            share = min(self.done / self.total, 1.0)
            filled = round(share * WIDTH)
            bar = "#" * filled + "." * (WIDTH - filled)
            return (
                f"{self.label} [{bar}] {share:4.0%}  {self.done:,}/{self.total:,}  {elapsed:.1f} s"
            )
        if self.done:
            return f"{self.label} {self.done:,}  {elapsed:.1f} s"
        return f"{self.label}  {elapsed:.1f} s"

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if not self.enabled:
            return
        self.stream.write(("\r" if self.interactive else "") + self.line() + "\n")
        self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def tracked(items: Iterable[T], progress: Progress, every: int = 1000) -> Iterator[T]:
    """Yield ``items`` while advancing ``progress`` every ``every`` items (cheap enough for
    event streams of hundreds of thousands)."""
    pending = 0
    for item in items:
        yield item
        pending += 1
        if pending == every:
            progress.advance(pending)
            pending = 0
    if pending:
        progress.advance(pending)
