"""The limits of the expression language, in one place.

Rule files may be hostile, so every expression is bounded before Python's parser sees it
and again after: its length, how deeply it nests, how many pieces it has and how large its
literals are. ``docs/expressions.md`` lists the same numbers; a test keeps them in step.
"""

from __future__ import annotations

#: Characters in one expression (a YAML condition or formula; a template placeholder).
MAX_SOURCE_LENGTH = 1000
#: Brackets ``( [ {`` open at once; checked by a scan *before* ``ast.parse``, whose C parser
#: can exhaust memory or the stack on deep nesting.
MAX_NESTING = 32
#: Depth of the syntax tree: operator chains such as ``1 + 1 + … + 1`` nest without brackets.
MAX_TREE_DEPTH = 64
#: Pieces (names, literals, operators, calls …) in one expression.
MAX_NODES = 300
#: Digits of an integer literal; a float literal must be finite and below ``10 ** 15``.
MAX_INT_DIGITS = 15
#: Characters of one string literal.
MAX_STRING_LENGTH = 200
#: Elements of one list literal.
MAX_LIST_LENGTH = 100
#: ``x ** n`` is allowed only with a literal whole exponent ``0 <= n <= MAX_POWER``, and not
#: on a base that itself contains ``**`` (``((9 ** 8) ** 8) ** 8`` grows doubly exponentially).
MAX_POWER = 8
#: ``round(x, n)`` with ``-MAX_ROUND_DIGITS <= n <= MAX_ROUND_DIGITS``.
MAX_ROUND_DIGITS = 15
#: Characters of one message template (each placeholder is also an expression).
MAX_TEMPLATE_LENGTH = 4000
