"""Media lists: the journalists a release is sent to.

A :class:`Recipient` is one row of a list in ``contacts/``; a :class:`MediaList`
is one file's recipients together with the problems of its bad rows, which are
reported but never stop the good rows from being used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pressroom.errors import Problem
from pressroom.model.address import address_problem
from pressroom.model.base import locale_code
from pressroom.model.header import OneLineName
from pressroom.model.moments import zone_named

COLUMNS = ("email", "name", "first_name", "outlet", "beat", "tags", "timezone", "language")
"""The columns of a media list, in the order ``contacts import`` writes them."""


class Recipient(BaseModel):
    """A journalist on a media list. Unknown columns are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    email: str
    name: OneLineName | None = None
    """In the To header: line breaks and control characters become one space."""
    first_name: str | None = None
    outlet: str | None = None
    beat: str | None = None
    tags: list[str] = Field(default_factory=list)
    timezone: str | None = None
    language: str | None = None
    lists: list[str] = Field(default_factory=list)
    """The lists this address was found on (set by the loader and by ``merge``)."""

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        problem = address_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("name", "first_name", "outlet", "beat", "timezone", "language")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):  # "surveillance;tech" and "surveillance, tech" alike
            return re.split(r"[;,]", value)
        return value

    @field_validator("tags")
    @classmethod
    def _no_blank_tags(cls, value: list[str]) -> list[str]:
        return [tag.strip() for tag in value if tag.strip()]

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        if value:
            zone_named(value)
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value:
            locale_code(value, "language", "en, es, fr or pt-BR")
        return value

    @property
    def key(self) -> str:
        """The address as compared: ``Ana@Ledger.example`` and ``ana@ledger.example`` are one."""
        return self.email.lower()

    def has_any_tag(self, tags: Iterable[str]) -> bool:
        """True when one of the recipient's tags is among *tags* (ignoring case)."""
        wanted = {tag.lower() for tag in tags}
        return any(tag.lower() in wanted for tag in self.tags)


@dataclass(frozen=True, slots=True)
class Addressee:
    """Whom one message of a batch goes to, as the send log keeps it: what the message needs
    (a plain record: a batch of 1,000 is read back for every request)."""

    email: str
    name: str | None
    first_name: str | None
    lists: list[str]
    language: str = ""
    """The language of the version planned for this address ("" on older logs)."""

    @property
    def key(self) -> str:
        return self.email.lower()


@dataclass
class MediaList:
    """One file of ``contacts/``: its good rows, and the problems of the others."""

    name: str
    source: str
    recipients: list[Recipient] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    invalid: int = 0
    """How many rows were left out because they are not valid."""

    def tagged(self, tags: Iterable[str]) -> list[Recipient]:
        """The recipients with any of *tags*; all of them when *tags* is empty."""
        wanted = list(tags)
        if not wanted:
            return list(self.recipients)
        return [r for r in self.recipients if r.has_any_tag(wanted)]
