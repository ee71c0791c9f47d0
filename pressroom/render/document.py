"""The Document: everything every renderer shows of one release, as plain data.

:func:`pressroom.render.context.document` makes it from a Release, once; the PDF,
the Word document, the email, the newsroom and the preview all show this one
value, so the formats carry the same content.

It is plain data, as every template is given (see :mod:`pressroom.render.sandbox`):
frozen dataclasses of text, numbers, dates, lists and
:class:`~pressroom.render.markup.Rich` (Markdown as HTML, styled runs and plain
text); files are named by text, never by path objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pressroom.i18n.labels import Words, words_for
from pressroom.model.links import SafeUrl, WebUrl
from pressroom.render.markup import Rich

END_MARK = "###"


@dataclass(frozen=True)
class Contact:
    name: str
    title: str | None = None
    org: str | None = None
    pronouns: str | None = None
    email: str | None = None
    phone: str | None = None

    @property
    def affiliation(self) -> str:
        return ", ".join(part for part in (self.title, self.org) if part)

    @property
    def phone_href(self) -> str | None:
        if not self.phone:
            return None
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


@dataclass(frozen=True)
class Block:
    """A body block: ``paragraph`` (rich), ``heading`` (heading) or ``quote``."""

    kind: str
    rich: Rich | None = None
    heading: str = ""
    speaker: Contact | None = None

    @property
    def attribution(self) -> str:
        """``Dana Reyes, Communications Director, Example Justice Network``."""
        if self.speaker is None:
            return ""
        return ", ".join(p for p in (self.speaker.name, self.speaker.affiliation) if p)


@dataclass(frozen=True)
class Update:
    label: str
    date_text: str | None
    rich: Rich
    kind: str = "update"
    """``update`` or ``correction`` (whatever the language of the label): for styles."""


@dataclass(frozen=True)
class Addressee:
    name: str
    title: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Signatory:
    name: str
    details: str = ""
    url: SafeUrl | None = None

    @property
    def unbroken_name(self) -> str:
        """The name with no-break spaces: kept on one line (and so on one page)
        where names run on in a paragraph, without a box of its own."""
        return self.name.replace(" ", "\u00a0")


@dataclass(frozen=True)
class SignatoryGroup:
    label: str | None
    signatories: list[Signatory]

    @property
    def count(self) -> int:
        return len(self.signatories)


@dataclass(frozen=True)
class Event:
    what: Rich
    when_text: str
    start: datetime
    end: datetime | None = None
    venue: str | None = None
    address: str | None = None
    who: Rich | None = None
    why: Rich | None = None
    visuals: Rich | None = None
    onsite_contact: Contact | None = None
    rsvp: str | None = None
    rsvp_href: SafeUrl | None = None
    title: str = ""  # event.title as plain text; empty: the headline


@dataclass(frozen=True)
class Image:
    path: str
    """The file, resolved inside the room: text, never a path object a template could open."""
    caption: str | None = None
    credit: str | None = None
    alt: str = ""
    attached: bool = False
    """The email carries the file (``images`` in ``distribution.attach``)."""
    url: str | None = None
    """Its address in the newsroom (``org.newsroom``), when the room has one."""

    @property
    def uri(self) -> str:
        return Path(self.path).as_uri()

    @property
    def filename(self) -> str:
        return Path(self.path).name


@dataclass(frozen=True)
class Org:
    name: str
    website: WebUrl | None = None
    address: str | None = None
    logo: str | None = None
    """The logo's file, resolved inside the room (text, like :attr:`Image.path`)."""
    logo_url: str | None = None
    """The logo as the newsroom publishes it (``org.newsroom``), for emails."""

    @property
    def website_label(self) -> str:
        if not self.website:
            return ""
        return self.website.split("://", 1)[-1].removeprefix("www.").rstrip("/")

    @property
    def logo_uri(self) -> str | None:
        return Path(self.logo).as_uri() if self.logo else None


@dataclass(frozen=True)
class Document:
    """One release, ready to render in any format."""

    name: str
    type: str
    type_label: str
    status: str
    release_line: str
    headline: str
    headline_prefix: str
    subject: str
    preheader: str
    language: str
    """The release's language, a BCP 47 tag (``de-DE``): ``lang`` of every HTML page."""
    org: Org
    blocks: list[Block]
    contacts: list[Contact]
    words: Words = field(default_factory=lambda: words_for("en"))
    """The labels of :attr:`language` (with the room's overrides) for the templates."""
    subheadline: str = ""
    date_text: str | None = None
    dateline: str | None = None
    lead_in: str | None = None
    embargo_text: str | None = None
    updates: list[Update] = field(default_factory=list)
    addressees: list[Addressee] = field(default_factory=list)
    salutation: Rich | None = None
    closing: Rich | None = None
    signatory_groups: list[SignatoryGroup] = field(default_factory=list)
    event: Event | None = None
    ps: Rich | None = None
    boilerplate: Rich | None = None
    about_heading: str = ""
    hashtags: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    draft: bool = False
    end_mark: str = END_MARK
    place_date: str | None = None
    """``BALTIMORE, December 1, 2026``, ``PARIS, le 10 mars 2026``: the dateline and the
    date as the release's language joins them (the lead-in and a letter's dating)."""

    @property
    def full_headline(self) -> str:
        return f"{self.headline_prefix}{self.headline}"

    @property
    def signatory_count(self) -> int:
        return sum(group.count for group in self.signatory_groups)

    @property
    def is_embargoed(self) -> bool:
        return self.status == "embargoed"

    @property
    def is_breaking(self) -> bool:
        return self.status == "breaking"

    @property
    def is_letter(self) -> bool:
        return self.type == "open-letter"

    @property
    def place_and_date(self) -> str | None:
        """An open letter's ``TOWSON, Md., December 8, 2026``, set on a line of its
        own above the addressees, as letters are dated (a letter has no lead-in)."""
        return self.place_date if self.is_letter else None

    @property
    def lang(self) -> str:
        return self.language.split("-")[0]
