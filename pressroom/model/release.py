"""A release: one file under releases/, validated against the room it lives in.

Validate with ``Release.model_validate(data, context=release_context(...))``;
the context supplies the room's people, default contacts, boilerplate, time
zone and the file's name (for the date in its prefix).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pressroom.model.base import Strict, user_error
from pressroom.model.greeting import Greeting
from pressroom.model.header import HeaderText
from pressroom.model.links import BAD_LINK, BadLink, SafeUrl, rsvp_link
from pressroom.model.moments import Moment, parse_moment
from pressroom.model.names import NAME_RULE, is_name
from pressroom.model.paths import RoomPath
from pressroom.model.people import Person, PersonRef
from pressroom.model.room import RoomConfig

ReleaseType = Literal["press-release", "open-letter", "statement", "media-advisory"]
Status = Literal["immediate", "embargoed", "breaking"]
Attachment = Literal["pdf", "docx", "vcard", "ics", "images"]

TYPE_LABELS: dict[str, str] = {
    "press-release": "Press release",
    "open-letter": "Open letter",
    "statement": "Statement",
    "media-advisory": "Media advisory",
}

_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def _zone(info: ValidationInfo) -> str:
    return str((info.context or {}).get("timezone", "UTC"))


def _as_mapping_of_name(value: Any) -> Any:
    """``- Jane Smith`` is short for ``- {name: Jane Smith}``."""
    return {"name": value} if isinstance(value, str) else value


# -- body blocks -------------------------------------------------------------


class QuoteBlock(Strict):
    """Words of a spokesperson, always shown with their attribution."""

    quote: PersonRef
    text: str

    @property
    def kind(self) -> str:
        return "quote"


class HeadingBlock(Strict):
    heading: str

    @property
    def kind(self) -> str:
        return "heading"


def _block_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "paragraph"
    if isinstance(value, dict):
        if "quote" in value:
            return "quote"
        if "heading" in value:
            return "heading"
        return None
    if isinstance(value, QuoteBlock | HeadingBlock):
        return value.kind
    return None


Block = Annotated[
    Annotated[str, Tag("paragraph")]
    | Annotated[QuoteBlock, Tag("quote")]
    | Annotated[HeadingBlock, Tag("heading")],
    Discriminator(
        _block_kind,
        custom_error_type="body_block",
        custom_error_message=(
            "a body block is a paragraph of text, a quote ({quote: person, text: ...}) "
            "or a heading ({heading: ...})"
        ),
    ),
]


# -- open letters ------------------------------------------------------------


_WITH_TIME = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[T ]+\d")


class Update(Strict):
    """A banner above the headline; ``date`` may carry a time (``2026-12-03 14:30``)."""

    text: str
    label: str | None = None  # default: UPDATE, in the release's language
    date: dt.date | None = None
    _at: dt.datetime | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _time(
        cls, data: Any, handler: ModelWrapValidatorHandler[Update], info: ValidationInfo
    ) -> Update:
        at = None
        value = data.get("date") if isinstance(data, dict) else None
        if isinstance(value, dt.datetime) or (
            isinstance(value, str) and _WITH_TIME.match(value.strip())
        ):
            try:
                at = parse_moment(value, _zone(info)).at
            except ValueError as exc:
                raise user_error("update_time", str(exc), at=("date",)) from None
            data = {**data, "date": at.date()}
        update = handler(data)
        update._at = at
        return update

    @property
    def at(self) -> dt.datetime | None:
        """When the update was made, if its ``date`` gives the time."""
        return self._at


class Addressee(Strict):
    name: str
    title: str | None = None
    address: str | None = None


class Signatory(Strict):
    name: str
    title: str | None = None
    org: str | None = None
    location: str | None = None
    url: SafeUrl | None = None

    @field_validator("url", mode="before")
    @classmethod
    def _blank_url(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def details(self) -> str:
        return ", ".join(p for p in (self.title, self.org, self.location) if p)


SignatoryItem = Annotated[Signatory, BeforeValidator(_as_mapping_of_name)]


def _signatories_kind(value: Any) -> str | None:
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "groups"
    return None


Signatories = Annotated[
    Annotated[list[SignatoryItem], Tag("list")]
    | Annotated[dict[str, list[SignatoryItem]], Tag("groups")],
    Discriminator(
        _signatories_kind,
        custom_error_type="signatories",
        custom_error_message=(
            "signatories is a list of names, a CSV file name, or a mapping of "
            "group label -> list of names"
        ),
    ),
]


# -- media advisories ----------------------------------------------------------


class When(Strict):
    start: Moment
    end: Moment | None = None

    @field_validator("start", "end", mode="before")
    @classmethod
    def _moment(cls, value: Any, info: ValidationInfo) -> Moment | None:
        return None if value is None else parse_moment(value, _zone(info))

    @model_validator(mode="after")
    def _order(self) -> When:
        if self.end and self.end.at <= self.start.at:
            raise user_error("end_before_start", "end must be after start", at=("end",))
        return self


class Where(Strict):
    venue: str | None = None
    address: str | None = None


class Event(Strict):
    title: str | None = None  # the invitation's short title; default: the headline
    what: str
    when: When
    where: Where | None = None
    who: str | None = None
    why: str | None = None
    visuals: str | None = None
    onsite_contact: PersonRef | None = None
    rsvp: str | None = None
    """Text, an email address or a link; :attr:`rsvp_link` is the link it makes, if any."""

    _rsvp_link: SafeUrl | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _rsvp(self) -> Event:
        try:
            self._rsvp_link = rsvp_link(self.rsvp) if self.rsvp else None
        except BadLink as exc:
            raise user_error(BAD_LINK, f"the link {exc}", at=("rsvp",)) from None
        return self

    @property
    def rsvp_link(self) -> SafeUrl | None:
        return self._rsvp_link

    @field_validator("when", mode="before")
    @classmethod
    def _when(cls, value: Any) -> Any:
        return {"start": value} if isinstance(value, str) else value

    @field_validator("where", mode="before")
    @classmethod
    def _where(cls, value: Any) -> Any:
        return {"venue": value} if isinstance(value, str) else value


# -- the rest ------------------------------------------------------------------


class Image(Strict):
    file: RoomPath
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None


class Distribution(Strict):
    lists: list[str] = []
    subject: HeaderText | None = None
    attach: list[Attachment] = ["pdf"]

    @field_validator("lists")
    @classmethod
    def _list_names(cls, value: list[str]) -> list[str]:
        for index, name in enumerate(value):
            if not is_name(name):
                raise user_error(
                    "one-name",
                    f"{name!r} is not the name of a list: {NAME_RULE}; write the name of a "
                    "file in contacts/ without its extension",
                    at=(index,),
                )
        return value


class Release(Strict):
    """One release, fully resolved: people are Person objects, times are aware."""

    type: ReleaseType = "press-release"
    status: Status = "immediate"
    embargo: Moment | None = None
    date: dt.date | None = None
    dateline: str | None = None
    headline: HeaderText  # the email's subject unless distribution.subject is set
    subheadline: str | None = None
    updates: list[Update] = []
    addressees: list[Annotated[Addressee, BeforeValidator(_as_mapping_of_name)]] = []
    salutation: str | None = None
    greeting: Greeting | None = None
    """The email's personal greeting for this release (:mod:`pressroom.model.greeting`)."""
    body: list[Block] = Field(min_length=1)
    closing: str | None = None
    signatories: Signatories | None = None
    event: Event | None = None
    ps: str | None = None
    contacts: list[PersonRef] = []
    boilerplate: str | Literal[False] | None = None
    hashtags: list[str] = []
    images: list[Image] = []
    draft: bool = False
    language: str | None = None
    """The release's language (BCP 47) when it differs from the room's ``locale``."""
    distribution: Distribution = Distribution()

    _name: str = PrivateAttr(default="")
    _source: str = PrivateAttr(default="")
    _date_from_name: bool = PrivateAttr(default=False)
    _located: Any = PrivateAttr(default=None)  # model.located.Located: positions for messages
    _translations: Any = PrivateAttr(default=None)  # load.translations.Translations
    _translation: Any = PrivateAttr(default=None)  # load.translations.Of: this is a translation
    _signatories_file: RoomPath | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict):
            return data
        context = info.context or {}
        data = dict(data)
        if "contacts" not in data:
            data["contacts"] = list(context.get("contacts", []))
        if "boilerplate" not in data:
            data["boilerplate"] = _room_boilerplate(context, data.get("language"))
        if data.get("date") is None and "date" not in data:
            match = _DATE_PREFIX.match(str(context.get("name", "")))
            if match:
                data["date"] = match[1]
        return data

    @model_validator(mode="wrap")
    @classmethod
    def _private(cls, data: Any, handler: Any, info: ValidationInfo) -> Release:
        from_name = isinstance(data, dict) and data.get("date") is None
        release: Release = handler(data)
        context = info.context or {}
        release._name = str(context.get("name", ""))
        release._source = str(context.get("source", ""))
        release._date_from_name = bool(from_name)
        return release

    @field_validator("body", mode="before")
    @classmethod
    def _body(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [value] if value.strip() else []
        return value

    @field_validator("embargo", mode="before")
    @classmethod
    def _embargo(cls, value: Any, info: ValidationInfo) -> Moment | None:
        return None if value is None else parse_moment(value, _zone(info))

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        from pressroom.i18n.language import language_tag

        return language_tag(value) if value else None

    @field_validator("hashtags")
    @classmethod
    def _hashtags(cls, value: list[str]) -> list[str]:
        return [tag.lstrip("#") for tag in value if tag.lstrip("#")]

    @field_validator("boilerplate", mode="before")
    @classmethod
    def _boilerplate(cls, value: Any) -> Any:
        if value is True:
            raise ValueError("write the boilerplate text, or false to leave it out")
        return value

    @model_validator(mode="after")
    def _status(self, info: ValidationInfo) -> Release:
        newsroom = (info.context or {}).get("newsroom")
        if "attach" not in self.distribution.model_fields_set:
            attach: list[Attachment] = ["pdf"]
            if self.event is not None:
                attach.append("ics")
            if self.images and not newsroom:
                attach.append("images")  # no newsroom to link them to: they travel along
            self.distribution.attach = attach
        if self.status == "embargoed" and self.embargo is None:
            raise user_error(
                "embargo_missing",
                "an embargoed release needs an embargo time; add e.g. "
                "embargo: 2026-12-01 09:00 America/New_York",
                at=("status",),
            )
        return self

    # -- derived facts the renderers and checks share -------------------------

    @property
    def name(self) -> str:
        """The file's stem: the release's identity in build/, the send log and URLs."""
        return self._name

    @property
    def source(self) -> str:
        """The file as the user knows it, e.g. ``releases/2026-11-30-launch.yaml``."""
        return self._source

    @property
    def located(self) -> Any:
        """Where each key of the release was written (set by the loader)."""
        return self._located

    @property
    def translations(self) -> Any:
        """Its translations (``releases/<name>.<lang>.yaml``), set by the loader:
        a :class:`pressroom.load.translations.Translations`, or None."""
        return self._translations

    @property
    def translation(self) -> Any:
        """When this is a translation: of what, into which language
        (:class:`pressroom.load.translations.Of`); None for an original."""
        return self._translation

    @property
    def signatories_file(self) -> RoomPath | None:
        """The CSV the signatories were read from, if they came from one (set by the loader)."""
        return self._signatories_file

    @property
    def date_from_name(self) -> bool:
        return self._date_from_name

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    @property
    def about(self) -> str | None:
        return self.boilerplate or None

    @property
    def signatory_groups(self) -> list[tuple[str | None, list[Signatory]]]:
        if self.signatories is None:
            return []
        if isinstance(self.signatories, dict):
            return list(self.signatories.items())
        return [(None, self.signatories)]

    @property
    def signatory_count(self) -> int:
        return sum(len(people) for _, people in self.signatory_groups)

    @property
    def quotes(self) -> list[QuoteBlock]:
        return [block for block in self.body if isinstance(block, QuoteBlock)]

    @property
    def speakers(self) -> list[Person]:
        seen: dict[str, Person] = {}
        for quote in self.quotes:
            seen.setdefault(quote.quote.key or quote.quote.name, quote.quote)
        return list(seen.values())


def _room_boilerplate(context: dict[str, Any], language: Any) -> Any:
    """The room's boilerplate in the release's language (``org.boilerplate`` may be
    written per language), else the room's own."""
    from pressroom.i18n.language import language_tag

    org = context.get("org")
    if org is None:
        return context.get("boilerplate")
    try:
        tag = language_tag(language) if isinstance(language, str) and language else None
    except ValueError:
        tag = None  # reported at `language:` itself
    return org.in_language("boilerplate", tag or str(context.get("locale", "en")))


def release_context(config: RoomConfig, name: str, source: str, root: Path) -> dict[str, Any]:
    """What a release needs of its room while being validated (*root*: the room's folder)."""
    return {
        "root": root,
        "people": config.people,
        "contacts": config.default_contacts,
        "boilerplate": config.org.boilerplate,
        "org": config.org,
        "locale": config.locale,
        "newsroom": config.org.newsroom,
        "timezone": config.timezone,
        "name": name,
        "source": source,
    }
