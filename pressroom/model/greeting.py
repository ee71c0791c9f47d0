"""The personal greeting above a sent email ("Dear Ana,"): whether there is one, and its words.

``greeting:`` is written in pressroom.yaml (one value for every release, or a
mapping by release type) and in a release (for that release only). Each value is
``true`` (the room's wording: the labels ``greeting_name`` and ``greeting``),
``false`` (no greeting), or a text in which ``{name}`` is the recipient's first
name (one text, or a mapping by language, ``{en: "Hi {name},", de: "Hallo {name},"}``,
looked up as the room's labels are); a recipient without a first name gets the
label ``greeting`` ("Hello,") when the text needs one, and a release in a language
the mapping does not give the usual greeting in its language. A release with a
``salutation`` of its own (an open letter, "Dear Mayor Smith,") is not greeted a
second time unless the release itself asks for a greeting. Texts are kept in
msgid form (``%(name)s``), as :mod:`pressroom.i18n.labels` keeps a room's labels.
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


def _greeting(value: Any) -> bool | str | dict[str, str]:
    if isinstance(value, bool):
        return value
    if isinstance(value, dict) and value:
        return {_language(key): _text(text) for key, text in value.items()}
    return _text(value)


def _language(key: Any) -> str:
    from pressroom.i18n.language import language_tag

    try:
        return language_tag(str(key))
    except ValueError as error:
        raise user_error("greeting", f"{error} (a greeting's text by language)") from None


def _text(value: Any) -> str:
    from pressroom.i18n.labels import LabelError, override_text

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


Greeting = Annotated[bool | str | dict[str, str], BeforeValidator(_greeting)]
"""One greeting setting: ``True``, ``False``, or a text in msgid form (``%(name)s``), or
such texts by language tag."""


def room_greetings(value: Any) -> Any:
    """pressroom.yaml's ``greeting:`` as release type (or :data:`EVERY_TYPE`) -> setting."""
    from pressroom.model.release import ReleaseType

    if not isinstance(value, dict):
        return {EVERY_TYPE: value}
    types = get_args(ReleaseType)
    if value and not any(key in types or key == EVERY_TYPE for key in value):
        if all(_is_language(key) for key in value):  # texts by language, for every type
            return {EVERY_TYPE: value}
    for key in value:
        if key == EVERY_TYPE:
            continue
        if key not in types:
            raise user_error(
                "greeting_type",
                f"'{key}' is not a release type{suggestion(str(key), types)}; greeting: takes "
                "one value for every release, or one per type: " + ", ".join(types),
                at=(key,),
            )
    return value


def _is_language(key: Any) -> bool:
    from pressroom.i18n.language import language_tag

    try:
        language_tag(str(key))
    except ValueError:
        return False
    return True


def greeting_of(config: RoomConfig, release: Release) -> bool | str:
    """The greeting *release* is sent with: its own ``greeting``, else none when it has
    a salutation, else the room's for its type, else the room's for every type; a text
    given by language in the release's language."""
    if release.greeting is not None:
        chosen = release.greeting
    elif release.salutation:
        return False
    else:
        by_type = config.greeting
        chosen = by_type.get(release.type, by_type.get(EVERY_TYPE, True))
    if not isinstance(chosen, dict):
        return chosen
    from pressroom.i18n.language import primary_language, release_language

    language = release_language(config, release)
    primary = primary_language(language)
    for tag, text in chosen.items():
        if tag == language:
            return text
    for tag, text in chosen.items():
        if primary_language(tag) == primary:
            return text
    return True  # no text in its language: the catalogs' greeting, in its language
