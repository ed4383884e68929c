"""The functions every expression may call: :data:`DEFAULT_FUNCTIONS`.

Counting and aggregating lists (``len``, ``count``, ``sum``, ``min``, ``max``, ``any``,
``all``), numbers (``abs``, ``round``), dates (``date``, ``days_between``, ``year``,
``month``, ``weekday``) and empty values (``coalesce``). Working-day functions are added by
the deadlines package with :meth:`~.functions.FunctionLibrary.extend`, bound to a calendar.

Every implementation checks what it is given where a wrong value could do harm (a huge
``ndigits``), because a value of type ``any`` reaches it unchecked; a failure is turned into
an :class:`~.errors.EvaluationError` by the caller.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Iterable
from typing import Any

import attrs

from ..problems import Problem
from . import limits
from .functions import ArgInfo, FunctionLibrary, FunctionSpec
from .runtime import is_number
from .types import (
    ANY,
    BOOL,
    DATE,
    DATETIME,
    NULL,
    NUMBER,
    ORDERED,
    STRING,
    ListType,
    OptionalType,
    Type,
    describe,
    list_of,
    strip_optional,
    unify,
)

# --- implementations ---------------------------------------------------------------------


def _whole(value: Any) -> int:
    """A whole number given as an int or an integral float (``2025.0``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"expected a whole number, got {value!r:.40}")


def _day(value: Any) -> dt.date:
    """The calendar day of a date or datetime (a datetime's own local date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}")


def count(items: Iterable[Any]) -> int:
    if isinstance(items, list | tuple):
        return len(items)
    return sum(1 for _ in items)


def total(items: Iterable[Any]) -> int | float:
    """Exact for whole numbers; ``math.fsum`` for decimals, so 0.1 added ten times is 1.0."""
    values = list(items)
    for value in values:
        if not is_number(value):
            raise TypeError(f"sum() needs numbers, got {type(value).__name__}")
    if all(isinstance(v, int) for v in values):
        return sum(values)
    return math.fsum(values)


def smallest(*args: Any) -> Any:
    return min(args[0]) if len(args) == 1 else min(args)


def largest(*args: Any) -> Any:
    return max(args[0]) if len(args) == 1 else max(args)


def round_half_up(value: Any, ndigits: Any = 0) -> int | float:
    """Rounds half away from zero (四舍五入): ``round(2.5)`` is 3, ``round(2.675, 2)`` is 2.68.

    Python's own ``round`` rounds half to even on the binary value, which policy staff do
    not expect. The decimal text of the number is rounded, with enough precision for it.
    """
    digits = _whole(ndigits)
    if not -limits.MAX_ROUND_DIGITS <= digits <= limits.MAX_ROUND_DIGITS:
        raise ValueError(
            f"ndigits must be between -{limits.MAX_ROUND_DIGITS} and {limits.MAX_ROUND_DIGITS}"
        )
    if not is_number(value):
        raise TypeError(f"round() needs a number, got {type(value).__name__}")
    if isinstance(value, int) and digits >= 0:
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot round {value}")
    exact = decimal.Decimal(value if isinstance(value, int) else repr(value))
    context = decimal.Context(prec=len(exact.as_tuple().digits) + abs(digits) + 2)
    rounded = exact.quantize(decimal.Decimal(1).scaleb(-digits), decimal.ROUND_HALF_UP, context)
    return int(rounded) if digits <= 0 else float(rounded)


def make_date(year: Any, month: Any, day: Any) -> dt.date:
    return dt.date(_whole(year), _whole(month), _whole(day))


def days_between(start: Any, end: Any) -> int:
    return (_day(end) - _day(start)).days


def coalesce(*values: Any) -> Any:
    for value in values:
        if value is not None:
            return value
    return None


# --- static checks of the functions whose result depends on their arguments -------------


def _arity(name: str, args: list[ArgInfo], least: int, most: int | None) -> Problem | None:
    if len(args) >= least and (most is None or len(args) <= most):
        return None
    wanted_zh = (
        f"至少 {least} 个"
        if most is None
        else f"{least} 个"
        if least == most
        else f"{least} 到 {most} 个"
    )
    wanted_en = (
        f"at least {least}"
        if most is None
        else f"{least}"
        if least == most
        else f"{least} to {most}"
    )
    return Problem(
        "EXPR-ARGUMENTS",
        f"函数 {name} 需要{wanted_zh}参数，实际给了 {len(args)} 个",
        f"{name}() takes {wanted_en} argument(s), {len(args)} given",
    )


def _wrong(name: str, arg: ArgInfo, wanted_zh: str, wanted_en: str) -> Problem:
    return arg.problem(
        "EXPR-ARGUMENTS",
        f"函数 {name} 的参数应为{wanted_zh}，而 “{arg.text}” 是{describe(arg.type, 'zh')}",
        f"{name}() needs {wanted_en}, but '{arg.text}' is a {describe(arg.type)}",
    )


def _check_len(args: list[ArgInfo]) -> Type | Problem:
    problem = _arity("len", args, 1, 1)
    if problem:
        return problem
    kind = strip_optional(args[0].type)
    if isinstance(kind, ListType) or kind in (STRING, ANY):
        return NUMBER
    return _wrong("len", args[0], "列表或文本", "a list or text")


# Checks shared by several functions are small frozen objects rather than closures, so that a
# library (and the compiled expressions that use it) can be pickled for worker processes.


@attrs.frozen(slots=True)
class _CheckExtreme:
    """``min`` / ``max``: one list (or generator) of ordered values, or several such values."""

    name: str

    def __call__(self, args: list[ArgInfo]) -> Type | Problem:
        name = self.name
        problem = _arity(name, args, 1, None)
        if problem:
            return problem
        if len(args) == 1:
            kind = strip_optional(args[0].type)
            if kind == ANY:
                return ANY
            if isinstance(kind, ListType) and strip_optional(kind.element) in ORDERED | {ANY}:
                return strip_optional(kind.element)
            return _wrong(
                name, args[0], "数值、文本或日期的列表", "a list of numbers, text or dates"
            )
        result: Type = strip_optional(args[0].type)
        for arg in args:
            joined = unify(result, strip_optional(arg.type))
            if joined is None or strip_optional(joined) not in ORDERED | {ANY}:
                return _wrong(name, arg, describe(result, "zh"), f"a {describe(result)}")
            result = joined
        return result


@attrs.frozen(slots=True)
class _CheckDays:
    """Functions of ``count`` dates (or datetimes) that give a number."""

    name: str
    count: int

    def __call__(self, args: list[ArgInfo]) -> Type | Problem:
        problem = _arity(self.name, args, self.count, self.count)
        if problem:
            return problem
        for arg in args:
            if strip_optional(arg.type) not in (DATE, DATETIME, ANY):
                return _wrong(self.name, arg, "日期", "a date")
        return NUMBER


def _check_round(args: list[ArgInfo]) -> Type | Problem:
    problem = _arity("round", args, 1, 2)
    if problem:
        return problem
    for arg in args:
        if strip_optional(arg.type) not in (NUMBER, ANY):
            return _wrong("round", arg, "数值", "a number")
    if len(args) == 2 and args[1].is_constant:
        digits = args[1].constant
        bound = limits.MAX_ROUND_DIGITS
        if not (isinstance(digits, int) and -bound <= digits <= bound):
            return args[1].problem(
                "EXPR-ARGUMENTS",
                f"round 的小数位数应为 -{bound} 到 {bound} 的整数，而不是 {digits}",
                f"round() takes a whole number of digits from -{bound} to {bound}, not {digits}",
            )
    return NUMBER


def _check_date(args: list[ArgInfo]) -> Type | Problem:
    problem = _arity("date", args, 3, 3)
    if problem:
        return problem
    for arg in args:
        if strip_optional(arg.type) not in (NUMBER, ANY):
            return _wrong("date", arg, "整数", "whole numbers")
    if all(arg.is_constant for arg in args):
        try:
            make_date(*(arg.constant for arg in args))
        except (TypeError, ValueError, OverflowError):
            values = "-".join(str(arg.constant) for arg in args)
            return Problem(
                "EXPR-ARGUMENTS", f"{values} 不是有效的日期", f"{values} is not a valid date"
            )
    return DATE


def _check_coalesce(args: list[ArgInfo]) -> Type | Problem:
    problem = _arity("coalesce", args, 2, None)
    if problem:
        return problem
    result: Type = NULL
    for arg in args:
        joined = unify(result, arg.type)
        if joined is None:
            return _wrong(
                "coalesce",
                arg,
                f"与前面的参数同类的值（{describe(result, 'zh')}）",
                f"a {describe(result)}",
            )
        result = joined
    last = args[-1].type
    if not isinstance(last, OptionalType) and last not in (NULL, ANY):
        return strip_optional(result)  # the last value is never empty, so neither is the result
    return result


# --- the library -------------------------------------------------------------------------

_LIST_OF_ANY = list_of(ANY)
_ROUND = limits.MAX_ROUND_DIGITS


def _year(d: Any) -> int:
    return _day(d).year


def _month(d: Any) -> int:
    return _day(d).month


def _weekday(d: Any) -> int:
    return _day(d).isoweekday()


DEFAULT_FUNCTIONS = FunctionLibrary(
    (
        FunctionSpec(
            name="len",
            params=(_LIST_OF_ANY,),
            returns=NUMBER,
            impl=len,
            doc_zh="列表的元素个数，或文本的字符数。",
            doc_en="The number of elements of a list, or of characters of a text.",
            check=_check_len,
            example="len(documents) >= 3",
        ),
        FunctionSpec(
            name="count",
            params=(_LIST_OF_ANY,),
            returns=NUMBER,
            impl=count,
            doc_zh="列表的元素个数；count(d for d in 列表 if 条件) 是满足条件的元素个数。",
            doc_en="The number of elements of a list; "
            "count(d for d in list if condition) counts those that meet the condition.",
            aggregate=True,
            example="count(d for d in documents if d.original) >= 2",
        ),
        FunctionSpec(
            name="sum",
            params=(list_of(NUMBER),),
            returns=NUMBER,
            impl=total,
            doc_zh="数值之和（小数按十进制精确相加）。",
            doc_en="The sum of numbers (decimals added without binary drift).",
            aggregate=True,
            example="sum(d.pages for d in documents) <= 200",
        ),
        FunctionSpec(
            name="min",
            params=(_LIST_OF_ANY,),
            returns=ANY,
            impl=smallest,
            doc_zh="最小值：min(列表)、min(… for … in …) 或 min(a, b, …)；空列表是错误。",
            doc_en="The smallest value: min(list), min(… for … in …) or min(a, b, …); "
            "an empty list is an error.",
            variadic=True,
            min_args=1,
            check=_CheckExtreme("min"),
            aggregate=True,
            example="min(committed_days, statutory_days) >= 1",
        ),
        FunctionSpec(
            name="max",
            params=(_LIST_OF_ANY,),
            returns=ANY,
            impl=largest,
            doc_zh="最大值：max(列表)、max(… for … in …) 或 max(a, b, …)；空列表是错误。",
            doc_en="The largest value: max(list), max(… for … in …) or max(a, b, …); "
            "an empty list is an error.",
            variadic=True,
            min_args=1,
            check=_CheckExtreme("max"),
            aggregate=True,
            example="max(d.pages for d in documents) < 50",
        ),
        FunctionSpec(
            name="any",
            params=(list_of(BOOL),),
            returns=BOOL,
            impl=any,
            doc_zh="列表中至少有一个为真（空列表为假）。",
            doc_en="True if at least one element is true (false for an empty list).",
            aggregate=True,
            example='any(d.kind == "营业执照" for d in documents)',
        ),
        FunctionSpec(
            name="all",
            params=(list_of(BOOL),),
            returns=BOOL,
            impl=all,
            doc_zh="列表中全部为真（空列表为真）。",
            doc_en="True if every element is true (true for an empty list).",
            aggregate=True,
            example="all(d.original for d in documents)",
        ),
        FunctionSpec(
            name="abs",
            params=(NUMBER,),
            returns=NUMBER,
            impl=abs,
            doc_zh="绝对值。",
            doc_en="The absolute value.",
            example="abs(committed_days - statutory_days) <= 5",
        ),
        FunctionSpec(
            name="round",
            params=(NUMBER, NUMBER),
            returns=NUMBER,
            impl=round_half_up,
            doc_zh=f"四舍五入到 ndigits 位小数（省略时为 0 位，得到整数；-{_ROUND} ≤ ndigits ≤ {_ROUND}）。",
            doc_en="Rounds half away from zero to ndigits decimals "
            f"(0 when left out, giving a whole number; -{_ROUND} <= ndigits <= {_ROUND}).",
            min_args=1,
            check=_check_round,
            example="round(fee * 0.8, 2) < 100",
        ),
        FunctionSpec(
            name="date",
            params=(NUMBER, NUMBER, NUMBER),
            returns=DATE,
            impl=make_date,
            doc_zh="由年、月、日得到日期。",
            doc_en="The date of a year, month and day.",
            check=_check_date,
            example="accepted_on >= date(2025, 1, 1)",
        ),
        FunctionSpec(
            name="days_between",
            params=(DATE, DATE),
            returns=NUMBER,
            impl=days_between,
            doc_zh="从 a 到 b 的自然日天数（b 早于 a 时为负）。",
            doc_en="Calendar days from a to b (negative when b is before a).",
            check=_CheckDays("days_between", 2),
            example="days_between(accepted_on, decided_on) <= 20",
        ),
        FunctionSpec(
            name="year",
            params=(DATE,),
            returns=NUMBER,
            impl=_year,
            doc_zh="日期的年份。",
            doc_en="The year of a date.",
            check=_CheckDays("year", 1),
            example="year(accepted_on) == 2025",
        ),
        FunctionSpec(
            name="month",
            params=(DATE,),
            returns=NUMBER,
            impl=_month,
            doc_zh="日期的月份（1–12）。",
            doc_en="The month of a date (1–12).",
            check=_CheckDays("month", 1),
            example="month(accepted_on) in [1, 2, 3]",
        ),
        FunctionSpec(
            name="weekday",
            params=(DATE,),
            returns=NUMBER,
            impl=_weekday,
            doc_zh="星期几：星期一为 1，星期日为 7。",
            doc_en="The day of the week: Monday is 1, Sunday is 7.",
            check=_CheckDays("weekday", 1),
            example="weekday(accepted_on) <= 5",
        ),
        FunctionSpec(
            name="coalesce",
            params=(ANY, ANY),
            returns=ANY,
            impl=coalesce,
            doc_zh="第一个不为空（None）的参数。",
            doc_en="The first argument that is not empty (None).",
            variadic=True,
            check=_check_coalesce,
            example="coalesce(fee, 0) == 0",
        ),
    )
)
