"""The one secret scrubber: what a server (or a library) says back never shows a secret.

The SendGrid API key, the SMTP password and a database password come from
the environment (:data:`SECRET_VARIABLES`). A server may echo them in an
error, and not only as they are: an SMTP server answering ``AUTH PLAIN`` may
repeat its base64 argument (``\\0user\\0password``), ``AUTH LOGIN`` sends the
password alone in base64, a URL carries it percent-encoded, and a message
cut short may hold only half of it. :class:`Scrubber` removes every one of
those forms, and any stretch of eight or more characters of one of them (half
a key is still a secret), plus anything shaped like a SendGrid key.

Scrub first, shorten after: :meth:`Scrubber.shorten` does both in that order,
so that a cut never leaves the first half of a key where the scrubber no
longer recognises it.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, quote, quote_plus, unquote, urlsplit

SECRET_VARIABLES = ("SENDGRID_API_KEY", "PRESSROOM_SMTP_PASSWORD", "PGPASSWORD")
"""Environment variables that hold secrets (their values are scrubbed everywhere)."""

URL_VARIABLES = ("PRESSROOM_DATABASE_URL",)
"""Environment variables holding a URL whose password is a secret."""

HIDDEN = "[hidden]"

MIN_SECRET = 3
"""Shorter than this, a value is no secret worth hiding (and hiding it would garble text)."""

PIECE = 8
"""Characters of a secret that are enough to hide: a key cut anywhere still goes."""

_SENDGRID_KEY = re.compile(r"SG\.[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)?")


def _b64(data: str) -> str:
    return base64.b64encode(data.encode("utf-8")).decode("ascii")


def wire_forms(secret: str, username: str | None = None) -> set[str]:
    """*secret* as it is and as it travels: base64 (AUTH LOGIN, and AUTH PLAIN with
    *username*), percent-encoded."""
    forms = {secret, _b64(secret), quote(secret, safe=""), quote_plus(secret)}
    if username:
        forms.add(_b64(f"\0{username}\0{secret}"))  # smtplib's AUTH PLAIN
        forms.add(_b64(f"{username}\0{username}\0{secret}"))
    return {form for form in forms if len(form) >= MIN_SECRET}


class Scrubber:
    """Hides given secrets, in every form :func:`wire_forms` knows, from any text."""

    def __init__(self, secrets: Iterable[str | None] = (), username: str | None = None):
        forms: set[str] = set()
        for secret in secrets:
            if secret and secret.strip():
                forms |= wire_forms(secret, username)
        # the longest first: a form containing another is hidden whole
        self._forms = sorted(forms, key=len, reverse=True)
        self._pieces = {form[i : i + PIECE] for form in forms for i in range(len(form) - PIECE + 1)}

    @classmethod
    def from_environment(
        cls, env: Mapping[str, str] | None = None, username: str | None = None
    ) -> Scrubber:
        """A scrubber for every secret in the environment (:data:`SECRET_VARIABLES`)."""
        values = os.environ if env is None else env
        if username is None:
            username = values.get("PRESSROOM_SMTP_USERNAME") or None
        secrets = [values.get(name) for name in SECRET_VARIABLES]
        for name in URL_VARIABLES:
            try:
                secrets.append(urlsplit(values.get(name, "")).password)
            except ValueError:
                secrets.append(values.get(name))  # not even a URL: hide all of it
        return cls(secrets, username)

    def __bool__(self) -> bool:
        return bool(self._forms)

    def scrub(self, text: str) -> str:
        """*text* without any secret, whole or in part."""
        for form in self._forms:
            if form in text:
                text = text.replace(form, HIDDEN)
        if self._pieces:
            text = self._hide_pieces(text)
        return _SENDGRID_KEY.sub(HIDDEN, text)

    def _hide_pieces(self, text: str) -> str:
        """Hide every stretch of *text* made of pieces of a secret (one pass, no search)."""
        spans: list[list[int]] = []
        for i in range(len(text) - PIECE + 1):
            if text[i : i + PIECE] in self._pieces:
                if spans and spans[-1][1] >= i:
                    spans[-1][1] = i + PIECE
                else:
                    spans.append([i, i + PIECE])
        for start, end in reversed(spans):
            text = text[:start] + HIDDEN + text[end:]
        return text

    def shorten(self, text: str, limit: int) -> str:
        """*text* scrubbed, then cut to *limit* characters (in that order)."""
        text = self.scrub(text)
        return text if len(text) <= limit else text[: max(0, limit - 1)] + "\u2026"


def scrub(text: str) -> str:
    """*text* without the secrets of the environment (for messages at the CLI's edge)."""
    return Scrubber.from_environment().scrub(text)


# -- a database URL's password ----------------------------------------------------


def has_password(url: str) -> bool:
    return bool(_passwords(url))


def scrub_url(text: str, url: str | None = None) -> str:
    """*text* without the password of *url* (or of *text* itself, when it is a URL).

    ``PGPASSWORD`` is taken out too, should a driver ever quote it; the one
    scrubber (:mod:`pressroom.secrets`) hides every form of them.
    """
    return Scrubber([*_passwords(url or text), os.environ.get("PGPASSWORD")]).scrub(text)


def _passwords(url: str) -> list[str]:
    if "://" not in url:
        return []
    parts = urlsplit(url)
    found = [parts.password] if parts.password else []
    found += [v for k, v in parse_qsl(parts.query) if k == "password" and v]
    return found + [unquote(f) for f in found if unquote(f) != f]
