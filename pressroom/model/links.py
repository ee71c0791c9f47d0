"""Links that files set: a :class:`SafeUrl` is http(s), mailto or tel, nothing else.

Every address a file can turn into a link (a signatory's ``url``, the event's
``rsvp``, ``org.website``) is parsed once, when the file is loaded, into a
SafeUrl whose scheme is already known to be one of :data:`SCHEMES`. A
``javascript:``, ``data:`` or ``vbscript:`` address, a link with spaces or
invisible characters in it, or ``https://`` without a host is refused with the
``bad-link`` code at the key (or the CSV row) that gave it. Renderers take
SafeUrls, and check every link again where they write one
(:func:`link_allowed`), so a link can reach a journalist or the newsroom only
through this door.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Self
from urllib.parse import unquote, urlsplit

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from pressroom.model.base import user_error
from pressroom.model.people import is_email

BAD_LINK = "bad-link"
"""The code of every refused link, in ``check`` and in load errors."""

WEB = frozenset({"https", "http"})
SCHEMES = WEB | {"mailto", "tel"}
"""The only schemes a link from a file may have."""

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_PHONE = re.compile(r"^\+?[0-9().-]*[0-9][0-9().-]*$")
_BARE_HOST = re.compile(r"^(www\.|[a-z0-9-]+\.(com|org|net|gov|edu|io|info|eu|uk)\b)", re.I)


class BadLink(ValueError):
    """A link from a file that pressroom does not write: the message says why and what to do."""


def scheme_of(text: str) -> str | None:
    """The scheme of *text* as a browser reads it (lower case), or None for a relative link.

    Browsers drop ASCII tabs and newlines anywhere in an address and spaces and
    control characters around it, so ``java\\tscript:`` is a ``javascript:``
    link to them: those are dropped here too before the scheme is read.
    """
    cleaned = "".join(ch for ch in text if ch not in "\t\n\r").strip("\x00 \x0b\x0c\x1f")
    match = _SCHEME.match(cleaned)
    return match[1].lower() if match else None


def link_allowed(href: str, schemes: frozenset[str] = SCHEMES) -> bool:
    """True for a link that may be written: relative, an anchor, or with one of *schemes*.

    The second wall: renderers call this where they write a link, whatever
    type the value had.
    """
    scheme = scheme_of(href)
    if scheme is None:
        return not any(_invisible(ch) for ch in href)
    return scheme in schemes and not any(_invisible(ch) for ch in href)


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "CZ"  # control, format, separators (spaces)


class SafeUrl(str):
    """A link with a scheme in :data:`SCHEMES` (or fewer); made only by :meth:`parse`."""

    __slots__ = ("scheme",)
    scheme: str
    allowed: frozenset[str] = SCHEMES

    def __new__(cls, text: str, scheme: str) -> Self:  # use parse
        made = super().__new__(cls, text)
        made.scheme = scheme
        return made

    def __reduce__(self) -> tuple[type[Self], tuple[str, str]]:
        """Pickled with its scheme (a Document goes to the preview's render workers)."""
        return type(self), (str(self), self.scheme)

    @classmethod
    def parse(cls, text: str) -> Self:
        """*text* as a link of this kind; :class:`BadLink` saying what to write otherwise."""
        text = text.strip()
        if not text:
            raise BadLink("is empty; write the address, or leave the key out")
        shown = text if len(text) <= 80 else text[:77] + "..."
        if any(_invisible(ch) for ch in text):
            raise BadLink(
                f"'{shown}' contains a space or an invisible character; "
                "remove it, or write a space as %20"
            )
        scheme = scheme_of(text)
        if scheme is None:
            if _BARE_HOST.match(text):
                raise BadLink(f"'{shown}' has no https://; write https://{text}")
            raise BadLink(f"'{shown}' is not a full address; write it as {cls._example()}")
        if scheme not in cls.allowed:
            raise BadLink(
                f"'{shown}' is a {scheme}: link; only {cls._kinds()} links are allowed "
                f"(write it as {cls._example()})"
            )
        rest = text[len(scheme) + 1 :]
        if scheme in WEB:
            host = urlsplit(text).hostname or ""
            if not host or not (("." in host) or host == "localhost"):
                raise BadLink(
                    f"'{shown}' has no valid host; write a full address such as "
                    "https://example.org/page"
                )
        elif scheme == "mailto":
            addresses = unquote(rest.split("?", 1)[0])
            if not addresses or not all(is_email(a.strip()) for a in addresses.split(",")):
                raise BadLink(f"'{shown}' is not an email address after mailto:")
        elif scheme == "tel" and not _PHONE.match(rest):
            raise BadLink(f"'{shown}' is not a phone number; write e.g. tel:+12025550143")
        return cls(text, scheme)

    @classmethod
    def _kinds(cls) -> str:
        return ", ".join(f"{s}:" for s in sorted(cls.allowed, key=_ORDER.index))

    @classmethod
    def _example(cls) -> str:
        return "https://example.org/page"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def validate(value: str) -> SafeUrl:
            try:
                return cls.parse(value)
            except BadLink as exc:
                raise user_error(BAD_LINK, f"the link {exc}") from None

        return core_schema.no_info_after_validator_function(
            validate,
            core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )


_ORDER = ["https", "http", "mailto", "tel"]


class WebUrl(SafeUrl):
    """A web address: https: or http: only (a website, the newsroom's address)."""

    allowed = WEB


def rsvp_link(text: str) -> SafeUrl | None:
    """The link an RSVP line makes: an email address becomes mailto:, a link must be safe.

    Text with spaces (``Call Dana on 555 0143``) is shown as text and makes no
    link; a lone address or link (``dana@example.org``, ``https://...``,
    ``javascript:...``) must be a link pressroom writes, or :class:`BadLink`.
    """
    text = text.strip()
    if not text or any(_invisible(ch) for ch in text):
        return None
    if is_email(text) and scheme_of(text) is None:
        return SafeUrl(f"mailto:{text}", "mailto")
    if scheme_of(text) is not None or text.startswith("//"):
        return SafeUrl.parse(text)
    return None
