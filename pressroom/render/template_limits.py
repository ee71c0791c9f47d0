"""Every render of a template is bounded in time, in work and in the text it makes.

A room's template may come from a pull request, and the sandbox
(:mod:`pressroom.render.sandbox`) keeps it from reaching out; these limits
keep it from running away: a loop over ``range(100000)`` inside another, a
macro calling itself twice at each of forty levels, a string doubled forty
times. One render (:meth:`BoundedTemplate.render`, the only way pressroom
renders a template) gets a :class:`Budget`, kept per thread, so that it holds
in the preview's threads as in the command's main thread (no signal needed).
Past any limit the render stops with :class:`TemplateLimit`, naming the
template and the limit:

- :data:`TEMPLATE_SECONDS` of wall-clock time, looked at every few hundred steps;
- :data:`TEMPLATE_STEPS` steps: each turn of a ``{% for %}`` loop, each call
  (a macro, a method, a helper), each piece of text made;
- :data:`TEMPLATE_CHARACTERS` characters made: every piece of output (into
  the page or into a macro's or a ``{% set %}`` block's buffer), every
  ``~`` concatenation, every result of a filter, a call or an operator. An
  operation whose result is known to be too large before it is made
  (``'x' * 10**9``, a ``replace`` or ``join`` that would) is refused before
  it takes the memory; a number over :data:`LARGEST_NUMBER` given to a filter
  or a method (``center(10**9)``) is refused.

The counting is compiled into the template (:class:`BoundedCodeGenerator`):
the iterable of each ``{% for %}`` goes through :func:`counted`, and
each piece of output and each ``~`` through :meth:`Bounded.made`.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Template
from jinja2.exceptions import TemplateError, TemplateRuntimeError

TEMPLATE_SECONDS = 20.0
"""Seconds one render may take: the email of an open letter with 40,000
signatories renders in 1 to 3 seconds on a shared 2-core machine."""

TEMPLATE_STEPS = 10_000_000
"""Loop turns, calls and pieces of text in one render (40,000 signatories: 280,000)."""

TEMPLATE_CHARACTERS = 100_000_000
"""Characters one render may make, all pieces counted (40,000 signatories: 7.6 million
for the text email, which wraps every paragraph)."""

LARGEST_NUMBER = 1_000_000
"""The largest number a template may give a filter or a method (a width, a count)."""

COMPILED = "bounded-1"
"""The version of the compiled code: templates compiled before these limits are not reused."""

_CHECK_CLOCK = 256  # steps between two looks at the clock


class TemplateLimit(TemplateRuntimeError):
    """A render went past a limit and was stopped."""


class Budget:
    """What one render has used."""

    def __init__(self, name: str):
        self.name = name
        self.deadline = time.monotonic() + TEMPLATE_SECONDS
        self.steps = 0
        self.characters = 0

    def stop(self, what: str) -> TemplateLimit:
        return TemplateLimit(f"the template {self.name} was stopped: {what}")

    def step(self) -> None:
        self.steps += 1
        if self.steps > TEMPLATE_STEPS:
            raise self.stop(
                f"it took more than {TEMPLATE_STEPS:,} steps (a loop or a macro that runs away?)"
            )
        if self.steps % _CHECK_CLOCK == 0 and time.monotonic() > self.deadline:
            raise self.stop(
                f"it ran for more than {TEMPLATE_SECONDS:g} seconds (a loop or a macro that "
                "runs away?)"
            )

    def make(self, characters: int) -> None:
        """Count *characters* about to be (or just) made."""
        self.characters += characters
        if self.characters > TEMPLATE_CHARACTERS:
            raise self.stop(f"it made more than {TEMPLATE_CHARACTERS:,} characters of text")
        self.step()


_local = threading.local()


def budget() -> Budget:
    """The budget of the render running in this thread."""
    current: Budget | None = getattr(_local, "budget", None)
    if current is None:  # rendered another way than Template.render: bounded all the same
        current = _local.budget = Budget("a template")
    return current


class BoundedTemplate(Template):
    """A template whose every :meth:`render` gets a fresh :class:`Budget`."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """The text of the template, or a :class:`~jinja2.TemplateError`: a template that
        fails in Python's own way (``1 / 0``, ``'a'.center('x')``) gives one too."""
        from pressroom.errors import PressroomError

        previous = getattr(_local, "budget", None)
        _local.budget = Budget(self.name or "a template")
        try:
            return super().render(*args, **kwargs)
        except (TemplateError, PressroomError):
            raise
        except Exception as exc:  # traceback kept: it names the template's line
            error = TemplateRuntimeError(f"{type(exc).__name__}: {exc}")
            raise error.with_traceback(exc.__traceback__) from None
        finally:
            _local.budget = previous


COUNTED = "pressroom_counted"
"""The filter every ``{% for %}``'s iterable goes through (compiled in)."""


@pass_context  # never folded into a constant at compile time
def counted(context: Any, iterable: Iterable[Any]) -> Iterator[Any]:
    """*iterable*, a step of the budget for each turn."""
    spent = budget()
    for item in iterable:
        spent.step()
        yield item


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every loop turn and every piece of text counted."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in node.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, COUNTED, [], [], None, None, lineno=loop.lineno)
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.made(")
        super().visit_Concat(node, frame)
        self.write(")")

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write("environment.made(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        return f"environment.made({super()._output_const_repr(group)})"


def size(value: Any) -> int:
    """Characters (or items) in *value*, for the budget; 0 for anything else."""
    if isinstance(value, str | list | tuple | dict):
        return len(value)
    return 0


def check_numbers(values: Iterable[Any], what: str) -> None:
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > LARGEST_NUMBER:
                raise budget().stop(f"{what} was given {value:,}, over {LARGEST_NUMBER:,}")


_FORMAT_WIDTH = re.compile(r"\d{7,}|%[^a-zA-Z%]*\*")
"""A width or precision of seven digits or more, or one taken from the arguments."""


def check_format(text: Any, what: str) -> None:
    if isinstance(text, str) and _FORMAT_WIDTH.search(text):
        raise budget().stop(f"{what} asks for a width over {LARGEST_NUMBER:,} characters")


def predicted(name: str, value: Any, args: tuple[Any, ...]) -> int:
    """The most characters *name* (a ``replace``, a ``join``...) can make, before it runs."""
    if name == "replace" and isinstance(value, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        if len(new) <= len(old):
            return len(value)
        times = value.count(old) if old else len(value) + 1
        return len(value) + times * (len(new) - len(old))
    if name == "join" and isinstance(value, str) and args and isinstance(args[0], list | tuple):
        items = args[0]
        return len(value) * len(items) + sum(size(item) for item in items)
    if name == "indent" and isinstance(value, str):  # the filter: width spaces (or text) a line
        width = args[0] if args else 4
        width = len(width) if isinstance(width, str) else int(width or 0)
        return len(value) + (value.count("\n") + 1) * max(width, 0)
    if name == "expandtabs" and isinstance(value, str):
        return len(value) + value.count("\t") * max(int(args[0]) if args else 8, 0)
    if name == "translate" and isinstance(value, str) and args and isinstance(args[0], dict):
        longest = max((size(v) for v in args[0].values()), default=1)
        return len(value) * max(longest, 1)
    return 0


PREDICTED_METHODS = frozenset({"replace", "join", "expandtabs", "translate"})
"""Methods of text whose result :func:`predicted` knows before they run."""

LARGEST_JSON_INDENT = 16


def bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """*function*, a filter, with its numbers checked and its result counted."""

    @functools.wraps(function)
    def filtered(*args: Any, **kwargs: Any) -> Any:
        given = args[1:] if getattr(function, "jinja_pass_arg", None) else args
        value, rest = (given[0], given[1:]) if given else (None, ())
        check_numbers((*rest, *kwargs.values()), f"the filter {name}")
        if name == "format":
            check_format(value, "the filter format")
        if name == "join" and isinstance(value, list | tuple) and rest:
            budget().make(predicted("join", str(rest[0]), (value,)))
        elif name in ("replace", "indent"):
            budget().make(predicted(name, value, (*rest, *kwargs.values())[:2]))
        elif name == "tojson":
            indent = kwargs.get("indent", rest[0] if rest else None)
            if isinstance(indent, int) and indent > LARGEST_JSON_INDENT:
                raise budget().stop(f"tojson was given an indent of {indent}, over 16")
        result = function(*args, **kwargs)
        budget().make(size(result))
        return result

    return filtered


class Bounded:
    """What a bounded environment adds to Jinja's (trusted or sandboxed)."""

    code_generator_class: type[CodeGenerator] = BoundedCodeGenerator
    template_class: type[Template] = BoundedTemplate
    filters: dict[str, Callable[..., Any]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = {name: bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters[COUNTED] = counted

    @staticmethod
    def made(value: Any) -> Any:
        if isinstance(value, str):
            budget().make(len(value))
        return value
