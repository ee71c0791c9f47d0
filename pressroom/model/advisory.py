"""What a media advisory invites to: the event, when and where it is, whom to ask on site."""

from __future__ import annotations

from typing import Any

from pydantic import PrivateAttr, ValidationInfo, field_validator, model_validator

from pressroom.model.base import Strict, user_error
from pressroom.model.links import BAD_LINK, BadLink, SafeUrl, rsvp_link
from pressroom.model.moments import Moment, context_zone, parse_moment
from pressroom.model.people import PersonRef


class When(Strict):
    start: Moment
    end: Moment | None = None

    @field_validator("start", "end", mode="before")
    @classmethod
    def _moment(cls, value: Any, info: ValidationInfo) -> Moment | None:
        return None if value is None else parse_moment(value, context_zone(info))

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
