"""The newsroom's feeds (Atom, RSS 2.0, JSON Feed) and its sitemap.

All are made from the published :class:`~pressroom.site.pages.Entry` list
only, newest first. Feeds hold the newest :data:`FEED_LIMIT` releases, as
feed readers expect; the sitemap and the index list them all. Every date in
them comes from the releases, never from the clock, so a rebuild with nothing
new writes the same bytes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
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


def _latest(entries: list[Entry]) -> datetime:
    return max((e.updated_at for e in entries), default=EPOCH)


def _generator(title: str, subtitle: str, base: str, entries: list[Entry], language: str) -> Any:
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(base)
    feed.title(title)
    feed.subtitle(subtitle)
    feed.description(subtitle)
    feed.link(href=base, rel="alternate")
    feed.language(language)
    feed.generator("pressroom", version=__version__)
    feed.lastBuildDate(_latest(entries))
    feed.updated(_latest(entries))
    # feedgen prepends each entry: add the oldest first so that the newest leads
    for item in reversed(entries[:FEED_LIMIT]):
        url = base + item.path
        fe = feed.add_entry()
        fe.id(url)
        fe.guid(url, permalink=True)
        fe.title(item.headline)
        fe.link(href=url, rel="alternate")
        fe.published(item.published_at)
        fe.updated(item.updated_at)
        fe.summary(item.summary or item.headline)
        fe.description(item.summary or item.headline)
        fe.category(term=item.type, label=item.type_label)
    return feed


def atom(title: str, subtitle: str, base: str, entries: list[Entry], language: str) -> bytes:
    feed = _generator(title, subtitle, base, entries, language)
    feed.link(href=base + ATOM, rel="self", type="application/atom+xml")
    return bytes(feed.atom_str(pretty=True))


def rss(title: str, subtitle: str, base: str, entries: list[Entry], language: str) -> bytes:
    feed = _generator(title, subtitle, base, entries, language)
    feed.link(href=base + RSS, rel="self", type="application/rss+xml")
    return bytes(feed.rss_str(pretty=True))


def json_feed(title: str, subtitle: str, base: str, entries: list[Entry], language: str) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "description": subtitle,
        "home_page_url": base,
        "feed_url": base + JSON_FEED,
        "language": language,
        "items": [
            {
                "id": base + item.path,
                "url": base + item.path,
                "title": item.headline,
                "summary": item.summary,
                "content_text": item.summary or item.headline,
                "date_published": item.published,
                "date_modified": item.updated,
                "tags": [item.type_label],
            }
            for item in entries[:FEED_LIMIT]
        ],
    }
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def sitemap(base: str, entries: list[Entry]) -> bytes:
    """sitemaps.org: the index, then every release page."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        f"<url><loc>{escape(base)}</loc>"
        + (f"<lastmod>{_latest(entries).date().isoformat()}</lastmod>" if entries else "")
        + "</url>",
    ]
    for item in entries:
        lines.append(
            f"<url><loc>{escape(base + item.path)}</loc>"
            f"<lastmod>{item.updated_at.date().isoformat()}</lastmod></url>"
        )
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
