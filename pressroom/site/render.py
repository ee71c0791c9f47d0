"""Pages of the newsroom: the index and a page per release, from the bundled
``site/*.j2`` templates (a room overrides any of them by name under
``templates/site/``) through the one Jinja factory.

Release pages reuse the email's reading of the Document (the lead-in merged
into the first paragraph, the P.S. and "About" labels) but lay it out as a
web article, not a 600px email table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from pressroom.errors import RenderError, relative_name
from pressroom.i18n.labels import Words, words_for
from pressroom.model.links import WebUrl
from pressroom.render.context import Contact, Document
from pressroom.render.environment import template_location
from pressroom.render.linkcheck import require_safe_links
from pressroom.render.markup import Rich
from pressroom.site.languages import LanguageLink
from pressroom.site.pages import Entry, event_data, news_article, script_json

POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; font-src 'self'; "
    "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
)
"""The newsroom's Content-Security-Policy: its own images, stylesheet and fonts, and no
script at all (the JSON-LD block is data, not script). A second wall behind the escaping
and the link rules: a script that got into a page anyway does not run. Every page
carries it in a ``<meta http-equiv>`` (whatever the room's templates say); servers
should send it as a header too, with ``frame-ancestors 'none'`` (see docs/site.md)."""
_HEAD = re.compile(r"<head\b[^>]*>(\s*<meta charset=[^>]*>)?", re.I)
_DOCTYPE = re.compile(r"\s*<!DOCTYPE[^>]*>", re.I)

INDEX = "site/index.html.j2"
RELEASE = "site/release.html.j2"
STYLESHEET = "site/style.css"
FEED_ITEM = "site/feed-item.html.j2"


@dataclass(frozen=True)
class Site:
    """What every page shows of the organisation: header, contacts, footer."""

    title: str
    org_name: str
    base_url: str
    language: str
    website: WebUrl | None = None
    website_label: str = ""
    address: str | None = None
    logo: str | None = None  # path in the site, e.g. assets/logo.png
    contacts: list[Contact] = field(default_factory=list)
    boilerplate: Rich | None = None
    about_heading: str = ""
    words: Words = field(default_factory=lambda: words_for("en"))
    """The room's language: the index and every page's frame; a release page's own
    text and labels follow the release's (its Document's words)."""

    @property
    def lang(self) -> str:
        return self.language.split("-")[0]


@dataclass(frozen=True)
class Picture:
    href: str  # beside the page
    alt: str
    caption: str | None
    credit: str | None
    size: str


@dataclass(frozen=True)
class Download:
    label: str
    href: str
    kind: str
    size: str


def _render(
    env: jinja2.Environment, name: str, context: dict[str, Any], root: Path, page: bool = True
) -> bytes:
    """A template of the newsroom, its links checked; a *page* also gets the policy."""
    try:
        html = env.get_template(name).render(context)
    except jinja2.TemplateError as exc:
        where = template_location(exc, name)
        location = relative_name(Path(where), root) if where.startswith("/") else where
        raise RenderError(
            f"{location}: template error in the newsroom: {exc.message}; fix the template "
            "under templates/site/, or remove it to use the bundled one"
        ) from None
    html = require_safe_links(html, f"the newsroom's {context['page_url']}")
    return (with_policy(html) if page else html).encode("utf-8")


def with_policy(html: str) -> str:
    """*html* with the newsroom's policy as the first thing in its head (after the charset)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
    match = _HEAD.search(html) or _DOCTYPE.match(html)
    if match is None:
        return meta + html
    return html[: match.end()] + "\n" + meta + html[match.end() :]


def index_page(
    env: jinja2.Environment, site: Site, entries: list[Entry], feeds: dict[str, str], root: Path
) -> bytes:
    return _render(
        env,
        INDEX,
        {
            "site": site,
            "entries": entries,
            "feeds": feeds,
            "prefix": "",
            "page_url": site.base_url,
            **site.words.jinja(),
        },
        root,
    )


def release_page(
    env: jinja2.Environment,
    site: Site,
    doc: Document,
    item: Entry,
    pictures: list[Picture],
    downloads: list[Download],
    feeds: dict[str, str],
    root: Path,
    languages: Sequence[LanguageLink] = (),
) -> bytes:
    """A release's page; *languages*: its set of pages in every language (the switch,
    and the ``hreflang`` alternates), empty for a release in one language."""
    from pressroom.render.email import about_heading, body_blocks, prefixed, ps_label

    url = site.base_url + item.path
    images = [url + p.href for p in pictures]
    logo = site.base_url + site.logo if site.logo else None
    article = news_article(doc, item, url, images, logo)
    event = event_data(doc, item, url, article.get("image", []))
    context = {
        "site": site,
        "doc": doc,
        "entry": item,
        "blocks": body_blocks(doc),
        "about_heading": about_heading(doc),
        "ps_label": ps_label(doc),
        "prefixed": prefixed,
        "pictures": pictures,
        "downloads": downloads,
        "feeds": feeds,
        "prefix": "../",
        "page_url": url,
        "share_image": images[0] if images else logo,
        "json_ld": script_json([article, event] if event else article),
        **doc.words.jinja(),
        "languages": list(languages),
    }
    return _render(env, RELEASE, context, root)


def feed_content(
    env: jinja2.Environment, doc: Document, page_url: str, pictures: list[Picture], root: Path
) -> str:
    """The release text for the feeds: the page's article as plain HTML, blank lines dropped."""
    from pressroom.render.email import about_heading, body_blocks, prefixed, ps_label

    context = {
        "doc": doc,
        "blocks": body_blocks(doc),
        "about_heading": about_heading(doc),
        "ps_label": ps_label(doc),
        "prefixed": prefixed,
        "pictures": pictures,
        "page_url": page_url,
        **doc.words.jinja(),
    }
    html = _render(env, FEED_ITEM, context, root, page=False).decode("utf-8")
    return "\n".join(line.rstrip() for line in html.splitlines() if line.strip())
