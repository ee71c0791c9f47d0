"""Text that must never reach a journalist: placeholders, examples, scraped masks.

- ``placeholder``: a writer's marker left in a release (``TK``, ``[INSERT ...]``,
  ``{{ ... }}``). Text in brackets that is a Markdown link's text is no marker:
  ``[add your name here.](https://...)`` and ``[adding](https://...)`` are links.
- ``init-placeholder``: a value of pressroom.yaml that is still the example
  ``pressroom init`` wrote (:data:`pressroom.drafts.init_answers.QUESTIONS`): the
  organisation's name, website, address and boilerplate, the sender, the example
  person. ``check`` and ``send`` refuse them, naming the line.
- ``scraped-email``: ``[email protected]``, what Cloudflare's email protection
  shows in place of an address on a web page, so text copied from one carries it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pressroom.drafts.init_answers import EXAMPLE_PERSON, QUESTIONS
from pressroom.errors import Problem
from pressroom.model.located import Path_
from pressroom.model.room import Room

PLACEHOLDERS = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\[(?:INSERT|ADD|TBD|TODO|NAME|DATE|QUOTE)\b[^\]]*\](?!\()|"
    r"\bTK\b|\bTKTK\b|\bXXX+\b|\bLorem ipsum\b|<(?:name|date|title|city|quote)>",
    re.IGNORECASE,
)
"""A writer's marker; ``[...]`` followed by ``(`` is a Markdown link, never one."""
SCRAPED_EMAIL = re.compile(r"\[email(?:\s|&nbsp;|\xa0)+protected\]", re.IGNORECASE)
SCRAPED_HINT = (
    "it is Cloudflare's mask of an address on the page the text was copied from: "
    "write the real address"
)
INIT_HINT = "replace it with your own (it would reach journalists as it is)"


@dataclass(frozen=True)
class Marker:
    """What :func:`markers_in` found: the check's code, its message and hint."""

    code: str
    message: str
    hint: str


def markers_in(text: str) -> Iterator[Marker]:
    """The first mask and the first placeholder in *text*, those there are."""
    if scraped := SCRAPED_EMAIL.search(text):
        yield Marker(
            code="scraped-email",
            message=f"'{scraped[0]}' in place of an email address",
            hint=SCRAPED_HINT,
        )
    if match := PLACEHOLDERS.search(text):
        yield Marker(
            code="placeholder",
            message=f"unresolved placeholder '{match[0]}'",
            hint="replace it with the real text before sending",
        )


def _normal(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def _at(data: Any, path: Path_) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _example_values(data: Any) -> Iterator[tuple[Path_, str]]:
    """The key paths of *data* (pressroom.yaml) that still hold an example of ``init``."""
    people = data.get("people") if isinstance(data, dict) else None
    keys = list(people) if isinstance(people, dict) else []
    for question in QUESTIONS:
        paths = [question.path]
        if question.path[0] == "people":  # the example person, under any key
            paths = [("people", key, *question.path[2:]) for key in keys]
            if EXAMPLE_PERSON not in keys:
                paths.append(question.path)
        for path in paths:
            if _is_example(_normal(_at(data, path)), _normal(question.example)):
                yield path, question.example


def _is_example(value: str, example: str) -> bool:
    """*value* is the example, or keeps one of its sentences of eight words or more
    (a boilerplate edited around "Replace these lines with...")."""
    if not value:
        return False
    sentences = [s for s in re.split(r"(?<=[.:])\s+", example) if len(s.split()) >= 8]
    return value == example or any(sentence in value for sentence in sentences)


def room_placeholders(room: Room) -> list[Problem]:
    """The examples of ``init`` still in pressroom.yaml, and masks or markers in its texts."""
    located = room.located
    if located is None or not isinstance(located.data, dict):
        return []
    problems = []
    for path, example in _example_values(located.data):
        shown = example if len(example) <= 40 else example[:37] + "..."
        problems.append(
            located.problem(
                path,
                f"still the example pressroom init wrote ({shown!r})",
                INIT_HINT,
                code="init-placeholder",
            )
        )
    for path, text in _texts(located.data, ()):
        if path[:1] not in (("org",), ("people",), ("sender",)):
            continue
        for found in markers_in(text):
            problems.append(located.problem(path, found.message, found.hint, code=found.code))
    return problems


def _texts(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))
