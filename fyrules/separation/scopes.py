"""Scopes a role is held for, and how they overlap (任职范围及其重叠).

A scope is the whole center, one department, or one item. Scopes nest: the center contains every
department and every item; a department contains itself and the items it licenses (实施); an
item contains only itself. Two scopes *overlap* when one contains the other. Because every item
belongs to exactly one department, scopes form a tree: scopes that pairwise overlap always share
a common point (the smallest of them), so "pairwise" and "all at once" mean the same.

An item the :class:`Directory` does not know belongs to no known department: it overlaps only
the center and itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

import attrs

ScopeKind = Literal["center", "department", "item"]


@attrs.frozen(slots=True)
class Scope:
    """Where a role is held: ``Scope.whole_center()``, ``Scope.of_department("SC")``,
    ``Scope.of_item(code)``."""

    kind: ScopeKind
    id: str | None = None

    @classmethod
    def whole_center(cls) -> Scope:
        return cls("center")

    @classmethod
    def of_department(cls, department: str) -> Scope:
        return cls("department", department)

    @classmethod
    def of_item(cls, code: str) -> Scope:
        return cls("item", code)

    def describe(self) -> tuple[str, str]:
        """The scope in Chinese and English, for messages."""
        if self.kind == "center":
            return "全中心", "the whole center"
        if self.kind == "department":
            return f"部门 {self.id}", f"department {self.id}"
        return f"事项 {self.id}", f"item {self.id}"

    def __str__(self) -> str:
        return "center" if self.kind == "center" else f"{self.kind}:{self.id}"


@attrs.frozen(slots=True)
class Directory:
    """Who belongs where: each person's department and each item's licensing department."""

    person_department: Mapping[str, str | None] = attrs.field(factory=dict)
    item_department: Mapping[str, str] = attrs.field(factory=dict)
    # role id → (Chinese name, English name), for messages only
    role_names: Mapping[str, tuple[str, str]] = attrs.field(factory=dict)
    _licensing: frozenset[str] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda self: frozenset(self.item_department.values()), True),
    )

    def department_of_item(self, scope: Scope) -> str | None:
        return self.item_department.get(scope.id or "") if scope.kind == "item" else None

    def contains(self, outer: Scope, inner: Scope) -> bool:
        """Whether ``outer`` contains ``inner`` (every scope contains itself)."""
        if outer.kind == "center" or outer == inner:
            return True
        if outer.kind == "department" and inner.kind == "item":
            return self.department_of_item(inner) == outer.id
        return False

    def overlap(self, a: Scope, b: Scope) -> bool:
        """Whether two scopes overlap: one contains the other."""
        return self.contains(a, b) or self.contains(b, a)

    def licensing_departments(self) -> frozenset[str]:
        """Departments that license at least one item."""
        return self._licensing

    def role_name(self, role: str) -> tuple[str, str]:
        return self.role_names.get(role, (role, role))


def periods_overlap(
    a_from: dt.date | None, a_to: dt.date | None, b_from: dt.date | None, b_to: dt.date | None
) -> bool:
    """Whether two periods (both ends included; ``None`` is open) share a day."""
    if a_to is not None and b_from is not None and a_to < b_from:
        return False
    return not (b_to is not None and a_from is not None and b_to < a_from)
