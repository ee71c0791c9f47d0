"""Safe YAML loading that keeps the line and column of every value.

PyYAML composes the document into nodes (which carry positions); we build the
plain Python data ourselves from those nodes so that we can

* remember a position for every key path (``("body", 2, "quote")``),
* refuse duplicate keys, unknown tags and recursive aliases,
* bound alias expansion (a "billion laughs" file stops with a message),
* keep dates and times as strings (pydantic parses them, with our messages),
* read only ``true``/``false`` as booleans, so a headline "No" stays a string,
* note the traps YAML sets for writers (:class:`~pressroom.model.located.Trap`, found
  by :mod:`pressroom.load.traps`): an unquoted ``#hashtag``
  read as a comment, a folded block of ``- `` lines read as one paragraph.
  The checks decide which fields they matter in.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from yaml.resolver import BaseResolver

from pressroom.errors import LoadError, Problem
from pressroom.load.textfile import MAX_BYTES, read_text
from pressroom.load.traps import flow_traps, scalar_traps
from pressroom.load.yamlerrors import syntax_problem, unreadable_character
from pressroom.model.located import Located, Path_, key_name

MAX_NODES = 100_000
MAX_DEPTH = 64


class _Resolver(BaseResolver):
    """YAML 1.1's implicit types, less timestamps and yes/no/on/off booleans."""


_Resolver.yaml_implicit_resolvers = {}


def _install_resolvers() -> None:
    source = yaml.resolver.Resolver.yaml_implicit_resolvers
    for first, resolvers in source.items():
        for tag, regexp in resolvers:
            if tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"):
                continue
            _Resolver.yaml_implicit_resolvers.setdefault(first, []).append((tag, regexp))
    _Resolver.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )


_install_resolvers()


class _Composer(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _Resolver,
):
    def __init__(self, stream: str, budget: int | None = None):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)
        self.budget = budget

    def stale_possible_simple_keys(self) -> None:
        """PyYAML's scanner looks at every open level for each token: the work counted."""
        if self.budget is not None:
            self.budget -= len(self.possible_simple_keys) + 1
            if self.budget < 0:
                raise _OverBudget
        yaml.scanner.Scanner.stale_possible_simple_keys(self)


class _OverBudget(Exception):
    """PyYAML's parser, run again only for its messages, took more than :data:`MESSAGE_WORK`."""


try:
    from yaml._yaml import CParser

    class _CComposer(CParser, _Resolver):  # type: ignore[misc]
        """libyaml's parser (about ten times faster) with our resolver."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            _Resolver.__init__(self)

except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CComposer = None  # type: ignore[assignment,misc]


_SCALARS = yaml.constructor.SafeConstructor()


def _compose(text: str, display: str) -> yaml.Node | None:
    """The node tree: libyaml's fast parser when present; PyYAML's own for messages.

    PyYAML's scanner costs a step per open level for every token (a file of lists
    nested 60 deep took a minute for 250 kB), so the run for messages stops after
    :data:`MESSAGE_WORK` steps, and libyaml's own error is explained instead.
    """
    fast_error: yaml.MarkedYAMLError | None = None
    if _CComposer is not None:
        try:
            return _CComposer(text).get_single_node()
        except yaml.MarkedYAMLError as exc:
            fast_error = exc  # parse again in Python: its messages are the ones we explain
        except yaml.YAMLError:
            pass
    if fast_error is not None and "nesting depth" in str(fast_error.problem):
        raise LoadError([_too_deep(display, fast_error.problem_mark)])
    _check_depth(text, display)
    try:
        return _Composer(text, MESSAGE_WORK if fast_error else None).get_single_node()
    except _OverBudget:
        assert fast_error is not None
        raise LoadError([syntax_problem(fast_error, text, display)]) from None
    except RecursionError:  # deeper than _check_depth looked: PyYAML's composer recurses
        mark = fast_error.problem_mark if fast_error is not None else None
        raise LoadError([_too_deep(display, mark)]) from None
    except yaml.reader.ReaderError as exc:
        raise LoadError([unreadable_character(exc, text, display)]) from None
    except yaml.MarkedYAMLError as exc:
        raise LoadError([syntax_problem(exc, text, display)]) from None
    except yaml.YAMLError as exc:
        raise LoadError([Problem(display, f"not valid YAML: {exc}")]) from None


def _check_depth(text: str, display: str) -> None:
    """Refuse lists and mappings nested deeper than :data:`MAX_DEPTH`, before composing.

    PyYAML's composer recurses once per level (libyaml's stops at 1,000
    levels), so a line of 5,000 ``- `` would end in a RecursionError; the
    parsers do not recurse, so the events are counted here first, with libyaml's
    (fast: PyYAML's scanner slows down with every open level), the first
    :data:`DEPTH_EVENTS` of them.
    Syntax errors are left to the composer, which explains them.
    """
    depth = 0
    try:
        parser: Any = _CComposer(text) if _CComposer is not None else _Composer(text)
        for _ in range(DEPTH_EVENTS):
            if (event := parser.get_event()) is None:
                return
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise LoadError([_too_deep(display, event.start_mark)])
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                return
    except yaml.YAMLError:
        return


DEPTH_EVENTS = 20_000
"""Events :func:`_check_depth` reads (a release has a few hundred); past them, the
composer's own recursion limit is the guard."""
MESSAGE_WORK = 100_000
"""Steps of PyYAML's scanner spent on a better message for a file libyaml refused
(a tenth of a second; a release with a mistake takes a few thousand)."""


def _too_deep(display: str, mark: Any) -> Problem:
    return Problem(
        display,
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
        hint="a press room file needs only a few levels: check the indentation, "
        "dashes and brackets here",
    )


def parse(text: str, display: str) -> Located:
    """Parse YAML text into :class:`Located` data; raise :class:`LoadError` if broken."""
    node = _compose(text, display)
    located = Located(display, None)
    if node is None:
        return located
    builder = _Builder(located, text)
    located.data = builder.build(node, (), 0)
    if builder.problems:
        raise LoadError(builder.problems)
    return located


def load(path: Path, display: str, max_bytes: int = MAX_BYTES) -> Located:
    return parse(read_text(path, display, max_bytes), display)


class _Builder:
    def __init__(self, located: Located, text: str = ""):
        self.located = located
        self.lines = text.splitlines()
        self.problems: list[Problem] = []
        self.count = 0
        self.active: set[int] = set()
        self.in_flow = False
        self.too_big = False

    def _mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _fail(self, node: yaml.Node, path: Path_, message: str, hint: str = "") -> None:
        line, column = self._mark(node)
        self.problems.append(
            Problem(self.located.file, message, line, column, key=key_name(path), hint=hint)
        )

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if depth > MAX_DEPTH:
            if not self.too_big:
                self.too_big = True
                self.problems.append(_too_deep(self.located.file, node.start_mark))
            return None
        if self.count > MAX_NODES:
            if not self.too_big:
                self.too_big = True
                self._fail(
                    node,
                    path,
                    f"the document expands to too many values (more than {MAX_NODES:,}: "
                    "aliases that multiply?)",
                    hint="write the values out; pressroom files need no anchors and aliases",
                )
            return None
        if id(node) in self.active:
            self._fail(node, path, "an alias refers to itself", hint="remove the recursive alias")
            return None
        if isinstance(node, yaml.ScalarNode):
            if not self.in_flow:  # in [...] or {...}, flow_traps looked at the lines
                self.located.traps.extend(scalar_traps(node, path, self.lines))
            return self._scalar(node, path)
        self.active.add(id(node))
        outermost_flow = (
            isinstance(node, yaml.CollectionNode) and bool(node.flow_style) and not self.in_flow
        )
        if outermost_flow:
            assert isinstance(node, yaml.CollectionNode)
            self.located.traps.extend(flow_traps(node, path, self.lines))
            self.in_flow = True
        try:
            if isinstance(node, yaml.SequenceNode):
                items = []
                for i, item in enumerate(node.value):
                    self.located.marks.setdefault((*path, i), self._mark(item))
                    items.append(self.build(item, (*path, i), depth + 1))
                return items
            return self._mapping(node, path, depth)
        finally:
            self.active.discard(id(node))
            if outermost_flow:
                self.in_flow = False

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        tag = node.tag
        try:
            if tag == "tag:yaml.org,2002:null":
                return None
            if tag == "tag:yaml.org,2002:bool":
                return node.value.lower() == "true"
            if tag == "tag:yaml.org,2002:int":
                return _SCALARS.construct_yaml_int(node)
            if tag == "tag:yaml.org,2002:float":
                return _SCALARS.construct_yaml_float(node)
        except (ValueError, yaml.YAMLError):
            pass
        if tag.startswith("tag:yaml.org,2002:") or tag == "!":
            return node.value
        self._fail(node, path, f"unknown tag {tag}", hint="remove the tag")
        return node.value

    def _mapping(self, node: yaml.Node, path: Path_, depth: int) -> dict[Hashable, Any]:
        result: dict[Hashable, Any] = {}
        seen: dict[Hashable, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, path, "a key must be a plain word, not a list or mapping")
                continue
            if key_node.value == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, path, "merge keys (<<) are not supported", "write keys out")
                continue
            key = self._scalar(key_node, path)
            if not isinstance(key, str | int):
                key = str(key_node.value)
            key_path = (*path, key)
            line, column = self._mark(key_node)
            if key in seen:
                self._fail(
                    key_node,
                    key_path,
                    f"duplicate key (first given on line {seen[key]})",
                    hint="keep one of them",
                )
                continue
            seen[key] = line
            self.located.marks[key_path] = (line, column)
            result[key] = self.build(value_node, key_path, depth + 1)
        if path not in self.located.marks:
            self.located.marks[path] = self._mark(node)
        return result
