"""Fuzzing the parsers (issue 21) with Hypothesis under a fixed budget (``conftest.py``):
the rule-file loader, the expression compiler, the event reader and monitor, the CSV and XLSX
importer, and trail verification. Invariant of each: any input gives a result or the
library's own error with a problem, never another exception.

Inputs that crashed a target before its fix are kept: as ``@example``s here, and as files in
``tests/fuzz/regressions/`` that :func:`test_every_kept_regression_input_is_handled` replays."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import fyrules
from fyrules.cases.events import Event, read_events
from fyrules.cases.monitor import Monitor
from fyrules.cases.trail import import_trail, verify
from fyrules.engine.expr import ExpressionError, compile_expression
from fyrules.engine.problems import FyrulesError, Problem
from fyrules.items.importer import read_catalog
from tests.engine.expr_support import SCHEMA
from tests.fuzz.conftest import fuzz_settings
from tests.helpers import write_rulebook

ROOT = Path(__file__).resolve().parents[2]
REGRESSIONS = Path(__file__).parent / "regressions"

yaml_tokens = st.sampled_from(
    [
        "rules:",
        "items:",
        "parameters:",
        "tables:",
        "- ",
        "  ",
        "id: R-1",
        "title: t",
        "basis: b",
        "scope: item",
        "condition: ",
        "'true'",
        "message: {zh: 甲, en: a}",
        "&a ",
        "*a",
        "!!python/object:os.system",
        "{",
        "}",
        "[",
        "]",
        ":",
        "\n",
        "\t",
        "#",
        '"\\u0000"',
        "\ufeff",
        "<<: *a",
        "? ",
        "|",
        ">",
        "---",
        "...",
        "1e309",
        "~",
        "0x1F",
        "- - - -",
        "valid_from: 2025-13-40",
        "severity: fatal",
        "\x00",
        "%YAML 1.1",
    ]
)
yaml_texts = st.one_of(
    st.lists(yaml_tokens, max_size=30).map("".join),
    st.text(max_size=300),
)


@fuzz_settings
@given(
    yaml_texts, st.sampled_from(["rules/x.yaml", "items/x.yaml", "tables/t.csv", "rulebook.yaml"])
)
@example("rules:\n  - id: R-1\n    basis: [\n", "rules/x.yaml")
@example("a: &a [*a]\n", "rules/x.yaml")
def test_the_rule_file_loader_never_raises(tmp_path_factory, text, name):
    """Invariant: any text in any rule file gives a checked result with problems."""
    root = write_rulebook(tmp_path_factory.mktemp("rb"), {})
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = fyrules.check(root)
    assert all(isinstance(p, Problem) for p in result.problems)


expression_tokens = st.sampled_from(
    [
        "age",
        "income",
        "region",
        "documents",
        "tags",
        "item",
        "item.owner.name",
        "名称",
        "__class__",
        "_x",
        ".__globals__",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        "+",
        "-",
        "*",
        "**",
        "/",
        "//",
        "%",
        "==",
        "<",
        "and",
        "or",
        "not",
        "in",
        "if",
        "else",
        "lambda",
        "for",
        "1",
        "9",
        "10**10",
        "'a'",
        '"b"',
        "1e999",
        "True",
        "None",
        "count",
        "any",
        "all",
        "len",
        "add_working_days",
        "x",
        " ",
        "\n",
        "\\",
        "'''",
        "@",
        "...",
    ]
)
expressions = st.one_of(st.lists(expression_tokens, max_size=25).map("".join), st.text(max_size=80))


@fuzz_settings
@given(expressions)
@example("(" * 500)
@example("9**9**9")
@example("'a' * 10**10")
def test_the_expression_compiler_never_raises_but_its_own_error(source):
    """Invariant: any source compiles or raises ExpressionError with a problem."""
    try:
        compile_expression(source, SCHEMA)
    except ExpressionError as exc:
        assert exc.problems if hasattr(exc, "problems") else True
        assert isinstance(exc, FyrulesError)


event_lines = st.one_of(
    st.binary(max_size=300).map(lambda b: b.decode("utf-8", errors="replace")),
    st.text(max_size=200),
    st.builds(
        lambda fields: json.dumps(fields, ensure_ascii=True),
        st.dictionaries(
            st.sampled_from(["id", "case", "item", "event", "at", "actor", "data", "x"]),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
                lambda inner: (
                    st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=4), inner, max_size=3)
                ),
                max_leaves=8,
            ),
        ),
    ),
)


@fuzz_settings
@given(st.lists(event_lines, max_size=8))
@example(
    [
        '{"case":"C","item":"FY-SC-001","event":"accept","at":"2025-10-09T09:30:00+08:00","data":{"x":9007199254740993}}'
    ]
)
@example(
    [
        '{"case":"C","item":"FY-SC-001","event":"accept","at":"2025-10-09T09:30:00+08:00","data":{"x":"\\ud800"}}'
    ]
)
@example(['{"case":"C","item":"FY-SC-001","event":"accept","at":1760143380}'])
def test_the_event_reader_and_the_monitor_never_raise(rb, lines):
    """Invariant: any lines read into events or problems, and feeding them keeps the trail
    verifiable."""
    read = list(read_events(lines))
    assert all(isinstance(e, Event | Problem) for e in read)
    monitor = Monitor(rb)
    summary = monitor.feed_all(read)
    assert summary.events == len(read)
    assert verify(monitor.store.trail()).ok


@fuzz_settings
@given(
    st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )
)
@example('事项编码,事项名称\n"T-1,甲\n'.encode())
@example("a,b\r\n中,文\r\n".encode("big5"))
def test_the_csv_importer_never_raises(tmp_path_factory, raw):
    """Invariant: any bytes as a CSV item list give an import result with problems."""
    path = tmp_path_factory.mktemp("csv") / "list.csv"
    path.write_bytes(raw)
    result = read_catalog(path)
    assert all(isinstance(p, Problem) for p in result.problems)


def _zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


xlsx_parts = st.dictionaries(
    st.sampled_from(
        [
            "[Content_Types].xml",
            "xl/workbook.xml",
            "xl/worksheets/sheet1.xml",
            "xl/sharedStrings.xml",
            "_rels/.rels",
            "xl/_rels/workbook.xml.rels",
        ]
    ),
    st.one_of(st.binary(max_size=200), st.just(b'<?xml version="1.0"?><a/>')),
    max_size=6,
)


@fuzz_settings
@given(st.one_of(xlsx_parts.map(_zip_of), st.binary(max_size=300)))
def test_the_xlsx_importer_never_raises(tmp_path_factory, raw):
    """Invariant: any bytes, zip or not, as a workbook give an import result with problems."""
    pytest.importorskip("openpyxl", reason="pip install 'fyrules[xlsx]'")
    path = tmp_path_factory.mktemp("xlsx") / "list.xlsx"
    path.write_bytes(raw)
    result = read_catalog(path)
    assert all(isinstance(p, Problem) for p in result.problems)


@pytest.fixture(scope="module")
def trail_bytes(rb):
    from fyrules.cases.trail import export_trail
    from fyrules.simulation.cases import generate

    monitor = Monitor(rb)
    monitor.feed_all(generate(rb, month="2025-10", cases=3, seed=1))
    out = io.BytesIO()
    export_trail(monitor.store.trail(), out)
    return out.getvalue()


@fuzz_settings
@given(st.data())
def test_trail_verification_never_raises_and_catches_every_change(trail_bytes, data):
    """Invariant: any change to an exported trail (a byte replaced, removed or inserted, a
    line cut) is reported as a failure, never an exception; the unchanged trail verifies."""
    assert import_trail(io.BytesIO(trail_bytes)).ok
    position = data.draw(st.integers(0, len(trail_bytes) - 1))
    how = data.draw(st.sampled_from(["replace", "remove", "insert", "cut"]))
    byte = data.draw(st.integers(0, 255))
    if how == "replace":
        changed = trail_bytes[:position] + bytes([byte]) + trail_bytes[position + 1 :]
    elif how == "remove":
        changed = trail_bytes[:position] + trail_bytes[position + 1 :]
    elif how == "insert":
        changed = trail_bytes[:position] + bytes([byte]) + trail_bytes[position:]
    else:
        changed = trail_bytes[:position]
    result = import_trail(io.BytesIO(changed))
    if changed != trail_bytes and not _only_a_whole_line_cut(trail_bytes, changed):
        assert not result.ok


def _only_a_whole_line_cut(original: bytes, changed: bytes) -> bool:
    """A trail cut after a whole entry verifies on its own (only a published head shows the
    cut: tests/cases/test_trail.py); so do changes to the last line's end-of-line byte."""
    whole_lines = not changed or changed.endswith(b"\n") or original[len(changed) :] == b"\n"
    return original.startswith(changed) and whole_lines


@fuzz_settings
@given(
    st.lists(
        st.recursive(
            st.none() | st.integers() | st.text(max_size=8) | st.floats(),
            lambda i: st.lists(i, max_size=3) | st.dictionaries(st.text(max_size=6), i, max_size=5),
            max_leaves=10,
        ),
        max_size=5,
    )
)
def test_verify_never_raises_on_arbitrary_entries(entries):
    """Invariant: any sequence of JSON values as trail entries verifies or fails, no exception."""
    result = verify(e for e in entries)  # type: ignore[misc]
    assert result.ok in (True, False)


def test_every_kept_regression_input_is_handled(rb):
    """Every input kept in ``regressions/`` (events that once aborted a replay) is now a
    rejected event with its reason, and the replay goes on."""
    files = sorted(REGRESSIONS.glob("*.jsonl"))
    assert files
    for file in files:
        monitor = Monitor(rb)
        summary = monitor.replay_file(file)
        reasons = [r["reason"] for r in monitor.rejected()]
        assert summary.events == summary.accepted + summary.rejected + summary.duplicates
        assert reasons, file
        assert verify(monitor.store.trail()).ok
