"""The two YAML readers agree: the fast one (rapidyaml, when installed) and the careful one
(PyYAML, which keeps every position as it reads).

Invariants:
- any YAML text gives the same data (same types: ``1``, ``1.0`` and ``True`` differ) and the
  same problems at the same line and column through :func:`parse_yaml` (fast where it vouches,
  careful otherwise) as through :func:`parse_yaml_carefully`;
- positions found on demand equal the positions the careful reader keeps, node by node;
- both follow the YAML 1.2 core schema (``yes`` is text, ``~`` is empty, ``0x1F`` is 31).
"""

from __future__ import annotations

import math
import pickle
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fyrules.engine.load import yaml_ryml
from fyrules.engine.load.source import (
    Document,
    SourceMap,
    parse_yaml,
    parse_yaml_carefully,
    read_yaml,
)
from fyrules.engine.load.yaml_pyyaml import KEY_MARK

needs_ryml = pytest.mark.skipif(not yaml_ryml.available(), reason="rapidyaml is not installed")


def same(a: Any, b: Any) -> bool:
    """Equal data with equal types all the way down (NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def assert_same_reading(text: str) -> tuple[Document | None, Document | None]:
    fast, fast_problems = parse_yaml(text, "f.yaml")
    careful, careful_problems = parse_yaml_carefully(text, "f.yaml")
    assert fast_problems == careful_problems
    assert (fast is None) == (careful is None)
    if fast is not None and careful is not None:
        assert same(fast.data, careful.data), (fast.data, careful.data)
        assert_same_positions(fast.source, careful.source)
    return fast, careful


def assert_same_positions(found: SourceMap, kept: SourceMap) -> None:
    for keys in kept.positions:
        if keys and keys[-1] == KEY_MARK:
            assert found.key_location(keys[:-1]) == kept.key_location(keys[:-1]), keys
        else:
            assert found.locate(keys) == kept.locate(keys), keys
            assert found.locate((*keys, "no such key", 7)) == kept.locate(keys)


# --- generated documents ----------------------------------------------------------------------

TRICKY = [
    *[
        "20",
        "-0",
        "+1",
        "1e3",
        "1E3",
        ".5",
        "1.",
        "-.5",
        "+.5",
        ".5e3",
        "1.e3",
        "1_000",
        "0123",
        "007",
        "08",
        "00",
        "0e0",
        "0.0",
        "-1.5",
        "3.14159",
    ],
    *[
        "1.0e+20",
        "123456789012345678901234567890",
        "0x1F",
        "0x",
        "0o17",
        "0o8",
        "0b11",
        "1,000",
        "1:20",
        "12:30",
    ],
    *[
        ".inf",
        "-.inf",
        "+.inf",
        ".Inf",
        ".INF",
        ".nan",
        ".NaN",
        ".NAN",
        "inf",
        "nan",
        "-inf",
        "Infinity",
        "infinity",
        "info",
    ],
    *[
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "Y",
        "n",
        "NO",
        "null",
        "Null",
        "NULL",
        "~",
    ],
    *[
        "2025-01-01",
        "2025-02-30",
        "2025-10-09T09:30:00+08:00",
        "0558-1234",
        "0558",
        "=",
        "<<",
        "-",
        "--",
        "---",
    ],
    "",
    "2025-01-01 10:00:00",
    "申请书",
    "中文 文本",
    "承诺时限 {committed_days} 个工作日的 60%",
    "a: b",
    "a #b",
    "a#b",
    "- x",
    "x != y",
    "a * b",
    "#",
    "'",
    '"',
    "\\",
    "C:\\dir",
    "\t",
    "é",
    "\u00e9\u4e2d",
    "😀",
    " leading",
    "trailing ",
    "two\nlines",
    "\n",
    "para\n\nnext\n",
    "@x",
    "`x",
    "%x",
    "&a",
    "*a",
    "!x",
    "? x",
    "{a}",
    "[a]",
    ",",
    "x,y",
    "?",
    ":",
]

scalar_texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.sampled_from("ab 1.-_:#'\"中文\\é"), max_size=6),
)
key_texts = st.one_of(
    st.sampled_from(["code", "name", "zh", "en", "1", "true", "~", "", "a b", "yes", "中文", "x"]),
    st.from_regex(r"[a-z_]{1,6}", fullmatch=True),
)


def _double_quoted(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@st.composite
def scalars(draw: Any, block_ok: bool, indent: int) -> str:
    """A scalar written in one of YAML's styles (the text after ``key: `` or ``- ``)."""
    text = draw(scalar_texts)
    styles = ["plain", "double", "single"] + (["literal", "folded"] if block_ok else [])
    style = draw(st.sampled_from(styles))
    if style == "plain" and "\n" not in text:
        return text
    if style == "single" and "\n" not in text:
        return "'" + text.replace("'", "''") + "'"
    if style in ("literal", "folded"):
        chomp = draw(st.sampled_from(["", "-", "+"]))
        pad = " " * (indent + 2)
        body = "".join(pad + line + "\n" if line else "\n" for line in text.split("\n"))
        return ("|" if style == "literal" else ">") + chomp + "\n" + body.rstrip(" ")
    return _double_quoted(text)


@st.composite
def keys(draw: Any) -> str:
    text = draw(key_texts)
    style = draw(st.sampled_from(["plain", "plain", "double", "single"]))
    if style == "plain" and text:
        return text
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    return _double_quoted(text)


def flow(draw: Any, depth: int) -> str:
    kind = draw(
        st.sampled_from(["scalar", "scalar", "map", "seq"]) if depth < 4 else st.just("scalar")
    )
    if kind == "scalar":
        text = draw(scalars(False, 0))
        return text if text not in ("", "-") else '""'
    n = draw(st.integers(0, 3))
    sep = draw(st.sampled_from([", ", ",", " , ", ",\n  ", ",\n\n  "]))
    end = draw(st.sampled_from(["", "", "\n", "\n\n  "]))
    if kind == "map":
        items = (f"{draw(keys())}: {flow(draw, depth + 1)}" for _ in range(n))
        return "{" + sep.join(items) + end + "}"
    return "[" + sep.join(flow(draw, depth + 1) for _ in range(n)) + end + "]"


def block(draw: Any, indent: int, depth: int, kind: str) -> list[str]:
    """The lines of a block mapping or sequence at ``indent``."""
    pad = " " * indent
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        head = f"{pad}{draw(keys())}:" if kind == "map" else f"{pad}-"
        choice = draw(
            st.sampled_from(["scalar", "scalar", "empty", "flow", "map", "seq", "comment"])
        )
        if depth >= 4 and choice in ("map", "seq"):
            choice = "scalar"
        if choice == "scalar":
            lines.append(f"{head} {draw(scalars(True, indent))}".rstrip(" ").rstrip("\n"))
        elif choice == "empty":
            lines.append(head)
        elif choice == "flow":
            lines.append(f"{head} {flow(draw, 1)}")
        elif choice == "comment":
            lines.append(f"{head} {draw(scalars(False, indent))}  # 注释 note")
        else:
            compact = kind == "seq" and draw(st.booleans())  # "- key: value"
            if compact:
                inner = indent + 2
            elif kind == "map" and choice == "seq" and draw(st.booleans()):
                inner = indent  # an indentless sequence
            else:
                inner = indent + draw(st.sampled_from([2, 4]))
            sub = block(draw, inner, depth + 1, choice)
            if compact:
                lines.append(f"{head} {sub[0].lstrip(' ')}")
                lines.extend(sub[1:])
            else:
                lines.append(head)
                lines.extend(sub)
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", f"{pad}# 注释", "   "])))
    return lines


@st.composite
def documents(draw: Any) -> str:
    kind = draw(st.sampled_from(["map", "map", "map", "seq", "flow", "scalar"]))
    if kind in ("map", "seq"):
        lines = block(draw, 0, 0, kind)
    elif kind == "flow":
        lines = [flow(draw, 0)]
    else:
        lines = [draw(scalars(True, 0))]
    if draw(st.integers(0, 5)) == 0:
        lines.insert(0, draw(st.sampled_from(["---", "# 标题", "--- # doc", "%YAML 1.2\n---"])))
    newline = draw(st.sampled_from(["\n", "\n", "\n", "\r\n"]))
    return newline.join(lines) + newline


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
@example("a: ~\nb: 0x1F\nc: yes\nd: '20'\ne: 2025-01-01\n")
@example("k: 0e0\n")
def test_generated_documents_read_the_same_both_ways(text):
    assert_same_reading(text)


# --- hostile documents ------------------------------------------------------------------------

HOSTILE = [
    'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n',
    "a: &x 1\nb: *x\n",
    "base: &b {x: 1}\nderived:\n  <<: *b\n",
    "rules: !!python/object/apply:os.system ['echo hacked']\n",
    "a: !!int '12'\nb: !!str 12\nc: !!bool 'yes'\nd: !!timestamp 2025-01-01\n",
    "a: ! 12\n",
    "a: !custom x\n",
    "a: 1\na: 2\n",
    "a:\n  b: 1\n  b: 2\nc: 3\n",
    "{a: 1, a: 2}\n",
    "- {x: 1, y: 2, x: 3}\n",
    "1: a\n'1': b\n",
    "true: a\nTrue: b\n",
    "? [a, b]\n: c\n",
    "[a, b]: c\n",
    "a: b: c\n",
    "a:\n  - b\n  c: d\n",
    "a: [1, 2\n",
    'a: "unclosed\n',
    "a:\tb\n",
    "\ta: b\n",
    "a: b\n---\nc: d\n",
    "%YAML 1.1\n---\na: yes\n",
    "a: @b\n",
    "a: `b\n",
    "a: |\n b\n  c\nd\n",
    "- a\n- b\n c\n",
    "a: 'x\n",
    'a: "\\q"\n',
    'a: "\\ud83d\\ude00"\n',
    'a: "\\x41\\u00e9\\U0001F600\\N\\_\\L\\P\\e\\0"\n',
    "a: 1\r\nb: 2\r",
    "a: b\x85c\n",
    "a: b\u2028c\n",
    "a: \ufeffb\n",
    "\ufeffa: b\n",
    "a: " + "x" * 1100 + "\n",
    "x" * 1100 + ": 1\n",
    "a: 99999" + "9" * 5000 + "\n",
    "a: " + "[" * 65 + "]" * 65 + "\n",
    "a: " + "[" * 64 + "]" * 64 + "\n",
    "[" * 66 + "]" * 66,
    "[" * 65 + "]" * 65,
    "[" * 5000 + "]" * 5000,
    "".join("  " * i + "-\n" for i in range(80)),
    "".join("  " * i + f"k{i}:\n" for i in range(70)),
    "- " * 70 + "x\n",
    "",
    "# only a comment\n",
    "---\n",
    "...\n",
    "a: 1\n...\n",
    "~\n",
    "42\n",
    "- \n-\n- ~\n",
    "{a, b: , : c}\n",
    "[a: b, c]\n",
    "a: {x: 1}}\n",
    "a: [1]]\n",
    " {0\n  \n  }",
    "{a: 0\n\n}",
    "a: |\n  x\n  ]",
    "&a a: b\n",
    "a: *\n",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_documents_give_the_same_problems_both_ways(text):
    assert_same_reading(text)


yaml_characters = st.sampled_from([*"-:{}[],#&*!|>'\"%@`?~ \n\t\r\\\x00\x85", "\u2028", "é", "中"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.lists(st.tuples(st.floats(0, 1), st.text(yaml_characters, max_size=3))))
def test_mutated_documents_give_the_same_problems_both_ways(text, edits):
    """Characters YAML gives a meaning to, inserted anywhere: the same data or problems."""
    for at, junk in edits:
        cut = int(len(text) * at)
        text = text[:cut] + junk + text[cut:]
    if "\x00" not in text:
        assert_same_reading(text)


pieces = st.sampled_from([*"ab01 -:{}[],#&*!|>'\"%@`?~.\n", "\n  ", "\n- ", ": ", "- ", "\n\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=30).map("".join))
def test_small_texts_of_yaml_punctuation_read_the_same_both_ways(text):
    assert_same_reading(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=80))
def test_garbage_gives_the_same_problems_both_ways(raw):
    text = raw.decode("utf-8", "replace").replace("\x00", "")
    assert_same_reading(text)


# --- the YAML 1.2 core schema -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("20", 20),
        ("-0", 0),
        ("+1", 1),
        ("0123", 123),
        ("0o17", 15),
        ("0x1F", 31),
        ("1_000", "1_000"),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("1.", 1.0),
        (".inf", math.inf),
        ("-.inf", -math.inf),
        ("inf", "inf"),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("NO", "NO"),
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("~", None),
        ("", None),
        ("2025-01-01", "2025-01-01"),
        ("2025-01-01 10:00:00", "2025-01-01 10:00:00"),
        ("0558-1234", "0558-1234"),
        ("1:20", "1:20"),
        ('"20"', "20"),
        ("'true'", "true"),
        ('"~"', "~"),
        ('"0123"', "0123"),
        ('"\\t\\u00e9"', "\té"),
        ("中文", "中文"),
        ("|-\n  20", "20"),
        ("|\n  a\n  b\n", "a\nb\n"),
        ("|+\n  a\n", "a\n\n"),
        (">\n  a\n  b\n", "a b\n"),
        ("a\n  b", "a b"),
    ],
)
def test_scalars_mean_what_yaml_1_2_says(written, value):
    _, careful = assert_same_reading(f"k: {written}\n")
    assert careful is not None and same(careful.data, {"k": value})


def test_nan_is_a_number_and_crlf_and_bom_read_alike():
    _, careful = assert_same_reading("a: .nan\r\nb: x\r\n")
    assert careful is not None and math.isnan(careful.data["a"]) and careful.data["b"] == "x"
    assert_same_reading("\ufeffa: 1\n")


# --- when the fast reader declines --------------------------------------------------------------


@needs_ryml
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: &x 1\n", "indicator &"),
        ("a: *x\n", "indicator *"),
        ("a: !!str 1\n", "indicator !"),
        ("? a\n: b\n", "indicator ?"),
        ("%YAML 1.2\n---\na: 1\n", "indicator %"),
        ("a: @b\n", "indicator @"),
        ("<<: {a: 1}\n", "merge key"),
        ("a:\tb\n", "special character"),
        ("a: b\u2028\n", "special character"),
        ("a: 1\rb: 2\n", "special character"),
        ('a: "\\x41"\n', "escape or backslash"),
        ("a: C:\\dir\n", "escape or backslash"),
        ("a: |2\n   x\n", "indicator |"),
        ("a: {k: x\n\n  }\n", "blank line in brackets"),
    ],
)
def test_the_fast_reader_declines_what_it_cannot_vouch_for(text, reason):
    assert yaml_ryml.doubt(text) == reason
    assert yaml_ryml.read_data(text) is yaml_ryml.DECLINED


@needs_ryml
@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate keys: rapidyaml keeps both
        "1: a\n",  # a key the core schema reads as a number
        "'true': a\n",  # the same key quoted: declined too, to be safe
        "a: ~\n",
        "a: True\n",
        "a: 0x1F\n",
        "a: 0123\n",
        "a: 0e0\n",  # rapidyaml's JSON says "0e0", a string
        "a: inf\n",  # rapidyaml's JSON would say ".inf"
        "a: b\n---\nc: d\n",  # two documents
        "a: [1, 2\n",  # a syntax error: the careful reader says where
        "a: 'x'!\n",  # rapidyaml reads past what libyaml calls an error
        "x" * 1100 + ": 1\n",  # libyaml's limit on the length of a key
        "a: " + "[" * 70 + "]" * 70 + "\n",  # too deep
        "# nothing\n",
    ],
)
def test_the_fast_reader_declines_what_rapidyaml_would_read_differently(text):
    assert yaml_ryml.read_data(text) is yaml_ryml.DECLINED
    assert_same_reading(text)


@needs_ryml
@pytest.mark.parametrize(
    "text",
    [
        "a: 20\nb: '20'\nc: yes\nd: 2025-01-01\ne: x != y\nf: a * b\ng: 60%\n",
        "items:\n  - {code: B-00001, phone: 0558-1, copies: 1, ok: true, note: null}\n",
        "a: |\n  line\n  line\nb: >-\n  folded\n  text\n",
        'a: "tab\\there \\u00e9 \\"q\\" \\\\"\n',
        "a: 1\r\nb: [x, y]\r\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "- - a\n  - b\n- c\n",
    ],
)
def test_the_fast_reader_reads_ordinary_rule_files(text):
    assert yaml_ryml.read_data(text) is not yaml_ryml.DECLINED
    assert_same_reading(text)


def test_without_rapidyaml_the_careful_reader_reads_everything(monkeypatch):
    monkeypatch.setattr(yaml_ryml, "ryml", None)
    assert not yaml_ryml.available()
    document, problems = parse_yaml("a: 1\n", "f.yaml")
    assert problems == [] and document is not None
    assert document.source.positions == {(): (1, 1), ("a", KEY_MARK): (1, 1), ("a",): (1, 4)}


@needs_ryml
def test_rapidyaml_errors_are_not_printed(capfd):
    assert parse_yaml("a: [1, 2\n", "f.yaml")[0] is None
    assert parse_yaml("[" * 70 + "]" * 70, "f.yaml")[0] is None
    assert capfd.readouterr().err == ""


# --- positions on demand ----------------------------------------------------------------------


def test_positions_found_on_demand_survive_pickling_and_sub_views(tmp_path):
    (tmp_path / "a.yaml").write_text("a:\n  b: [1, 'x']\n  c: |\n    t\n", encoding="utf-8")
    document, _ = read_yaml(tmp_path / "a.yaml", "a.yaml")
    careful, _ = parse_yaml_carefully("a:\n  b: [1, 'x']\n  c: |\n    t\n", "a.yaml")
    assert document is not None and careful is not None
    copy = pickle.loads(pickle.dumps(document))
    assert_same_positions(copy.source, careful.source)
    assert_same_positions(document.source.sub(("a",)), careful.source.sub(("a",)))
    assert document.source.sub(("a",)).locate(("b", 1)).column == 11
    assert document.source.sub(("nowhere",)).locate(("x",)).line is None


def test_positions_found_on_demand_from_several_threads():
    text = "".join(f"- {{code: C-{i}, n: {i}}}\n" for i in range(300))
    document, _ = parse_yaml(text, "f.yaml")
    assert document is not None
    found: dict[int, Any] = {}

    def work(start: int) -> None:
        for i in range(start, 300, 4):
            found[i] = document.source.locate((i, "n"))

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(found[i].line == i + 1 for i in range(300))


def test_source_maps_cannot_be_changed_from_outside():
    document, _ = parse_yaml("a: 1\n", "f.yaml")
    assert document is not None
    with pytest.raises(TypeError):
        document.source.positions[("b",)] = (1, 1)  # type: ignore[index]
