"""The labels pressroom writes around a writer's text, and the words of one language.

Every label has an id (``release_line``, ``media_contact``, ``about``...), the id a
room uses to override it in pressroom.yaml (``labels:``), and an English msgid: the
text templates and modules pass to ``_()`` / ``gettext`` and the key of the
catalogs. :data:`LABELS` is the one table of both; a test fails when a template or
module asks for a message that is not in it, and when a catalog lacks one.

Messages are text, never HTML: templates put links and markup in through
placeholders (``%(unsubscribe)s``), so a catalog or a room's override cannot
inject markup. Placeholders are written ``%(name)s`` in msgids and ``{name}`` in
pressroom.yaml.

:class:`Words` is one language's catalog with the room's overrides applied. It is
chosen once, where a document is assembled (``render/context.py``,
``site/newsroom.py``), carried by the Document and handed to every template
(``_``, ``gettext``, ``ngettext``, as Jinja's i18n extension expects them with
``newstyle`` formatting) and renderer: there is no global current language.
"""

from __future__ import annotations

import gettext as _gettext
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pressroom.i18n.catalogs import translations
from pressroom.i18n.language import language_tag, primary_language
from pressroom.i18n.typography import Typography, space_punctuation, typography_for

Plural = tuple[str, str]

LABELS: dict[str, str] = {
    # the release line, the subject, the headline
    "release_line": "FOR IMMEDIATE RELEASE",
    "embargoed_until": "EMBARGOED UNTIL %(moment)s",
    "moment": "%(time)s %(zone)s, %(date)s",
    "subject_status": "%(status)s: %(subject)s",
    "place_date": "%(place)s, %(date)s",
    "lead_in": "%(dateline)s \u2014",
    "breaking_release_line": "BREAKING NEWS \u2014 FOR IMMEDIATE RELEASE",
    "breaking": "BREAKING:",
    "draft": "DRAFT \u2014 NOT FOR DISTRIBUTION",
    # release types
    "press_release": "Press release",
    "statement": "Statement",
    "media_advisory": "Media advisory",
    "open_letter": "Open letter",
    # update banners and corrections
    "update": "UPDATE",
    "correction": "CORRECTION",
    "corrected": "CORRECTED:",
    # around the text
    "media_contact": "Media contact",
    "media_contacts": "Media contacts",
    "about": "About %(org)s",
    "ps": "P.S.",
    "page": "Page %(page)s of %(pages)s",
    "signatory": "Signatory (%(count)s)",
    "signatories": "Signatories (%(count)s)",
    "to": "To",
    "to_name": "To: %(name)s",
    # media advisories
    "event": "The event",
    "what": "What",
    "when": "When",
    "where": "Where",
    "who": "Who",
    "why": "Why",
    "visuals": "Visuals",
    "onsite_contact": "On-site contact",
    "rsvp": "RSVP",
    # photos
    "photo": "Photo: %(file)s",
    "photo_attached": "Photo (attached): %(file)s",
    "photo_online_later": "(online when the embargo lifts)",
    "photo_single": "Photo",
    "photo_number": "Photo %(number)s",
    "photo_alt": "Photo %(number)s: %(headline)s",
    # the email around the release
    "greeting": "Hello,",
    "greeting_name": "Dear %(name)s,",
    "unsubscribe": "Unsubscribe",
    "unsubscribe_line": "%(unsubscribe)s to stop receiving press releases from %(org)s.",
    "unsubscribe_text": "To stop receiving press releases from %(org)s, unsubscribe:",
    # the contact card (.vcf)
    "pronouns": "Pronouns: %(pronouns)s",
    # the newsroom
    "skip": "Skip to content",
    "newsroom": "Newsroom",
    "newsroom_title": "%(org)s Newsroom",
    "all_releases": "All releases",
    "feed": "Feed",
    "subscribe": "Subscribe:",
    "newsroom_intro": "Press releases, statements and media advisories from %(org)s.",
    "releases_newest_first": "Releases, newest first",
    "no_releases": "No releases have been published yet.",
    "about_newsroom": "About this newsroom",
    "follow": "Follow our releases",
    "atom_feed": "Atom feed",
    "rss_feed": "RSS feed",
    "json_feed": "JSON Feed",
    "breadcrumb": "Breadcrumb",
    "for_journalists": "For journalists",
    "downloads": "Downloads",
    "word_document": "Word document",
    "add_to_calendar": "Add to calendar",
    "sent_under_embargo": "Sent to the press under embargo until %(moment)s.",
    "read_in_newsroom": "Read it in the newsroom, with its PDF and media contacts",
    "status_breaking": "Breaking",
    "status_embargo_lifted": "Embargo lifted",
}
"""Label id -> English msgid. Plural messages are two ids: the singular's and the plural's."""

PLURALS: dict[str, str] = {"media_contact": "media_contacts", "signatory": "signatories"}
"""Singular id -> plural id of the messages chosen by a count (``ngettext``)."""

MSGIDS: dict[str, str] = {msgid: label for label, msgid in LABELS.items()}

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_BRACED = re.compile(r"\{(\w*)\}")


def placeholders(message: str) -> set[str]:
    """The names of the ``%(name)s`` placeholders of *message*."""
    return set(_PLACEHOLDER.findall(message))


def pieces(text: str) -> list[tuple[str, str]]:
    """*text* (a message in msgid form) as ``("text", words)`` and ``("name", "")`` pieces,
    for formats that put something other than text at a placeholder (a page counter)."""
    out: list[tuple[str, str]] = []
    for index, piece in enumerate(_PLACEHOLDER.split(text)):
        if index % 2:
            out.append((piece, ""))
        elif piece:
            out.append(("text", piece.replace("%%", "%")))
    return out


def n_(message: str) -> str:
    """Marks *message* for extraction where it is looked up later (a table of labels)."""
    return message


class LabelError(ValueError):
    """An override in pressroom.yaml that cannot be used."""


def override_text(label: str, text: str) -> str:
    """A room's override of *label* (``{org}`` placeholders) in msgid form (``%(org)s``).

    Raises :class:`LabelError` for an unknown placeholder, naming the ones the label has.
    """
    allowed = placeholders(LABELS[label])
    for name in _BRACED.findall(text):
        if name not in allowed:
            offered = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "none"
            raise LabelError(
                f"'{{{name}}}' is not a placeholder of the label '{label}' (it offers: {offered})"
            )
    escaped = text.replace("%", "%%")
    return _BRACED.sub(lambda m: f"%({m[1]})s", escaped).replace("{{", "{").replace("}}", "}")


def room_overrides(labels: Mapping[str, Mapping[str, str]], language: str) -> dict[str, str]:
    """msgid -> override text for *language*, from a room's parsed ``labels:`` (label ->
    language or ``*`` -> text in msgid form): the exact tag first, then its language,
    then the override for every language."""
    primary = primary_language(language)
    chosen: dict[str, str] = {}
    for label, by_language in labels.items():
        for key in (language, primary, "*"):
            if key in by_language:
                chosen[LABELS[label]] = by_language[key]
                break
    return chosen


def _format(text: str, values: Mapping[str, Any]) -> str:
    return text % dict(values)  # a message's own % is written %%, as in Jinja's newstyle


@dataclass(frozen=True, eq=False)
class Words:
    """The words of *language* (a BCP 47 tag), with a room's *overrides* (msgid -> text)."""

    language: str
    overrides: Mapping[str, str] = field(default_factory=dict)

    def _key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        return self.language, tuple(sorted(self.overrides.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Words) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its language and overrides (rendering workers): the catalog,
        whose plural rule is compiled code, is loaded again where it is used."""
        return (Words, (self.language, dict(self.overrides)))

    @cached_property
    def _catalog(self) -> _gettext.NullTranslations:
        return translations(self.language)

    @cached_property
    def typography(self) -> Typography:
        return typography_for(self.language)

    @property
    def locale(self) -> str:
        """The language as Babel's formatting takes it (``de_AT``)."""
        return self.language.replace("-", "_")

    def gettext(self, message: str) -> str:
        """*message* in this language, unformatted."""
        if message in self.overrides:
            return self.overrides[message]
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form of *singular*/*plural* for *count*, unformatted."""
        chosen = singular if count == 1 else plural
        if chosen in self.overrides:
            return self.overrides[chosen]
        return self._catalog.ngettext(singular, plural, count)

    def __call__(self, message: str, **values: Any) -> str:
        """*message* in this language, its placeholders filled with *values*."""
        return _format(self.gettext(message), values)

    def plural(self, singular: str, plural: str, count: int, **values: Any) -> str:
        return _format(self.ngettext(singular, plural, count), {"count": count, **values})

    def colon(self, label: str) -> str:
        """``What:``, ``Quoi :``: *label* (already in this language) before a value."""
        return space_punctuation(label + ":", self.typography.punctuation_space)

    def jinja(self) -> dict[str, Any]:
        """What a template's context needs for ``_()``, ``{% trans %}`` and ``ngettext``:
        these words (:mod:`pressroom.render.words` looks them up there)."""
        return {"words": self}


def words_for(language: str, labels: Mapping[str, Mapping[str, str]] | None = None) -> Words:
    """The words of *language* (any tag form) with a room's ``labels:`` applied."""
    tag = language_tag(language)
    return Words(tag, room_overrides(labels or {}, tag))
