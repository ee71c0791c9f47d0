"""What the newsroom publishes, and what each of its pages shows.

**The rule, kept here and nowhere else** (:func:`publication`): a release is
public when it is not a draft and the moment it may be published has come.
That moment is its embargo when it has one (whatever its ``status``: an
embargo time left in a file is honoured rather than guessed away), else the
start of its ``date`` in the room's time zone (an ``immediate`` release dated
tomorrow waits for tomorrow); an undated release is public at once, and is
listed by its file's last change. A release sent with ``send --at`` (held by
the provider, or waiting in the send log for ``dispatch``) and never mailed
before waits for that time too, when it is later: the newsroom does not publish
what journalists have not received. Everything the
site writes is made from :attr:`Plan.published` only.

The rest of the module turns published releases into plain data for the
templates: an :class:`Entry` per release (what the index, the feeds and the
sitemap say about it; cached between builds) and the context of a release's
own page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from pressroom.i18n.labels import Words
from pressroom.load.newsroom import page_path
from pressroom.model.release import Release
from pressroom.model.room import Room


@dataclass(frozen=True)
class Held:
    """A release kept out of the site, and until when (None: a draft, for good)."""

    name: str
    until: datetime | None
    scheduled: bool = False
    """Held for a send scheduled with ``send --at`` (later than its embargo or date)."""


@dataclass
class Plan:
    """Which releases the site shows (newest first) and which it holds back."""

    published: list[tuple[Release, datetime]] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)

    @property
    def drafts(self) -> list[str]:
        return [h.name for h in self.held if h.until is None]


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def publication(
    release: Release, zone: ZoneInfo, scheduled: datetime | None = None
) -> datetime | None:
    """When *release* may appear on the site; None for an undated release (at once).

    *scheduled* is the time of its send with ``send --at``, which it waits for when later.
    """
    moment = None
    if release.embargo is not None:
        moment = release.embargo.at
    elif release.date is not None:
        moment = _midnight(release.date, zone)
    if scheduled is not None and (moment is None or scheduled > moment):
        return scheduled
    return moment


def is_published(
    release: Release, now: datetime, zone: ZoneInfo, scheduled: datetime | None = None
) -> bool:
    """Not a draft, and its embargo (or its date, or its scheduled send) has come."""
    if release.draft:
        return False
    moment = publication(release, zone, scheduled)
    return moment is None or moment <= now


def plan(
    room: Room,
    releases: list[Release],
    now: datetime,
    scheduled: Mapping[str, datetime] | None = None,
) -> Plan:
    """Split *releases* into what is published (with its time) and what is held.

    *scheduled* maps a release to the time of its send with ``send --at`` (from the
    send log: :meth:`~pressroom.sendlog.SendLog.scheduled_releases`).
    """
    zone = ZoneInfo(room.config.timezone)
    scheduled = scheduled or {}
    result = Plan()
    for release in releases:
        at = scheduled.get(release.name)
        moment = publication(release, zone, at)
        if release.draft:
            result.held.append(Held(release.name, None))
        elif not is_published(release, now, zone, at):
            assert moment is not None
            result.held.append(Held(release.name, moment, at is not None and moment == at))
        else:
            result.published.append((release, moment or min(_file_time(room, release), now)))
    result.published.sort(key=lambda item: (item[1], item[0].name), reverse=True)
    return result


def _file_time(room: Room, release: Release) -> datetime:
    """An undated release's time for feeds and sitemaps: its file's last change
    (never later than now)."""
    try:
        stamp = (room.root / release.source).stat().st_mtime
    except OSError:
        stamp = 0
    return datetime.fromtimestamp(int(stamp), UTC)


def updated(release: Release, published: datetime, zone: ZoneInfo) -> datetime:
    """The latest of the publication and the times of its update banners.

    An update dated with a time (``2026-12-03 14:30``) counts from that
    moment, one dated with a day only from the start of that day: a
    correction made on the day of publication moves ``updated`` only when
    its time is given.
    """
    times = [published]
    for update in release.updates:
        if update.at is not None:
            times.append(update.at)
        elif update.date is not None:
            times.append(_midnight(update.date, zone))
    return max(times)


# -- what the index, the feeds and the sitemap know of a release --------------


@dataclass(frozen=True)
class Entry:
    name: str
    headline: str  # with "BREAKING: " in front of a breaking release, as feeds show it
    title: str  # the headline alone
    type: str
    type_label: str
    status: str
    status_label: str
    date_text: str
    published: str  # ISO 8601
    updated: str
    summary: str
    path: str  # relative URL of its page: "<name>/", %-encoded
    content_html: str = ""  # the release text, for the feeds
    language: str = ""  # BCP 47: the language of the release (a translation's)
    alternates: tuple[tuple[str, str], ...] = ()
    """(language, path) of every page of the release's set (its translations and the
    original, the original first); empty for a release in one language."""
    original: str = ""  # a translation: the original's name (listed on the index under it)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        pages = tuple(tuple(page) for page in data.get("alternates", ()))
        return cls(**{**data, "alternates": pages})

    @property
    def published_at(self) -> datetime:
        return datetime.fromisoformat(self.published)

    @property
    def updated_at(self) -> datetime:
        return datetime.fromisoformat(self.updated)

    @property
    def published_date(self) -> str:
        return self.published[:10]


def status_label(status: str, words: Words) -> str:
    """The label on the index and the page: the embargo has lifted by now."""
    if status == "breaking":
        return words("Breaking")
    if status == "embargoed":
        return words("Embargo lifted")
    return ""


def entry(doc: Any, release: Release, published: datetime, zone: ZoneInfo) -> Entry:
    """*doc* is the release's :class:`~pressroom.render.context.Document`."""
    return Entry(
        name=release.name,
        headline=doc.full_headline,
        title=doc.headline,
        type=doc.type,
        type_label=doc.type_label,
        status=doc.status,
        status_label=status_label(doc.status, doc.words),
        date_text=doc.date_text or "",
        published=published.isoformat(),
        updated=updated(release, published, zone).isoformat(),
        summary=doc.subheadline or doc.preheader,
        path=page_path(release.name),
    )


# -- structured data -----------------------------------------------------------


def script_json(data: dict[str, Any] | list[dict[str, Any]]) -> Markup:
    """JSON safe inside ``<script>``: no ``</script>`` can close it early."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def news_article(
    doc: Any, item: Entry, url: str, images: list[str], logo: str | None
) -> dict[str, Any]:
    """schema.org NewsArticle for a release page (JSON-LD)."""
    publisher: dict[str, Any] = {"@type": "Organization", "name": doc.org.name}
    if doc.org.website:
        publisher["url"] = doc.org.website
    if logo:
        publisher["logo"] = {"@type": "ImageObject", "url": logo}
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": item.headline,
        "description": item.summary,
        "datePublished": item.published,
        "dateModified": item.updated,
        "inLanguage": item.language or doc.language,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "author": publisher,
        "publisher": publisher,
        "articleSection": item.type_label,
    }
    others = [path for _, path in item.alternates if path != item.path]
    if item.original and others:  # a translation: of the first page of its set
        article["translationOfWork"] = {"@id": url.removesuffix(item.path) + others[0]}
    elif others:
        base = url.removesuffix(item.path)
        article["workTranslation"] = [{"@id": base + path} for path in others]
    if images or logo:  # search engines show an article with a picture: the logo at least
        article["image"] = images or [logo]
    if doc.hashtags:
        article["keywords"] = [f"#{tag}" for tag in doc.hashtags]
    return article


def event_data(doc: Any, item: Entry, url: str, images: list[str]) -> dict[str, Any] | None:
    """schema.org Event for a media advisory's event (JSON-LD beside the article), or None."""
    event = doc.event
    if event is None:
        return None
    organizer: dict[str, Any] = {"@type": "Organization", "name": doc.org.name}
    if doc.org.website:
        organizer["url"] = doc.org.website
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title or item.headline,
        "description": " ".join(event.what.text.split()),
        "startDate": event.start.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "organizer": organizer,
        "url": url,
        "inLanguage": doc.language,
    }
    if event.end is not None:
        data["endDate"] = event.end.isoformat()
    if event.venue or event.address:
        place: dict[str, Any] = {"@type": "Place", "name": event.venue or event.address}
        if event.address:
            place["address"] = event.address
        data["location"] = place
    if images:
        data["image"] = images
    return data


def file_size(path: Path) -> str:
    """``84 KB``, ``1.2 MB``."""
    return byte_size(path.stat().st_size)


def byte_size(size: int) -> str:
    """*size* bytes as ``84 KB``, ``1.2 MB``."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"
