"""Who approves is proven, not typed: each approver's personal secret, or their database role.

``pressroom approvers invite NAME`` makes an approver a secret and prints it
once, as a code ``KEY.SECRET``; the send log keeps only a salted scrypt hash
of it (both backends), so reading the log does not give the code away. A new
invitation replaces the old code. ``pressroom approve`` asks for the code
(hidden input, or :data:`SECRET_ENV` for scripts) when pressroom.yaml says
``approval: {identity: required}``; the preview asks for it once per browser
and then keeps a session cookie (HttpOnly, SameSite=Strict) that is an HMAC
keyed by the stored hash: a new invitation ends every session of the old code.

On PostgreSQL an approver may be proven by the role the connection speaks
as instead (``approvers: {sam-okafor: {db_role: sam}}``): the database has
checked that person's password already.

Anyone who can write to the send log can still write an approval row
directly; the log is where trust ends (docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Protocol

from pressroom.errors import PressroomError
from pressroom.model.room import Room

SECRET_ENV = "PRESSROOM_APPROVER_SECRET"
"""The approver's code for scripts (``pressroom approve`` without a prompt)."""
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
"""scrypt's cost: about 16 MB and a few tens of milliseconds per try."""
_SESSION = b"pressroom preview session"


class IdentityRefused(PressroomError):
    """An approver who could not prove who they are."""

    exit_code = 2


class _Log(Protocol):
    """What identity needs of a send log (:class:`~pressroom.sendlog.SendLog`)."""

    def secret_hash(self, approver: str) -> str | None: ...

    def set_secret(self, approver: str, secret_hash: str) -> None: ...

    def database_role(self) -> str | None: ...


def new_code(key: str) -> tuple[str, str]:
    """A fresh code for *key* and the hash the log keeps of it."""
    secret = secrets.token_urlsafe(18)
    return f"{key}.{secret}", hash_secret(secret)


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def _matches(secret: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
        again = hash_secret(secret, bytes.fromhex(salt)) if scheme == "scrypt" else ""
    except ValueError:
        return False
    return hmac.compare_digest(again.encode(), stored.encode()) and bool(digest)


def code_key(code: str) -> str:
    """The approver a code names (``KEY.SECRET``), or ``""``."""
    key, _, secret = code.strip().rpartition(".")
    return key if secret else ""


def check_code(log: _Log, key: str, code: str) -> bool:
    """Whether *code* is *key*'s current code."""
    name, _, secret = code.strip().rpartition(".")
    stored = log.secret_hash(key)
    return bool(stored) and name == key and _matches(secret, str(stored))


def prove(room: Room, log: _Log, key: str, code: str | None) -> str:
    """Check that the approver *key* is who they say; how they were proven, or ``""``
    when the room takes names on trust and no code was given.

    Raises :class:`IdentityRefused` saying what to do.
    """
    policy = room.config.approval
    settings = policy.approvers.get(key) if policy else None
    if settings is not None and settings.db_role:
        role = log.database_role()
        if role is not None and role == settings.db_role:
            return f"database role {role}"
    if code is None or not code.strip():
        if policy is None or policy.identity != "required":
            return ""
        raise IdentityRefused(
            f"{key}: this room requires approvers to prove who they are "
            "(approval: {identity: required}); give your approver code when asked, or set "
            f"{SECRET_ENV} (an administrator makes one with: pressroom approvers invite {key})"
        )
    if log.secret_hash(key) is None:
        raise IdentityRefused(
            f"{key} has no approver code yet: pressroom approvers invite {key} makes one"
        )
    if not check_code(log, key, code):
        raise IdentityRefused(
            f"that is not {key}'s approver code; nothing was approved (a lost code is "
            f"replaced by inviting again: pressroom approvers invite {key})"
        )
    return "approver code"


def session_value(key: str, stored: str) -> str:
    """The preview's cookie for *key*: bound to the stored hash, so a new code ends it."""
    mac = hmac.new(stored.encode(), _SESSION + key.encode(), hashlib.sha256).hexdigest()
    return f"{key}.{mac}"


def session_key(log: _Log, value: str) -> str | None:
    """The approver a session cookie proves, if it is still valid."""
    key, _, mac = value.rpartition(".")
    stored = log.secret_hash(key) if key and mac else None
    if stored is None:
        return None
    return key if hmac.compare_digest(session_value(key, stored), value) else None
