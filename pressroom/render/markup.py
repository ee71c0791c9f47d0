"""Markdown in text fields -> HTML, styled runs (for Word) and plain text.

One parser (markdown-it, CommonMark, raw HTML disabled so that a ``<script>``
in a release is shown as text) with typography on: curly quotes, dashes from
``--`` and ``---``, ellipses, and the quote marks and punctuation spacing of the
text's language (:mod:`pressroom.i18n.typography`). Relative links resolve
against ``org.website``; a link whose scheme is not http(s), mailto or tel is
left as text (``check`` reports it as ``bad-link``).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from urllib.parse import urljoin

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from pressroom.i18n.typography import ENGLISH, Typography, space_punctuation
from pressroom.model.links import link_allowed

TEXT_WIDTH = 72
_DOUBLE_HYPHEN = re.compile(r"(?<![-`])--(?![-`])")


def _dashes(text: str) -> str:
    """Writers type ``--`` for the em dash of press copy (``---`` works as well)."""
    return _DOUBLE_HYPHEN.sub("\u2014", text) if "--" in text else text


@dataclass(frozen=True)
class Span:
    """A run of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Para:
    """A paragraph-level piece: a paragraph, a list item or a heading."""

    spans: tuple[Span, ...]
    kind: str = "paragraph"  # paragraph | bullet | number | heading
    level: int = 0  # list nesting depth (0 = top) or heading level
    number: int | None = None

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class Rich:
    """A Markdown text field, ready for every format."""

    markdown: str
    html: Markup
    paras: tuple[Para, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        """Plain text, paragraphs separated by blank lines, wrapped for email."""
        return plain_text(self.paras)

    @property
    def inline_html(self) -> Markup:
        """The HTML without a wrapping paragraph, for one-paragraph fields."""
        html = str(self.html).strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            return Markup(html[3:-4])
        return self.html

    def __bool__(self) -> bool:
        return bool(self.markdown.strip())


@lru_cache(maxsize=16)
def _parser(quotes: tuple[str, str, str, str] = ENGLISH.quotes) -> MarkdownIt:
    options = {"typographer": True, "html": False, "quotes": list(quotes)}
    parser = MarkdownIt("commonmark", options).enable(
        ["replacements", "smartquotes", "strikethrough"]
    )
    default = parser.validateLink

    def validate_link(url: str) -> bool:
        """Only relative, http(s), mailto and tel links: anything else stays text."""
        return default(url) and link_allowed(url)

    parser.validateLink = validate_link  # type: ignore[method-assign]
    return parser


def _absolute(href: str, base: str | None) -> str:
    if not base or href.startswith(("#", "mailto:", "tel:")) or "://" in href:
        return href
    return urljoin(base.rstrip("/") + "/", href)


def _resolve_links(tokens: list[Token], base: str | None) -> None:
    for token in tokens:
        if token.type == "link_open":
            token.attrSet("href", _absolute(str(token.attrGet("href") or ""), base))
        if token.children:
            _resolve_links(token.children, base)


def _space_punctuation(tokens: list[Token], space: str, in_link: bool = False) -> None:
    """The language's space before ``; : ! ?`` in text runs: not in code, not in a
    link whose text is an address."""
    for token in tokens:
        if token.type == "link_open":
            in_link = True
        elif token.type == "link_close":
            in_link = False
        elif token.type == "text" and not (
            in_link and ("://" in token.content or "@" in token.content)
        ):
            token.content = space_punctuation(token.content, space)
        if token.children:
            _space_punctuation(token.children, space, in_link)


class Markdown:
    """Renders Markdown fields for one room (its website resolves relative links),
    in one language's typography."""

    def __init__(self, base_url: str | None = None, typography: Typography = ENGLISH):
        self.base_url = base_url
        self.typography = typography
        self._parser = _parser(typography.quotes)

    @cached_property
    def inner(self) -> Markdown:
        """The same, for text inside the quote marks pressroom sets around a
        spokesperson's words: a writer's straight quotes there become the language's
        inner marks (de „… ‚Formsache‘ …“, fr « … “formalité” … », en “… ‘this’ …”)."""
        q = self.typography.quotes
        return Markdown(self.base_url, replace(self.typography, quotes=(q[2], q[3], q[0], q[1])))

    def _typeset(self, tokens: list[Token]) -> list[Token]:
        if self.typography.punctuation_space:
            _space_punctuation(tokens, self.typography.punctuation_space)
        return tokens

    def rich(self, text: str | None) -> Rich:
        source = (text or "").strip()
        tokens = self._typeset(self._parser.parse(_dashes(source)))
        _resolve_links(tokens, self.base_url)
        html = self._parser.renderer.render(tokens, self._parser.options, {})
        return Rich(source, Markup(html), tuple(_paras(tokens)))

    def line(self, text: str | None) -> str:
        """A one-line field (headline, name) with typography, as plain text."""
        if not text:
            return ""
        tokens = self._typeset(self._parser.parseInline(_dashes(text.strip())))
        return "".join(span.text for span in _spans(tokens[0].children or []))


def _spans(children: list[Token]) -> list[Span]:
    spans: list[Span] = []
    bold = italic = 0
    href: list[str] = []
    for token in children:
        kind = token.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href.append(str(token.attrGet("href") or ""))
        elif kind == "link_close":
            href.pop()
        elif kind in ("text", "code_inline", "softbreak", "hardbreak", "image"):
            text = token.content
            if kind == "softbreak":
                text = " "
            elif kind == "hardbreak":
                text = "\n"
            spans.append(
                Span(
                    text,
                    bold=bold > 0,
                    italic=italic > 0,
                    code=kind == "code_inline",
                    href=href[-1] if href else None,
                )
            )
    return _merge([span for span in spans if span.text])


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].code, merged[-1].href) == (
            span.bold,
            span.italic,
            span.code,
            span.href,
        ):
            merged[-1] = Span(
                merged[-1].text + span.text, span.bold, span.italic, span.code, span.href
            )
        else:
            merged.append(span)
    return merged


def _paras(tokens: list[Token]) -> list[Para]:
    paras: list[Para] = []
    lists: list[list[int]] = []  # stack of [ordered?, next number]
    item_kind: list[str] = []
    heading_level = 0
    for token in tokens:
        kind = token.type
        if kind == "bullet_list_open":
            lists.append([0, 0])
        elif kind == "ordered_list_open":
            lists.append([1, int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_kind.append("new")
        elif kind == "list_item_close":
            item_kind.pop()
        elif kind == "heading_open":
            heading_level = int(token.tag[1])
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "inline":
            spans = tuple(_spans(token.children or []))
            if heading_level:
                paras.append(Para(spans, "heading", heading_level))
            elif lists and item_kind and item_kind[-1] == "new":
                ordered, number = lists[-1]
                paras.append(
                    Para(
                        spans,
                        "number" if ordered else "bullet",
                        len(lists) - 1,
                        number if ordered else None,
                    )
                )
                lists[-1][1] += 1
                item_kind[-1] = "continued"
            else:
                paras.append(Para(spans, "paragraph", len(lists)))
        elif kind in ("code_block", "fence"):
            paras.append(Para((Span(token.content.rstrip("\n"), code=True),), "paragraph"))
    return paras


def span_text(span: Span) -> str:
    """A span as plain text: a link shows its address when that adds anything."""
    if span.href and span.href not in (span.text, f"mailto:{span.text}"):
        return f"{span.text} <{span.href.removeprefix('mailto:')}>"
    return span.text


def plain_text(paras: tuple[Para, ...] | list[Para], width: int = TEXT_WIDTH) -> str:
    blocks: list[str] = []
    for para in paras:
        text = "".join(span_text(span) for span in para.spans)
        indent = "  " * para.level
        if para.kind == "bullet":
            first, rest = f"{indent}- ", f"{indent}  "
        elif para.kind == "number":
            first = f"{indent}{para.number}. "
            rest = " " * len(first)
        else:
            first = rest = indent
        if para.kind == "heading":
            text = text.upper()
        lines = [
            textwrap.fill(
                part,
                width=width,
                initial_indent=first if i == 0 else rest,
                subsequent_indent=rest,
                break_long_words=False,
                break_on_hyphens=False,
            )
            for i, part in enumerate(text.split("\n"))
        ]
        blocks.append("\n".join(lines))
    # list items of one list sit on consecutive lines
    out = ""
    for i, block in enumerate(blocks):
        if i:
            tight = paras[i].kind in ("bullet", "number") and paras[i - 1].kind == paras[i].kind
            out += "\n" if tight else "\n\n"
        out += block
    return out


def html_escape(text: str) -> Markup:
    return escape(text)
