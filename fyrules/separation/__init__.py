"""Separation of duties (职责分离): who may hold which roles where, and who may act on a case.

This part covers the static side: persons, roles held for a scope (the whole center, a
department, an item), and constraints in the RBAC (role set, n) form, checked at every
assignment and in full audits. See ``docs/separation.md``.
"""

from __future__ import annotations

from .extension import EXTENSION, Separation
from .policy import Accepted, Assignment, Constraint, Refused, Roster, SeparationPolicy, Violation
from .scopes import Directory, Scope

__all__ = [
    "EXTENSION",
    "Accepted",
    "Assignment",
    "Constraint",
    "Directory",
    "Refused",
    "Roster",
    "Scope",
    "Separation",
    "SeparationPolicy",
    "Violation",
]
