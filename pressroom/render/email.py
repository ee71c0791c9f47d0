"""Document -> HTML email with a plain-text alternative.

Two templates, both overridable by a room (``templates/`` in the press room):

``email.html.j2``
    A table-based, 600px wide layout that survives Gmail, Outlook and Apple
    Mail. Its stylesheet ``email.css`` (also overridable) is inlined into
    ``style=""`` attributes with css-inline; only the ``@media`` rules (phone
    layout and dark mode), which cannot be inlined, stay in one small
    ``<style>`` block.
``email.txt.j2``
    The text/plain part, readable as it is, wrapped at 72 columns.

Both templates receive ``doc`` (the :class:`~pressroom.render.context.Document`),
``greeting`` and ``unsubscribe`` (``None`` for builds), ``subject``, ``about_heading`` (empty
when the boilerplate opens with its own "About ..."), ``ps_label`` (empty when
the postscript opens with its own "P.S.") and ``blocks``: the body blocks
with the lead-in (``BALTIMORE, December 1, 2026 —``) already merged into the
first paragraph, each with ``kind``, ``html``, ``text``, ``heading`` and
``attribution``. The text template also gets the helpers ``wrap``, ``indent``,
``rich_text`` and ``labelled`` defined below.

The golden files of the example releases (tests/golden/) are regenerated with::

    python -m tests.regen_golden
"""

from __future__ import annotations

import base64
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import css_inline
import jinja2
from markupsafe import Markup, escape

from pressroom.render.document import Block, Document
from pressroom.render.environment import template_source
from pressroom.render.linkcheck import require_safe_links
from pressroom.render.markup import TEXT_WIDTH, Para, Rich, Span, plain_text
from pressroom.render.sandbox import template_helper

HTML_TEMPLATE = "email.html.j2"
TEXT_TEMPLATE = "email.txt.j2"
STYLESHEET = "email.css"


@dataclass(frozen=True)
class Email:
    subject: str
    html: str
    text: str
    preheader: str
    language: str = "en"
    """Its language (BCP 47): the ``lang`` of the HTML, and of the subject where the
    preview shows it."""


@dataclass(frozen=True)
class BodyBlock:
    """A body block as the email templates show it."""

    kind: str  # paragraph | heading | quote
    html: Markup
    text: str
    heading: str = ""
    attribution: str = ""
    rich: Rich | None = None  # the quote's text, for re-wrapping with an indent


def render_email(
    doc: Document,
    env: jinja2.Environment,
    greeting: str | None = None,
    unsubscribe: str | None = None,
    logo_src: str | None = None,
) -> Email:
    """The email for *doc*: subject, inlined HTML, plain text and preheader.

    *greeting* ("Dear Ana," or a substitution tag such as ``{{first_name}}``)
    opens both parts when given; it is shown as text, never interpreted.
    *unsubscribe* (an address, or a placeholder for one) makes both parts end
    with an unsubscribe line, after the organisation's postal address.
    *logo_src* (``cid:...`` for a logo sent inline) shows the logo; by default the
    newsroom's copy when the room has one (``org.newsroom``), else the name in text.
    """
    context = {
        "doc": doc,
        "greeting": greeting,
        "unsubscribe": unsubscribe,
        "logo_src": logo_src or doc.org.logo_url,
        "logo_width": logo_width(doc),
        "subject": doc.subject,
        "blocks": body_blocks(doc),
        "about_heading": about_heading(doc),
        "ps_label": ps_label(doc),
        "css": Markup(template_source(env, STYLESHEET)),
        "prefixed": prefixed,
        "link": link,
        **doc.words.jinja(),
    }
    html = env.get_template(HTML_TEMPLATE).render(context)
    inliner = css_inline.CSSInliner(
        keep_at_rules=True,  # @media rules (phone, dark mode) stay in one <style>
        load_remote_stylesheets=False,
        keep_link_tags=False,
    )
    html = require_safe_links(_style_after_meta(inliner.inline(html)), f"{doc.name}: the email")
    text = env.get_template(TEXT_TEMPLATE).render(
        context,
        wrap=wrap,
        indent=indent,
        rich_text=rich_text,
        labelled=labelled,
    )
    return Email(
        subject=doc.subject,
        html=html,
        text=tidy_text(text),
        preheader=doc.preheader,
        language=doc.language,
    )


LOGO_HEIGHT = 40  # pixels: the header's wordmark line


def logo_width(doc: Document) -> int:
    """The logo's width in the email at :data:`LOGO_HEIGHT` (Outlook needs both)."""
    from pressroom.load.bounds import picture_size

    size = picture_size(Path(doc.org.logo)) if doc.org.logo else None
    if not size or not size[1]:
        return LOGO_HEIGHT * 4
    return min(round(size[0] * LOGO_HEIGHT / size[1]), 400)


_LEADING_STYLE = re.compile(r"(<head[^>]*>)(\s*<style[^>]*>.*?</style>)(.*?)(</head>)", re.S | re.I)


def _style_after_meta(html: str) -> str:
    """css-inline puts the kept @media rules first in <head>: move them after the
    <meta> tags, so that the charset stays within the first 1024 bytes."""
    return _LEADING_STYLE.sub(lambda m: m[1] + m[3] + m[2].strip() + "\n" + m[4], html, count=1)


def body_blocks(doc: Document) -> list[BodyBlock]:
    """doc.blocks, with the lead-in opening the first paragraph (in bold in HTML)."""
    blocks = [_body_block(block) for block in doc.blocks]
    if not doc.lead_in:
        return blocks
    first = doc.blocks[0] if doc.blocks else None
    if first and first.kind == "paragraph" and first.rich and _opens_with_paragraph(first.rich):
        blocks[0] = BodyBlock(
            "paragraph",
            prefixed(first.rich, doc.lead_in, "lead-in"),
            labelled(doc.lead_in, first.rich, " "),
        )
    else:  # the body opens with a heading, a quote or a list: the lead-in stands alone
        html = Markup('<p><strong class="lead-in">{}</strong></p>\n').format(doc.lead_in)
        blocks.insert(0, BodyBlock("paragraph", html, wrap(doc.lead_in)))
    return blocks


def about_heading(doc: Document) -> str:
    """``About <org>`` above the boilerplate, unless the boilerplate opens with its own."""
    opening = doc.words("About %(org)s", org="").strip().lower()
    text = doc.boilerplate.text.lower() if doc.boilerplate else ""
    if text.startswith("about ") or (opening and text.startswith(opening + " ")):
        return ""
    return doc.about_heading


def ps_label(doc: Document) -> str:
    """``P.S.`` (in the release's language) before the postscript, unless it has one."""
    label = doc.words("P.S.")
    text = doc.ps.text.lstrip("*_ ").upper() if doc.ps else ""
    return "" if text.startswith(("P.S", "PS ", "P. S.", label.upper())) else label


@template_helper
def link(href: str, text: str) -> Markup:
    """``<a href="...">text</a>``, both escaped: a link put into a message's placeholder."""
    return Markup('<a href="{}">{}</a>').format(href, text)


def _opens_with_paragraph(rich: Rich) -> bool:
    return (
        str(rich.html).startswith("<p>") and bool(rich.paras) and rich.paras[0].kind == "paragraph"
    )


@template_helper
def prefixed(rich: Rich, prefix: str, css_class: str = "prefix") -> Markup:
    """*rich* as HTML with *prefix* in bold at the start of its first paragraph."""
    lead = Markup('<strong class="{}">{}</strong> ').format(css_class, prefix)
    html = str(rich.html)
    if _opens_with_paragraph(rich):
        return Markup("<p>") + lead + Markup(html[3:])
    return Markup("<p>") + lead + Markup("</p>\n") + rich.html


def _body_block(block: Block) -> BodyBlock:
    if block.kind == "heading":
        return BodyBlock("heading", escape(block.heading), block.heading.upper(), block.heading)
    assert block.rich is not None
    return BodyBlock(
        block.kind, block.rich.html, block.rich.text, attribution=block.attribution, rich=block.rich
    )


# -- plain-text helpers (available to email.txt.j2) ------------------------------------


@template_helper
def wrap(text: str, indent: str = "", hanging: str | None = None, width: int = TEXT_WIDTH) -> str:
    """*text* as lines of at most *width* columns; long URLs are never broken."""
    lines = []
    for part in (text or "").split("\n"):
        lines.append(
            textwrap.fill(
                part,
                width=width,
                initial_indent=indent,
                subsequent_indent=indent if hanging is None else hanging,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(lines)


@template_helper
def indent(text: str, prefix: str = "    ") -> str:
    return textwrap.indent(text, prefix, lambda line: bool(line.strip()))


@template_helper
def rich_text(rich: Rich | None, prefix: str = "") -> str:
    """A Markdown field as plain text, wrapped so that *prefix* + line fits 72 columns."""
    if rich is None:
        return ""
    return indent(plain_text(rich.paras, width=TEXT_WIDTH - len(prefix)), prefix)


@template_helper
def labelled(label: str, value: Rich | str | None, sep: str = ": ") -> str:
    """``WHAT: text`` wrapped as one paragraph; a list goes under its label."""
    if value is None:
        return ""
    if isinstance(value, str):
        return wrap(f"{label}{sep}{value}")
    paras = value.paras
    if paras and paras[0].kind == "paragraph":
        first = Para((Span(f"{label}{sep}"),) + paras[0].spans)
        return plain_text((first,) + paras[1:])
    return f"{label}{sep.rstrip()}\n{plain_text(paras)}"


_BLANK_RUNS = re.compile(r"\n{3,}")


def tidy_text(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one final newline."""
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"


def page_logo_src(doc: Document) -> str | None:
    """The logo as the journalist will see it at the head of the email, for a page that
    shows the email (the preview, ``pressroom build``'s .html): the newsroom's copy when
    there is one, else (it travels inline, cid:) the room's file as a data: address,
    since a page cannot show a cid: picture. None: the name as a wordmark."""
    from PIL import Image, UnidentifiedImageError

    if doc.org.logo_url or doc.org.logo is None:
        return None
    try:
        with Image.open(doc.org.logo) as opened:  # typed by what it is, as when sent
            kind = {"PNG": "image/png", "JPEG": "image/jpeg"}.get(opened.format or "")
    except (UnidentifiedImageError, OSError):
        return None
    if kind is None:
        return None
    return f"data:{kind};base64,{base64.b64encode(Path(doc.org.logo).read_bytes()).decode()}"
