"""The people an open letter is addressed to, and those who sign it."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Discriminator, Tag, field_validator

from pressroom.model.base import Strict
from pressroom.model.links import SafeUrl


def as_mapping_of_name(value: Any) -> Any:
    """``- Jane Smith`` is short for ``- {name: Jane Smith}``."""
    return {"name": value} if isinstance(value, str) else value


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


SignatoryItem = Annotated[Signatory, BeforeValidator(as_mapping_of_name)]


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
