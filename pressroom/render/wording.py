"""The words set around a release's text, in its language: the release line, the
subject, the type, the update banners' labels, "About <org>", "P.S." and the quote
marks around a spokesperson's words.

Every function takes the :class:`~pressroom.i18n.labels.Words` of the release,
chosen once in :func:`~pressroom.render.context.document`; the wording itself is in
the catalogs (:mod:`pressroom.i18n`), never here.
"""

from __future__ import annotations

from pressroom.i18n.labels import LABELS, Words, n_
from pressroom.i18n.typography import OPENING_QUOTES
from pressroom.model.moments import Moment
from pressroom.model.release import Release
from pressroom.render.dates import plain_spaces, zone_label

TYPE_MESSAGES = {
    "press-release": n_("Press release"),
    "statement": n_("Statement"),
    "media-advisory": n_("Media advisory"),
    "open-letter": n_("Open letter"),
}

UPDATE_MESSAGES = {"UPDATE": n_("UPDATE"), "CORRECTION": n_("CORRECTION")}
"""Update labels a writer may type in English in any release: they are set in the
release's language (``label: CORRECTION`` in a German release reads KORREKTUR)."""


def type_label(release: Release, words: Words) -> str:
    return words(TYPE_MESSAGES[release.type])


def moment_words(moment: Moment, words: Words) -> str:
    """``9:00 AM EST, Tuesday, December 1, 2026`` (time first, as wires write it in
    English), ``Dienstag, 1. Dezember 2026, 09:00 Uhr MEZ``: the order is the catalog's."""
    from babel.dates import format_date, format_time

    at = moment.at
    return words(
        "%(time)s %(zone)s, %(date)s",
        time=format_time(at, "short", locale=words.locale),
        zone=zone_label(at, words.locale),
        date=format_date(at.date(), "full", locale=words.locale),
    )


def embargo_line(embargo: Moment, words: Words) -> str:
    return words("EMBARGOED UNTIL %(moment)s", moment=moment_words(embargo, words))


def release_line(release: Release, words: Words) -> str:
    """``FOR IMMEDIATE RELEASE``, ``EMBARGOED UNTIL <time>`` or the breaking line."""
    if release.status == "embargoed" and release.embargo is not None:
        return embargo_line(release.embargo, words)
    if release.status == "breaking":
        return words("BREAKING NEWS \u2014 FOR IMMEDIATE RELEASE")
    return words("FOR IMMEDIATE RELEASE")


def breaking_prefix(words: Words) -> str:
    """``BREAKING: `` before a breaking release's headline."""
    return words("BREAKING:") + " "


def subject(release: Release, headline: str, words: Words) -> str:
    """The email subject: the status first, then the headline (or distribution.subject),
    with plain spaces only."""
    text = release.distribution.subject or headline
    if release.status == "embargoed" and release.embargo is not None:
        line = embargo_line(release.embargo, words)
        if "EMBARGO" not in text.upper() and line.upper() not in text.upper():
            text = words("%(status)s: %(subject)s", status=line, subject=text)
    elif release.status == "breaking":
        prefix = words("BREAKING:").rstrip(":\u202f ")
        if not text.upper().startswith(("BREAKING", prefix.upper())):
            text = breaking_prefix(words) + text
    return plain_spaces(text)


def corrected(subject_text: str, words: Words) -> str:
    """``CORRECTED: <subject>`` for the correction of a sent release."""
    prefix = words("CORRECTED:")
    return plain_spaces(f"{prefix} {subject_text}")


def is_corrected_subject(text: str) -> bool:
    """A subject sent as a correction (:func:`corrected`), in any catalog's language."""
    from pressroom.i18n.catalogs import languages
    from pressroom.i18n.labels import words_for

    return any(
        text.startswith(plain_spaces(words_for(language)(LABELS["corrected"])))
        for language in languages()
    )


def update_label(label: str | None, words: Words) -> str:
    """An update banner's label, upper case: the writer's own, or UPDATE in the language."""
    written = (label or "UPDATE").strip()
    message = UPDATE_MESSAGES.get(written.upper())
    return (words(message) if message else written).upper()


def is_correction(label: str | None) -> bool:
    """An update banner labelled as a correction, in English or any catalog's language
    (CORRECTION, KORREKTUR, RECTIFICATIF...)."""
    from pressroom.i18n.catalogs import languages
    from pressroom.i18n.labels import words_for

    written = (label or "").strip().upper()
    if written.startswith("CORRECT"):
        return True
    return any(
        written.startswith(words_for(language)(LABELS["correction"]).upper())
        for language in languages()
    )


def about_heading(org_name: str, words: Words) -> str:
    return words("About %(org)s", org=org_name)


def ps_label(words: Words) -> str:
    return words("P.S.")


def quoted(text: str, words: Words) -> str:
    """Quotation marks of the language around a quote's paragraphs, as newspapers set them.

    Writers type the words without marks; each paragraph opens with a mark and
    only the last one closes (the convention for quotes running over several
    paragraphs). Text that already starts with a quotation mark is left alone.
    """
    text = text.strip()
    if not text or text.startswith(tuple(OPENING_QUOTES)):
        return text
    marks = words.typography
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    paragraphs = [marks.opening + p for p in paragraphs]
    paragraphs[-1] += marks.closing
    return "\n\n".join(paragraphs)


def postscript(text: str, words: Words) -> str:
    """``P.S.`` in front of the postscript unless the writer put it there."""
    text = text.strip()
    label = ps_label(words)
    if text.lstrip("*_ ").upper().startswith(("P.S", "PS:", "PS ", label.upper())):
        return text
    return f"**{label}** {text}"
