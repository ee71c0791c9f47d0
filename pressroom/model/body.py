"""A release's body, block by block (paragraphs, quotes, headings), and the updates
shown as banners above its headline."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    Discriminator,
    ModelWrapValidatorHandler,
    PrivateAttr,
    Tag,
    ValidationInfo,
    model_validator,
)

from pressroom.model.base import Strict, user_error
from pressroom.model.moments import context_zone, parse_moment
from pressroom.model.people import PersonRef

# -- blocks -------------------------------------------------------------


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


# -- updates -------------------------------------------------------------------


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
                at = parse_moment(value, context_zone(info)).at
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
