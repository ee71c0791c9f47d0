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

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pressroom.errors import Problem
from pressroom.model.located import Located, Path_

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

OUTSIDE_TOTALS = ("signatories",)
"""Keys whose values count only one by one: a letter may list thousands of names
(plain text, set in compact lines; the render's time limit bounds the rest)."""

PICTURE_PIXELS_MAX = 50_000_000
"""Pixels (width x height) in a picture: a full-frame camera's 45 megapixels pass. Decoded,
a picture takes some 8 bytes a pixel in the PDF render: a 12,000 x 12,000 PNG of 0.4 MB
cost 1.2 GB, and a larger one was silently left out."""


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
        if not (path and path[0] in OUTSIDE_TOTALS):
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


def picture_size(path: Path) -> tuple[int, int] | None:
    """Width and height from a picture's header (nothing is decoded); None if not a bitmap."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as picture:
                return picture.size
    except Image.DecompressionBombError as exc:  # Pillow's own limit, far above ours
        found = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = int(found[1]) if found else 2 * PICTURE_PIXELS_MAX
        return pixels, 1
    except (UnidentifiedImageError, OSError, ValueError):
        return None  # not a bitmap Pillow knows (an SVG): WeasyPrint draws it, or says why


def picture_problem(path: Path) -> str | None:
    """Why the picture at *path* is too large to render, or None."""
    size = picture_size(path)
    if size is None or size[0] * size[1] <= PICTURE_PIXELS_MAX:
        return None
    width, height = size
    shown = f"{width:,} x {height:,} pixels" if height > 1 else f"{width:,} pixels"
    return (
        f"is {shown}, more than the {PICTURE_PIXELS_MAX // 1_000_000} megapixels pressroom renders"
    )
