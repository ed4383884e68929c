"""Property tests of the loader.

Invariants:
- a generated valid rulebook loads with no problems, and what loads is what was written
  (dump → load round-trips every rule and parameter);
- any mutation of a valid rulebook (keys deleted, values of the wrong type, garbage bytes,
  deep nesting) produces reported problems, never an exception out of ``fyrules.check``.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fyrules
from fyrules.engine.load.yaml_pyyaml import CoreDumper, CoreLoader
from fyrules.engine.problems import Problem
from tests.conftest import FUYANG

ids = st.from_regex(r"[A-Z][A-Z0-9]{0,6}(-[A-Z0-9]{1,5}){0,2}", fullmatch=True)
text = (
    st.text(
        alphabet=st.characters(categories=("L", "N", "Zs"), exclude_characters="\x00"),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
fields = st.sampled_from(["committed_days", "statutory_days"])
ops = st.sampled_from([">", ">=", "<", "<=", "==", "!="])


@st.composite
def rules(draw):
    field = draw(fields)
    return {
        "id": draw(ids),
        "title": {"zh": draw(text), "en": draw(text)},
        "basis": draw(text),
        "severity": draw(st.sampled_from(["error", "warning", "info"])),
        "scope": "item",
        "condition": f"{field} is not None and {field} {draw(ops)} {draw(st.integers(0, 60))}",
        "message": {"zh": draw(text) + " {" + field + "}", "en": draw(text)},
    }


@st.composite
def rulebooks(draw):
    rule_list = draw(st.lists(rules(), max_size=6, unique_by=lambda r: r["id"]))
    params = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "id": ids.map(str.lower).map(lambda s: s.replace("-", "_")),
                    "title": text,
                    "value": st.integers(0, 100) | st.booleans() | text,
                    "basis": text,
                    "tighten": st.sampled_from(["lower", "higher", "fixed", "free"]),
                }
            ),
            max_size=4,
            unique_by=lambda p: p["id"],
        )
    )
    return {"rules": rule_list, "parameters": params}


def write(root: Path, book: dict) -> None:
    root.mkdir(parents=True)
    manifest = {"rulebook": "gen", "name": {"zh": "生成"}, "jurisdiction": "测试", "version": "1"}
    (root / "rulebook.yaml").write_text(
        yaml.dump(manifest, Dumper=CoreDumper, allow_unicode=True), encoding="utf-8"
    )
    (root / "book.yaml").write_text(
        yaml.dump(book, Dumper=CoreDumper, allow_unicode=True), encoding="utf-8"
    )


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(rulebooks())
def test_generated_rulebooks_load_and_round_trip(book):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "rb"
        write(root, book)
        rb = fyrules.load(root)
    assert sorted(rb.rules.ids) == sorted(r["id"] for r in book["rules"])
    for spec in book["rules"]:
        compiled = rb.rules.in_force(spec["id"])
        assert compiled.condition.source == spec["condition"]
        assert (compiled.basis, compiled.severity) == (spec["basis"], spec["severity"])
    assert {k: p.value for k, p in rb.parameters.items()} == {
        p["id"]: p["value"] for p in book["parameters"]
    }


# --- mutations of the Fuyang rulebook ---------------------------------------------------------


def _files() -> list[Path]:
    return sorted(p.relative_to(FUYANG) for p in FUYANG.rglob("*.yaml"))


def _mutate_data(data, draw_path, new_value, delete):
    """Replace or delete the node at ``draw_path`` (indices into nested containers)."""
    node = data
    for i, step in enumerate(draw_path):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            return data
        key = keys[step % len(keys)]
        last = i == len(draw_path) - 1 or not isinstance(node[key], dict | list) or not node[key]
        if last:
            if delete:
                del node[key]
            else:
                node[key] = new_value
            return data
        node = node[key]
    return data


garbage_values = st.one_of(
    st.none(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.just("__import__('os').system('echo pwned')"),
    st.just("9**9**9"),
    st.recursive(st.integers(), lambda x: st.lists(x, min_size=1, max_size=1), max_leaves=80),
)


@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    file=st.sampled_from(_files()),
    path=st.lists(st.integers(0, 50), min_size=1, max_size=6),
    value=garbage_values,
    delete=st.booleans(),
)
def test_mutated_rulebooks_give_problems_never_exceptions(file, path, value, delete):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "fuyang"
        shutil.copytree(FUYANG, root)
        target = root / file
        data = yaml.load(target.read_text(encoding="utf-8"), Loader=CoreLoader)
        data = _mutate_data(data, path, value, delete)
        target.write_text(yaml.dump(data, Dumper=CoreDumper, allow_unicode=True), encoding="utf-8")
        result = fyrules.check(root)
    assert all(
        isinstance(p, Problem) and p.code and p.message_zh and p.message_en for p in result.problems
    )


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(file=st.sampled_from(_files()), junk=st.binary(min_size=1, max_size=200), at=st.floats(0, 1))
def test_garbage_bytes_give_problems_never_exceptions(file, junk, at):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "fuyang"
        shutil.copytree(FUYANG, root)
        target = root / file
        raw = target.read_bytes()
        cut = int(len(raw) * at)
        target.write_bytes(raw[:cut] + junk + raw[cut:])
        result = fyrules.check(root)
    assert all(isinstance(p, Problem) and p.message_en for p in result.problems)


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path):
    shutil.copytree(FUYANG, tmp_path / "fuyang")
    (tmp_path / "fuyang" / "deep.yaml").write_text(
        "rules: " + "[" * 5000 + "]" * 5000, encoding="utf-8"
    )
    (tmp_path / "fuyang" / "deep2.yaml").write_text(
        "rules:\n" + "".join("  " * i + "- \n" for i in range(300)), encoding="utf-8"
    )
    # as of a fixed day: from 1 December the calendar warns that next year's schedule is missing
    result = fyrules.check(tmp_path / "fuyang", today=dt.date(2025, 10, 15))
    assert {p.code for p in result.problems} <= {"YAML-TOO-LARGE", "YAML-SYNTAX", "WRONG-TYPE"}
    assert result.problems
