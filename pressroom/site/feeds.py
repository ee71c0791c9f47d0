"""The newsroom's feeds (Atom, RSS 2.0, JSON Feed) and its sitemap.

All are made from the published :class:`~pressroom.site.pages.Entry` list
only, newest first. Feeds hold the newest :data:`FEED_LIMIT` releases, as
feed readers expect; the sitemap and the index list them all. Every date in
them comes from the releases, never from the clock, so a rebuild with nothing
new writes the same bytes.

Each entry says its language (Atom ``xml:lang``, RSS ``dc:language``, JSON
Feed ``language``): a release's translations are entries of their own. The
sitemap lists each page of a release in several languages with its
alternates (``xhtml:link rel="alternate" hreflang``).

Each entry carries the release's whole text as HTML (Atom ``content``, RSS
``content:encoded``, JSON Feed ``content_html``), escaped once by the XML or
JSON writer, its links those of the page (http(s), mailto and tel only); the
summary is the subheadline. The organisation is the author of every entry
(RFC 4287 requires one), and the RSS channel links to the newsroom's home page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from pressroom import __version__
from pressroom.site.pages import Entry

FEED_LIMIT = 50
ATOM = "feed.xml"
RSS = "rss.xml"
JSON_FEED = "feed.json"
SITEMAP = "sitemap.xml"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # an empty feed's "updated": a fixed, honest past


@dataclass(frozen=True)
class Author:
    name: str
    uri: str | None = None

    def atom(self) -> dict[str, str]:
        return {"name": self.name, **({"uri": self.uri} if self.uri else {})}

    def json(self) -> dict[str, str]:
        return {"name": self.name, **({"url": self.uri} if self.uri else {})}


@dataclass(frozen=True)
class About:
    """What every feed says of itself."""

    title: str
    subtitle: str
    base: str  # the newsroom's home page, with a final /
    language: str
    author: Author


def _latest(entries: list[Entry]) -> datetime:
    return max(updated_stamps(entries).values(), default=EPOCH)


def updated_stamps(entries: list[Entry]) -> dict[str, datetime]:
    """Each entry's ``updated`` (by its path), never one another's by accident.

    Releases dated by day, and updates dated by day, count from midnight: two of
    them on one day would share a stamp, and a feed reader that tells entries'
    changes apart by it would miss one. Such a tie is broken by seconds, the entry
    published later (then the later name) taking the later second; a stamp is
    never moved earlier, and the same entries always get the same stamps.
    """
    order = sorted(entries, key=lambda e: (e.updated_at, e.published_at, e.path))
    stamps: dict[str, datetime] = {}
    taken: set[datetime] = set()
    for item in order:
        stamp = item.updated_at
        while stamp in taken:
            stamp += timedelta(seconds=1)
        taken.add(stamp)
        stamps[item.path] = stamp
    return stamps


def _generator(about: About, entries: list[Entry], self_link: str, self_type: str) -> Any:
    from feedgen.feed import FeedGenerator

    base = about.base
    feed = FeedGenerator()
    feed.id(base)
    feed.title(about.title)
    feed.subtitle(about.subtitle)
    feed.description(about.subtitle)
    feed.author(about.author.atom())
    # RSS takes the last link as the channel's: the home page, not the feed itself
    feed.link(href=self_link, rel="self", type=self_type)
    feed.link(href=base, rel="alternate")
    feed.language(about.language)
    feed.generator("pressroom", version=__version__)
    feed.lastBuildDate(_latest(entries))
    feed.updated(_latest(entries))
    stamps = updated_stamps(entries)
    # feedgen prepends each entry: add the oldest first so that the newest leads
    for item in reversed(entries[:FEED_LIMIT]):
        url = base + item.path
        fe = feed.add_entry()
        fe.id(url)
        fe.guid(url, permalink=True)
        fe.title(item.headline)
        fe.link(href=url, rel="alternate")
        fe.author(about.author.atom())
        fe.published(item.published_at)
        fe.updated(stamps[item.path])
        fe.description(item.summary or item.headline, isSummary=True)
        fe.content(item.content_html or item.summary or item.headline, type="html")
        fe.category(term=item.type, label=item.type_label)
    return feed


def atom(about: About, entries: list[Entry]) -> bytes:
    feed = _generator(about, entries, about.base + ATOM, "application/atom+xml")
    return _languages(bytes(feed.atom_str(pretty=True)), about, entries, "atom")


def rss(about: About, entries: list[Entry]) -> bytes:
    feed = _generator(about, entries, about.base + RSS, "application/rss+xml")
    return _languages(bytes(feed.rss_str(pretty=True)), about, entries, "rss")


_ATOM_NS = "http://www.w3.org/2005/Atom"
_DC_NS = "http://purl.org/dc/elements/1.1/"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _languages(data: bytes, about: About, entries: list[Entry], kind: str) -> bytes:
    """*data* (the feed feedgen wrote) with each entry's language, when the entries
    are not all in the feed's own (feedgen has no entry language of its own)."""
    if all(not item.language or item.language == about.language for item in entries):
        return data
    from lxml import etree

    root = etree.fromstring(data)
    found = {base_url_of(about, item): item.language for item in entries[:FEED_LIMIT]}
    if kind == "atom":
        for node in root.iter(f"{{{_ATOM_NS}}}entry"):
            url = node.findtext(f"{{{_ATOM_NS}}}id")
            if language := found.get(url or ""):
                node.set(_XML_LANG, language)
    else:
        for node in root.iter("item"):
            if language := found.get(node.findtext("guid") or ""):
                tag = etree.SubElement(node, f"{{{_DC_NS}}}language", nsmap={"dc": _DC_NS})
                tag.text = language
    return bytes(etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8"))


def base_url_of(about: About, item: Entry) -> str:
    return about.base + item.path


def json_feed(about: About, entries: list[Entry]) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    base = about.base
    stamps = updated_stamps(entries)
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": about.title,
        "description": about.subtitle,
        "home_page_url": base,
        "feed_url": base + JSON_FEED,
        "language": about.language,
        "authors": [about.author.json()],
        "items": [
            {
                "id": base + item.path,
                "url": base + item.path,
                "title": item.headline,
                "summary": item.summary,
                "content_html": item.content_html or item.summary or item.headline,
                "date_published": item.published,
                "date_modified": stamps[item.path].isoformat(),
                "authors": [about.author.json()],
                "tags": [item.type_label],
                **({"language": item.language} if item.language else {}),
            }
            for item in entries[:FEED_LIMIT]
        ],
    }
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def sitemap(base: str, entries: list[Entry]) -> bytes:
    """sitemaps.org: the index, then every release page."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
        f"<url><loc>{escape(base)}</loc>"
        + (f"<lastmod>{_latest(entries).date().isoformat()}</lastmod>" if entries else "")
        + "</url>",
    ]
    for item in entries:
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{escape(tag)}" href="{escape(base + path)}"/>'
            for tag, path in item.alternates
        )
        lines.append(
            f"<url><loc>{escape(base + item.path)}</loc>"
            f"<lastmod>{item.updated_at.date().isoformat()}</lastmod>{alternates}</url>"
        )
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
