"""pressroom.yaml: the organisation, its sender identity, its people, defaults."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from pressroom.model.address import address_problem
from pressroom.model.base import Strict, locale_code, suggestion, user_error
from pressroom.model.greeting import Greeting, room_greetings
from pressroom.model.header import HeaderText
from pressroom.model.links import WebUrl
from pressroom.model.moments import zone_named
from pressroom.model.paths import RoomPath
from pressroom.model.people import Person
from pressroom.model.texts import ByLanguage

if TYPE_CHECKING:
    from pressroom.model.located import Located, Trap
    from pressroom.model.release import Release


class Org(ByLanguage):
    BY_LANGUAGE = ("name", "boilerplate")

    name: HeaderText  # the sender's name when sender.name is not given
    website: WebUrl | None = None
    address: str | None = None
    boilerplate: str | None = None
    logo: RoomPath | None = None
    newsroom: WebUrl | None = None
    """Where the room's ``pressroom site`` is published: emails link photos there
    and show the logo from there; ``pressroom site`` uses it for ``--base-url``."""

    @field_validator("website", "newsroom", mode="before")
    @classmethod
    def _blank_website(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("website")
    @classmethod
    def _website(cls, value: WebUrl | None) -> WebUrl | None:
        return WebUrl.parse(value.rstrip("/")) if value else None

    @field_validator("newsroom")
    @classmethod
    def _newsroom(cls, value: WebUrl | None) -> WebUrl | None:
        if value and not value.startswith("https://"):
            raise ValueError(f"'{value}' is not an https:// address")
        return WebUrl.parse(value.rstrip("/") + "/") if value else None


class Sender(Strict):
    email: str | None = None
    name: HeaderText | None = None
    reply_to: str | None = None

    @field_validator("email", "reply_to")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        problem = address_problem(value) if value else None
        if problem:
            raise ValueError(problem)
        return value or None


class Smtp(Strict):
    """An SMTP server to send through; the credentials come from the environment."""

    host: str
    port: int | None = None  # default: 587 for starttls, 465 for tls, 25 for none
    security: Literal["starttls", "tls", "none"] = "starttls"

    @property
    def effective_port(self) -> int:
        if self.port is not None:
            return self.port
        return {"starttls": 587, "tls": 465, "none": 25}[self.security]


_HEADER_URL = re.compile(r"[!#-;=?-~]+")
"""Printable ASCII without space, ``"``, ``<`` or ``>``: a URL that stands literally
between the angle brackets of List-Unsubscribe (RFC 2369) and in an HTML attribute."""
UNSUBSCRIBE_URL_MAX = 200
"""With an address of 254 characters percent-encoded in it, a header line stays
within RFC 5322's 998 characters."""


SENDGRID_MAX_MB = 30
"""SendGrid refuses a request over 30 MB, attachments counted as base64."""


class DeliverySettings(Strict):
    """How messages leave: ``delivery:`` in pressroom.yaml."""

    transport: Literal["auto", "outbox", "sendgrid", "smtp"] = "auto"
    max_attachments_mb: float = 10
    """The most all attachments of one email may weigh, as sent (base64), in MB."""
    """auto: SendGrid when SENDGRID_API_KEY is set, else the outbox."""
    smtp: Smtp | None = None
    unsubscribe_url: str | None = None
    """A one-click unsubscribe address; ``{email}`` is replaced by the recipient's address."""
    suppress_from_other_mail: bool = False
    """Whether SendGrid's bounces, spam reports and unsubscribes about addresses pressroom
    never mailed (another sender on the same SendGrid account) suppress them too."""

    @field_validator("max_attachments_mb")
    @classmethod
    def _max_attachments(cls, value: float) -> float:
        if not 0 < value <= SENDGRID_MAX_MB:
            raise ValueError(
                f"{value} MB: write a size above 0 and at most {SENDGRID_MAX_MB:g} "
                "(SendGrid refuses larger requests; many inboxes refuse over 10 to 25 MB)"
            )
        return value

    @field_validator("unsubscribe_url")
    @classmethod
    def _unsubscribe(cls, value: str | None) -> str | None:
        if value and not value.startswith("https://"):
            raise ValueError(f"'{value}' is not an https:// address (RFC 8058 requires https)")
        if value and not _HEADER_URL.fullmatch(value):
            raise ValueError(
                f"'{value}' must be written in plain ASCII without spaces, quotes or <>: "
                "percent-encode other characters (%20 for a space)"
            )
        if value and len(value) > UNSUBSCRIBE_URL_MAX:
            raise ValueError(
                f"the address is {len(value)} characters long; keep it under "
                f"{UNSUBSCRIBE_URL_MAX} (it goes into a mail header, with the address in it)"
            )
        return value or None

    @model_validator(mode="after")
    def _smtp_needs_server(self) -> DeliverySettings:
        if self.transport == "smtp" and self.smtp is None:
            raise ValueError("transport smtp needs an smtp: {host: ...} mapping beside it")
        return self


APPROVALS_MAX = 10
"""More sign-offs than a press office has directors is a typo."""


class Approver(Strict):
    """One approver's settings (the mapping form of ``approval: approvers``)."""

    db_role: str | None = None
    """Their PostgreSQL role: connected as it, they are proven without a secret."""


def _approvers_mapping(value: Any) -> Any:
    """``[dana-reyes]`` (a list of people keys) is ``{dana-reyes: {}}``."""
    if isinstance(value, list):
        return {key: {} for key in value} if all(isinstance(k, str) for k in value) else value
    if isinstance(value, dict):
        return {key: {} if settings is None else settings for key, settings in value.items()}
    return value


class ApprovalPolicy(Strict):
    """``approval:`` in pressroom.yaml: who must approve the exact text before it is sent."""

    required: int = 1
    approvers: Annotated[dict[str, Approver], BeforeValidator(_approvers_mapping)] = {}
    """People keys allowed to approve (a list, or a mapping with each one's settings);
    empty: any person of pressroom.yaml."""
    identity: Literal["named", "required"] = "named"
    """``required``: an approver proves who they are (their secret, or their database
    role); ``named``: ``approve --as NAME`` is taken on trust."""

    @field_validator("required")
    @classmethod
    def _required(cls, value: int) -> int:
        if not 1 <= value <= APPROVALS_MAX:
            raise ValueError(
                f"must be between 1 and {APPROVALS_MAX} (leave approval: out for none)"
            )
        return value

    @model_validator(mode="after")
    def _enough_approvers(self) -> ApprovalPolicy:
        if self.approvers and len(set(self.approvers)) < self.required:
            raise ValueError(
                f"{self.required} approvals required but only {len(set(self.approvers))} "
                "approvers listed: nobody could ever send"
            )
        return self


class TemplateSettings(Strict):
    """How the room's own templates (``templates/``) run."""

    sandbox: bool = True
    """Run every template in Jinja's sandbox (no Python internals, no unsafe calls);
    ``false`` trusts the room's templates as code."""


class RoomConfig(Strict):
    """The contents of pressroom.yaml."""

    org: Org
    sender: Sender = Sender()
    delivery: DeliverySettings = DeliverySettings()
    people: dict[str, Person] = {}
    contacts: list[str] = []
    timezone: str = "UTC"
    locale: str = "en_US"
    approval: ApprovalPolicy | None = None
    """Sends need this many approvals of the release's exact version (``pressroom approve``)."""
    templates: TemplateSettings = TemplateSettings()
    labels: dict[str, dict[str, str]] = {}
    """Overrides of the labels pressroom writes: label id -> language (or ``*``: every
    language) -> text with ``%(name)s`` placeholders (:mod:`pressroom.i18n.labels`)."""
    greeting: Annotated[dict[str, Greeting], BeforeValidator(room_greetings)] = {}
    """The emails' personal greeting, by release type (``*``: every type): see
    :mod:`pressroom.model.greeting`."""
    database: str | None = None
    """The send log in PostgreSQL (``postgresql://user@host/db``); default: a file in the room."""

    @field_validator("database")
    @classmethod
    def _database(cls, value: str | None) -> str | None:
        from pressroom.secrets import has_password, scrub_url

        if not value:
            return None
        if not value.startswith(("postgresql://", "postgres://")):
            raise ValueError(
                f"'{scrub_url(value)}' is not a PostgreSQL URL; write postgresql://USER@HOST/DATABASE"
            )
        if has_password(value):
            raise ValueError(
                "a password does not belong in pressroom.yaml (it would end up in git): "
                "remove it from the URL and set PGPASSWORD in the environment"
            )
        return value

    @field_validator("labels", mode="before")
    @classmethod
    def _labels(cls, value: Any) -> Any:
        from pressroom.i18n.labels import LABELS, LabelError, override_text
        from pressroom.i18n.language import language_tag

        if not isinstance(value, dict):
            return value
        parsed: dict[str, dict[str, str]] = {}
        for label, text in value.items():
            if label not in LABELS:
                raise user_error(
                    "unknown_label",
                    f"no label '{label}'{suggestion(str(label), list(LABELS))}; the labels are: "
                    + ", ".join(LABELS),
                    at=(label,),
                )
            by_language = text if isinstance(text, dict) else {"*": text}
            parsed[label] = {}
            for language, words in by_language.items():
                if not isinstance(words, str) or not words.strip():
                    raise user_error(
                        "label_text", "write the label's text (a string)", at=(label, language)
                    )
                try:
                    key = "*" if language == "*" else language_tag(str(language))
                    parsed[label][key] = override_text(label, words.strip())
                except (LabelError, ValueError) as exc:
                    at = (label,) if language == "*" else (label, language)
                    # the message shows {placeholders}: given as it is, not through user_error
                    raise PydanticCustomError(
                        "label_text", str(exc), {"code": "label_text", "at": at}
                    ) from None
        return parsed

    @field_validator("people", mode="before")
    @classmethod
    def _keys(cls, value: object) -> object:
        if isinstance(value, dict):
            return {
                key: {"key": key, **person} if isinstance(person, dict) else person
                for key, person in value.items()
            }
        return value

    @field_validator("contacts")
    @classmethod
    def _contacts(cls, value: list[str], info: ValidationInfo) -> list[str]:
        people = info.data.get("people")
        if people is None:
            return value  # people: itself is broken and reported
        for index, key in enumerate(value):
            if key not in people:
                raise user_error(
                    "unknown_person",
                    f"no person '{key}' under people{suggestion(key, list(people))}",
                    at=(index,),
                )
        return value

    @field_validator("approval")
    @classmethod
    def _approvers(
        cls, value: ApprovalPolicy | None, info: ValidationInfo
    ) -> ApprovalPolicy | None:
        people = info.data.get("people")
        if value is None or people is None:
            return value
        for key in value.approvers:
            if key not in people:
                raise user_error(
                    "unknown_person",
                    f"no person '{key}' under people{suggestion(key, list(people))}",
                    at=("approvers",),
                )
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        zone_named(value)
        return value

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        return locale_code(value, "locale", "en_US, en_GB, fr_FR or es_MX")

    @model_validator(mode="after")
    def _resolve_people(self) -> RoomConfig:
        language = self.locale.replace("_", "-")
        self.org.speak(language)
        if not self.sender.name:
            self.sender.name = self.org.name
        for person in self.people.values():
            if "org" not in person.model_fields_set:
                person.org = self.org.name
                person.set_texts("org", self.org.texts_of("name"))
            elif not person.org:
                person.org = None
            person.speak(language)
        return self

    @property
    def default_contacts(self) -> list[Person]:
        return [self.people[key] for key in self.contacts]

    @property
    def language(self) -> str:
        """BCP 47 tag for documents: en_US -> en-US."""
        return self.locale.replace("_", "-")


@dataclass
class Room:
    """A loaded press room: its folder and its validated configuration."""

    root: Path
    config: RoomConfig
    releases: dict[str, Release] = field(default_factory=dict)
    traps: list[Trap] = field(default_factory=list)
    """The YAML traps of pressroom.yaml (see :class:`~pressroom.model.located.Trap`)."""
    located: Located | None = None
    """pressroom.yaml as read, with the line of every key (for messages about it)."""

    @property
    def releases_dir(self) -> Path:
        return self.root / "releases"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def contacts_dir(self) -> Path:
        return self.root / "contacts"
