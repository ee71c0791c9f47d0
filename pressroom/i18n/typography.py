"""Typography per language, as data: quote marks and the space before punctuation.

The quote marks are the ones pressroom sets around a spokesperson's words and the
ones a writer's straight quotes (``"`` and ``'``) become (markdown-it's smartquotes,
which leaves code and link targets alone); an apostrophe inside a word becomes
``’`` in every language. French sets a narrow no-break space (U+202F) inside its
guillemets and before ``; : ! ?``; :func:`space_punctuation` adds it to running
text, never inside a URL, a time (``10:00``) or code (the Markdown renderer applies
it to text runs only).

A language is looked up by its full tag first (``de-CH`` writes « »), then by its
primary language, then English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pressroom.i18n.language import primary_language

NNBSP = "\u202f"  # narrow no-break space


@dataclass(frozen=True)
class Typography:
    quotes: tuple[str, str, str, str]
    """Opening and closing double quote, opening and closing single (nested) quote."""
    punctuation_space: str = ""
    """Set before ``; : ! ?`` (French: a narrow no-break space)."""

    @property
    def opening(self) -> str:
        return self.quotes[0]

    @property
    def closing(self) -> str:
        return self.quotes[1]


ENGLISH = Typography(("\u201c", "\u201d", "\u2018", "\u2019"))

TYPOGRAPHY: dict[str, Typography] = {
    "en": ENGLISH,
    "nl": Typography(("\u201c", "\u201d", "\u2018", "\u2019")),
    "de": Typography(("\u201e", "\u201c", "\u201a", "\u2018")),
    "de-CH": Typography(("\u00ab", "\u00bb", "\u2039", "\u203a")),
    "fr": Typography(
        ("\u00ab" + NNBSP, NNBSP + "\u00bb", "\u201c", "\u201d"), punctuation_space=NNBSP
    ),
    "es": Typography(("\u00ab", "\u00bb", "\u201c", "\u201d")),
    "it": Typography(("\u00ab", "\u00bb", "\u201c", "\u201d")),
    "pt": Typography(("\u00ab", "\u00bb", "\u201c", "\u201d")),
    "pt-BR": Typography(("\u201c", "\u201d", "\u2018", "\u2019")),
}


def typography_for(language: str) -> Typography:
    tag = language.replace("_", "-")
    region = tag.split("-")
    full = f"{region[0].lower()}-{region[-1].upper()}" if len(region) > 1 else ""
    return TYPOGRAPHY.get(full) or TYPOGRAPHY.get(primary_language(tag)) or ENGLISH


OPENING_QUOTES = frozenset(
    {'"', "'"} | {mark.strip() for t in TYPOGRAPHY.values() for mark in t.quotes[::2]}
)
"""Every opening mark: a quote that starts with one already has its marks."""

_BEFORE = re.compile(
    r"(?<=[^\s(\[\u00ab\u2039/:;!?])"  # after a word (not an opening mark, not a URL's //)
    r"[ \u00a0\u202f]?([;:!?]+)"  # any space the writer typed is replaced
    r"(?=\s|$|[)\]\u00bb\u203a\u201d\u2019\"',.])"  # then a space, the end or a closing mark
)
"""``;:!?`` after a word, followed by a space, the end or closing punctuation: not
``10:00``, not ``https://``, not ``?q=1``."""


_OPENING = re.compile(r"^[ \u00a0]([;:!?]+)(?=\s|$)")
"""A run of text that opens with `` :`` (after a link or emphasis): the typed space
becomes the narrow no-break one."""


def space_punctuation(text: str, space: str) -> str:
    """*text* with *space* before each ``; : ! ?`` that ends a word."""
    if not space or not any(mark in text for mark in ";:!?"):
        return text
    text = _OPENING.sub(lambda m: space + m[1], text)
    return _BEFORE.sub(lambda m: space + m[1], text)
