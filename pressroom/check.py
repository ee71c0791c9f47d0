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

from markdown_it import MarkdownIt

from pressroom.errors import Problem, Severity
from pressroom.load.yamlfile import Path_, Trap, key_name
from pressroom.model.links import BAD_LINK, BadLink, SafeUrl, scheme_of
from pressroom.model.moments import zone_named
from pressroom.model.release import HeadingBlock, QuoteBlock, Release
from pressroom.model.room import Room

HEADLINE_MAX = 100  # characters wire services show before truncating
BODY_MAX_WORDS = 1500
BODY_MIN_WORDS = 40

# AP style state abbreviations for datelines; eight states are never abbreviated.
AP_STATES = {
    "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.", "Ga.", "Ill.",
    "Ind.", "Kan.", "Ky.", "La.", "Md.", "Mass.", "Mich.", "Minn.", "Miss.", "Mo.",
    "Mont.", "Neb.", "Nev.", "N.H.", "N.J.", "N.M.", "N.Y.", "N.C.", "N.D.", "Okla.",
    "Ore.", "Pa.", "R.I.", "S.C.", "S.D.", "Tenn.", "Vt.", "Va.", "Wash.", "W.Va.",
    "Wis.", "Wyo.", "Alaska", "Hawaii", "Idaho", "Iowa", "Maine", "Ohio", "Texas", "Utah",
    "D.C.",
}  # fmt: skip
POSTAL_TO_AP = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.",
    "DE": "Del.", "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "IN": "Ind.", "KS": "Kan.",
    "KY": "Ky.", "LA": "La.", "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.",
    "MS": "Miss.", "MO": "Mo.", "MT": "Mont.", "NE": "Neb.", "NV": "Nev.", "NH": "N.H.",
    "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.", "ND": "N.D.", "OK": "Okla.",
    "OR": "Ore.", "PA": "Pa.", "RI": "R.I.", "SC": "S.C.", "SD": "S.D.", "TN": "Tenn.",
    "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W.Va.", "WI": "Wis.", "WY": "Wyo.",
    "AK": "Alaska", "HI": "Hawaii", "ID": "Idaho", "IA": "Iowa", "ME": "Maine", "OH": "Ohio",
    "TX": "Texas", "UT": "Utah", "DC": "D.C.",
}  # fmt: skip
_CITY = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .'\u2019-]*$")

PLACEHOLDERS = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\[(?:INSERT|ADD|TBD|TODO|NAME|DATE|QUOTE)[^\]]*\]|"
    r"\bTK\b|\bTKTK\b|\bXXX+\b|\bLorem ipsum\b|<(?:name|date|title|city|quote)>",
    re.IGNORECASE,
)
_LINKS = MarkdownIt("commonmark")
_LINKS.validateLink = lambda url: True  # type: ignore[method-assign]  # see every link, to judge it

# Keys whose values are not prose (names of things, times, paths): a "#word" after
# them is a comment the writer meant, and no text is lost.
NOT_PROSE = {
    "type", "status", "date", "embargo", "draft", "distribution", "contacts", "hashtags",
    "file", "url", "start", "end", "onsite_contact", "rsvp", "quote", "email", "phone",
}  # fmt: skip
# In pressroom.yaml, under org, people and sender: what is not text shown to readers.
ROOM_NOT_PROSE = {"website", "logo", "reply_to", "email", "phone"}
# Fields rendered as Markdown paragraphs (render/context.py), where a Markdown list
# inside a '|' block works; elsewhere the lines of a '|' block become one line.
SEVERAL_PARAGRAPHS = {
    "text", "what", "who", "why", "visuals", "salutation", "closing", "ps", "boilerplate",
}  # fmt: skip


class Findings:
    """Collects problems for one release, positioned at the key they concern."""

    def __init__(self, release: Release, sent: bool = False):
        self.release = release
        self.sent = sent
        """Some version of the release has already reached someone (from the send log)."""
        self.problems: list[Problem] = []

    def add(self, severity: Severity, code: str, path: Path_, message: str, hint: str = "") -> None:
        located = self.release.located
        if located is not None:
            problem = located.problem(path, message, hint, severity=severity, code=code)
        else:
            problem = Problem(
                self.release.source,
                message,
                key=".".join(map(str, path)),
                hint=hint,
                severity=severity,
                code=code,
            )
        self.problems.append(problem)

    def error(self, code: str, path: Path_, message: str, hint: str = "") -> None:
        self.add("error", code, path, message, hint)

    def warning(self, code: str, path: Path_, message: str, hint: str = "") -> None:
        self.add("warning", code, path, message, hint)


def check_release(room: Room, release: Release, now: datetime, sent: bool = False) -> list[Problem]:
    """Every editorial problem of *release*, errors and warnings.

    *sent* says that some version has already been accepted for delivery: an
    embargo that has passed since is history then, not a mistake.
    """
    found = Findings(release, sent)
    for rule in RULES:
        rule(found, room, release, now)
    return sorted(found.problems, key=lambda p: (p.line or 0, p.column or 0))


def check_room(room: Room) -> list[Problem]:
    """Problems of pressroom.yaml itself that matter for every release.

    Both are errors because ``send`` refuses to send without them, as is a
    text of the organisation or its people cut by an unquoted ``#hashtag``.
    """
    problems = [
        _trap_problem("pressroom.yaml", trap)
        for trap in room.traps
        if trap.path[:1] in (("org",), ("people",), ("sender",))
        and _is_prose(trap.path[1:])
        and trap.path[-1] not in ROOM_NOT_PROSE
        and trap.kind != "literal-list"
    ]
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
    today = now.astimezone(zone_named(room.config.timezone)).date()
    if release.status != "embargoed" and release.date > today:
        path = ("date",) if not release.date_from_name else ("headline",)
        found.warning(
            "dated-future",
            path,
            f"an {release.status} release dated {release.date}, in the future",
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
    dateline = release.dateline
    if not dateline:
        if release.type in ("press-release", "statement"):
            found.warning(
                "no-dateline",
                ("headline",),
                "no dateline",
                "add dateline: CITY, State (AP style, e.g. OAKLAND, Calif.)",
            )
        return
    city, _, rest = dateline.partition(",")
    rest = rest.strip()
    if not _CITY.match(city.strip()):
        found.warning(
            "dateline-style",
            ("dateline",),
            f"'{dateline}' is not in AP style",
            f"write the city in capitals: {city.strip().upper()}" + (f", {rest}" if rest else ""),
        )
    if rest and rest.upper() in POSTAL_TO_AP and rest not in AP_STATES:
        found.warning(
            "dateline-style",
            ("dateline",),
            f"'{rest}' is a postal code, not an AP state abbreviation",
            f"write {city.strip()}, {POSTAL_TO_AP[rest.upper()]}",
        )


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
        match = PLACEHOLDERS.search(text)
        if match:
            found.error(
                "placeholder",
                path,
                f"unresolved placeholder '{match[0]}'",
                "replace it with the real text before sending",
            )


def _starter_text(found: Findings, room: Room, release: Release, now: datetime) -> None:
    from pressroom.scaffold import starter_text_in

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
    words = 0
    for block in release.body:
        if isinstance(block, str):
            words += len(block.split())
        elif isinstance(block, QuoteBlock):
            words += len(block.text.split())
        elif isinstance(block, HeadingBlock):
            words += len(block.heading.split())
    if words > BODY_MAX_WORDS:
        found.warning(
            "body-long",
            ("body",),
            f"{words} words; a release is usually under {BODY_MAX_WORDS}",
            "cut it down, or link to the full report",
        )
    elif words < BODY_MIN_WORDS and release.type != "media-advisory":
        found.warning(
            "body-short",
            ("body",),
            f"only {words} words in the body",
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
        for href in _hrefs(text):
            problem = _bad_link(href, room)
            if problem:
                found.error(BAD_LINK, path, problem[0], problem[1])


_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(")
_WHITESPACE = re.compile(r"\s")


def _inline_images(found: Findings, room: Room, release: Release, now: datetime) -> None:
    for path, text in _texts(release):
        if _MARKDOWN_IMAGE.search(text):
            found.error(
                "inline-image",
                path,
                "a picture in Markdown text (![...](...)) cannot go in the PDF or the email",
                "list photos under images: with file, caption, credit and alt",
            )


def _hrefs(text: str) -> Iterator[str]:
    for token in _LINKS.parse(text):
        for child in token.children or []:
            if child.type == "link_open":
                yield str(child.attrGet("href") or "")
    yield from _spaced_hrefs(text)  # markdown-it does not even see a link with a space in it


def _spaced_hrefs(text: str) -> Iterator[str]:
    """What ``](...)`` holds when it contains a space, in one pass over *text*.

    The regular expression this replaces (``\\]\\(([^)]*\\s[^)]*)\\)``) went
    back to the end of the text from every ``](`` without a ``)``: a body of
    ``[a](`` repeated took minutes to check.
    """
    close = space = -1  # the next ')' and the next whitespace, found once each
    start = text.find("](")
    while start != -1:
        inside = start + 2
        if close < inside:
            close = text.find(")", inside)
            if close == -1:
                return
        if space < inside:
            found = _WHITESPACE.search(text, inside)
            space = found.start() if found else len(text)
        if space < close:
            yield text[inside:close]
            start = text.find("](", close + 1)
        else:
            start = text.find("](", start + 1)


def _bad_link(href: str, room: Room) -> tuple[str, str] | None:
    """(message, hint) for a Markdown link pressroom would not write, else None."""
    if not href.strip():
        return f"link '{href}' is empty", "put the address between the parentheses"
    if re.search(r"\s", href):
        return f"link '{href}' contains a space", "remove the space, or write it as %20"
    if href.startswith("#"):
        return None
    if scheme_of(href) is not None:
        try:
            SafeUrl.parse(href)
        except BadLink as exc:
            message, _, hint = str(exc).partition("; ")
            return f"the link {message}", hint
        return None
    if re.match(r"^(www\.|[a-z0-9-]+\.(com|org|net|gov|edu|io)\b)", href):
        return f"link '{href}' has no https://", f"write https://{href}"
    if not room.config.org.website:
        return (
            f"link '{href}' is relative but org.website is not set",
            "add org.website to pressroom.yaml",
        )
    return None


def _images(found: Findings, room: Room, release: Release, now: datetime) -> None:
    for index, image in enumerate(release.images):
        if not image.alt:
            found.warning(
                "image-alt",
                ("images", index),
                f"{image.file} has no alt text",
                "describe the picture for readers who cannot see it",
            )
        if not image.credit:
            found.warning(
                "image-credit",
                ("images", index),
                f"{image.file} has no credit",
                "add credit: Photo by ...",
            )


TRAP_CODES = {
    "hashtag": "yaml-hashtag",
    "folded-list": "yaml-folded-list",
    "literal-list": "yaml-literal-list",
}


def _is_prose(path: Path_) -> bool:
    keys = [part for part in path if isinstance(part, str)]
    if not keys or keys[0] in NOT_PROSE:
        return False
    return not (isinstance(path[-1], str) and path[-1] in NOT_PROSE)


def _yaml_traps(found: Findings, room: Room, release: Release, now: datetime) -> None:
    located = release.located
    for trap in located.traps if located is not None else []:
        if not _is_prose(trap.path):
            continue
        paragraphs = (
            trap.path[-1] in SEVERAL_PARAGRAPHS
            or trap.path[:1] == ("body",)
            and len(trap.path) == 2
        )
        if trap.kind == "literal-list" and paragraphs:
            continue  # a Markdown list inside '|' in a field of paragraphs: as meant
        found.problems.append(_trap_problem(located.file, trap))


def _trap_problem(file: str, trap: Trap) -> Problem:
    """A YAML trap (:class:`~pressroom.load.yamlfile.Trap`) as the error check reports."""
    return Problem(
        file,
        trap.message,
        line=trap.line,
        column=trap.column,
        key=key_name(trap.path),
        hint=trap.hint,
        code=TRAP_CODES[trap.kind],
    )


def _photos_reach(found: Findings, room: Room, release: Release, now: datetime) -> None:
    """Photos are attached or linked; what is attached fits in one email."""
    from pressroom import email_weight as weight

    attached = "images" in release.distribution.attach
    if release.images and not attached and not room.config.org.newsroom:
        found.warning(
            "image-not-sent",
            ("images",),
            "the photos are neither attached to the email nor linked: it names them only",
            "add images to distribution.attach, or set org.newsroom in pressroom.yaml "
            "to link them from the newsroom",
        )
    files = [(image.file.path.name, weight.file_size(image.file.path)) for image in release.images]
    files = files if attached else []
    logo = room.config.org.logo
    if logo is not None and not room.config.org.newsroom:  # sent inline with every email
        files.append((logo.path.name, weight.file_size(logo.path)))
    reason = weight.too_heavy(files, room.config)
    if reason:
        found.error(
            "attachments-too-large",  # weight.CODE
            ("images",) if files and release.images and attached else ("distribution",),
            reason + ", before the PDF and the other files are counted",
            weight.HINT,
        )


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
    _contacts,
    _headline,
    _quotes,
    _dateline,
    _placeholders,
    _starter_text,
    _body,
    _links,
    _inline_images,
    _images,
    _photos_reach,
    _draft,
    _yaml_traps,
]
