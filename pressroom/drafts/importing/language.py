"""Which language a draft is written in, and the language's typography taken back off.

:func:`detect_language` counts the words only one language uses (its release
line, contact and About labels, quote verbs, month names: :mod:`.wording`) and
its quote marks; the most frequent wins when it occurs at least twice, else the
document's own language tag (Word's ``w:lang`` on its styles and runs, read by
:func:`document_language`; OpenDocument's ``fo:language``, :func:`odf_language`)
decides. When the language differs from the room's,
the release gets ``language:``.

:func:`plain_typography` turns the language's own quote marks back into the
straight quotes a writer types (``„Wort“`` and ``« mot »`` -> ``"..."``) and
takes off French's narrow no-break space before ``; : ! ?``: pressroom sets both
again when it renders the release in that language, so the release shows what
the draft showed, and a quote's outer marks are found whatever the language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from babel.dates import get_month_names

from pressroom.drafts.importing.markdown import Run
from pressroom.drafts.importing.source import Draft
from pressroom.drafts.importing.wording import LANGUAGES, words_of
from pressroom.i18n.language import primary_language


@lru_cache(maxsize=1)
def _markers() -> dict[str, re.Pattern[str]]:
    """Per language, a pattern of the phrases only that language uses (labels, verbs,
    month names): a phrase two languages share tells nothing."""
    owners: dict[str, set[str]] = {}
    for language, words in words_of().items():
        for kind, found in words.items():
            if kind in ("salutation", "about", "breaking", "advisory"):
                continue  # short words ("An", "Over", "URGENT", "WO") that prose has too
            for phrase in found:
                if len(phrase) >= 4:
                    owners.setdefault(phrase.casefold(), set()).add(language)
    for language in LANGUAGES:
        for name in get_month_names("wide", "format", language).values():
            owners.setdefault(str(name).casefold(), set()).add(language)
    patterns: dict[str, re.Pattern[str]] = {}
    for language in LANGUAGES:
        own = sorted((p for p, who in owners.items() if who == {language}), key=len, reverse=True)
        patterns[language] = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(p) for p in own) + r")(?!\w)", re.IGNORECASE
        )
    return patterns


QUOTE_MARKS = {"de": ("\u201e",), "fr": ("\u00ab\u202f", "\u00ab\u00a0", "\u00ab ")}


def detect_language(texts: Iterable[str], tagged: str | None) -> str | None:
    """The language a draft's *texts* are written in.

    The document's own tag *tagged* (``de-DE``) when some of that language's own
    words occur (a Word draft typed in German is tagged German; an English one typed
    on a German computer has no German labels); else the language whose own words
    occur most, at least twice; else *tagged*; else None."""
    counts: Counter[str] = Counter()
    for text in texts:
        for language, pattern in _markers().items():
            counts[language] += len(pattern.findall(text))
        for language, marks in QUOTE_MARKS.items():
            counts[language] += sum(text.count(mark) for mark in marks)
    own = primary_language(tagged) if tagged else None
    if own in LANGUAGES and counts[own] > 0:
        return str(tagged).replace("_", "-")
    best = counts.most_common(2)
    if best and best[0][1] >= 2 and (len(best) < 2 or best[0][1] > best[1][1]):
        return best[0][0]
    if own in LANGUAGES:
        return str(tagged).replace("_", "-")
    return None


PAIRS = {
    "de": (("\u201e", "\u201c"), ("\u00bb", "\u00ab")),
    "fr": (("\u00ab", "\u00bb"),),
    "es": (("\u00ab", "\u00bb"),),
    "it": (("\u00ab", "\u00bb"),),
    "pt": (("\u00ab", "\u00bb"),),
}
"""Each language's double quote marks (opening, closing) that become ``"``."""
_SPACES = "\u202f\u00a0 "
_BEFORE_MARK = re.compile(r"[\u202f\u00a0](?=[;:!?])")


def plain_typography(runs: list[Run], language: str) -> list[Run]:
    """*runs* with *language*'s quote marks as straight quotes (only in pairs: an
    opening mark and the closing one after it) and French spacing taken off."""
    pairs = PAIRS.get(primary_language(language), ())
    if not pairs:
        return runs
    french = primary_language(language) == "fr"
    whole = "".join(run.text for run in runs)
    last = {pair[1]: whole.rfind(pair[1]) for pair in pairs}
    out: list[Run] = []
    closing: str | None = None
    offset = 0
    for run in runs:
        chars = list(run.text)
        for index, ch in enumerate(chars):
            if closing is None:
                pair = next((p for p in pairs if p[0] == ch), None)
                if pair is not None and last[pair[1]] > offset + index:
                    chars[index], closing = '"', pair[1]
                    if french:
                        _drop_space(chars, index + 1)
            elif ch == closing:
                chars[index], closing = '"', None
                if french:
                    _drop_space(chars, index - 1)
        offset += len(run.text)
        text = "".join(chars)
        if french:
            text = _BEFORE_MARK.sub("", text)
        out.append(Run(text, run.bold, run.italic, run.href))
    return out


def _drop_space(chars: list[str], index: int) -> None:
    if 0 <= index < len(chars) and chars[index] in _SPACES:
        chars[index] = ""


def document_language(roots: Iterable[Any], namespace: str) -> str | None:
    """The language tag most of a Word document's ``w:lang`` marks name (styles and runs)."""
    counts: Counter[str] = Counter()
    for root in roots:
        if root is None:
            continue
        for element in root.iter(namespace + "lang"):
            value = element.get(namespace + "val")
            if value and re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", value):
                counts[value] += 1
    return counts.most_common(1)[0][0] if counts else None


def settle_language(draft: Draft, room_locale: str) -> str | None:
    """Read *draft*'s language and take its typography off its pieces; the tag to write
    as the release's ``language:`` when it differs from the room's *room_locale*."""
    texts = [piece.text for piece in draft.pieces] + draft.header_text + [draft.subject]
    found = detect_language(texts, draft.language or None)
    if found is None:
        return None
    for piece in draft.pieces:
        piece.runs = plain_typography(piece.runs, found)
        piece.cells = [
            "".join(run.text for run in plain_typography([Run(cell)], found))
            for cell in piece.cells
        ]
    if primary_language(found) == primary_language(room_locale):
        return None
    return found if found in LANGUAGES or "-" in found else primary_language(found)


def odf_language(roots: Iterable[Any], fo: str) -> str | None:
    """The language most of an OpenDocument's text properties name (``fo:language``
    and ``fo:country``: ``de`` and ``DE`` -> ``de-DE``)."""
    counts: Counter[str] = Counter()
    for root in roots:
        if root is None:
            continue
        for element in root.iter():
            language = element.get(fo + "language")
            if not language or not re.fullmatch(r"[A-Za-z]{2,3}", language):
                continue
            country = element.get(fo + "country") or ""
            region = country if re.fullmatch(r"[A-Za-z]{2}|\d{3}", country) else ""
            counts[f"{language}-{region}" if region else language] += 1
    return counts.most_common(1)[0][0] if counts else None
