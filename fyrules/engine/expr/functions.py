"""Functions an expression may call: their specification and the library that holds them.

A :class:`FunctionSpec` says a function's name, parameter and result types, its
implementation and its documentation in Chinese and English. Most functions are checked by
their parameter types alone; one whose result depends on its arguments (``min``,
``coalesce``) or whose arguments name something in the rulebook (``lookup("TABLE-ID", x)``)
gives a ``check``: it sees each argument's type, its value when it is a literal, and where
it is, and returns the result type or a :class:`~fyrules.engine.problems.Problem`::

    def check_lookup(args: list[ArgInfo]) -> Type | Problem:
        table = args[0].constant
        if table not in tables:
            zh, en = hint(str(table), tables)
            return args[0].problem("UNKNOWN-REFERENCE", f"未知的决策表 “{table}”{zh}",
                                   f"unknown table '{table}'{en}")
        return tables[table].result_type

A :class:`FunctionLibrary` is an immutable mapping of names to specifications; ``extend``
returns a new library (the deadlines package adds working-day functions bound to a calendar
this way: an implementation may be any callable, a bound method or a closure).
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from ..problems import Location, Problem
from .types import Type, describe


class _NotConstant:
    """The value of :attr:`ArgInfo.constant` when an argument is not a literal."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_CONSTANT"

    def __reduce__(self) -> str:
        return "NOT_CONSTANT"


NOT_CONSTANT: Any = _NotConstant()


@attrs.frozen(slots=True)
class ArgInfo:
    """What a function's ``check`` knows about one argument at compile time.

    ``constant`` is the argument's value when it is a literal (``"TABLE-ID"``, ``3``,
    ``-1``, a list of literals as a tuple), else :data:`NOT_CONSTANT`. ``generator`` is true
    for a ``(… for … in …)`` argument, whose ``type`` is then the list it produces.
    """

    type: Type
    constant: Any = NOT_CONSTANT
    location: Location | None = None
    text: str = ""
    generator: bool = False

    @property
    def is_constant(self) -> bool:
        return self.constant is not NOT_CONSTANT

    def problem(self, code: str, message_zh: str, message_en: str) -> Problem:
        """A problem located at this argument, for a ``check`` to return."""
        return Problem(code, message_zh, message_en, self.location)


#: A custom static check: the arguments in, the result type (or a problem) out.
Check = Callable[[list[ArgInfo]], Type | Problem]


def _valid_name(_spec: object, _attribute: object, name: str) -> None:
    if not name.isidentifier() or name.startswith("_") or keyword.iskeyword(name):
        raise ValueError(f"function name {name!r} must be an identifier not starting with '_'")


# Typed converters: with a bare ``converter=tuple`` the attrs plugin of mypy cannot tell
# what the generated ``__init__`` accepts.
def _param_tuple(params: Iterable[Type]) -> tuple[Type, ...]:
    return tuple(params)


def _spec_tuple(specs: Iterable[FunctionSpec]) -> tuple[FunctionSpec, ...]:
    return tuple(specs)


@attrs.frozen(slots=True)
class FunctionSpec:
    """One function of the expression language.

    ``params`` are the parameter types; with ``variadic`` the last one repeats. ``min_args``
    defaults to the number of parameters. ``aggregate`` functions take a list, or a
    ``(… for … in …)`` as their only argument. ``check`` replaces the type check of the
    arguments (see the module docstring). ``example`` is an expression that uses the
    function, shown in the docs and compiled by the tests.
    """

    name: str = attrs.field(validator=_valid_name)
    params: tuple[Type, ...] = attrs.field(converter=_param_tuple)
    returns: Type
    impl: Callable[..., Any] = attrs.field(repr=False)
    doc_zh: str = ""
    doc_en: str = ""
    variadic: bool = False
    min_args: int = attrs.field(
        default=attrs.Factory(lambda self: len(self.params), takes_self=True)
    )
    check: Check | None = attrs.field(default=None, repr=False)
    aggregate: bool = False
    example: str = ""

    @property
    def max_args(self) -> int | None:
        return None if self.variadic else len(self.params)

    def param(self, index: int) -> Type:
        """The type of the ``index``-th argument (the last parameter repeats if variadic)."""
        return self.params[min(index, len(self.params) - 1)]

    def signature(self, lang: str = "en") -> str:
        """``round(number, number) → number``, for messages and docs."""
        names = [describe(p, lang) for p in self.params]
        if self.variadic:
            names.append("…")
        joiner = "，" if lang == "zh" else ", "
        return f"{self.name}({joiner.join(names)}) → {describe(self.returns, lang)}"


@attrs.frozen(slots=True, eq=False)
class FunctionLibrary(Mapping[str, FunctionSpec]):
    """An immutable mapping from function names to :class:`FunctionSpec`."""

    specs: tuple[FunctionSpec, ...] = attrs.field(converter=_spec_tuple, default=())
    _by_name: Mapping[str, FunctionSpec] = attrs.field(init=False, repr=False)
    _aliases: Mapping[str, str] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_name: dict[str, FunctionSpec] = {}
        for spec in self.specs:
            if not isinstance(spec, FunctionSpec):
                raise TypeError(f"not a FunctionSpec: {spec!r}")
            if spec.name in by_name:
                raise ValueError(f"function {spec.name!r} is defined twice")
            by_name[spec.name] = spec
        # Generated code calls functions by these names, which user text cannot write.
        aliases = {name: f"_f{i}" for i, name in enumerate(by_name)}
        object.__setattr__(self, "_by_name", MappingProxyType(by_name))
        object.__setattr__(self, "_aliases", MappingProxyType(aliases))

    def __getitem__(self, name: str) -> FunctionSpec:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._by_name)

    def extend(self, *specs: FunctionSpec) -> FunctionLibrary:
        """A new library with ``specs`` added; a name already present is an error."""
        return FunctionLibrary((*self.specs, *specs))

    def __reduce__(self) -> tuple[Any, ...]:
        return (FunctionLibrary, (self.specs,))

    def alias(self, name: str) -> str:
        """The name under which generated code calls function ``name``."""
        return self._aliases[name]

    def implementations(self) -> dict[str, Callable[..., Any]]:
        """Alias → implementation: the globals generated code sees."""
        return {self._aliases[name]: spec.impl for name, spec in self._by_name.items()}
