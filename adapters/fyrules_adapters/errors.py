"""The error every storage adapter raises when its database cannot serve as a store."""

from __future__ import annotations

from fyrules import FyrulesError, Problem


class StoreError(FyrulesError):
    """The database cannot serve as a store (``STORE-UNAVAILABLE``); ``problem`` says why."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


def unavailable(where: str, zh: str, en: str) -> StoreError:
    """``STORE-UNAVAILABLE`` at ``where`` (a path, or a URL without its password)."""
    return StoreError(Problem("STORE-UNAVAILABLE", f"{where}：{zh}", f"{where}: {en}"))
