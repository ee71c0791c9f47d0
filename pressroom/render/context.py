"""Release -> Document: everything every renderer shows, formatted once.

The Document and its parts are plain data (:mod:`pressroom.render.document`,
whose names this module gives too). Here they are made: dates are written in
the room's locale, Markdown fields become :class:`~pressroom.render.markup.Rich`
(HTML, styled paragraphs and plain text), and the release conventions (release
line, BREAKING prefix, subject, lead-in) are decided here and nowhere else.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from pressroom.i18n.labels import Words, words_for
from pressroom.i18n.language import release_language
from pressroom.model.people import Person
from pressroom.model.release import QuoteBlock, Release
from pressroom.model.release import Update as ReleaseUpdate
from pressroom.model.room import Room
from pressroom.render.dates import (
    date_and_time,
    long_date,
    span_text,
)
from pressroom.render.document import (
    END_MARK,
    Addressee,
    Block,
    Contact,
    Document,
    Event,
    Image,
    Org,
    Signatory,
    SignatoryGroup,
    Update,
)
from pressroom.render.markup import Markdown, Rich
from pressroom.render.wording import (
    about_heading,
    breaking_prefix,
    is_correction,
    moment_words,
    postscript,
    quoted,
    release_line,
    subject,
    type_label,
    update_label,
)

__all__ = [
    "END_MARK",
    "LOGO_FOLDER",
    "Addressee",
    "Block",
    "Contact",
    "Document",
    "Event",
    "Image",
    "Org",
    "Rich",
    "Signatory",
    "SignatoryGroup",
    "Update",
    "contact",
    "document",
    "logo_url",
    "photo_names",
    "photo_url",
    "place_date",
    "update_date_text",
]

PREHEADER_LENGTH = 110


LOGO_FOLDER = "assets"
"""Where the newsroom publishes the logo."""


def photo_names(release: Release) -> list[str]:
    """The file name of each photo in the newsroom's folder of *release*: its own
    name, numbered when it is taken (by another photo, the page or a download)."""
    name = release.name
    used = {"index.html", f"{name}.ics", f"{name}.pdf", f"{name}.docx"}
    names = []
    for number, image in enumerate(release.images, start=1):
        file = Path(image.file).name
        if file in used:
            file = f"{number}-{file}"
        used.add(file)
        names.append(file)
    return names


def photo_url(newsroom: str | None, release: str, name: str) -> str | None:
    """The photo *name* of *release* in the newsroom at *newsroom*, if the room has one."""
    return f"{newsroom}{quote(release)}/{quote(name)}" if newsroom else None


def logo_url(newsroom: str | None, logo: object | None) -> str | None:
    if not newsroom or not logo:
        return None
    return f"{newsroom}{LOGO_FOLDER}/{quote(Path(str(logo)).name)}"


def contact(person: Person, md: Markdown, language: str | None = None) -> Contact:
    """A person of pressroom.yaml (or a release) as every rendering prints them: their
    ``title`` and ``org`` in *language* when pressroom.yaml gives them per language."""
    title = person.in_language("title", language) if language else person.title
    org = person.in_language("org", language) if language else person.org
    return Contact(
        name=md.line(person.name),
        title=md.line(title) or None,
        org=md.line(org) or None,
        pronouns=person.pronouns,
        email=person.email,
        phone=person.phone,
    )


def _preheader(subheadline: str, blocks: list[Block]) -> str:
    text = subheadline
    if not text:
        for block in blocks:
            if block.rich is not None:
                text = " ".join(block.rich.text.split())
                break
    if len(text) > PREHEADER_LENGTH:
        text = text[: PREHEADER_LENGTH - 1].rsplit(" ", 1)[0] + "\u2026"
    return text


_YEAR = re.compile(r"\b\d{4}\b")


def place_date(dateline: str | None, date_text: str | None, words: Words) -> str | None:
    """The dateline and the date joined as the language does; a dateline that already
    gives the date (``BERLIN, 26. März 2019``) is taken as it is."""
    if dateline and (not date_text or _YEAR.search(dateline)):
        return dateline.rstrip(" \u2013\u2014-")
    if dateline and date_text:
        return words("%(place)s, %(date)s", place=dateline, date=date_text)
    return date_text


def _lead_in(release: Release, place_and_date: str | None, words: Words) -> str | None:
    if release.type == "open-letter" or not place_and_date:
        return None  # a letter is dated above its addressees: Document.place_and_date
    return words("%(dateline)s \u2014", dateline=place_and_date)


def update_date_text(update: ReleaseUpdate, locale: str) -> str | None:
    """``November 20, 2026``, or with the time when the update gives one:
    ``November 20, 2026, 3:30 PM EST``."""
    if update.at is not None:
        return date_and_time(update.at, locale)
    return long_date(update.date, locale) if update.date else None


def document(room: Room, release: Release) -> Document:
    """Everything a renderer needs to show *release* of *room*, in the release's
    language (:func:`~pressroom.i18n.language.release_language`), chosen here once."""
    config = room.config
    words = words_for(release_language(room, release), config.labels)
    locale = words.locale
    md = Markdown(config.org.website, words.typography)
    org_name = md.line(config.org.in_language("name", words.language))

    blocks: list[Block] = []
    for item in release.body:
        if isinstance(item, str):
            blocks.append(Block("paragraph", rich=md.rich(item)))
        elif isinstance(item, QuoteBlock):
            blocks.append(
                Block(
                    "quote",
                    rich=md.inner.rich(quoted(item.text, words)),
                    speaker=contact(item.quote, md, words.language),
                )
            )
        else:
            blocks.append(Block("heading", heading=md.line(item.heading)))

    headline = md.line(release.headline)
    date_text = long_date(release.date, locale) if release.date else None
    dateline = md.line(release.dateline) or None
    subheadline = md.line(release.subheadline)
    event = None
    if release.event is not None:
        ev = release.event
        event = Event(
            what=md.rich(ev.what),
            when_text=span_text(ev.when.start, ev.when.end, locale),
            start=ev.when.start.at,
            end=ev.when.end.at if ev.when.end else None,
            venue=md.line(ev.where.venue) or None if ev.where else None,
            address=ev.where.address if ev.where else None,
            who=md.rich(ev.who) if ev.who else None,
            why=md.rich(ev.why) if ev.why else None,
            visuals=md.rich(ev.visuals) if ev.visuals else None,
            onsite_contact=contact(ev.onsite_contact, md, words.language)
            if ev.onsite_contact
            else None,
            rsvp=ev.rsvp,
            rsvp_href=ev.rsvp_link,
            title=md.line(ev.title),
        )

    return Document(
        name=release.name,
        type=release.type,
        type_label=type_label(release, words),
        status=release.status,
        release_line=release_line(release, words),
        embargo_text=moment_words(release.embargo, words) if release.embargo else None,
        headline=headline,
        headline_prefix=breaking_prefix(words) if release.status == "breaking" else "",
        subject=subject(release, headline, words),
        preheader=_preheader(subheadline, blocks),
        language=words.language,
        words=words,
        org=Org(
            name=org_name,
            website=config.org.website,
            address=config.org.address,
            logo=str(config.org.logo.path) if config.org.logo else None,
            logo_url=logo_url(config.org.newsroom, config.org.logo),
        ),
        blocks=blocks,
        contacts=[contact(person, md, words.language) for person in release.contacts],
        subheadline=subheadline,
        date_text=date_text,
        dateline=dateline,
        lead_in=_lead_in(release, place_date(dateline, date_text, words), words),
        place_date=place_date(dateline, date_text, words),
        updates=[
            Update(
                label=update_label(md.line(update.label), words),
                date_text=update_date_text(update, locale),
                rich=md.rich(update.text),
                kind="correction" if is_correction(update.label) else "update",
            )
            for update in release.updates
        ],
        addressees=[
            Addressee(md.line(a.name), md.line(a.title) or None, a.address)
            for a in release.addressees
        ],
        salutation=md.rich(release.salutation) if release.salutation else None,
        closing=md.rich(release.closing) if release.closing else None,
        signatory_groups=[
            SignatoryGroup(
                md.line(label) or None,
                [Signatory(md.line(s.name), md.line(s.details), s.url) for s in people],
            )
            for label, people in release.signatory_groups
        ],
        event=event,
        ps=md.rich(postscript(release.ps, words)) if release.ps else None,
        boilerplate=md.rich(release.about) if release.about else None,
        about_heading=about_heading(org_name, words),
        hashtags=release.hashtags,
        images=[
            Image(
                str(image.file.path),
                image.caption,
                image.credit,
                image.alt or "",
                attached="images" in release.distribution.attach,
                url=photo_url(config.org.newsroom, release.name, published),
            )
            for image, published in zip(release.images, photo_names(release), strict=True)
        ],
        draft=release.draft,
    )
