"""The fast YAML reader's prescans decide exactly as the single regular expressions they
replaced (kept here as the reference, as they were before the scans were made fast).

Invariants, on any text (Chinese, fullwidth punctuation, control characters, U+2028, the byte
order mark, lone surrogates, ``\\r``):
- :func:`yaml_ryml.doubt` gives the reason the reference prescan gives, or ``None`` when it does;
- :data:`yaml_ryml._DOUBTFUL_STRING` matches where the reference expression matches, in any text
  (rapidyaml's JSON or not).
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from fyrules.engine.load import yaml_ryml
from fyrules.engine.load import yaml_schema as schema

# --- the reference: the prescans as one regular expression each ---------------------------------

_INDICATOR = re.compile(r"[&*!?%@`|>]")
_SPECIAL = re.compile(
    "[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    r"|\r(?!\n)"
)
_SAFE_NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
_DOUBTFUL_STRING = re.compile(
    r'"(?<![^\[{,\s]")'
    r"(?:(?:~|Null|NULL|True|TRUE|False|FALSE"
    rf'|(?!{_SAFE_NUMBER}")(?:{schema.INT_PATTERN}|{schema.FLOAT_PATTERN}))"'
    rf'|(?:null|true|false|{_SAFE_NUMBER}|)": '
    r"""|[,\[\]{}#&*!|>'%@`]|\\"|[-?:](?:[ "]|\\[nt]))"""
)


def reference_doubt(text: str) -> str | None:
    if "<<" in text:
        return "merge key"
    if _SPECIAL.search(text):
        return "special character"
    if "\\" in text and yaml_ryml._RARE_ESCAPE.search(text):
        return "escape or backslash"
    if yaml_ryml._BLANK_BEFORE_CLOSE.search(text):
        return "blank line in brackets"
    for n, match in enumerate(_INDICATOR.finditer(text)):
        at = match.start()
        if n == yaml_ryml._MAX_INDICATORS:
            return "too many indicators"
        before = text[text.rfind("\n", 0, at) + 1 : at]
        if not yaml_ryml._at_node_start(before):
            continue
        if (
            match.group() in "|>"
            and yaml_ryml._BLOCK_HEADER.match(text, at)
            and text.endswith("\n")
        ):
            continue
        return f"indicator {match.group()}"
    return None


# --- generated texts ------------------------------------------------------------------------------

# Every character class the prescans tell apart, and the neighbours of each class's edges.
EDGES = [
    *"\x00\x08\t\n\x0b\x0c\r\x0e\x1f \x7e\x7f\x80\x85\x9f\xa0\xb7\xc2\xe9",
    *"\u2027\u2028\u2029\u202a\u3000\ud7ff\ud800\udbff\udc00\udfff\ue000",
    *"\ufefe\ufeff\uff00\uff0c\uff1a\ufffd\ufffe\uffff\U00010000\U0001f600\U0010ffff",
]
YAML = [*"&*!?%@`|>#<-:[]{},'\"\\~. 0123456789abefnortuxNTF", "<<", "\r\n", "\n  ", "\n\n", ": "]
CHINESE = ["中", "文", "审", "批", "，", "。", "：", "（", "）", "《", "》", "、", "“", "”", "—"]

characters = st.sampled_from([*EDGES, *YAML, *CHINESE])
texts = st.one_of(
    st.lists(characters, max_size=60).map("".join),
    st.text(st.characters(codec=None, categories=None), max_size=40),  # surrogates included
)


@given(texts)
@example("a: b\ud800\n")
@example("<<: x\ud800")
@example("a: \u3000b\r\n")
@example("\ufeffa: 1\n")
@example("a: 批\x85准\n")
@example("a: b\rc")
@example("a:\tb\n")
@example("a: b\x00\n")
@example("a: [x,\n\n ]\n")
@example("a: {k: x\n\n  }\n")
@example("a: `b\n")
@example("- &x 1\n")
@example("a: |\n  x\n")
@example("a: x\n  > y")
def test_the_prescan_declines_exactly_as_the_reference(text):
    """``doubt`` equals the one-expression reference on any text, surrogates included."""
    assert yaml_ryml.doubt(text) == reference_doubt(text)


def span(match: re.Match[str] | None) -> tuple[int, int] | None:
    return None if match is None else match.span()


json_pieces = st.sampled_from(
    [
        '"',
        '\\"',
        '": ',
        ", ",
        ",",
        "[",
        "]",
        "{",
        "}",
        "\n  ",
        "\u3000",
        "\xa0",
        "\u2028",
        "\x85",
        *"~NTFntf0123456789+-.eExoabcdilrsu,#&*!|>'%@`\\?: 中，",
        "null",
        "true",
        "false",
        "Null",
        "TRUE",
        ".inf",
        "0x1F",
        "0o17",
        "0123",
        "1e3",
    ]
)


SCALARS = [
    *["~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", ""],
    *["0", "-0", "+1", "0123", "0o17", "0x1F", "1.5", "-1.5", "1.", ".5", "1e3", "0e0"],
    *[".inf", "-.Inf", "+.INF", ".nan", ".NaN", "- a", "-\\n", "? x", ": y", '\\"q'],
    *[",a", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "%", "@", "`", "中文"],
]
scalars = st.sampled_from(SCALARS)


PREFIXES = ["{", "[", ",", ", ", "\n  ", "\u3000", "\xa0", "a", ""]
SUFFIXES = ["", ": ", ",", "]", "}", " "]


def test_the_doubtful_string_scan_matches_the_reference_on_every_scalar_shape():
    """Every tricky scalar, as a key or a string, after and before every JSON neighbour."""
    for scalar in SCALARS:
        for before in PREFIXES:
            for after in SUFFIXES:
                text = f'{before}"{scalar}"{after}'
                new, old = yaml_ryml._DOUBTFUL_STRING.search(text), _DOUBTFUL_STRING.search(text)
                assert span(new) == span(old), text


@st.composite
def json_like(draw: st.DrawFn) -> str:
    """rapidyaml's JSON shapes: keys and strings after ``{``, ``[``, ``,``, spaces."""
    out = []
    for _ in range(draw(st.integers(1, 6))):
        out.append(draw(st.sampled_from(PREFIXES)))
        content = draw(st.one_of(scalars, st.lists(json_pieces, max_size=4).map("".join)))
        out.append(f'"{content}"' + draw(st.sampled_from(SUFFIXES)))
    return "".join(out)


@given(st.one_of(json_like(), st.lists(json_pieces, max_size=40).map("".join), texts))
@example('{"a": "x", "b": "0x1F"}')
@example('["\u3000", ", "]')
@example('{"": 1}')
@example('{"a": "\\"q"}')
def test_the_doubtful_string_scan_matches_exactly_as_the_reference(text):
    """The guarded expression matches where, and only where, the reference matches."""
    assert span(yaml_ryml._DOUBTFUL_STRING.search(text)) == span(_DOUBTFUL_STRING.search(text))


def test_the_prescan_declines_the_shipped_rule_files_as_the_reference():
    """Every YAML file in the repository's examples and package gets the reference's answer."""
    root = Path(__file__).resolve().parents[2]
    paths = sorted([*(root / "examples").rglob("*.yaml"), *(root / "fyrules").rglob("*.yaml")])
    assert len(paths) > 50
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert yaml_ryml.doubt(text) == reference_doubt(text), path
