"""The cell grammar of item lists: how the text of one cell becomes the value of a field.

Each column of :data:`~fyrules.items.importer.columns.COLUMNS` names a *kind*; :func:`read_cell`
reads a cell of that kind or raises :class:`CellError` with what is wrong in Chinese and
English. A blank cell (empty, ``-``, ``/``, ``无``, ``不涉及`` …) gives ``None``: the field
keeps its default. ``docs/import-catalog.md`` documents the grammar with examples:

- lists: entries separated by ``;`` ``；`` or line breaks (codes and windows also by ``,``
  ``，`` ``、``; procedure steps also by ``→``); a leading ``1.`` ``（1）`` ``①`` is dropped;
- materials: ``申请书(原件,2份);营业执照(复印件,如有)``;
- special procedures: ``专家评审:15`` or ``expert_review:15:不计入``;
- references to departments and windows: ``SC`` or ``市市场监督管理局（SC）``;
- yes/no: 是/否, Y/N, yes/no, true/false, 1/0, √/×, 有/无.

Case types and special procedures are known by the codes and names the national baseline
defines (即办件 → ``immediate``, 专家评审 → ``expert_review``); another code (a local one
such as ``JB``) is kept as written and ``fyrules check`` sees whether the rulebook defines it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from ...engine.load.model import ID_PATTERN
from ...engine.suggest import closest, hint
from ...engine.tables.cells import CellError  # one class for a cell that cannot be read

BLANK = frozenset({"", "-", "--", "—", "——", "/", "\\", "无", "暂无", "不涉及", "none", "n/a"})
YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "有", "收费"})
NO = frozenset({"否", "n", "no", "false", "0", "×", "✗", "无", "不收费", "免费"})
SAME_DAY = frozenset({"即办", "即办件", "当场", "当场办结", "当日", "当日办结", "即时办结"})
ONLINE = {
    "none": ("none", "否", "不可", "不支持", "线下", "线下办理", "no"),
    "apply": ("apply", "是", "可", "支持", "网上申请", "网上预审", "网上受理", "yes"),
    "full": ("full", "全程网办", "全程网上办理", "全流程网办", "全程"),
}
AUTHORIZATION = {
    "window": ("window", "窗口", "窗口审批", "窗口办结", "首席代表"),
    "chief": ("chief", "科室", "科室负责人", "科长"),
    "leader": ("leader", "领导", "分管领导", "局领导", "单位领导"),
}
CATEGORY = {
    "approval": ("approval", "行政审批", "审批", "行政许可", "许可"),
    "public_service": ("public_service", "公共服务", "服务"),
    "management": ("management", "其他管理事项", "管理", "备案", "行政备案"),
}
COUNTED = {
    True: ("计入", "计时", "counted", "是"),
    False: ("不计入", "不计时", "not_counted", "否"),
}
ORIGINAL = {True: ("原件",), False: ("复印件", "复印", "copy")}
REQUIRED = {
    True: ("必需", "必须", "必要", "必交", "必填"),
    False: ("非必需", "可选", "选交", "选填", "非必要", "如有"),
}
CHINESE_COUNTS = {
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}

_ID = re.compile(ID_PATTERN)
_ENUMERATION = re.compile(
    r"^\s*(?:[0-9]{1,3}\s*[.、)）:：](?![0-9])|[(（][0-9]{1,3}[)）]|[①-⑳])\s*"
)
_REFERENCE = re.compile(r"^(?P<name>.*?)\s*[(（]\s*(?P<id>[^()（）]+?)\s*[)）]$", re.S)
_TRAILING_GROUP = re.compile(r"^(?P<name>.*?)\s*[(（](?P<attrs>[^()（）]*)[)）]$", re.S)
_DAYS = re.compile(r"([0-9]{1,6})(?:\.0+)?(?:个)?(?:工作日|日)?")
_HOURS = re.compile(r"([0-9]{1,4}(?:\.[0-9]{1,4})?)(?:个)?(?:工作)?(?:小时|h)?")
_COPIES = re.compile(r"([0-9]{1,4}|[一两二三四五六七八九十])份")


@attrs.frozen(slots=True)
class Reference:
    """A department or window named in a cell: its id, and its name when the cell gives one."""

    id: str
    name: str | None = None


@attrs.frozen(slots=True)
class Terms:
    """The codes of one kind of term (case types, special procedures): labels (normalized)
    → code, and the names a "did you mean" may suggest."""

    labels: Mapping[str, str]
    names: tuple[str, ...]


@attrs.frozen(slots=True)
class Vocabulary:
    """The case types and special procedures a sheet may name."""

    case_types: Terms
    procedures: Terms


def read_cell(kind: str, text: str, vocabulary: Vocabulary) -> Any:
    """The value of a cell of ``kind``; ``None`` for a blank cell. Raises :class:`CellError`."""
    if kind == "yes_no":
        return yes_no(text)
    if _blank(text):
        return None
    reader = _READERS[kind]
    return reader(text.strip(), vocabulary)


def yes_no(text: str) -> bool | None:
    word = _norm(text)
    if word in YES:
        return True
    if word in NO:
        return False
    if _blank(text):
        return None
    raise CellError(
        f"“{text}” 不是 是/否（可写 是、否、Y、N、true、false）",
        f"'{text}' is not yes or no (write 是, 否, Y, N, true or false)",
    )


def is_no(text: str) -> bool:
    """Whether ``text`` says no (``不收费`` in a fee-standard cell means no fee)."""
    return _norm(text) in NO or _blank(text)


def days(text: str, _: Vocabulary | None = None) -> int:
    word = _norm(text)
    if word in SAME_DAY:
        return 0
    match = _DAYS.fullmatch(word)
    if match is None:
        raise CellError(
            f"“{text}” 不是工作日数：请写整数，如 5 或 5个工作日（即办写 0）",
            f"'{text}' is not a number of working days: write a whole number such as 5 (0 for same day)",
        )
    return int(match.group(1))


def hours(text: str, _: Vocabulary | None = None) -> float:
    match = _HOURS.fullmatch(_norm(text))
    if match is None:
        raise CellError(
            f"“{text}” 不是小时数：请写数字，如 4 或 2.5",
            f"'{text}' is not a number of hours: write a number such as 4 or 2.5",
        )
    return float(match.group(1))


def reference(text: str, _: Vocabulary | None = None) -> Reference:
    text = text.strip()
    if _ID.fullmatch(text) and len(text) <= 80:
        return Reference(text)
    match = _REFERENCE.fullmatch(text)
    if match is not None and match.group("name"):
        code = unicodedata.normalize("NFKC", match.group("id")).strip()
        if _ID.fullmatch(code) and len(code) <= 80:
            return Reference(code, match.group("name").strip())
    raise CellError(
        f"“{text}” 没有编号：写作 编号 或 名称（编号），如 市市场监督管理局（SC）",
        f"'{text}' has no id: write the id, or name (id), such as 市市场监督管理局（SC）",
    )


def references(text: str, vocabulary: Vocabulary | None = None) -> tuple[Reference, ...]:
    return tuple(reference(part) for part in _split(text, r"[;；,，、\n\r]+"))


def codes(text: str, vocabulary: Vocabulary | None = None) -> tuple[str, ...]:
    return tuple(ref.id for ref in references(text))


def lines(text: str, _: Vocabulary | None = None) -> tuple[str, ...] | None:
    return tuple(_split(text, r"[;；\n\r]+")) or None


def steps(text: str, _: Vocabulary | None = None) -> tuple[str, ...] | None:
    return tuple(_split(text, r"[;；\n\r→]+|->")) or None


def text_value(text: str, _: Vocabulary | None = None) -> str:
    return text.strip()


def case_type(text: str, vocabulary: Vocabulary) -> str:
    return _term(text, vocabulary.case_types, "办件类型", "case type")


def online(text: str, _: Vocabulary | None = None) -> str:
    return _choice(text, ONLINE, "网上办理", "online")


def authorization(text: str, _: Vocabulary | None = None) -> str:
    return _choice(text, AUTHORIZATION, "审批权限", "authorization")


def category(text: str, _: Vocabulary | None = None) -> str:
    return _choice(text, CATEGORY, "事项类别", "class of item")


def special_procedures(text: str, vocabulary: Vocabulary) -> tuple[dict[str, Any], ...]:
    out = []
    for part in _split(text, r"[;；,，、\n\r]+"):
        name, *rest = re.split(r"\s*[:：]\s*", part)
        if len(rest) > 2:
            raise CellError(
                f"“{part}” 应写作 环节:天数 或 环节:天数:不计入",
                f"'{part}' should read procedure:days or procedure:days:not_counted",
            )
        entry: dict[str, Any] = {
            "name": _term(name, vocabulary.procedures, "特殊环节", "special procedure")
        }
        if rest and not _blank(rest[0]):
            entry["max_days"] = days(rest[0])
        if len(rest) == 2:
            entry["counted"] = _flag(rest[1], COUNTED, "计入/不计入", "counted/not_counted")
        out.append(entry)
    return tuple(out)


def materials(text: str, _: Vocabulary | None = None) -> tuple[dict[str, Any], ...]:
    return tuple(_material(part) for part in _split(text, r"[;；\n\r]+"))


def _material(part: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": part, "required": True, "original": False, "copies": 1}
    match = _TRAILING_GROUP.fullmatch(part)
    if match is None:
        return entry
    words = [w.strip() for w in re.split(r"[,，、/]", match.group("attrs")) if w.strip()]
    notes, known = [], False
    for word in words:
        plain = _norm(word)
        copies = _COPIES.fullmatch(plain)
        if copies is not None:
            count = copies.group(1)
            entry["copies"] = CHINESE_COUNTS.get(count) or int(count)
        elif _lookup(plain, ORIGINAL) is not None:
            entry["original"] = _lookup(plain, ORIGINAL)
        elif _lookup(plain, REQUIRED) is not None:
            entry["required"] = _lookup(plain, REQUIRED)
        else:
            notes.append(word)
            continue
        known = True
    if not known:  # 营业执照（副本）: the brackets are part of the name
        return entry
    entry["name"] = match.group("name").strip()
    if not entry["name"]:
        raise CellError(
            f"材料 “{part}” 缺少名称", f"material '{part}' has no name before its brackets"
        )
    if notes:
        entry["note"] = "，".join(notes)
    return entry


def _term(text: str, terms: Terms, what_zh: str, what_en: str) -> str:
    word = text.strip()
    code = terms.labels.get(_label_key(word))
    if code is not None:
        return code
    codes = set(terms.labels.values())
    if _ID.fullmatch(word) and len(word) <= 80 and closest(word, codes) is None:
        return word  # a local code: fyrules check sees whether the rulebook defines it
    zh_hint, en_hint = hint(word, [*terms.names, *sorted(codes)])
    raise CellError(
        f"未知的{what_zh} “{word}”{zh_hint}",
        f"unknown {what_en} '{word}'{en_hint}",
    )


def _choice(text: str, choices: Mapping[str, Iterable[str]], what_zh: str, what_en: str) -> str:
    found = _lookup(_norm(text), choices)
    if found is None:
        allowed = "、".join(w for words in choices.values() for w in words)
        raise CellError(
            f"{what_zh}不能为 “{text}”，可写：{allowed}",
            f"{what_en} cannot be '{text}'; write one of: {', '.join(choices)}",
        )
    return found


def _flag(text: str, choices: Mapping[bool, Iterable[str]], zh: str, en: str) -> bool:
    found = _lookup(_norm(text), choices)
    if found is None:
        raise CellError(f"“{text}” 应为 {zh}", f"'{text}' should be {en}")
    return found


def _lookup(word: str, choices: Mapping[Any, Iterable[str]]) -> Any:
    for value, words in choices.items():
        if word in words:
            return value
    return None


def _split(text: str, separators: str) -> list[str]:
    parts = (_ENUMERATION.sub("", p).strip() for p in re.split(separators, text))
    return [p for p in parts if p]


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _blank(text: str) -> bool:
    return _norm(text) in BLANK


def _label_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", text)).lower()


@functools.lru_cache(maxsize=1)
def baseline_vocabulary() -> Vocabulary:
    """Case types and special procedures by code and name, as the national baseline defines
    them (the baseline is data: a new case type there is known here without a code change)."""
    from ...engine.load.loader import BUILTIN_ROOT, read_sources
    from ..catalog import SECTIONS

    sources = read_sources(BUILTIN_ROOT / "national", SECTIONS)
    types: dict[str, str] = {}
    for entry in sources.section("item_types"):
        if not entry.id:  # every entry of a keyed section has one
            continue
        names = (entry.spec.name.zh, entry.spec.name.zh.removesuffix("件"), entry.spec.name.en)
        _add_labels(types, entry.id, names)
    procedures: dict[str, str] = {}
    for entry in sources.section("procedures"):
        if not entry.id:
            continue
        names = (entry.spec.name.zh, *_names(entry.spec), entry.spec.name.en)
        _add_labels(procedures, entry.id, names)  # 现场勘查（现场核查）: also 现场勘查, 现场核查
    return Vocabulary(
        Terms(types, tuple(e.spec.name.zh for e in sources.section("item_types"))),
        Terms(procedures, tuple(p for e in sources.section("procedures") for p in _names(e.spec))),
    )


def _names(spec: Any) -> list[str]:
    zh = unicodedata.normalize("NFKC", spec.name.zh)
    return [p for p in re.split(r"[()]", zh) if p]


def _add_labels(table: dict[str, str], code: str, labels: Iterable[str | None]) -> None:
    for label in (code, *labels):
        if label and _label_key(label):
            table.setdefault(_label_key(label), code)


_READERS: Mapping[str, Callable[[str, Vocabulary], Any]] = {
    "text": text_value,
    "lines": lines,
    "steps": steps,
    "codes": codes,
    "reference": reference,
    "references": references,
    "case_type": case_type,
    "days": days,
    "hours": hours,
    "procedures": special_procedures,
    "materials": materials,
    "online": online,
    "authorization": authorization,
    "category": category,
}
