"""How much text and markup one file may hold, so that every render has a bounded cost.

Parsing is linear, but laying a PDF out is not: WeasyPrint's line breaking
grows with the square of the styled pieces in a paragraph (measured with
WeasyPrint 70: 200 emphasised words in one paragraph take 0.7 s, 1,000 take
4 s, 4,000 a minute), and with the text of the whole release. These limits
sit far above what press copy needs and far below what would stall a
command; they are checked when a file is loaded, so no command (and no page
of the preview) ever starts rendering a file over them. A render that takes
too long anyway is stopped (:mod:`pressroom.render.deadline`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pressroom.errors import Problem
from pressroom.load.yamlfile import Located, Path_

TEXT_MAX = 20_000
"""Characters in one value: about 3,000 words, ten times a long paragraph."""

FILE_TEXT_MAX = 100_000
"""Characters in all the values of one file: about 15,000 words (a long release has 1,500)."""

MARKS = "*_`[~"
"""Characters that start a styled piece of Markdown: emphasis, code, a link, strikethrough."""

MARKS_MAX = 200
"""Markup characters in one value: some 100 bold or linked phrases in a paragraph."""

FILE_MARKS_MAX = 2_000
"""Markup characters in one file."""


def _strings(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def text_problems(located: Located) -> list[Problem]:
    """Problems with the amount of text and markup in *located*'s values."""
    problems: list[Problem] = []
    total_text = total_marks = 0
    for path, text in _strings(located.data):
        marks = sum(text.count(mark) for mark in MARKS)
        total_text += len(text)
        total_marks += marks
        if len(text) > TEXT_MAX:
            problems.append(
                located.problem(
                    path,
                    f"{len(text):,} characters, more than the {TEXT_MAX:,} one value may hold",
                    hint="split it into paragraphs (one list item each)",
                    code="text-too-long",
                )
            )
        elif marks > MARKS_MAX:
            problems.append(
                located.problem(
                    path,
                    f"{marks:,} Markdown marks ({' '.join(MARKS)}), more than the "
                    f"{MARKS_MAX:,} one value may hold",
                    hint="use less emphasis and fewer links, or split the paragraph",
                    code="markup-too-complex",
                )
            )
    if not problems and total_text > FILE_TEXT_MAX:
        problems.append(
            located.problem(
                (),
                f"{total_text:,} characters of text, more than the {FILE_TEXT_MAX:,} "
                "one file may hold",
                hint="shorten it, or split it into several releases",
                code="text-too-long",
            )
        )
    elif not problems and total_marks > FILE_MARKS_MAX:
        problems.append(
            located.problem(
                (),
                f"{total_marks:,} Markdown marks ({' '.join(MARKS)}), more than the "
                f"{FILE_MARKS_MAX:,} one file may hold",
                hint="use less emphasis and fewer links",
                code="markup-too-complex",
            )
        )
    return problems
