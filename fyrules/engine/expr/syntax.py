"""Reading an expression: bounds first, then Python's parser, then the allow-list.

The order matters for safety. Length, control characters and bracket depth are checked on
the raw text, because ``ast.parse`` itself can exhaust memory on ten thousand nested
brackets. The tree is then measured (node count, depth) without recursion, and only then
walked by :class:`~.allowlist.Gate`, which refuses by name every construct not allowed.
"""

from __future__ import annotations

import ast
import re

from . import limits
from .allowlist import Gate
from .errors import ExpressionError
from .positions import SourceText
from .syntax_messages import slip, translate

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What the scan stops at: quotes, comments, brackets, and full-width punctuation that
# Chinese input methods type where ASCII was meant.
_FULL_WIDTH = {
    "（": "(", "）": ")", "，": ",", "：": ":", "；": ";", "“": '"', "”": '"', "‘": "'",
    "’": "'", "【": "[", "】": "]", "＝": "=", "＞": ">", "＜": "<", "！": "!", "＋": "+",
    "－": "-", "＊": "*", "／": "/", "。": ".",
}  # fmt: skip
_INTEREST = re.compile("[\"'#()\\[\\]{}" + "".join(_FULL_WIDTH) + "]")
_STRING = re.compile(
    r"'''(?:[^\\]|\\.)*?'''|\"\"\"(?:[^\\]|\\.)*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"",
    re.DOTALL,
)
_CLOSING = {")": "(", "]": "[", "}": "{"}


def parse(text: SourceText) -> ast.Expression:
    """The syntax tree of an expression that is within every limit and uses only allowed
    constructs; raises :class:`ExpressionError` otherwise."""
    _prescan(text)
    try:
        tree = ast.parse(text.wrapped, mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(text, exc) from None
    except (MemoryError, RecursionError, ValueError, OverflowError) as exc:
        raise _error(
            text,
            "EXPR-TOO-DEEP",
            "表达式过于复杂，无法解析",
            f"expression too complex to parse ({type(exc).__name__})",
            1,
            0,
        ) from None
    _measure(text, tree)
    if isinstance(tree.body, ast.Tuple) and (tree.body.lineno, tree.body.col_offset) == (1, 0):
        if not tree.body.elts:
            raise _error(text, "EXPR-SYNTAX", "表达式为空", "the expression is empty", 1, 0)
        raise _error(
            text,
            "EXPR-SYNTAX",
            "多个值要写成列表，如 [1, 2]",
            "write several values as a list, e.g. [1, 2]",
            1,
            0,
        )
    Gate(text).visit(tree.body)
    return tree


def _error(
    text: SourceText, code: str, zh: str, en: str, line: int, offset: int
) -> ExpressionError:
    return ExpressionError(text.problem(code, zh, en, line, offset))


def _prescan(text: SourceText) -> None:
    source = text.text
    if len(source) > limits.MAX_SOURCE_LENGTH:
        raise _error(
            text,
            "EXPR-TOO-LONG",
            f"表达式有 {len(source)} 个字符，超过上限 {limits.MAX_SOURCE_LENGTH}",
            f"expression has {len(source)} characters, "
            f"more than the limit of {limits.MAX_SOURCE_LENGTH}",
            1,
            0,
        )
    if not source.strip():
        raise _error(text, "EXPR-SYNTAX", "表达式为空", "the expression is empty", 1, 0)
    bad = _CONTROL.search(source)
    if bad:
        line, offset = text.position_of_index(bad.start())
        code = f"U+{ord(bad.group()):04X}"
        raise _error(
            text,
            "EXPR-SYNTAX",
            f"表达式含有控制字符 {code}",
            f"expression contains the control character {code}",
            line,
            offset,
        )
    _scan_brackets(text)


def _scan_brackets(text: SourceText) -> None:
    """Bracket depth and balance, and full-width punctuation, outside string literals."""
    source = text.text
    open_at: list[int] = []
    index = 0
    while (match := _INTEREST.search(source, index)) is not None:
        char, index = match.group(), match.start()
        if char in "'\"":
            string = _STRING.match(source, index)
            if string is None:
                return  # an unterminated string: the parser says so, with its position
            index = string.end()
            continue
        if char == "#":
            end = source.find("\n", index)
            index = len(source) if end < 0 else end
            continue
        line, offset = text.position_of_index(index)
        if char in "([{":
            open_at.append(index)
            if len(open_at) > limits.MAX_NESTING:
                raise _error(
                    text,
                    "EXPR-TOO-DEEP",
                    f"括号嵌套超过 {limits.MAX_NESTING} 层",
                    f"brackets nested more than {limits.MAX_NESTING} deep",
                    line,
                    offset,
                )
        elif char in _CLOSING:
            if not open_at or source[open_at[-1]] != _CLOSING[char]:
                raise _error(
                    text,
                    "EXPR-SYNTAX",
                    f"括号 “{char}” 不配对",
                    f"unmatched bracket '{char}'",
                    line,
                    offset,
                )
            open_at.pop()
        else:
            ascii_char = _FULL_WIDTH[char]
            raise _error(
                text,
                "EXPR-SYNTAX",
                f"表达式中有全角字符 “{char}”，请改用半角 “{ascii_char}”",
                f"full-width character '{char}' in the expression: use '{ascii_char}' instead",
                line,
                offset,
            )
        index += 1
    if open_at:
        line, offset = text.position_of_index(open_at[-1])
        raise _error(
            text,
            "EXPR-SYNTAX",
            f"括号 “{source[open_at[-1]]}” 没有闭合",
            f"bracket '{source[open_at[-1]]}' is never closed",
            line,
            offset,
        )


def _syntax_error(text: SourceText, exc: SyntaxError) -> ExpressionError:
    found = slip(text.text)
    if found is not None:
        zh, en, index = found
        line, offset = text.position_of_index(index)
        return _error(text, "EXPR-SYNTAX", zh, en, line, offset)
    zh, en = translate(exc.msg or "invalid syntax")
    lineno = exc.lineno or 1
    if lineno > text.text.count("\n") + 1 or (exc.offset or 0) > len(text.text) + 1:
        # at the closing bracket we added: the expression stops short
        line, offset = text.position_of_index(len(text.text.rstrip()))
        zh, en = (
            "表达式不完整：最后的运算符后面缺少值",
            "the expression is incomplete: a value is missing after the last operator",
        )
    else:  # the opening bracket we added shifts the first line by one
        line, offset = lineno, max((exc.offset or 1) - (2 if lineno == 1 else 1), 0)
    return _error(text, "EXPR-SYNTAX", zh, en, line, offset)


def _measure(text: SourceText, tree: ast.Expression) -> None:
    """Node count and depth, without recursion (the tree may be deep: that is what we test)."""
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.expr | ast.comprehension):
            count += 1
        if depth > limits.MAX_TREE_DEPTH or count > limits.MAX_NODES:
            span = text.span(node)
            too_deep = depth > limits.MAX_TREE_DEPTH
            raise _error(
                text,
                "EXPR-TOO-DEEP" if too_deep else "EXPR-TOO-LONG",
                f"表达式嵌套超过 {limits.MAX_TREE_DEPTH} 层"
                if too_deep
                else f"表达式超过 {limits.MAX_NODES} 个组成部分",
                f"expression nested more than {limits.MAX_TREE_DEPTH} deep"
                if too_deep
                else f"expression has more than {limits.MAX_NODES} parts",
                span.line,
                span.offset,
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
