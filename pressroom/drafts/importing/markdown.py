"""Runs of formatted text -> the Markdown a release file holds.

Bold becomes ``**...**``, italic ``*...*``, a link ``[text](href)``; the
characters Markdown would read as markup in a paragraph of prose are escaped
with a backslash, so that the release renders the words the document showed
(an asterisk stays an asterisk, "1. " at the start of a line stays text).
Whitespace is kept outside the emphasis marks, where CommonMark needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pressroom.model.links import link_allowed


@dataclass(frozen=True)
class Run:
    """A stretch of text in one format; ``\\n`` is a line break inside the paragraph."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


_INLINE = re.compile(r"([\\`*_\[\]<~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)](?=\s|$))")


def escape(text: str) -> str:
    """*text* with Markdown's markup characters made literal."""
    text = _INLINE.sub(r"\\\1", text)
    return _ENTITY.sub("&amp;", text)


def escape_line_starts(text: str) -> str:
    """Escape what would start a heading, a list or a quote at the start of a line."""
    return "\n".join(_BLOCK_START.sub(r"\1\\\2", line) for line in text.split("\n"))


def _merged(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and (out[-1].bold, out[-1].italic, out[-1].href) == (
            run.bold,
            run.italic,
            run.href,
        ):
            out[-1] = Run(out[-1].text + run.text, run.bold, run.italic, run.href)
        else:
            out.append(run)
    return out


def _wrap(text: str, mark: str) -> str:
    """``mark`` around the words of *text*, whitespace left outside."""
    stripped = text.strip()
    if not stripped:
        return text
    start = text[: len(text) - len(text.lstrip())]
    end = text[len(text.rstrip()) :]
    return f"{start}{mark}{stripped}{mark}{end}"


def to_markdown(runs: list[Run]) -> str:
    """The Markdown of one paragraph: trimmed, line breaks kept as hard breaks."""
    parts: list[str] = []
    for run in _merged(runs):
        text = escape(run.text)
        if run.href and link_allowed(run.href) and run.text.strip():
            label = text.strip()
            href = run.href.replace(" ", "%20").replace(")", "%29").replace("(", "%28")
            lead = text[: len(text) - len(text.lstrip())]
            tail = text[len(text.rstrip()) :]
            text = f"{lead}[{label}]({href}){tail}"
        if run.italic:
            text = _wrap(text, "*")
        if run.bold:
            text = _wrap(text, "**")
        parts.append(text)
    joined = "".join(parts)
    lines = [" ".join(line.split()) for line in joined.split("\n")]
    markdown = "\\\n".join(line for line in lines if line)
    return escape_line_starts(markdown).strip()
