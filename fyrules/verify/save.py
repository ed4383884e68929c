"""A counterexample kept as a rulebook test: ``fyrules verify --save DIR`` writes one YAML file
per broken invariant into DIR, each a test of the invariant's scope that replays the events and
expects no invariant broken. It fails until the rule that should catch the stream is back, and
then guards it; ``fyrules test`` runs it with the rulebook's other tests when DIR lies inside
the rulebook's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..engine.problems import UsageError
from .search import Counterexample


def save_tests(rulebook: Any, found: Counterexample, folder: Path, *, seed: int) -> list[str]:
    """Write the tests; the paths written. A test that would not reproduce the break (a
    person's month whose last event is someone else's) is not written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{folder}: {exc.strerror}") from None
    written = []
    done: set[str] = set()
    for finding in found.broken:
        if finding.rule in done:
            continue
        invariant = rulebook.part("invariants").in_force(finding.rule)
        events = [
            e.model_dump(mode="json")
            for e in found.events
            if invariant.scope == "person_month" or e.case == finding.subject
        ]
        if invariant.scope == "person_month" and events[-1].get("actor") != finding.subject:
            continue
        test = {
            "id": f"VERIFY-{finding.rule}-{seed}",
            "title": {
                "zh": f"fyrules verify 找到的反例：{invariant.title_zh}",
                "en": f"a counterexample fyrules verify found: {invariant.title_en}",
            },
            "scope": invariant.scope,
            "as_of": found.as_of.isoformat() if found.as_of else None,
            "events": events,
            "expect": {"findings": []},
        }
        if test["as_of"] is None:
            del test["as_of"]
        if not _reproduces(rulebook, invariant, events, found):
            continue
        path = folder / f"verify-{finding.rule.lower()}.yaml"
        header = (
            f"# fyrules verify --seed {seed} 找到的反例：这些事件被监控器接受，却违反不变式 "
            f"{finding.rule}。\n# 改正规则前本测试失败；改正后它防止问题再次出现。\n"
            f"# A counterexample fyrules verify --seed {seed} found: the monitor accepts these "
            f"events, yet they break\n# invariant {finding.rule}. The test fails until the rule "
            "is fixed, then keeps it fixed.\n"
        )
        body = yaml.safe_dump({"tests": [test]}, allow_unicode=True, sort_keys=False, width=200)
        try:
            path.write_text(header + body, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{path}: {exc.strerror}") from None
        written.append(str(path))
        done.add(finding.rule)
    return written


def _reproduces(rulebook: Any, invariant: Any, events: list[dict], found: Counterexample) -> bool:
    """Whether the test's events, replayed as ``fyrules test`` does, break the invariant."""
    scope = rulebook.scopes[invariant.scope]
    context = scope.from_events(events, found.as_of, rulebook)
    return invariant.check(context) is not None
