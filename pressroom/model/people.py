"""Spokespeople and media contacts, and references to them by key."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo, field_validator

from pressroom.model.address import address_problem, is_email
from pressroom.model.base import suggestion, user_error
from pressroom.model.texts import ByLanguage

__all__ = ["Person", "PersonRef", "is_email"]


class Person(ByLanguage):
    """Someone who speaks for an organisation or answers the press; ``title`` and
    ``org`` may be written per language (:mod:`pressroom.model.texts`)."""

    BY_LANGUAGE = ("title", "org")

    key: str = ""
    name: str
    title: str | None = None
    org: str | None = None
    pronouns: str | None = None
    email: str | None = None
    phone: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        problem = address_problem(value) if value else None
        if problem:
            raise ValueError(problem)
        return value or None

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: Any) -> Any:
        if isinstance(value, int):
            raise ValueError('write the phone number in quotes, e.g. phone: "+1 202 555 0143"')
        return value

    @property
    def affiliation(self) -> str:
        """ "Communications Director, Example Justice Network"."""
        return ", ".join(part for part in (self.title, self.org) if part)


def _resolve(value: Any, info: ValidationInfo) -> Any:
    """A key of ``people`` becomes that person; a mapping is an inline person."""
    if isinstance(value, Person):
        return value
    if isinstance(value, str):
        people: dict[str, Person] = (info.context or {}).get("people", {})
        key = value.strip()
        if key in people:
            return people[key]
        known = ", ".join(sorted(people)) or "none yet"
        raise user_error(
            "unknown_person",
            f"no person '{key}' in pressroom.yaml{suggestion(key, list(people))}; "
            f"add them under people: (known: {known}) or write "
            "{name: ..., title: ..., org: ...} here",
        )
    return value


PersonRef = Annotated[Person, BeforeValidator(_resolve)]
