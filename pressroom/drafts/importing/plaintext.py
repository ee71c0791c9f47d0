"""Markdown and plain text (a file, or what is pasted on standard input) -> a :class:`Draft`.

Markdown is read with markdown-it (CommonMark, raw HTML off): ``#`` headings,
``**bold**``, ``*italic*``, links, lists and ``>`` quotes keep their meaning.
A line that is only an end mark (``###``, ``-30-``, ``# # #``) is an end mark,
not an empty heading. An image in Markdown names a file somewhere else: it is
kept as text, never read.

Plain text has no formatting: paragraphs are separated by blank lines, lines
starting with ``-``, ``*`` or ``•`` are bullets (a lone line opening with ``–`` is
an attribution, ``– Name, Title``, not a list), and single line breaks inside a
paragraph are kept (a contact block, an address).
"""

from __future__ import annotations

import re

from pressroom.drafts.importing.markdown import Run
from pressroom.drafts.importing.source import Draft, Piece

END_MARKS = re.compile(r"^\s*(#\s*#\s*#|-\s*30\s*-|\*\s*\*\s*\*\s*\*?)\s*$")
_BULLET = re.compile(r"^\s*[-*\u2022\u25aa\u2013]\s+")


def read_text(text: str) -> Draft:
    """Paragraphs separated by blank lines."""
    draft = Draft("text")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    block: list[tuple[int, str]] = []

    def flush() -> None:
        if not block:
            return
        first = block[0][0]
        single_dash = len(block) == 1 and block[0][1].lstrip().startswith("\u2013")
        if all(_BULLET.match(line) for _, line in block) and not single_dash:
            for number, line in block:
                draft.pieces.append(Piece([Run(_BULLET.sub("", line))], "bullet", f"line {number}"))
        else:
            body = "\n".join(line.strip() for _, line in block)
            draft.pieces.append(Piece([Run(body)], "normal", f"line {first}"))
        block.clear()

    for number, line in enumerate(lines, 1):
        if line.strip():
            block.append((number, line.rstrip()))
        else:
            flush()
    flush()
    return draft


def read_markdown(text: str) -> Draft:
    """A Markdown draft: headings, emphasis, links, lists and quotes."""
    from markdown_it import MarkdownIt

    draft = Draft("Markdown")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    # an end mark on its own line is not a heading: split the text there
    chunks: list[tuple[int, list[str]]] = [(0, [])]
    for index, line in enumerate(lines):
        if END_MARKS.match(line):
            chunks.append((index, [line.strip()]))
            chunks.append((index + 1, []))
        else:
            chunks[-1][1].append(line)
    parser = MarkdownIt("commonmark", {"html": False}).enable("strikethrough")
    for offset, chunk in chunks:
        if len(chunk) == 1 and END_MARKS.match(chunk[0]):
            draft.pieces.append(Piece([Run(chunk[0])], "normal", f"line {offset + 1}"))
            continue
        _pieces(parser.parse("\n".join(chunk)), offset, draft)
    return draft


def _pieces(tokens: list, offset: int, draft: Draft) -> None:  # type: ignore[type-arg]
    role_stack: list[str] = []
    quote = 0
    pending: tuple[str, int] = ("normal", 0)
    for token in tokens:
        kind = token.type
        if kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            role_stack.append("bullet" if kind.startswith("bullet") else "number")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            role_stack.pop()
        elif kind == "heading_open":
            pending = ("heading", int(token.tag[1:]))
        elif kind == "inline":
            line = (token.map[0] if token.map else 0) + offset + 1
            if pending[0] == "heading":
                role, level = pending
            elif quote:
                role, level = "quote", 0
            elif role_stack:
                role, level = role_stack[-1], len(role_stack) - 1
            else:
                role, level = "normal", 0
            runs = _runs(token.children or [])
            if "".join(run.text for run in runs).strip():
                draft.pieces.append(Piece(runs, role, f"line {line}", level))
            pending = ("normal", 0)
        elif kind == "code_block" or kind == "fence":
            line = (token.map[0] if token.map else 0) + offset + 1
            draft.pieces.append(Piece([Run(token.content.strip())], "normal", f"line {line}"))


def _runs(children: list) -> list[Run]:  # type: ignore[type-arg]
    runs: list[Run] = []
    bold = italic = 0
    href: str | None = None
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = str(child.attrs.get("href", "")) or None
        elif kind == "link_close":
            href = None
        elif kind in ("text", "code_inline"):
            runs.append(Run(child.content, bool(bold), bool(italic), href))
        elif kind == "softbreak":
            runs.append(Run(" ", bool(bold), bool(italic), href))
        elif kind == "hardbreak":
            runs.append(Run("\n", bool(bold), bool(italic), href))
        elif kind == "image":
            src = str(child.attrs.get("src", ""))
            runs.append(Run(f"{child.content} ({src})".strip(), bool(bold), bool(italic), None))
    return runs
