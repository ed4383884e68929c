"""Canonical JSON: one value, one sequence of bytes (RFC 8785 without floats)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections import OrderedDict

import pytest

from fyrules.cases.canonical import (
    MAX_DEPTH,
    MAX_SAFE_INTEGER,
    CanonicalError,
    canonical_copy,
    canonical_json,
    canonical_value,
    decimal_text,
    event_record,
)
from fyrules.cases.events import parse_event


def test_keys_are_sorted_and_there_is_no_whitespace():
    assert canonical_json({"b": [1, True, None], "a": {"d": "x", "c": -7}}) == (
        b'{"a":{"c":-7,"d":"x"},"b":[1,true,null]}'
    )


def test_keys_sort_by_utf16_code_units_as_rfc_8785_orders_them():
    """RFC 8785 §3.2.3's example: an emoji (a surrogate pair) sorts before U+FB33."""
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    order = list(json.loads(canonical_json(value)))
    assert order == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_text_is_utf8_and_only_quotes_backslashes_and_controls_are_escaped():
    text = '中文 "q" \\ \n\t\b\f\r \x00\x1f \x7f \u2028 é 😀'
    assert canonical_json(text) == (
        '"中文 \\"q\\" \\\\ \\n\\t\\b\\f\\r \\u0000\\u001f \x7f \u2028 é 😀"'.encode()
    )


def test_the_same_value_in_another_key_order_gives_the_same_bytes():
    one = {"case": "FY-1", "data": {"z": 1, "a": [{"y": 2, "x": 1}]}}
    other = OrderedDict(
        [("data", OrderedDict([("a", [{"x": 1, "y": 2}]), ("z", 1)])), ("case", "FY-1")]
    )
    assert canonical_json(one) == canonical_json(other)


def test_tuples_are_arrays_and_subclasses_are_plain_values():
    class Code(str):
        pass

    class Count(int):
        pass

    assert canonical_json({Code("k"): (Code("v"), Count(3))}) == b'{"k":["v",3]}'


def test_the_copy_is_independent_of_the_value_and_matches_the_bytes():
    value = {"list": [1, {"b": 2, "a": 1}]}
    copy, encoded = canonical_copy(value)
    value["list"].append(3)
    assert copy == {"list": [1, {"a": 1, "b": 2}]}
    assert list(copy["list"][1]) == ["a", "b"]
    assert encoded == canonical_json(copy)


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        (1.5, "float"),
        (float("nan"), "float"),
        (float("inf"), "float"),
        (0.0, "float"),
        (decimal.Decimal("1.20"), "Decimal"),
        (dt.datetime(2025, 10, 9, 9, 30, tzinfo=dt.UTC), "ISO 8601"),
        (dt.date(2025, 10, 9), "ISO 8601"),
        (MAX_SAFE_INTEGER + 1, "2**53"),
        (-MAX_SAFE_INTEGER - 1, "2**53"),
        ({1: "one"}, "not a string"),
        ({("a",): 1}, "not a string"),
        ({"a"}, "not JSON"),
        (b"bytes", "not JSON"),
        ("\ud800", "surrogate"),
    ],
)
def test_values_without_a_canonical_form_are_refused_with_trail_value(value, needle):
    with pytest.raises(CanonicalError) as err:
        canonical_json(value)
    assert err.value.problem.code == "TRAIL-VALUE"
    assert needle in err.value.problem.message_en


def test_a_refusal_names_the_path_to_the_value():
    with pytest.raises(CanonicalError) as err:
        canonical_json({"record": {"data": {"scores": [1, 2, 2.5]}}})
    assert err.value.problem.message_en.startswith("record.data.scores[2]: floats are refused")
    with pytest.raises(CanonicalError) as err:
        canonical_json({"a": ["ok", {"b": "\udc80"}]})
    assert err.value.problem.message_en.startswith("a[1].b: a string holds an unpaired surrogate")


def test_the_largest_safe_integers_are_accepted():
    assert canonical_json([MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER]) == (
        b"[9007199254740991,-9007199254740991]"
    )


def test_nesting_is_bounded():
    deep: object = "x"
    for _ in range(MAX_DEPTH):
        deep = [deep]
    assert canonical_json(deep).count(b"[") == MAX_DEPTH
    with pytest.raises(CanonicalError, match="nested deeper"):
        canonical_json([deep])
    with pytest.raises(CanonicalError, match="nested deeper"):
        canonical_value({"k": deep})


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (4.5, "4.5"),
        (4.0, "4.0"),
        (0.1, "0.1"),
        (1e16, "10000000000000000"),
        (1e-7, "0.0000001"),
        (-2.5, "-2.5"),
        (decimal.Decimal("1.20"), "1.20"),
        (7, "7"),
    ],
)
def test_decimal_text_writes_plain_decimals(number, text):
    assert decimal_text(number) == text


@pytest.mark.parametrize("number", [float("nan"), float("-inf"), decimal.Decimal("NaN"), True, "1"])
def test_decimal_text_refuses_what_is_not_a_finite_number(number):
    with pytest.raises(CanonicalError):
        decimal_text(number)


GOOD = {
    "id": "e-000981",
    "case": "FY-2025-000123",
    "item": "FY-SC-001",
    "event": "accept",
    "at": "2025-10-09T09:30:00+08:00",
    "actor": "u1023",
    "dept": "SC",
    "window": "W12",
    "data": {},
}


def test_an_event_record_has_every_field_and_its_time_with_its_offset():
    record = event_record(parse_event(dict(GOOD)))
    assert record == GOOD
    assert canonical_json(record).startswith(b'{"actor":"u1023","at":"2025-10-09T09:30:00+08:00"')


def test_an_event_record_keeps_absent_fields_as_null_and_utc_as_plus_zero():
    event = parse_event({"case": "C", "item": "I", "event": "submit", "at": "2025-10-09T01:30:00Z"})
    record = event_record(event)
    assert record["at"] == "2025-10-09T01:30:00+00:00"
    assert record["id"] is None and record["actor"] is None and record["data"] == {}


def test_an_event_record_writes_floats_in_data_as_decimal_text():
    event = parse_event({**GOOD, "event": "rate", "data": {"score": 4.5, "parts": [1.0, 2]}})
    assert event_record(event)["data"] == {"score": "4.5", "parts": ["1.0", 2]}


def test_an_event_whose_data_has_no_json_form_is_refused():
    event = parse_event(
        '{"case":"C","item":"I","event":"rate","at":"2025-10-09T09:30:00+08:00","data":{"score":NaN}}'
    )
    with pytest.raises(CanonicalError) as err:
        event_record(event)
    assert err.value.problem.code == "TRAIL-VALUE"
