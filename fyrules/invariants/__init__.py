"""Invariants (不变式): statements in the expression language that must hold of every case the
monitor accepts, with their basis; ``fyrules verify`` searches for event streams that break
them. See docs/verify.md.
"""

from __future__ import annotations

from .compile import Invariant, compile_invariants
from .extension import EXTENSION
from .model import InvariantSpec
from .replay import Replay, broken, replay

__all__ = [
    "EXTENSION",
    "Invariant",
    "InvariantSpec",
    "Replay",
    "broken",
    "compile_invariants",
    "replay",
]
