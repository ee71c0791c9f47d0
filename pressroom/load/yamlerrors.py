"""Why a YAML file does not parse, said at the real cause, as its writer would see it.

PyYAML reports where parsing stopped, in its own words ("while parsing a block
mapping, expected <block end>, but found '<scalar>'"), often lines below the
mistake. :func:`syntax_problem` names what a press officer actually typed:

- a ``#word`` read as a comment that cut a value, or a list in ``[...]`` (at
  the hashtag's own line, however far below the parser stopped);
- a value that opens with a quote and goes on after the closing one
  (``headline: "Yes" to Parks``);
- a colon followed by a space inside a value, and curly quotes (“ ”) taken for
  YAML's quotes around one;
- a tab used for indentation, a quoted text never closed;
- a control character YAML refuses (:func:`unreadable_character`).

Every message suggests the line as it should be written, where one line can say.
"""

from __future__ import annotations

import re

import yaml

from pressroom.errors import Problem

SHOWN = 60
"""Characters of a value quoted in a message."""
QUOTE_HINT = "put the whole value in quotes"
LIST_HINT = 'put the item in quotes ("#{word}"), or leave out the #'
LOOK_BACK = 3
"""Lines above a syntax error searched for the hashtag that caused it (outside a list)."""
CURLY_OPENING = "\u201c\u2018\u201e\u00ab\u201a"
_HASHTAG_IN_LINE = re.compile(
    r"^(?P<lead>[ \t]*(?:- )?(?:[\w-]+:[ \t])?)(?P<text>.*?)[ \t]*#(?P<word>\w[\w-]*)"
)
_LEAD = re.compile(r"^(?P<lead>[ \t]*(?:- )?(?:[\w-]+:[ \t]+)?)(?P<value>.*)$")


def cut_text(value: str) -> str:
    """The end of *value*, on one line, short enough for a message."""
    value = " ".join(value.split())
    return value if len(value) <= SHOWN else "..." + value[-SHOWN:].lstrip()


def hashtag_message(word: str, value: str, in_list: bool = False) -> tuple[str, str]:
    """The message and hint for a ``#word`` read as a comment after *value*."""
    if in_list:
        return (
            f'"#{word}" inside [...] was read as a YAML comment, which cuts the list there',
            LIST_HINT.format(word=word),
        )
    if value.strip():
        return f'"#{word}" was read as a YAML comment, so the text stops at "{cut_text(value)}"', (
            QUOTE_HINT
        )
    return f'"#{word}" was read as a YAML comment, so the value is empty', QUOTE_HINT


def unreadable_character(exc: yaml.reader.ReaderError, text: str, display: str) -> Problem:
    """A control character YAML refuses (a form feed or an escape pasted from elsewhere)."""
    before = text[: exc.position]
    return Problem(
        display,
        f"an invisible control character (U+{exc.character:04X}) YAML does not allow",
        line=before.count("\n") + 1,
        column=len(before) - (before.rfind("\n") + 1) + 1,
        hint="delete it: it usually comes with text copied from a PDF or a web page",
    )


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    """The problem a syntax error *exc* in *text* comes from, at its line."""
    lines = text.splitlines()
    return (
        _hashtag(exc, lines, display)
        or _quoted_then_more(exc, lines, display)
        or _plain(exc, lines, display)
    )


def _in_flow(exc: yaml.MarkedYAMLError) -> bool:
    return "flow" in (exc.context or "") or "flow" in (exc.problem or "")


def _hashtag(exc: yaml.MarkedYAMLError, lines: list[str], display: str) -> Problem | None:
    """A syntax error caused by a ``#word`` that cut a value continued on the next line,
    or a list in ``[...]`` (searched up to the line the list opened on)."""
    if exc.problem_mark is None:
        return None
    below = exc.problem_mark.line
    lowest = below - 1 - LOOK_BACK
    flow = _in_flow(exc)
    if flow and exc.context_mark is not None:
        lowest = min(lowest, exc.context_mark.line - 1)
    for number in range(min(below, len(lines) - 1), max(-1, lowest), -1):
        found = _HASHTAG_IN_LINE.match(lines[number])
        if found is None or found["text"].startswith(("'", '"', "|", ">")):
            continue
        column = found.start("word") - 1
        if found["text"] and lines[number][column - 1] not in " \t":
            continue  # a "#" inside a word is text, not a comment
        in_list = flow or found["text"].count("[") > found["text"].count("]")
        message, hint = hashtag_message(found["word"], found["text"], in_list)
        if not found["text"].strip() and not in_list:  # the value above it ends there
            message = f'"#{found["word"]}" was read as a YAML comment, so the value ends above it'
        return Problem(display, message, number + 1, column + 1, hint=hint)
    return None


def _quoted_then_more(exc: yaml.MarkedYAMLError, lines: list[str], display: str) -> Problem | None:
    """``headline: "Yes" to Parks``: the quotes end the value, the rest cannot be read."""
    mark = exc.problem_mark
    if mark is None or "expected <block end>" not in (exc.problem or "") or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    written = _LEAD.match(line)
    assert written is not None  # the pattern matches any line
    value = written["value"].rstrip()
    before = line[: mark.column].rstrip()
    opening = value[:1]
    if opening not in ("'", '"') or not before.endswith(opening) or len(before) <= written.end(1):
        return None
    return Problem(
        display,
        f"the value starts with a quote, so YAML reads only {before[written.end(1) :]} "
        "and cannot read what follows the closing quote",
        line=mark.line + 1,
        column=written.end(1) + 1,
        hint=f"put the whole value in quotes: {_requoted(written['lead'], value)}",
    )


def _requoted(lead: str, value: str) -> str:
    """The line *lead* + *value* with the value in quotes YAML reads back as written."""
    if '"' in value and "'" not in value:
        quoted = f"'{value}'"
    elif "'" in value and '"' not in value:
        quoted = f'"{value}"'
    else:
        quoted = "'" + value.replace("'", "''") + "'"
    return (lead.strip() + " " + quoted).strip()


def _plain(exc: yaml.MarkedYAMLError, lines: list[str], display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "not valid YAML"
    hint = "check the indentation and quoting around this line"
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    written = _LEAD.match(line)
    lead, value = (written["lead"], written["value"].rstrip()) if written else ("", "")
    if "'\\t'" in problem or "\t" in problem:
        problem = "a tab character is used for indentation"
        hint = "YAML allows only spaces: replace the tabs with spaces"
    elif "end of stream" in problem and "quoted scalar" in (exc.context or ""):
        problem = "a quoted text is never closed"
        hint = "add the closing quote; start the line with a quote only if it ends with one"
        mark = exc.context_mark or mark
    elif "mapping values are not allowed" in problem and value and value[0] in CURLY_OPENING:
        problem = (
            f"curly quotes ({value[0]} {_closing(value[0])}) are not YAML's quotes, so the "
            "colon inside them starts a key"
        )
        straight = '"' + value[1:].rstrip("\u201d\u2019\u201c\u00bb").replace('"', '\\"') + '"'
        hint = f"use straight quotes: {(lead.strip() + ' ' + straight).strip()}"
        if mark is not None:
            mark = yaml.Mark(mark.name, mark.index, mark.line, len(lead), mark.buffer, mark.pointer)
    elif "mapping values are not allowed" in problem:
        problem = "a colon followed by a space inside a value starts a key"
        hint = "put the whole value in double quotes"
        if lead.strip() and value:
            hint += f": {_requoted(lead, value)}"
    elif exc.context:
        problem = f"{exc.context}, {problem}"
    return Problem(
        display,
        f"not valid YAML: {problem}",
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
        hint=hint,
    )


def _closing(opening: str) -> str:
    return {"\u201c": "\u201d", "\u2018": "\u2019", "\u201e": "\u201c", "\u00ab": "\u00bb"}.get(
        opening, opening
    )
