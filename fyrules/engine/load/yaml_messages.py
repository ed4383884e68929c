"""YAML syntax errors in words policy staff understand, at the line that is really wrong.

libyaml says "could not find expected ':'" one line below a key written with a full-width colon
(``statutory_days：20``), and "found character that cannot start any token" for a tab. This
module looks at the text around the error for the slips Chinese input methods and editors make
(full-width colon or comma, a tab in the indentation) and names them at their own line and
column; every other scanner, parser and reader error of PyYAML and libyaml is translated from
:data:`_YAML_ERRORS`. The fast reader (:mod:`.yaml_ryml`) never reports: it declines a file it
cannot read and the careful reader, whose errors come here, reads it again.
"""

from __future__ import annotations

import re

_GENERIC = (
    "YAML 写法有误：请检查这一行和上一行的缩进（只用空格）、冒号（“键: 值”，冒号后有空格）和引号是否成对",
    "the YAML is malformed: check the indentation (spaces only), the colons ('key: value', a "
    "space after the colon) and the quotes of this line and the one above",
)

# libyaml's and PyYAML's problem texts (a distinctive part of each) → what to tell the user.
_YAML_ERRORS: tuple[tuple[str, str, str], ...] = (
    (
        "could not find expected ':'",
        "这一行缺少 “键: 值” 中的半角冒号，或者冒号后面缺少空格",
        "this line lacks the ':' of 'key: value', or a space after it",
    ),
    (
        "mapping values are not allowed",
        '这里不能出现 “: ”：值里有冒号时给整个值加引号（如 "时间: 上午"），否则检查这一行的缩进',
        "': ' cannot appear here: quote a value that holds a colon (\"time: morning\"), "
        "or check the indentation of this line",
    ),
    (
        "found unexpected ':'",
        "这里不能出现 “:”：值里有冒号时给整个值加引号",
        "':' cannot appear here: quote a value that holds a colon",
    ),
    (
        "did not find expected key",
        "缩进不齐，或在一个值后面多写了内容：同一层的键要左对齐；值以引号开头时整个值都要在引号内",
        "uneven indentation, or more text after a value: keys of one level line up; a value "
        "that starts with a quote must end with it",
    ),
    (
        "did not find expected '-' indicator",
        "列表中混入了 “键: 值”：列表的每一项以 “- ” 开头，或者这一行的缩进不对",
        "a 'key: value' inside a list: each entry starts with '- ', or this line is indented wrongly",
    ),
    (
        "expected <block end>",
        "缩进不齐：同一层的键要左对齐",
        "uneven indentation: keys of one level line up",
    ),
    (
        "did not find expected node content",
        "这里缺少值，或值以不能开头的符号开头（给值加引号）",
        "a value is missing here, or starts with a sign a value cannot start with (quote it)",
    ),
    (
        "block sequence entries are not allowed",
        "“- ” 不能出现在这里：列表要另起一行并缩进",
        "'- ' cannot appear here: start the list on its own lines, indented",
    ),
    (
        "expected ',' or ']'",
        "方括号列表 “[” 没有用 “]” 闭合，或者两项之间缺少半角逗号",
        "the list '[' is not closed with ']', or a ',' is missing between two entries",
    ),
    (
        "expected ',' or '}'",
        "花括号映射 “{” 没有用 “}” 闭合，或者两项之间缺少半角逗号",
        "the mapping '{' is not closed with '}', or a ',' is missing between two entries",
    ),
    (
        "found unexpected end of stream",
        "引号没有闭合：在值的末尾补上对应的引号",
        "a quote is never closed: add the closing quote at the end of the value",
    ),
    (
        "found unknown escape character",
        "双引号中的反斜杠 “\\” 要写成 “\\\\”，或者改用单引号",
        "write a backslash '\\' inside double quotes as '\\\\', or use single quotes",
    ),
    (
        "expected escape sequence of",
        "双引号中 “\\x”、“\\u” 之后要写十六进制数；要写反斜杠本身请写 “\\\\”",
        "'\\x' and '\\u' in double quotes need hexadecimal digits; write a backslash as '\\\\'",
    ),
    (
        "hexdecimal number",
        "双引号中 “\\x”、“\\u” 之后要写十六进制数；要写反斜杠本身请写 “\\\\”",
        "'\\x' and '\\u' in double quotes need hexadecimal digits; write a backslash as '\\\\'",
    ),
    (
        "found a tab character",
        "缩进中有制表符（Tab）：请用空格缩进",
        "a tab in the indentation: indent with spaces",
    ),
    (
        "expected comment or line break",
        "块文字标记 “|” 或 “>” 之后只能写 “-”、“+” 或注释；普通文字以 “|”、“>” 开头时请加引号",
        "after '|' or '>' only '-', '+' or a comment may follow; quote text that starts with them",
    ),
    (
        "expected a comment or a line break",
        "块文字标记 “|” 或 “>” 之后只能写 “-”、“+” 或注释；普通文字以 “|”、“>” 开头时请加引号",
        "after '|' or '>' only '-', '+' or a comment may follow; quote text that starts with them",
    ),
    (
        "indentation indicator",
        "块文字标记 “|” 或 “>” 之后的缩进数字应为 1 到 9",
        "the indentation digit after '|' or '>' must be 1 to 9",
    ),
    (
        "expected a single document",
        "一个文件只能有一个文档：删去多余的 “---” 行",
        "a file holds one document: remove the extra '---' line",
    ),
    (
        "another document",
        "一个文件只能有一个文档：删去多余的 “---” 行",
        "a file holds one document: remove the extra '---' line",
    ),
    (
        "document indicator",
        "“---” 或 “...” 不能出现在值中间：给值加引号",
        "'---' or '...' cannot appear inside a value: quote the value",
    ),
    (
        "<document start>",
        "文档开头有多余的内容：删去 “---” 之前的文字",
        "extra text before the document: remove what precedes '---'",
    ),
    (
        "found undefined alias",
        "以 “*” 开头的值是 YAML 别名，规则文件不支持：给值加引号",
        "a value starting with '*' is a YAML alias, which rule files do not allow: quote it",
    ),
    (
        "found duplicate anchor",
        "以 “&” 开头的值是 YAML 锚点，规则文件不支持：给值加引号",
        "a value starting with '&' is a YAML anchor, which rule files do not allow: quote it",
    ),
    (
        "alphabetic or numeric character",
        "以 “&”、“*” 或 “!” 开头的值要加引号",
        "quote a value that starts with '&', '*' or '!'",
    ),
    (
        "tag handle",
        "以 “!” 开头的值要加引号（规则文件不支持 YAML 标签）",
        "quote a value that starts with '!' (rule files allow no YAML tags)",
    ),
    (
        "URI",
        "以 “!” 开头的值要加引号（规则文件不支持 YAML 标签）",
        "quote a value that starts with '!' (rule files allow no YAML tags)",
    ),
    (
        "directive",
        "规则文件不支持以 “%” 开头的 YAML 指令行：删去它，或给值加引号",
        "rule files allow no YAML directive lines starting with '%': remove it, or quote the value",
    ),
    (
        "incompatible YAML document",
        "规则文件不支持以 “%” 开头的 YAML 指令行：删去它",
        "rule files allow no YAML directive lines starting with '%': remove it",
    ),
    (
        "duplicate",
        "规则文件不支持以 “%” 开头的 YAML 指令行：删去它",
        "rule files allow no YAML directive lines starting with '%': remove it",
    ),
    (
        "expected whitespace or line break",
        "“-”、“:”、“?” 之后要有空格",
        "a space must follow '-', ':' and '?'",
    ),
    (
        "special characters are not allowed",
        "文件中有不可见的控制字符：删去它（常见于从网页或 Word 复制的文字）",
        "the file holds an invisible control character: remove it (text copied from a web page "
        "or Word often has them)",
    ),
    (
        "control characters are not allowed",
        "文件中有不可见的控制字符：删去它（常见于从网页或 Word 复制的文字）",
        "the file holds an invisible control character: remove it (text copied from a web page "
        "or Word often has them)",
    ),
    (
        "invalid",
        "文件中有无法识别的字符：请用 UTF-8 编码保存",
        "the file holds a character that cannot be read: save it as UTF-8",
    ),
    (
        "simple key",
        "一个键太长或跨了行：键要写在一行内，且不超过 1024 个字符",
        "a key is too long or spans lines: write a key on one line, at most 1024 characters",
    ),
    (
        "while parsing a flow node",
        "这里缺少值",
        "a value is missing here",
    ),
)

_FULL_WIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?)([^\s:：#\"'][^:：#\"']*?)\s*：")
_FLOW_FULL_WIDTH = re.compile(r"[\[{][^\]}\n#]*[，：]")


def explain(
    text: str,
    problem: str | None,
    problem_at: tuple[int, int] | None,
    context: str | None = None,
    context_at: tuple[int, int] | None = None,
) -> tuple[str, str, tuple[int, int] | None]:
    """``(zh, en, (line, column))`` for a YAML error: ``problem`` at ``problem_at`` (1-based
    line and column) while ``context`` at ``context_at``; the place may move to the real slip."""
    lines = text.split("\n")
    focus = problem_at or context_at
    if focus is not None:
        first = min(focus[0], (context_at or focus)[0]) - 1
        for n in range(max(first, 1), focus[0] + 1):
            found = _slip(lines[n - 1] if n <= len(lines) else "", n)
            if found is not None:
                return found
    what = f"{problem or ''} {context or ''}"
    if problem_at is not None and "expected key" in what:
        line = lines[problem_at[0] - 1] if problem_at[0] <= len(lines) else ""
        char = line[problem_at[1] - 1 : problem_at[1]]
        if char in ("]", "}"):
            return (
                f"多余的 “{char}”：括号不配对",
                f"an extra '{char}': the brackets do not pair up",
                problem_at,
            )
    for key, zh, en in _YAML_ERRORS:
        if key in what:
            at = problem_at
            if key in ("could not find expected ':'", "expected ',' or ']'", "expected ',' or '}'",
                       "found unexpected end of stream") and context_at:  # fmt: skip
                at = context_at  # the key or the bracket that starts the trouble
            return zh, en, at
    if "cannot start any token" in what and focus is not None:
        line = lines[focus[0] - 1] if focus[0] <= len(lines) else ""
        char = line[focus[1] - 1 : focus[1]]
        if char in ("@", "`"):
            return (
                f"值不能以 “{char}” 开头：给整个值加引号",
                f"a value cannot start with '{char}': quote the whole value",
                focus,
            )
        return (
            f"这里不能以 “{char}” 开头：给整个值加引号",
            f"'{char}' cannot start a value here: quote the whole value",
            focus,
        )
    return _GENERIC[0], _GENERIC[1], focus


def _slip(line: str, n: int) -> tuple[str, str, tuple[int, int]] | None:
    """A full-width colon after a key, a full-width comma or colon in brackets, or a tab in
    the indentation, on line ``n``."""
    indent = len(line) - len(line.lstrip(" \t"))
    if "\t" in line[:indent]:
        return (
            "缩进中有制表符（Tab）：请用空格缩进（编辑器中把 Tab 设置为插入空格）",
            "a tab in the indentation: indent with spaces (set the editor to insert spaces for Tab)",
            (n, line.index("\t") + 1),
        )
    stripped = line.split(" #", 1)[0]
    match = _FULL_WIDTH_COLON.match(stripped)
    if match and ": " not in stripped[: match.end()] and not stripped.rstrip().endswith(":"):
        column = match.end()
        return (
            "键后面用了全角冒号 “：”：请使用半角冒号 “:”，冒号后加一个空格",
            "a full-width colon '：' after the key: use the ASCII colon ':' followed by a space",
            (n, column),
        )
    flow = _FLOW_FULL_WIDTH.search(stripped)
    if flow:
        char = flow.group()[-1]
        ascii_char = "," if char == "，" else ":"
        name_zh, name_en = ("逗号", "comma") if char == "，" else ("冒号", "colon")
        return (
            f"括号中用了全角{name_zh} “{char}”：请使用半角{name_zh} “{ascii_char}”",
            f"a full-width {name_en} '{char}' in brackets: use the ASCII {name_en} '{ascii_char}'",
            (n, flow.end()),
        )
    return None
