"""Keeping one mistake to one report: problems that only follow from an error are left out.

A rule with an error does not load, so a test that names it would report "rule does not exist";
a ``calendar.yaml`` with an error falls back to the inherited calendar, so ``fyrules check``
would warn about a schedule the file does have. Such reports send policy staff after the wrong
thing. :func:`without_cascades` drops them: the error that causes them stays, and once it is
fixed the next check shows whatever is still wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .problems import Problem


def without_cascades(
    load_problems: Sequence[Problem], derived: Iterable[Problem], broken_rules: Iterable[str] = ()
) -> list[Problem]:
    """``derived`` (problems found after loading: tests, extension checks) without those that
    follow from an error among ``load_problems``:

    - a warning or note about a file that has an error, or about no file at all (it was worked
      out from a rulebook that did not load whole);
    - a reference to a rule in ``broken_rules`` (rules that did not load because of an error).
    """
    errors = [p for p in load_problems if p.severity == "error"]
    if not errors:
        return list(derived)
    broken_files = {p.path for p in errors if p.path}
    failed = set(broken_rules)
    out = []
    for p in derived:
        if p.severity != "error" and (p.path is None or p.path in broken_files):
            continue
        if p.code == "UNKNOWN-REFERENCE" and any(f"“{rule}”" in p.message_zh for rule in failed):
            continue
        out.append(p)
    return out


def broken_rule_ids(load_problems: Iterable[Problem]) -> set[str]:
    """Ids of rules that an error kept from loading (the rule id an error names)."""
    return {p.rule for p in load_problems if p.severity == "error" and p.rule}
