"""Expression syntax errors in words policy staff understand, at the place that is wrong.

Python's parser says "invalid syntax. Perhaps you forgot a comma?" at column 1 for
``kind == "commitment" 并且 online == "none"``. Before its message is used, the text is searched
for the usual slips, outside string literals: Chinese words for ``and``/``or``/``not``/``in``,
``=`` for ``==``, ``&&``/``||``/``!``, text left unquoted; what remains is translated from
:data:`_PYTHON_MESSAGES`. No text of Python's parser reaches the user.
"""

from __future__ import annotations

import re

# Chinese words for the language's keywords and operators.
CHINESE_WORDS: dict[str, str] = {
    "并且": "and", "而且": "and", "或者": "or", "不是": "not", "属于": "in", "包含于": "in",
    "不属于": "not in", "不等于": "!=", "等于": "==", "大于等于": ">=", "小于等于": "<=",
    "大于": ">", "小于": "<", "为空": "is None", "是空": "is None", "如果": "if", "否则": "else",
}  # fmt: skip
_WORDS = re.compile(
    r"(?<![\u4e00-\u9fff])("
    + "|".join(sorted(map(re.escape, CHINESE_WORDS), key=len, reverse=True))
    + r")(?![\u4e00-\u9fff])"
)
_STRING = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")
_SINGLE_EQUALS = re.compile(r"(?<![=!<>])=(?![=])")
_NUMBER_UNIT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)([^\W\d_][\w]*)")
_C_OPERATORS = {"&&": "and", "||": "or", "=>": ">=", "=<": "<=", "<>": "!="}
_BANG = re.compile(r"!(?!=)")
_BARE_TEXT = re.compile(
    r"(==|!=|\bin\b)\s*([^\s\"'\[\](),0-9=!<>][^\"'\[\](),=!<>]*?\s+[^\s\"'\[\](),=!<>]+)"
)

_PYTHON_MESSAGES: tuple[tuple[str, str, str], ...] = (
    ("Maybe you meant '=='", "比较相等要写 “==”，不是 “=”", "write '==' to compare, not '='"),
    (
        "Perhaps you forgot a comma",
        "两个值之间缺少运算符（and、or、==、+ …）；文字要加引号",
        "an operator (and, or, ==, + …) is missing between two values; quote text",
    ),
    ("was never closed", "括号没有闭合", "a bracket is never closed"),
    (
        "unterminated string",
        "字符串缺少结束引号",
        "a quoted text has no closing quote",
    ),
    (
        "unterminated triple-quoted string",
        "字符串缺少结束引号",
        "a quoted text has no closing quote",
    ),
    (
        "expected 'else'",
        "条件表达式缺少 else：应写成 “x if 条件 else y”",
        "a conditional needs else: write 'x if condition else y'",
    ),
    (
        "invalid character",
        "表达式中有无效字符：只用半角字母、数字和符号，文字放在引号内",
        "an invalid character: use ASCII letters, digits and signs, and put text in quotes",
    ),
    (
        "invalid decimal literal",
        "数字后面不能直接跟字母或文字：文字要加引号，数字和单位分开写",
        "a number cannot run into letters: quote text, and keep numbers apart from units",
    ),
    (
        "leading zeros",
        "数字不能以 0 开头（如 07 写成 7）；编号、电话等要加引号",
        "a number cannot start with 0 (write 07 as 7); quote ids and telephone numbers",
    ),
    ("unmatched", "括号不配对", "unmatched bracket"),
    (
        "cannot assign",
        "比较相等要写 “==”，不是 “=”",
        "write '==' to compare, not '='",
    ),
    (
        "unexpected EOF",
        "表达式不完整：运算符后面缺少值",
        "the expression is incomplete: a value is missing after an operator",
    ),
    (
        "unexpected indent",
        "表达式中多了缩进",
        "unexpected indentation in the expression",
    ),
    (
        "unindent",
        "表达式的缩进不一致",
        "inconsistent indentation in the expression",
    ),
    (
        "f-string",
        "不支持 f 字符串；在消息中用 {字段} 即可",
        "f-strings are not supported; a message uses {field} instead",
    ),
    (
        "invalid syntax",
        "语法错误：这一位置附近的运算符、括号或引号有误",
        "syntax error: check the operators, brackets and quotes around here",
    ),
)


def _outside_strings(source: str) -> str:
    """``source`` with every string literal blanked out (same length, same positions)."""
    return _STRING.sub(lambda m: m.group()[0] + " " * (len(m.group()) - 2) + m.group()[-1], source)


def slip(source: str) -> tuple[str, str, int] | None:
    """A known slip in ``source``: ``(zh, en, index)``, or ``None``."""
    bare = _outside_strings(source)
    word = _WORDS.search(bare)
    if word is not None:
        meant = CHINESE_WORDS[word.group()]
        return (
            f"“{word.group()}” 要写成 “{meant}”：表达式中的运算符只能用英文（and、or、not、in、==），"
            "文字要加引号",
            f"write '{word.group()}' as '{meant}': operators are English words or signs "
            "(and, or, not, in, ==); text goes in quotes",
            word.start(),
        )
    for sign, meant in _C_OPERATORS.items():
        at = bare.find(sign)
        if at >= 0:
            return (
                f"“{sign}” 要写成 “{meant}”",
                f"write '{sign}' as '{meant}'",
                at,
            )
    bang = _BANG.search(bare)
    if bang is not None:
        return "“!” 要写成 “not”", "write '!' as 'not'", bang.start()
    equals = _SINGLE_EQUALS.search(bare)
    if equals is not None:
        return (
            "比较相等要写 “==”（两个等号），不是 “=”",
            "write '==' (two equals signs) to compare, not '='",
            equals.start(),
        )
    for unit in _NUMBER_UNIT.finditer(bare):
        letters = unit.group(2)
        if re.match(r"[eEjJxXoObB]", letters) and letters.isascii():
            continue  # 1e5, 2j, 0x1F: the parser's own message covers them
        return (
            f"数字后面不能直接跟字母或文字：“{unit.group()}” 只写 {unit.group(1)}"
            "（时限按工作日计，单位不用写；文字要加引号）",
            f"a number cannot run into letters: write '{unit.group()}' as {unit.group(1)} "
            "(limits count working days, no unit needed; quote text)",
            unit.start(2),
        )
    text = _BARE_TEXT.search(bare)
    if text is not None:
        shown = text.group(2).strip()
        return (
            f'文字要加引号：写成 "{shown}"',
            f'text goes in quotes: write "{shown}"',
            text.start(2),
        )
    return None


def translate(message: str) -> tuple[str, str]:
    """Python's syntax error ``message`` in Chinese and English words of our own."""
    for key, zh, en in _PYTHON_MESSAGES:
        if key in message:
            return zh, en
    return _PYTHON_MESSAGES[-1][1], _PYTHON_MESSAGES[-1][2]
