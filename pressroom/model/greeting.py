"""The personal greeting above a sent email ("Dear Ana,"): whether there is one, and its words.

``greeting:`` is written in pressroom.yaml (one value for every release, or a
mapping by release type) and in a release (for that release only). Each value is
``true`` (the room's wording: the labels ``greeting_name`` and ``greeting``),
``false`` (no greeting), or a text in which ``{name}`` is the recipient's first
name; a recipient without a first name gets the label ``greeting`` ("Hello,")
when the text needs one. A release with a ``salutation`` of its own (an open
letter, "Dear Mayor Smith,") is not greeted a second time unless the release
itself asks for a greeting. Texts are kept in msgid form (``%(name)s``), as
:mod:`pressroom.i18n.labels` keeps a room's labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, get_args

from pydantic import BeforeValidator

from pressroom.model.base import suggestion, user_error

if TYPE_CHECKING:
    from pressroom.model.release import Release
    from pressroom.model.room import RoomConfig

EVERY_TYPE = "*"
"""The key of a room's greeting that applies to every release type."""


def _greeting(value: Any) -> bool | str:
    from pressroom.i18n.labels import LabelError, override_text

    if isinstance(value, bool):
        return value
    if not isinstance(value, str) or not value.strip():
        raise user_error(
            "greeting",
            "write true (the usual greeting), false (no greeting) or the greeting's text, "
            "with {name} for the recipient's first name, e.g. greeting: 'Hi {name},'",
        )
    try:
        return override_text("greeting_name", value.strip())
    except LabelError:
        raise user_error(
            "greeting",
            f"'{value.strip()}': a greeting's only placeholder is {{name}} (the recipient's "
            "first name); write e.g. greeting: 'Hi {name},'",
        ) from None


Greeting = Annotated[bool | str, BeforeValidator(_greeting)]
"""One greeting setting: ``True``, ``False``, or a text in msgid form (``%(name)s``)."""


def room_greetings(value: Any) -> Any:
    """pressroom.yaml's ``greeting:`` as release type (or :data:`EVERY_TYPE`) -> setting."""
    from pressroom.model.release import ReleaseType

    if not isinstance(value, dict):
        return {EVERY_TYPE: value}
    types = get_args(ReleaseType)
    for key in value:
        if key not in types:
            raise user_error(
                "greeting_type",
                f"'{key}' is not a release type{suggestion(str(key), types)}; greeting: takes "
                "one value for every release, or one per type: " + ", ".join(types),
                at=(key,),
            )
    return value


def greeting_of(config: RoomConfig, release: Release) -> bool | str:
    """The greeting *release* is sent with: its own ``greeting``, else none when it has
    a salutation, else the room's for its type, else the room's for every type."""
    if release.greeting is not None:
        return release.greeting
    if release.salutation:
        return False
    by_type = config.greeting
    return by_type.get(release.type, by_type.get(EVERY_TYPE, True))
