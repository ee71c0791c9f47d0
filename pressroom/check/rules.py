"""Editorial checks: what a good press officer looks at before sending.

Pure functions of the room, a release and the current time. Errors block
sending; warnings are advice (``--strict`` makes them errors too). Each rule
has a code, shown after the message, so a team can talk about it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from pressroom.check.copy import article, breaking_typed, future_updates, name_and_date
from pressroom.check.dateline import dateline_advice
from pressroom.check.findings import Findings
from pressroom.check.imported import import_marks
from pressroom.check.links import bad_link, hrefs
from pressroom.check.pictures import images, photos_reach
from pressroom.check.placeholders import markers_in, room_placeholders
from pressroom.check.translations import translation_problems
from pressroom.errors import Problem
from pressroom.i18n.language import primary_language, release_language
from pressroom.load.traps import release_trap_problems, room_trap_problems
from pressroom.model.links import BAD_LINK
from pressroom.model.located import Path_
from pressroom.model.moments import zone_named
from pressroom.model.release import QuoteBlock, Release
from pressroom.model.room import Room

HEADLINE_MAX = 100  # characters wire services show before truncating
BODY_MAX_WORDS = 1500
BODY_MIN_WORDS = 40
CHARACTERS_PER_WORD = 6
"""An English word and its space, on average: other languages' bodies are measured
in characters and compared in these "words" (a German compound is one long word)."""


def check_release(
    room: Room,
    release: Release,
    now: datetime,
    sent: bool = False,
    goes_out: datetime | None = None,
) -> list[Problem]:
    """Every editorial problem of *release*, errors and warnings.

    *sent* says that some version has already been accepted for delivery: an
    embargo that has passed since is history then, not a mistake. *goes_out*:
    the time a send scheduled for later delivers it (``send --at``), so a
    release dated that day is not dated in the future.
    """
    found = Findings(release, sent, goes_out)
    for rule in RULES:
        rule(found, room, release, now)
    problems = sorted(found.problems, key=lambda p: (p.line or 0, p.column or 0))
    return problems + translation_problems(room, release, now, sent, check_release)


def check_room(room: Room) -> list[Problem]:
    """Problems of pressroom.yaml itself that matter for every release.

    Both are errors because ``send`` refuses to send without them, as is a
    text of the organisation or its people cut by an unquoted ``#hashtag``.
    """
    problems = room_trap_problems(room.traps) + room_placeholders(room)
    if not room.config.org.address:
        problems.append(
            Problem(
                "pressroom.yaml",
                "no postal address: send refuses to send without one",
                key="org.address",
                hint="every email must show one (CAN-SPAM); add org.address",
                code="no-address",
            )
        )
    if not room.config.sender.email:
        problems.append(
            Problem(
                "pressroom.yaml",
                "no sender address: send refuses to send without one",
                key="sender.email",
                hint="add it under sender:, e.g. `email: press@example.org`",
                code="no-sender",
            )
        )
    return problems


# -- rules -------------------------------------------------------------------------


def _embargo(found: Findings, room: Room, release: Release, now: datetime) -> None:
    if release.status != "embargoed" or release.embargo is None:
        if release.embargo is not None:
            found.warning(
                "embargo-ignored",
                ("embargo",),
                f"an embargo is set but status is '{release.status}'",
                "set status: embargoed, or remove embargo:",
            )
        return
    moment = release.embargo
    if moment.at <= now and not found.sent:
        found.error(
            "embargo-past",
            ("embargo",),
            "the embargo time has already passed",
            "set a later embargo, or make the release status: immediate",
        )
    if not moment.zone_given:
        # An embargo is a promise to newsrooms in other zones: it must say its zone.
        found.error(
            "embargo-zone",
            ("embargo",),
            f"the embargo has no time zone (it would be read as {room.config.timezone})",
            f"write the zone, e.g. {moment.at:%Y-%m-%d %H:%M} {room.config.timezone}",
        )
    if release.date is not None:
        day = moment.at.date()
        if day > release.date:
            found.error(
                "embargo-after-date",
                ("embargo",),
                f"the embargo lifts on {day}, after the release date {release.date}",
                "move the date to the embargo day, or the embargo earlier",
            )
        elif day < release.date:
            found.warning(
                "embargo-before-date",
                ("date",),
                f"the release is dated {release.date} but the embargo lifts on {day}",
                "date the release on the day the embargo lifts",
            )


def _date(found: Findings, room: Room, release: Release, now: datetime) -> None:
    if release.date is None:
        found.warning(
            "no-date",
            ("headline",),
            "no date: none will be shown",
            "add date: YYYY-MM-DD, or start the file name with it",
        )
        return
    # a send scheduled for later (send --at) reaches readers that day, not today
    today = (found.goes_out or now).astimezone(zone_named(room.config.timezone)).date()
    if release.status != "embargoed" and release.date > today:
        path = ("date",) if not release.date_from_name else ("headline",)
        found.warning(
            "dated-future",
            path,
            f"{article(release.status)} {release.status} release dated {release.date}, "
            "in the future",
            "embargo it until then with status: embargoed, or date it today",
        )


def _contacts(found: Findings, room: Room, release: Release, now: datetime) -> None:
    if not release.contacts:
        found.warning(
            "no-contact",
            ("contacts",),
            "no media contact block",
            "journalists need someone to call: add contacts: [person-key]",
        )
    for index, person in enumerate(release.contacts):
        if not person.email and not person.phone:
            found.error(
                "contact-unreachable",
                ("contacts", index),
                f"{person.name} has neither email nor phone",
                f"add email: or phone: to {person.key or person.name} in pressroom.yaml",
            )


def _headline(found: Findings, room: Room, release: Release, now: datetime) -> None:
    headline = release.headline
    if len(headline) > HEADLINE_MAX:
        found.warning(
            "headline-long",
            ("headline",),
            f"{len(headline)} characters; wire services cut headlines after about {HEADLINE_MAX}",
            "move detail to the subheadline",
        )
    letters = [ch for ch in headline if ch.isalpha()]
    if len(letters) >= 12 and all(ch.isupper() for ch in letters):
        found.warning(
            "headline-caps",
            ("headline",),
            "the headline is in all capitals",
            "write it in title case; capitals read as shouting and hurt spam scores",
        )


def _quotes(found: Findings, room: Room, release: Release, now: datetime) -> None:
    for index, block in enumerate(release.body):
        if isinstance(block, QuoteBlock):
            person = block.quote
            if not person.title and not person.org:
                found.warning(
                    "quote-attribution",
                    ("body", index, "quote"),
                    f"the quote by {person.name} has no title or organisation",
                    "add title: or org: so readers know who is speaking",
                )
            if not block.text.strip():
                found.error("quote-empty", ("body", index, "text"), "the quote has no words")


def _dateline(found: Findings, room: Room, release: Release, now: datetime) -> None:
    english = primary_language(release_language(room, release)) == "en"
    if not release.dateline:
        if release.type in ("press-release", "statement"):
            found.warning(
                "no-dateline",
                ("headline",),
                "no dateline",
                "add dateline: CITY, State (AP style, e.g. OAKLAND, Calif.)"
                if english
                else "add dateline: with the city (BERLIN, PARIS)",
            )
        return
    if not english:
        return  # AP style is English; "BERLIN, 26. März 2019 –" and "PARIS, le ..." are fine
    for message, hint in dateline_advice(release.dateline):
        found.warning("dateline-style", ("dateline",), message, hint)


def _texts(release: Release) -> Iterator[tuple[Path_, str]]:
    """Every text the reader will see, with its key path."""

    def walk(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, (*path, index))

    data = release.located.data if release.located is not None else release.model_dump()
    yield from walk(data, ())


def _placeholders(found: Findings, room: Room, release: Release, now: datetime) -> None:
    for path, text in _texts(release):
        if path and path[0] in ("distribution", "images", "embargo", "date"):
            continue
        for marker in markers_in(text):
            found.error(marker.code, path, marker.message, marker.hint)


def _starter_text(found: Findings, room: Room, release: Release, now: datetime) -> None:
    from pressroom.drafts.scaffold import starter_text_in

    for path, text in _texts(release):
        starter = starter_text_in(text)
        if starter:
            shown = starter if len(starter) <= 50 else starter[:47] + "..."
            found.error(
                "starter-text",
                path,
                f'still holds the starter text of `pressroom new`: "{shown}"',
                "replace it with your own words, or delete the key",
            )


def _body(found: Findings, room: Room, release: Release, now: datetime) -> None:
    texts = [
        block
        if isinstance(block, str)
        else block.text
        if isinstance(block, QuoteBlock)
        else block.heading
        for block in release.body
    ]
    words = sum(len(text.split()) for text in texts)
    measured = f"{words} words"
    if primary_language(release_language(room, release)) != "en":
        # German and Dutch compounds, French articles: words are not comparable;
        # characters are (the limits are the English ones times an average word)
        characters = sum(len(" ".join(text.split())) for text in texts)
        words = round(characters / CHARACTERS_PER_WORD)
        measured = f"{characters} characters (about {words} English words)"
    if words > BODY_MAX_WORDS:
        found.warning(
            "body-long",
            ("body",),
            f"{measured}; a release is usually under {BODY_MAX_WORDS} words",
            "cut it down, or link to the full report",
        )
    elif words < BODY_MIN_WORDS and release.type != "media-advisory":
        found.warning(
            "body-short",
            ("body",),
            f"only {measured} in the body",
            "say who, what, when, where and why",
        )
    if release.type == "open-letter" and not release.signatories:
        found.warning("no-signatories", ("headline",), "an open letter with no signatories")
    if release.type == "media-advisory" and release.event is None:
        found.warning(
            "no-event",
            ("headline",),
            "a media advisory without an event",
            "add event: with what, when and where",
        )


def _links(found: Findings, room: Room, release: Release, now: datetime) -> None:
    for path, text in _texts(release):
        if "](" not in text and "<http" not in text:
            continue
        for href in hrefs(text):
            problem = bad_link(href, room)
            if problem:
                found.error(BAD_LINK, path, problem[0], problem[1])


_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(")


def _inline_images(found: Findings, room: Room, release: Release, now: datetime) -> None:
    for path, text in _texts(release):
        if _MARKDOWN_IMAGE.search(text):
            found.error(
                "inline-image",
                path,
                "a picture in Markdown text (![...](...)) cannot go in the PDF or the email",
                "list photos under images: with file, caption, credit and alt",
            )


def _yaml_traps(found: Findings, room: Room, release: Release, now: datetime) -> None:
    found.problems += release_trap_problems(release)


def _draft(found: Findings, room: Room, release: Release, now: datetime) -> None:
    if release.draft:
        found.warning(
            "draft",
            ("draft",),
            "a draft: it will not be sent or published",
            "remove draft: true when it is ready",
        )


RULES = [
    _embargo,
    _date,
    name_and_date,
    future_updates,
    _contacts,
    _headline,
    breaking_typed,
    _quotes,
    _dateline,
    _placeholders,
    _starter_text,
    _body,
    _links,
    _inline_images,
    images,
    photos_reach,
    _draft,
    _yaml_traps,
    import_marks,
]
