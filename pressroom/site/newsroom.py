"""``pressroom site``: the static newsroom, from load to the written tree.

1. Load every release (a file that cannot be read stops the build: it might
   be one that must stay hidden) and decide what is published
   (:func:`pressroom.site.pages.plan`).
2. Build the PDF and Word document of the published releases only, with the
   build's own renderers and content-hash cache, into ``.pressroom/cache/site/``.
3. Describe every file of the site with a key; the writer makes and writes only
   what changed and removes what is no longer published.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from pressroom import __version__
from pressroom.errors import UsageError
from pressroom.i18n.labels import Words, words_for
from pressroom.i18n.language import release_language
from pressroom.model.links import BadLink, WebUrl
from pressroom.model.paths import RoomPath
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render.build import STAMP, templates_fingerprint
from pressroom.render.build import build as build_artefacts
from pressroom.render.context import LOGO_FOLDER
from pressroom.render.environment import ROOM_CACHE
from pressroom.render.wording import about_heading
from pressroom.site import feeds
from pressroom.site.languages import alternates, links, with_translations
from pressroom.site.pages import Entry, Held, byte_size, entry, file_size, plan
from pressroom.site.writer import Output, check_target, read_manifest, sync

if TYPE_CHECKING:
    import jinja2

    from pressroom.render.context import Document
    from pressroom.site.render import Site

ARTEFACTS = ["pdf", "docx"]
CACHE = Path(".pressroom") / "cache" / "site"
TEMPLATE_CACHE = ROOM_CACHE  # compiled templates, kept as for build
ENTRY_FORMAT = 3  # what a cached Entry holds (3: languages); older ones are remade
FEED_LINKS = {"atom": feeds.ATOM, "rss": feeds.RSS, "json": feeds.JSON_FEED}


@dataclass
class SiteResult:
    out: Path
    base_url: str
    published: list[str] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)
    rendered: int = 0  # releases whose PDF and DOCX were rendered
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # no longer wanted, but changed by hand


def base_url_for(room: Room, given: str | None) -> str:
    """The site's address with a final ``/``: --base-url, else org.newsroom, else org.website."""
    url = (given or room.config.org.newsroom or room.config.org.website or "").strip()
    if not url:
        raise UsageError(
            "the newsroom needs its address for feeds and links: pass --base-url "
            "https://... or set org.website in pressroom.yaml"
        )
    try:
        WebUrl.parse(url)
    except BadLink:
        raise UsageError(
            f"--base-url {url!r} is not a web address; write it as https://..."
        ) from None
    return url.rstrip("/") + "/"


def _hash(*parts: object) -> str:
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stamp(folder: Path) -> str:
    try:
        return str(json.loads((folder / STAMP).read_text())["key"])
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def _prune_cache(cache: Path, keep: set[str]) -> None:
    """Held releases leave no PDF behind, even in the cache."""
    if cache.is_dir():
        for folder in cache.iterdir():
            if folder.is_dir() and folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)


def build_site(
    room: Room,
    releases: list[Release],
    out: Path,
    now: datetime,
    base_url: str | None = None,
    workers: int | None = None,
    scheduled: Mapping[str, datetime] | None = None,
) -> SiteResult:
    """Write the newsroom of *room* to *out* as it stands at *now*.

    *releases* must be every release of the room (the site is rebuilt whole);
    *scheduled* holds the times of sends scheduled with ``send --at``, which
    their releases wait for (:func:`pressroom.site.pages.plan`).
    """
    base = base_url_for(room, base_url)
    check_target(out, room.root)
    zone = ZoneInfo(room.config.timezone)
    decided = plan(room, releases, now, scheduled)
    pages = with_translations(room, decided.published)  # each on a page of its own
    published = [release for release, _ in pages]
    cache = room.root / CACHE
    _prune_cache(cache, {release.name for release in published})
    built = build_artefacts(room, published, cache, ARTEFACTS, workers=workers)
    result = SiteResult(out, base, [r.name for r, _ in decided.published], decided.held)
    result.rendered = sum(1 for b in built if b.rendered)

    lazy = _Lazy(room, base)
    logo = room.config.org.logo
    lazy.logo = f"{LOGO_FOLDER}/{Path(logo).name}" if logo else None
    old_entries: dict[str, Any] = read_manifest(out).get("entries", {})
    outputs: list[Output] = []
    entries: list[Entry] = []
    cached: dict[str, dict[str, Any]] = {}
    templates = templates_fingerprint(room, skip=())  # the site's own included
    for release, moment in pages:
        slug = release.name  # (a pydantic private attribute: slow to read 500 times over)
        of = release.translation
        original = next(r for r, _ in decided.published if r.name == of.original) if of else release
        languages = alternates(room, original)
        folder = cache / slug
        artefacts = {fmt: folder / f"{slug}.{fmt}" for fmt in ARTEFACTS}
        copies = [Output.copy(f"{slug}/{path.name}", path) for path in artefacts.values()]
        images = _images(room, release)
        copies += [Output.copy(f"{slug}/{name}", source.path) for name, source in images]
        key = _hash(
            ENTRY_FORMAT,
            _stamp(folder),
            templates,
            base,
            moment.isoformat(),
            [c.key for c in copies],
            images,
            languages,
        )
        old = old_entries.get(slug)
        if isinstance(old, dict) and old.get("key") == key:
            data = old["entry"]
            item = Entry.from_json(data)
        else:
            item = entry(lazy.document(release), release, moment, zone)
            item = replace(
                item,
                content_html=lazy.feed_content(release, item, images),
                language=release_language(room, release),
                alternates=languages,
                original=of.original if of else "",
            )
            data = item.to_json()
        entries.append(item)
        cached[slug] = {"key": key, "entry": data}
        outputs += copies
        outputs.append(
            Output(
                f"{slug}/index.html", key, make=_page_maker(lazy, release, item, images, artefacts)
            )
        )
        if release.event is not None:
            outputs.append(Output(f"{slug}/{slug}.ics", key, make=partial(lazy.ics, release, item)))

    if logo and lazy.logo:
        outputs.append(Output.copy(lazy.logo, logo.path))
    whole = _hash(
        __version__,
        base,
        templates,
        room.config.model_dump(mode="json"),
        [cached[e.name] for e in entries],
    )
    title, subtitle = lazy.titles()
    about = feeds.About(title, subtitle, base, room.config.language, lazy.author())
    outputs += [
        Output("style.css", _hash(templates), make=lazy.stylesheet),
        Output(
            "index.html", whole, make=lambda: lazy.index([e for e in entries if not e.original])
        ),
        Output(feeds.ATOM, whole, make=lambda: feeds.atom(about, entries)),
        Output(feeds.RSS, whole, make=lambda: feeds.rss(about, entries)),
        Output(feeds.JSON_FEED, whole, make=lambda: feeds.json_feed(about, entries)),
        Output(feeds.SITEMAP, whole, make=lambda: feeds.sitemap(base, entries)),
    ]
    done = sync(out, outputs, {"entries": cached})
    result.written, result.removed, result.unchanged = done.written, done.removed, done.unchanged
    result.kept = done.kept
    return result


def _images(room: Room, release: Release) -> list[tuple[str, RoomPath]]:
    """(name in the site, path in the room) of each photo; names kept unique
    (the names emails link to: :func:`~pressroom.render.context.photo_names`)."""
    from pressroom.render.context import photo_names

    return [
        (name, image.file) for name, image in zip(photo_names(release), release.images, strict=True)
    ]


def _pictures(doc: Document, images: list[tuple[str, RoomPath]], prefix: str = "") -> list[Any]:
    """The photos of a page; *prefix* (the page's address) makes their links absolute."""
    from pressroom.site.render import Picture

    return [
        Picture(
            href=prefix + quote(name),
            alt=image.alt
            or image.caption
            or doc.words("Photo %(number)s: %(headline)s", number=number, headline=doc.headline),
            caption=image.caption,
            credit=image.credit,
            size=file_size(Path(image.path)),
        )
        for number, ((name, _), image) in enumerate(zip(images, doc.images, strict=True), 1)
    ]


def _page_maker(
    lazy: _Lazy,
    release: Release,
    item: Entry,
    images: list[tuple[str, RoomPath]],
    artefacts: dict[str, Path],
) -> Any:
    def make() -> bytes:
        from pressroom.site.render import Download, release_page

        doc = lazy.document(release)
        pictures = _pictures(doc, images)
        words = doc.words
        downloads = [
            Download(label, quote(artefacts[kind].name), kind, file_size(artefacts[kind]))
            for kind, label in (("pdf", "PDF"), ("docx", words("Word document")))
        ]
        if doc.event is not None:
            invitation = lazy.ics(release, item)
            size = byte_size(len(invitation))
            downloads.append(
                Download(words("Add to calendar"), quote(f"{release.name}.ics"), "ics", size)
            )
        return release_page(
            lazy.env(),
            lazy.site(),
            doc,
            item,
            pictures,
            downloads,
            FEED_LINKS,
            lazy.room.root,
            languages=links(lazy.base, item.alternates, item.path),
        )

    return make


class _Lazy:
    """The Jinja environment, the site header and Documents, made only when needed."""

    def __init__(self, room: Room, base: str):
        self.room = room
        self.base = base
        self.logo: str | None = None
        self._env: jinja2.Environment | None = None
        self._site: Site | None = None
        self._docs: dict[str, Document] = {}

    def env(self) -> jinja2.Environment:
        if self._env is None:
            from pressroom.render.environment import make_environment

            self._env = make_environment(
                self.room.templates_dir,
                cache=self.room.root / TEMPLATE_CACHE,
                sandbox=self.room.config.templates.sandbox,
            )
        return self._env

    def document(self, release: Release) -> Document:
        if release.name not in self._docs:
            from pressroom.render.context import document

            self._docs[release.name] = document(self.room, release)
        return self._docs[release.name]

    def ics(self, release: Release, item: Entry) -> bytes:
        """The advisory's invitation, as emailed (same UID and SEQUENCE), dated by the release."""
        from pressroom.render.ics import render_ics, uid_domain

        config = self.room.config
        domain = uid_domain(config.sender.email, config.org.website)
        doc = self.document(release)
        return render_ics(doc, domain, url=self.base + item.path, stamp=item.updated_at)

    def feed_content(
        self, release: Release, item: Entry, images: list[tuple[str, RoomPath]]
    ) -> str:
        """The release text as the feeds carry it (HTML, absolute links)."""
        from pressroom.site.render import feed_content

        doc = self.document(release)
        url = self.base + item.path
        return feed_content(self.env(), doc, url, _pictures(doc, images, url), self.room.root)

    def author(self) -> feeds.Author:
        config = self.room.config
        return feeds.Author(config.org.name, config.org.website)

    def words(self) -> Words:
        """The room's language: the newsroom's frame, index and feeds."""
        config = self.room.config
        return words_for(config.locale, config.labels)

    def titles(self) -> tuple[str, str]:
        name = self.room.config.org.name
        words = self.words()
        intro = words("Press releases, statements and media advisories from %(org)s.", org=name)
        return words("%(org)s Newsroom", org=name), intro.rstrip(".")

    def site(self) -> Site:
        if self._site is None:
            from pressroom.render.context import contact
            from pressroom.render.markup import Markdown
            from pressroom.site.render import Site

            config = self.room.config
            words = self.words()
            md = Markdown(config.org.website, words.typography)
            org = md.line(config.org.name)
            self._site = Site(
                title=self.titles()[0],
                org_name=org,
                base_url=self.base,
                language=words.language,
                website=config.org.website,
                website_label=(config.org.website or "").split("://", 1)[-1].removeprefix("www."),
                address=config.org.address,
                logo=self.logo,
                contacts=[contact(person, md) for person in config.default_contacts],
                boilerplate=md.rich(config.org.boilerplate) if config.org.boilerplate else None,
                about_heading=about_heading(org, words),
                words=words,
            )
        return self._site

    def stylesheet(self) -> bytes:
        from pressroom.render.environment import template_source
        from pressroom.site.render import STYLESHEET

        return template_source(self.env(), STYLESHEET).encode("utf-8")

    def index(self, entries: list[Entry]) -> bytes:
        from pressroom.site.render import index_page

        return index_page(self.env(), self.site(), entries, FEED_LINKS, self.room.root)
