"""What a template may touch: plain data, and nothing with a way out.

A room's templates (``templates/`` in the press room) may come from a pull
request, so the sandbox is an allow-list, not a block-list. A template gets
plain data only:

- text (``str``, :class:`~markupsafe.Markup`, the link types of
  :mod:`pressroom.model.links`), numbers, booleans, ``None``, dates and times
  and :class:`~decimal.Decimal`;
- lists, tuples and dicts of plain data;
- pressroom's own *values*: frozen dataclasses defined in pressroom (the
  :class:`~pressroom.render.document.Document` and what it holds), whose
  fields and properties are themselves plain data;
- the helper functions registered with :func:`template_helper` (pure text
  functions such as the email's ``wrap``), and Jinja's own machinery (loops,
  macros, ``namespace()``, ``range()``...).

Every attribute a template reads is checked (:meth:`RoomSandbox.is_safe_attribute`):
the object must be plain data and so must be what it gives back; a method is
allowed only on text, numbers and containers (``headline.split()``,
``groups.items()``), never one that changes a list or a dict the renderers
share. Anything else (a :class:`pathlib.Path` with its ``read_text`` and
``write_text``, a model with its methods, a module) stops the render with
Jinja's :class:`~jinja2.sandbox.SecurityError` naming the attribute and the
type. The test ``tests/test_template_data.py`` walks the context of every
template pressroom renders and fails on anything else.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from jinja2.environment import TemplateModule
from jinja2.exceptions import TemplateRuntimeError
from jinja2.runtime import BlockReference, LoopContext, Macro, TemplateReference, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace, generate_lorem_ipsum
from markupsafe import Markup

from pressroom.model.links import SafeUrl, WebUrl
from pressroom.render.template_limits import (
    PREDICTED_METHODS,
    Bounded,
    budget,
    check_format,
    check_numbers,
    predicted,
    size,
)

LARGEST_BITS = 100_000
"""The largest whole number a template may make (some 30,000 digits)."""

SCALARS: frozenset[type] = frozenset(
    {str, Markup, SafeUrl, WebUrl, int, float, bool, type(None)}
    | {date, datetime, time, timedelta, Decimal}
)
"""Plain values, by exact type: a subclass of ``str`` may carry more than text."""

CONTAINERS: frozenset[type] = frozenset({list, tuple, dict})

MACHINERY: tuple[type, ...] = (
    LoopContext,
    Macro,
    Namespace,
    Cycler,
    Joiner,
    BlockReference,
    TemplateReference,
    Undefined,
)
"""Jinja's own objects a template works with (``loop``, a macro, ``namespace()``...)."""

_HELPERS: set[Callable[..., Any]] = set()

F = TypeVar("F", bound=Callable[..., Any])


def template_helper(function: F) -> F:
    """Register *function* as one a template may call (pure: text in, text out)."""
    _HELPERS.add(function)
    return function


_VALUE_TYPES: dict[type, bool] = {}


def _value_type(kind: type) -> bool:
    known = _VALUE_TYPES.get(kind)
    if known is None:
        known = _VALUE_TYPES[kind] = (
            dataclasses.is_dataclass(kind)
            and kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
            and kind.__module__.startswith("pressroom.")
        )
    return known


def is_value(obj: object) -> bool:
    """A frozen dataclass of pressroom's: a value whose fields templates may read."""
    return _value_type(type(obj))


def is_plain(obj: object) -> bool:
    """Text, a number, a date, a container or a value: what a template may hold."""
    kind = type(obj)
    return kind in SCALARS or kind in CONTAINERS or is_value(obj)


def is_template_data(obj: object) -> bool:
    """What a template may be given: plain data, a registered helper, Jinja's machinery."""
    if is_plain(obj) or isinstance(obj, MACHINERY):
        return True
    try:
        return obj in _HELPERS
    except TypeError:  # unhashable
        return False


def _jinja_module(obj: object) -> bool:
    return isinstance(obj, TemplateModule)


def _plain_method(value: object) -> bool:
    """A method of text, a number or a container (``'a b'.split``, ``d.items``)."""
    if not isinstance(value, (types.BuiltinMethodType, types.MethodType)):
        return False
    owner = getattr(value, "__self__", None)
    kind = type(owner)
    return kind in SCALARS or kind in CONTAINERS or isinstance(owner, MACHINERY)


_GLOBALS: tuple[object, ...] = (dict, Cycler, Joiner, Namespace)


@template_helper
def lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    """Jinja's ``lipsum()``, at most 100 paragraphs of at most 1,000 words."""
    return generate_lorem_ipsum(n=_atmost(n, 100), html=html, min=min, max=_atmost(max, 1000))


def _atmost(value: int, largest: int) -> int:
    return value if isinstance(value, int) and value <= largest else largest


class RoomSandbox(Bounded, ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with an allow-list of plain data (see the module),
    bounded (:mod:`pressroom.render.template_limits`): every call and operator is
    counted, and one that would make too much text is refused before it runs."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["lipsum"] = lipsum

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        spent = budget()
        spent.step()
        name = getattr(__obj, "__name__", "a function")
        check_numbers((*args, *kwargs.values()), name)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and name in PREDICTED_METHODS:
            spent.make(predicted(name, owner, args))
        result = super().call(__context, __obj, *args, **kwargs)
        spent.make(size(result))
        return result

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        spent = budget()
        sequences = (str, list, tuple)
        if operator == "*":
            for items, times in ((left, right), (right, left)):
                if isinstance(items, sequences) and isinstance(times, int):
                    spent.make(len(items) * max(times, 0))
        if operator == "+" and isinstance(left, sequences) and isinstance(right, sequences):
            spent.make(len(left) + len(right))
        if operator == "%":
            check_format(left, "the % operator")
        if isinstance(left, int) and isinstance(right, int):
            bits = left.bit_length() + right.bit_length()
            if operator == "**" and abs(left) > 1 and right > 0:
                bits = right * abs(left).bit_length()
            if bits > LARGEST_BITS:
                raise spent.stop(
                    f"{operator} would make a number of more than {LARGEST_BITS:,} bits"
                )
        try:
            result = super().call_binop(context, operator, left, right)
        except ArithmeticError as exc:  # 1 / 0, 10.0 ** 1000
            raise TemplateRuntimeError(f"cannot compute {operator}: {exc}") from None
        spent.make(size(result))
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            check_format(value.__self__, "format")
        return wrapped

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if type(value) in SCALARS and _value_type(type(obj)) and not attr.startswith("_"):
            return True  # the field of a value that is text or a number: most reads
        if not super().is_safe_attribute(obj, attr, value):
            return False  # private, internal, or a method that changes a list or dict
        if not (is_plain(obj) or isinstance(obj, MACHINERY) or _jinja_module(obj)):
            return False
        if is_template_data(value) or _jinja_module(value):
            return True
        if is_value(obj):
            return False  # a value's fields and properties, never its methods
        return _plain_method(value)

    def is_safe_callable(self, obj: Any) -> bool:
        if not super().is_safe_callable(obj):
            return False
        if isinstance(obj, (Macro, LoopContext, BlockReference)) or _plain_method(obj):
            return True
        if any(obj is known for known in _GLOBALS) or obj is self.globals.get("range"):
            return True
        wrapped = getattr(obj, "__wrapped__", None)  # the sandbox's own str.format
        if wrapped is not None and isinstance(getattr(wrapped, "__self__", None), str):
            return type(wrapped.__self__) in SCALARS
        try:
            return obj in _HELPERS
        except TypeError:
            return False
