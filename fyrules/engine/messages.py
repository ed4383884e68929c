"""What policy staff read when a value in a rule file is wrong: pydantic's errors in our words.

Pydantic says "Input should be a valid integer, unable to parse string as an integer". A policy
officer needs "statutory_days 应为整数（工作日数），如 20；“二十” 请写成 20". This module turns
every error type pydantic can raise (:data:`VALIDATION_MESSAGES` has one entry per member of
``pydantic_core``'s ``ErrorType``; a test keeps it so) into a Chinese and an English message
that name the field's path, the value written, and the values or the format allowed, with a
hint for the usual slips: Chinese numerals, Chinese words for the allowed values, dates with dots.

YAML and expression syntax errors are translated in :mod:`.yaml_messages` and
:mod:`.expr.syntax_messages`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .suggest import closest

KeyPath = Sequence[str | int]


def field_path(keys: KeyPath) -> str:
    """``("rules", 0, "severity")`` → ``rules[0].severity``; the empty path → ``(文档)``."""
    out = ""
    for part in keys:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def show_value(value: Any) -> str:
    """A value as the rule file would spell it (YAML, not Python): ``“二十”``, ``true``, ``[a, b]``."""
    if value is None:
        return "空值 null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "…"
        return f"“{text}”"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        keys = ", ".join(str(k) for k in list(value)[:4])
        return "{" + keys + (", …" if len(value) > 4 else "") + ": …}"
    if isinstance(value, list | tuple):
        inner = ", ".join(_plain(v) for v in value[:4])
        return "[" + inner + (", …" if len(value) > 4 else "") + "]"
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, str):
        return value if len(value) <= 20 else value[:17] + "…"
    if isinstance(value, Mapping | list | tuple) or value is None or isinstance(value, bool):
        return show_value(value).removeprefix("空值 ")
    return str(value)


def allowed_values(expected: str) -> list[str]:
    """pydantic's ``"'error', 'warning' or 'info'"`` → ``["error", "warning", "info"]``."""
    return [m.group(1) or m.group(2) for m in re.finditer(r"'([^']*)'|(\b[\w.-]+\b)", expected)
            if (m.group(1) or m.group(2)) != "or"]  # fmt: skip


def join_values(values: Sequence[str], zh: bool) -> str:
    if zh:
        return "、".join(values)
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " or " + values[-1]


# Chinese words policy staff write for an allowed English value.
CHINESE_VALUES: dict[str, str] = {
    "错误": "error", "严重": "error", "警告": "warning", "提醒": "warning", "提示": "info",
    "信息": "info", "即办件": "immediate", "即办": "immediate", "承诺件": "commitment",
    "承诺": "commitment", "联办件": "joint", "联办": "joint", "上报件": "report_up",
    "上报": "report_up", "不可": "none", "无": "none", "不能": "none", "网上申请": "apply",
    "全程网办": "full", "窗口": "window", "科室负责人": "chief", "分管领导": "leader",
    "是": "true", "否": "false", "对": "true", "错": "false", "事项": "item", "案件": "case",
    "事件": "event", "月度": "month", "任职": "assignment",
}  # fmt: skip

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """``二十`` → 20, ``一百零五`` → 105, ``二〇二六`` → 2026; ``None`` when ``text`` is not one."""
    text = text.strip()
    if not text or any(c not in _CN_DIGITS and c not in _CN_UNITS for c in text):
        return None
    if not any(c in _CN_UNITS for c in text):  # digit by digit, as years are written
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[c]
            digit = None
    return total + (digit or 0)


def _number_hint(value: Any, as_int: bool) -> tuple[str, str]:
    if not isinstance(value, str):
        return "", ""
    n = chinese_number(value)
    if n is not None:
        return f"；“{value}” 请写成阿拉伯数字 {n}", f"; write '{value}' as the digits {n}"
    if "，" in value or "、" in value:
        return (
            "；列表中的各项要用半角逗号 “,” 分隔，写成 [a, b]",
            "; separate the entries of a list with the ASCII comma ',' as in [a, b]",
        )
    letters = value.translate(str.maketrans("OoIl", "0011"))
    if letters != value and re.fullmatch(r"\s*\d+\s*", letters):
        return (
            f"；“{value}” 中有字母，应为 {letters.strip()}",
            f"; '{value}' holds letters: write {letters.strip()}",
        )
    digits = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([^\d\sA-Za-z.,][^\dA-Za-z]*)", value)
    if digits:
        return (
            f"；只写数字 {digits.group(1)}，不要带单位或文字",
            f"; write the number {digits.group(1)} alone, without a unit or words",
        )
    if "," in value:
        return "；数字中不要写逗号", "; write the number without commas"
    if as_int and re.fullmatch(r"\s*\d+\.\d+\s*", value):
        return "；这里只能写整数", "; only a whole number fits here"
    return "", ""


def _date_hint(value: Any) -> tuple[str, str]:
    if isinstance(value, str):
        m = re.fullmatch(
            r"\s*(\d{4})\s*[./年\-—－]\s*(\d{1,2})\s*[./月\-—－]\s*(\d{1,2})\s*日?\s*", value
        )
        if m:
            fixed = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            try:
                dt.date.fromisoformat(fixed)
            except ValueError:
                return "；这一天不存在", "; that day does not exist"
            return f"；“{value}” 请写成 {fixed}", f"; write '{value}' as {fixed}"
    return "", ""


def _time_hint(value: Any) -> tuple[str, str]:
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,2})\s*(?:[:：.点时])\s*(\d{1,2})?\s*分?\s*", value)
        if m:
            fixed = f"{int(m.group(1)):02d}:{int(m.group(2) or 0):02d}"
            return f"；“{value}” 请写成 {fixed}", f"; write '{value}' as {fixed}"
    return "", ""


def _literal_hint(value: Any, allowed: Sequence[str]) -> tuple[str, str]:
    if isinstance(value, str):
        word = CHINESE_VALUES.get(value.strip())
        if word in allowed:
            return f"；“{value}” 请写成 {word}", f"; write '{value}' as {word}"
        best = closest(value, allowed)
        if best is not None:
            return f"（是否应为 “{best}”？）", f" (did you mean '{best}'?)"
    if isinstance(value, bool) and str(value).lower() not in allowed:
        return (
            "；YAML 把不加引号的 yes/no/true/false 读作是非值",
            "; YAML reads unquoted yes/no/true/false as a yes-or-no value",
        )
    return "", ""


# The expected kind of value, in both languages, by the error type's stem.
_KINDS: dict[str, tuple[str, str]] = {
    "int": ("整数，如 20", "a whole number, e.g. 20"),
    "float": ("数，如 0.6", "a number, e.g. 0.6"),
    "decimal": ("数，如 0.6", "a number, e.g. 0.6"),
    "fraction": ("数，如 0.6", "a number, e.g. 0.6"),
    "complex": ("数，如 0.6", "a number, e.g. 0.6"),
    "bool": (" true 或 false", "true or false"),
    "string": ("文字", "text"),
    "bytes": ("文字", "text"),
    "date": ("日期，写成 YYYY-MM-DD，如 2026-01-01", "a date written YYYY-MM-DD, e.g. 2026-01-01"),
    "datetime": (
        "日期时间，写成 YYYY-MM-DDTHH:MM+08:00，如 2025-10-09T09:30+08:00",
        "a date and time written YYYY-MM-DDTHH:MM+08:00, e.g. 2025-10-09T09:30+08:00",
    ),
    "time": ("时刻，写成 HH:MM，如 09:00", "a time of day written HH:MM, e.g. 09:00"),
    "time_delta": ("时长", "a duration"),
    "list": ("列表（每行以 “- ” 开头，或写成 [a, b]）", "a list (lines starting '- ', or [a, b])"),
    "tuple": ("列表（每行以 “- ” 开头，或写成 [a, b]）", "a list (lines starting '- ', or [a, b])"),
    "set": ("列表（每行以 “- ” 开头，或写成 [a, b]）", "a list (lines starting '- ', or [a, b])"),
    "frozen_set": (
        "列表（每行以 “- ” 开头，或写成 [a, b]）",
        "a list (lines starting '- ', or [a, b])",
    ),
    "deque": ("列表（每行以 “- ” 开头，或写成 [a, b]）", "a list (lines starting '- ', or [a, b])"),
    "iterable": (
        "列表（每行以 “- ” 开头，或写成 [a, b]）",
        "a list (lines starting '- ', or [a, b])",
    ),
    "dict": (
        "映射（缩进的 “键: 值” 各行，或写成 {键: 值}）",
        "a mapping (indented 'key: value' lines)",
    ),
    "model": (
        "映射（缩进的 “键: 值” 各行，或写成 {键: 值}）",
        "a mapping (indented 'key: value' lines)",
    ),
    "mapping": (
        "映射（缩进的 “键: 值” 各行，或写成 {键: 值}）",
        "a mapping (indented 'key: value' lines)",
    ),
    "url": ("网址，如 https://www.gov.cn/", "a web address, e.g. https://www.gov.cn/"),
    "uuid": ("UUID", "a UUID"),
}


def _kind(kind: str) -> tuple[str, str]:
    for stem in sorted(_KINDS, key=len, reverse=True):
        if kind.startswith(stem + "_") or kind == stem:
            return _KINDS[stem]
    return "合适的值", "a value of the right kind"


def _wrong_kind(path: str, value: Any, kind: str) -> tuple[str, str]:
    zh, en = _kind(kind)
    extra_zh, extra_en = "", ""
    if kind.startswith(("int", "float", "decimal")):
        extra_zh, extra_en = _number_hint(value, kind.startswith("int"))
    elif kind.startswith("date"):
        extra_zh, extra_en = _date_hint(value)
    elif kind.startswith("time"):
        extra_zh, extra_en = _time_hint(value)
    elif kind.startswith("bool") and isinstance(value, str) and value.strip() in CHINESE_VALUES:
        word = CHINESE_VALUES[value.strip()]
        extra_zh, extra_en = f"；“{value}” 请写成 {word}", f"; write '{value}' as {word}"
    elif kind.startswith(("dict", "model", "mapping")) and isinstance(value, str) and "：" in value:
        extra_zh, extra_en = (
            "；键后面用了全角冒号 “：”，请使用半角冒号 “:”，冒号后加一个空格",
            "; a full-width colon '：' after a key: use the ASCII colon ':' and a space",
        )
    elif (
        kind.startswith("string") and isinstance(value, int | float) and not isinstance(value, bool)
    ):
        extra_zh, extra_en = (
            f'；纯数字的文字（如电话号码）要加引号："{value}"',
            f'; text made of digits (a telephone number) needs quotes: "{value}"',
        )
    return (
        f"{path} 应为{zh}，现为 {show_value(value)}{extra_zh}",
        f"{path} must be {en}, not {show_value(value)}{extra_en}",
    )


def _bound(path: str, value: Any, op_zh: str, op_en: str, limit: Any) -> tuple[str, str]:
    return (
        f"{path} 应{op_zh} {limit}，现为 {show_value(value)}",
        f"{path} must be {op_en} {limit}, not {show_value(value)}",
    )


def _items(n: Any) -> str:
    return f"{n} 项" if n is not None else "规定的项数"


def validation_message(err: Mapping[str, Any], path: str) -> tuple[str, str]:
    """Chinese and English messages for one pydantic error (``missing`` and ``extra_forbidden``
    included) at the field ``path``; never pydantic's own words."""
    kind = str(err.get("type", ""))
    value = err.get("input")
    ctx = err.get("ctx") or {}
    build = VALIDATION_MESSAGES.get(kind, _generic)
    zh, en = build(path, value, ctx, kind)
    return zh, en.replace("空值 null", "null").replace("“", "'").replace("”", "'")


def _generic(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    return (
        f"{path} 的值 {show_value(value)} 不合法，请对照 docs/rule-files.md 中该键的写法",
        f"{path}: {show_value(value)} is not a valid value; see this key in docs/rule-files.md",
    )


def _missing(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    return f"缺少必填的键 {path}", f"the required key {path} is missing"


def _extra(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    return f"未知的键 {path}", f"unknown key {path}"


def _literal(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    allowed = allowed_values(str(ctx.get("expected", "")))
    hint_zh, hint_en = _literal_hint(value, allowed)
    return (
        f"{path} 只能是 {join_values(allowed, True)} 之一，现为 {show_value(value)}{hint_zh}",
        f"{path} must be one of {join_values(allowed, False)}, not {show_value(value)}{hint_en}",
    )


def _value_error(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    # Our own validators raise ValueError("中文 / English"); pydantic prefixes "Value error, ".
    error = ctx.get("error")
    text = str(error) if error is not None else ""
    zh, sep, en = text.partition(" / ")
    if not sep:
        return _generic(path, value, ctx, kind)
    return f"{path}：{zh}", f"{path}: {en}"


def _too_short(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    n = ctx.get("min_length")
    if kind.startswith("string") and n == 1:
        if path.split(".")[-1] in ("basis", "legal_basis", "statutory_basis"):
            return (
                f"{path} 不能为空：请写明法律或政策依据，写到条款",
                f"{path} must not be empty: cite the legal or policy basis, down to the article",
            )
        return f"{path} 不能为空", f"{path} must not be empty"
    unit_zh, unit_en = ("个字", "characters") if kind.startswith("string") else ("项", "entries")
    return (
        f"{path} 至少要有 {n} {unit_zh}，现为 {show_value(value)}",
        f"{path} needs at least {n} {unit_en}, not {show_value(value)}",
    )


def _too_long(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    n = ctx.get("max_length")
    unit_zh, unit_en = ("个字", "characters") if kind.startswith("string") else ("项", "entries")
    return f"{path} 最多 {n} {unit_zh}", f"{path} allows at most {n} {unit_en}"


def _pattern(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    pattern = str(ctx.get("pattern", ""))
    if "A-Z" in pattern or "a-z" in pattern:
        return (
            f"{path} 的编号 {show_value(value)} 只能由字母、数字、“-”、“_” 和 “.” 组成，不能有空格或汉字",
            f"{path}: the id {show_value(value)} may hold only letters, digits, '-', '_' and '.', "
            "no spaces or Chinese characters",
        )
    return (
        f"{path} 的值 {show_value(value)} 不符合规定的格式 {pattern}",
        f"{path}: {show_value(value)} does not have the required form {pattern}",
    )


def _wrong(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    return _wrong_kind(path, value, kind)


def _fixed(zh: str, en: str) -> Any:
    def build(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
        fields = _Blank({k: v for k, v in ctx.items()})
        return f"{path}：{zh.format_map(fields)}", f"{path}: {en.format_map(fields)}"

    return build


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def _gt(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    return _bound(path, value, "大于", "greater than", ctx.get("gt"))


def _ge(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    return _bound(path, value, "大于或等于", "at least", ctx.get("ge"))


def _lt(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    return _bound(path, value, "小于", "less than", ctx.get("lt"))


def _le(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    return _bound(path, value, "小于或等于", "at most", ctx.get("le"))


def _multiple(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    return _bound(path, value, "是下面这个数的倍数：", "a multiple of", ctx.get("multiple_of"))


def _union_tag(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    allowed = allowed_values(str(ctx.get("expected_tags", "")))
    tag = ctx.get("tag") or ctx.get("discriminator", "")
    return (
        f"{path} 的 {tag} 只能是 {join_values(allowed, True)} 之一",
        f"{path}: {tag} must be one of {join_values(allowed, False)}",
    )


def _date_bound(path: str, value: Any, ctx: Mapping[str, Any], kind: str) -> tuple[str, str]:
    past = kind.endswith("past")
    return (
        f"{path} 应为{'今天以前' if past else '今天以后'}的日期，现为 {show_value(value)}",
        f"{path} must be a date in the {'past' if past else 'future'}, not {show_value(value)}",
    )


_TYPE_KINDS = [
    "model_type",
    "model_attributes_type",
    "dataclass_type",
    "dataclass_exact_type",
    "named_tuple_type",
    "dict_type",
    "frozen_dict_type",
    "ordered_dict_type",
    "counter_type",
    "mapping_type",
    "list_type",
    "deque_type",
    "tuple_type",
    "set_type",
    "frozen_set_type",
    "iterable_type",
    "string_type",
    "string_unicode",
    "string_not_ascii",
    "bool_type",
    "bool_parsing",
    "int_type",
    "int_parsing",
    "int_parsing_size",
    "int_from_float",
    "float_type",
    "float_parsing",
    "bytes_type",
    "bytes_invalid_encoding",
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "time_type",
    "time_parsing",
    "datetime_type",
    "datetime_parsing",
    "datetime_object_invalid",
    "datetime_from_date_parsing",
    "time_delta_type",
    "time_delta_parsing",
    "url_type",
    "url_parsing",
    "url_syntax_violation",
    "url_too_long",
    "uuid_type",
    "uuid_parsing",
    "uuid_version",
    "decimal_type",
    "decimal_parsing",
    "fraction_type",
    "fraction_parsing",
    "complex_type",
    "complex_str_parsing",
    "json_type",
    "finite_number",
]

VALIDATION_MESSAGES: dict[str, Any] = {kind: _wrong for kind in _TYPE_KINDS}
VALIDATION_MESSAGES.update(
    {
        "missing": _missing,
        "extra_forbidden": _extra,
        "literal_error": _literal,
        "enum": _literal,
        "value_error": _value_error,
        "assertion_error": _value_error,
        "string_too_short": _too_short,
        "too_short": _too_short,
        "bytes_too_short": _too_short,
        "string_too_long": _too_long,
        "too_long": _too_long,
        "bytes_too_long": _too_long,
        "string_pattern_mismatch": _pattern,
        "greater_than": _gt,
        "greater_than_equal": _ge,
        "less_than": _lt,
        "less_than_equal": _le,
        "multiple_of": _multiple,
        "union_tag_invalid": _union_tag,
        "union_tag_not_found": _fixed(
            "缺少用来区分写法的键 {discriminator}",
            "the key {discriminator} that says which form this is, is missing",
        ),
        "date_past": _date_bound,
        "date_future": _date_bound,
        "datetime_past": _date_bound,
        "datetime_future": _date_bound,
        "timezone_naive": _fixed("时间不要写时区", "write the time without a time zone"),
        "timezone_aware": _fixed(
            "时间要写时区，如 +08:00", "write the time with its zone, e.g. +08:00"
        ),
        "timezone_offset": _fixed(
            "时区应为 {tz_expected} 秒的偏移", "the zone offset must be {tz_expected} seconds"
        ),
        "decimal_max_digits": _fixed("数字最多 {max_digits} 位", "at most {max_digits} digits"),
        "decimal_max_places": _fixed(
            "小数最多 {decimal_places} 位", "at most {decimal_places} decimal places"
        ),
        "decimal_whole_digits": _fixed(
            "整数部分最多 {whole_digits} 位", "at most {whole_digits} digits before the point"
        ),
        "url_scheme": _fixed(
            "网址应以 {expected_schemes} 开头", "the address must start with {expected_schemes}"
        ),
        "none_required": _fixed("这里不能写值，请删去", "no value belongs here: remove it"),
        "frozen_field": _fixed("这个键不能修改", "this key cannot be changed"),
        "frozen_instance": _fixed("这个值不能修改", "this value cannot be changed"),
        "invalid_key": _fixed("键必须是文字", "keys must be text"),
        "set_item_not_hashable": _fixed(
            "列表中的值不能是映射或列表", "the list's values cannot be mappings or lists"
        ),
        "recursion_loop": _fixed("值引用了它自己", "the value refers to itself"),
        "recursion_depth_exceeded": _fixed("嵌套过深", "nested too deeply"),
        "json_invalid": _fixed("不是合法的 JSON：{error}", "not valid JSON: {error}"),
        "needs_python_object": _fixed(
            "这里的值无法从规则文件读取", "this value cannot come from a rule file"
        ),
        "no_such_attribute": _fixed("没有这个属性", "there is no such attribute"),
        "get_attribute_error": _fixed("值无法读取", "the value cannot be read"),
        "default_factory_not_called": _fixed("缺少默认值", "no default value"),
        "iteration_error": _fixed("列表无法读取", "the list cannot be read"),
        "missing_sentinel_error": _fixed("缺少值", "a value is missing"),
        "ellipsis_error": _fixed("不能写 ...", "'...' is not a value"),
        "is_instance_of": _fixed("值的种类不对", "a value of the wrong kind"),
        "is_subclass_of": _fixed("值的种类不对", "a value of the wrong kind"),
        "callable_type": _fixed("值的种类不对", "a value of the wrong kind"),
        "arguments_type": _fixed("参数的写法不对", "the arguments are written wrongly"),
        "missing_argument": _fixed("缺少参数", "an argument is missing"),
        "unexpected_keyword_argument": _fixed("多余的参数", "an unexpected argument"),
        "missing_keyword_only_argument": _fixed("缺少参数", "an argument is missing"),
        "unexpected_positional_argument": _fixed("多余的参数", "an unexpected argument"),
        "missing_positional_only_argument": _fixed("缺少参数", "an argument is missing"),
        "multiple_argument_values": _fixed("参数重复", "an argument is given twice"),
    }
)


def unknown_timezone(value: object) -> str:
    """The ``ValueError`` text (``中文 / English``) for a time zone name that does not exist."""
    from zoneinfo import available_timezones

    text = str(value)
    best = closest(text, sorted(available_timezones())) if isinstance(value, str) else None
    zh_hint = f"（是否应为 “{best}”？）" if best else ""
    en_hint = f" (did you mean '{best}'?)" if best else ""
    return (
        f"未知时区 “{text}”{zh_hint}：请写 IANA 时区名，中国为 Asia/Shanghai / "
        f"unknown time zone '{text}'{en_hint}: write an IANA zone name, Asia/Shanghai for China"
    )


def plain(value: Any, empty: str = "none") -> str:
    """A value for a report line, never a Python repr: a list as ``FY-A, FY-B`` (``empty`` when
    it has nothing), text as it is, a mapping as ``{key: value}``, ``None`` as ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        return ", ".join(plain(v) for v in items) if items else empty
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {plain(v)}" for k, v in value.items()) + "}"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
