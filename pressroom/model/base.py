"""The base of every model read from a user's file."""

from __future__ import annotations

from difflib import get_close_matches

from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticCustomError


class Strict(BaseModel):
    """Unknown keys are errors (a typo must never be silently ignored)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


def suggestion(word: str, choices: list[str] | set[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` when a choice is close to *word*, else ``""``."""
    close = get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def user_error(code: str, message: str, **ctx: object) -> PydanticCustomError:
    """A validation error whose message is shown to the user as it is."""
    template = message.replace("{", "{{").replace("}", "}}")
    return PydanticCustomError(code, template, {"code": code, **ctx})


def locale_code(value: str, what: str, examples: str) -> str:
    """``en-US`` -> ``en_US`` if Babel knows it; ValueError naming *examples* if not."""
    code = value.replace("-", "_")
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"unknown {what} '{value}'; use a code such as {examples}") from None
    return code
