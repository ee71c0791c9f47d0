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
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pressroom.model.advisory import Event
from pressroom.model.base import Strict, user_error
from pressroom.model.body import Block, QuoteBlock, Update
from pressroom.model.greeting import Greeting
from pressroom.model.header import HeaderText
from pressroom.model.letters import Addressee, Signatories, Signatory, as_mapping_of_name
from pressroom.model.moments import Moment, context_zone, parse_moment
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
    addressees: list[Annotated[Addressee, BeforeValidator(as_mapping_of_name)]] = []
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
        return None if value is None else parse_moment(value, context_zone(info))

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
