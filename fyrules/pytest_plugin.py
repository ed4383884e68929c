"""The pytest plugin (entry point ``pytest11``): a rulebook's tests and invariants as pytest items.

``pytest --fyrules RULEBOOK`` (repeatable), or the ini option ``fyrules_rulebooks`` (one folder a
line, relative to the ini file), collects each rulebook test (``tests:``) as an item named by its
id at its file and line, and each invariant (``invariants:``) as an item that runs
``fyrules verify``'s search for that invariant (``--fyrules-max-examples`` / ini
``fyrules_max_examples``, default 50; ``--fyrules-seed`` / ``fyrules_seed``, default 0). A
rulebook that does not load is one failing item naming every problem. See docs/verify.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

DEFAULT_MAX_EXAMPLES = 50


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fyrules", "fyrules rulebooks")
    group.addoption(
        "--fyrules",
        action="append",
        default=[],
        metavar="RULEBOOK",
        help="collect the tests and invariants of this rulebook folder (repeatable)",
    )
    group.addoption(
        "--fyrules-max-examples",
        type=int,
        default=None,
        metavar="N",
        help=f"event streams each invariant's search tries (default {DEFAULT_MAX_EXAMPLES})",
    )
    group.addoption("--fyrules-seed", type=int, default=None, metavar="S", help="search seed")
    parser.addini("fyrules_rulebooks", "rulebook folders to collect, one a line", type="paths")
    parser.addini("fyrules_max_examples", "event streams each invariant's search tries", default="")
    parser.addini("fyrules_seed", "seed of the invariants' searches", default="")


def _rulebook_paths(config: pytest.Config) -> list[Path]:
    given = [Path(p) for p in config.getoption("fyrules")]
    return given or [Path(p) for p in config.getini("fyrules_rulebooks")]


def _number(config: pytest.Config, option: str, ini: str, default: int) -> int:
    value = config.getoption(option)
    if value is None:
        text = str(config.getini(ini)).strip()
        value = int(text) if text else default
    return int(value)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    roots = [p.resolve() for p in _rulebook_paths(config)]
    config.stash[_ROOTS] = roots
    for root in roots:  # collected along with whatever else pytest collects
        if str(root) not in config.args:
            config.args.append(str(root))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    roots = parent.config.stash.get(_ROOTS, [])
    if file_path.name == "rulebook.yaml" and file_path.parent.resolve() in roots:
        return RulebookFile.from_parent(parent, path=file_path)
    return None


_ROOTS = pytest.StashKey[list[Path]]()


class RulebookFile(pytest.File):
    """A rulebook (its ``rulebook.yaml``): one collector per rule file with tests or invariants,
    the baseline's files included, named by their path."""

    def collect(self) -> Iterator[pytest.Collector | pytest.Item]:
        from .engine.problems import RulebookError
        from .rulebook import load

        root = self.path.parent
        try:
            rulebook = load(root)
        except RulebookError as exc:
            yield BrokenRulebook.from_parent(self, name="load", problems=exc.problems)
            return
        groups: dict[str, list[tuple[str, Any]]] = {}
        for entry in rulebook.test_entries:
            groups.setdefault(entry.location.path, []).append(("test", entry))
        invariants = rulebook.part("invariants")
        for invariant_id in invariants.ids if invariants else ():
            invariant = invariants.in_force(invariant_id)
            groups.setdefault(invariant.location.path, []).append(("invariant", invariant))
        config = self.config
        max_examples = _number(
            config, "fyrules_max_examples", "fyrules_max_examples", DEFAULT_MAX_EXAMPLES
        )
        seed = _number(config, "fyrules_seed", "fyrules_seed", 0)
        for shown, members in groups.items():
            path = Path(shown).resolve()
            yield RuleFileNode.from_parent(
                self,
                name=_file_name(rulebook, path),
                path=path,
                rulebook=rulebook,
                members=members,
                max_examples=max_examples,
                seed=seed,
            )


def _file_name(rulebook: Any, path: Path) -> str:
    """A rule file's name in node ids: its path in the rulebook's folder, or in a rulebook it
    extends after that rulebook's id (``national:tests/catalog.yaml``)."""
    for layer in reversed(rulebook.layers):
        try:
            inside = path.relative_to(layer.root.resolve()).as_posix()
        except ValueError:
            continue
        return inside if layer is rulebook.layers[-1] else f"{layer.id}:{inside}"
    return path.as_posix()


class RuleFileNode(pytest.Collector):
    """One rule file: its tests and invariants, in the order written."""

    def __init__(
        self,
        *,
        rulebook: Any,
        members: list[tuple[str, Any]],
        max_examples: int,
        seed: int,
        **kw: Any,
    ):
        super().__init__(**kw)
        self.rulebook, self.members = rulebook, members
        self.max_examples, self.seed = max_examples, seed

    def collect(self) -> Iterator[pytest.Item]:
        for kind, member in self.members:
            if kind == "test":
                yield RulebookTestItem.from_parent(
                    self, name=member.id, rulebook=self.rulebook, entry=member
                )
            else:
                yield InvariantItem.from_parent(
                    self,
                    name=member.id,
                    rulebook=self.rulebook,
                    invariant=member,
                    max_examples=self.max_examples,
                    seed=self.seed,
                )


class RulebookFailure(Exception):
    """A rulebook test failed, an invariant was broken, or the rulebook did not load."""


class _RuleItem(pytest.Item):
    location_line: int | None = None
    kind = ""

    def reportinfo(self) -> tuple[Path, int | None, str]:  # file:line in reports
        line = None if self.location_line is None else self.location_line - 1
        return self.path, line, f"{self.kind} {self.name}"

    def repr_failure(self, excinfo: Any, style: Any = None) -> Any:
        if isinstance(excinfo.value, RulebookFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)


class RulebookTestItem(_RuleItem):
    """One rulebook test (``tests:``)."""

    kind = "rulebook test"

    def __init__(self, *, rulebook: Any, entry: Any, **kw: Any):
        super().__init__(**kw)
        self.rulebook, self.entry = rulebook, entry
        self.location_line = entry.location.line

    def runtest(self) -> None:
        [result] = self.rulebook.run_tests([self.entry]).results
        if not result.passed:
            raise RulebookFailure(result.problem().format())


class InvariantItem(_RuleItem):
    """One invariant (``invariants:``): the search for a stream that breaks it."""

    kind = "invariant"

    def __init__(self, *, rulebook: Any, invariant: Any, max_examples: int, seed: int, **kw: Any):
        super().__init__(**kw)
        self.rulebook, self.invariant = rulebook, invariant
        self.max_examples, self.seed = max_examples, seed
        self.location_line = invariant.location.line

    def runtest(self) -> None:
        from .verify.report import problems_of
        from .verify.search import search

        result = search(
            self.rulebook, max_examples=self.max_examples, seed=self.seed, only=self.invariant.id
        )
        found = result.counterexample
        if found is not None:
            lines = [p.format() for p in problems_of(result)]
            lines.append(
                f"复现事件 / the events that reproduce it (seed {self.seed}, "
                f"{result.examples} stream(s) tried):"
            )
            raise RulebookFailure("\n".join([*lines, found.jsonl().rstrip("\n")]))


class BrokenRulebook(_RuleItem):
    """A rulebook that does not load: one failing item naming every problem."""

    kind = "rulebook"

    def __init__(self, *, problems: Any, **kw: Any):
        super().__init__(**kw)
        self.problems = problems

    def runtest(self) -> None:
        raise RulebookFailure("\n".join(p.format() for p in self.problems))
