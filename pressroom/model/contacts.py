"""Media lists: the journalists a release is sent to.

A :class:`Recipient` is one row of a list in ``contacts/``; a :class:`MediaList`
is one file's recipients together with the problems of its bad rows, which are
reported but never stop the good rows from being used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pressroom.errors import Problem
from pressroom.model.address import address_problem
from pressroom.model.base import locale_code
from pressroom.model.header import OneLineName, first_unsafe
from pressroom.model.moments import zone_named

_TAG_SEPARATORS = re.compile(r"[;,]")

COLUMNS = ("email", "name", "first_name", "outlet", "beat", "tags", "timezone", "language")
"""The columns of a media list, in the order ``contacts import`` writes them."""


class Recipient(BaseModel):
    """A journalist on a media list. Unknown columns are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    email: str
    name: OneLineName | None = None
    """In the To header: line breaks and control characters become one space."""
    first_name: str | None = None
    outlet: str | None = None
    beat: str | None = None
    tags: list[str] = Field(default_factory=list)
    timezone: str | None = None
    language: str | None = None
    lists: list[str] = Field(default_factory=list)
    """The lists this address was found on (set by the loader and by ``merge``)."""

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        problem = address_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("name", "first_name", "outlet", "beat", "timezone", "language")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):  # "surveillance;tech" and "surveillance, tech" alike
            return _TAG_SEPARATORS.split(value)
        return value

    @field_validator("tags")
    @classmethod
    def _no_blank_tags(cls, value: list[str]) -> list[str]:
        return [tag.strip() for tag in value if tag.strip()]

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        if value:
            zone_named(value)
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value:
            locale_code(value, "language", "en, es, fr or pt-BR")
        return value

    @property
    def key(self) -> str:
        """The address as compared: ``Ana@Ledger.example`` and ``ana@ledger.example`` are one."""
        return self.email.lower()

    def has_any_tag(self, tags: Iterable[str]) -> bool:
        """True when one of the recipient's tags is among *tags* (ignoring case)."""
        wanted = {tag.lower() for tag in tags}
        return any(tag.lower() in wanted for tag in self.tags)


def recipient_of(data: Mapping[str, Any], lists: Sequence[str], plain: bool = False) -> Recipient:
    """``Recipient.model_validate({**data, "lists": lists})``: the same recipient, or the
    same :class:`~pydantic.ValidationError`.

    A row that the checks below prove valid and already in the form validation
    gives (every value a string that stripping, the name's one-line rule, the
    address's and the time zone's and language's checks leave as it is: nearly
    every row of a list) is made directly, without pydantic's per-row work; any
    other row, a bad one above all, is validated as ever, for its messages.
    *plain*: the caller vouches that every value of *data* and every name of
    *lists* is :func:`kept` as it is (the CSV reader's stripped cells), so that
    only what each field adds is checked here.
    """
    made = _as_validated(data, lists, plain)
    return made if made is not None else Recipient.model_validate({**data, "lists": lists})


def kept(value: Any) -> bool:
    """Whether *value* is a string validation keeps as it is: not empty (which becomes
    None), nothing to strip (every character pydantic strips, str.isspace knows),
    no lone surrogate (which pydantic refuses)."""
    return (
        type(value) is str
        and value != ""
        and not value[0].isspace()
        and not value[-1].isspace()
        and (value.isascii() or _SURROGATE.search(value) is None)
    )


_UNSET: dict[str, Any] = dict.fromkeys(Recipient.model_fields)
"""Every field, in the order validation fills ``__dict__``."""
_AS_IS = frozenset(("first_name", "outlet", "beat"))
_SURROGATE = re.compile("[\ud800-\udfff]")


def _slot(name: str) -> Any:
    """The setter of the attribute *name* of a model's instances (what
    ``model_construct`` sets with ``object.__setattr__``, without finding it each time)."""
    for cls in Recipient.__mro__:
        if name in cls.__dict__:
            return cls.__dict__[name].__set__
    raise AttributeError(name)  # pragma: no cover - pydantic keeps these four


_new = object.__new__
_set_dict, _set_fields_set, _set_extra, _set_private = map(
    _slot, ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
)


def _as_validated(data: Mapping[str, Any], lists: Sequence[str], plain: bool) -> Recipient | None:
    """The recipient validation makes of *data*, or None when that is not certain."""
    if not plain and not (all(map(kept, data.values())) and all(map(kept, lists))):
        return None
    values = _UNSET.copy()
    values["tags"] = []
    for key, value in data.items():
        if key == "email":
            if address_problem(value) is not None:
                return None
        elif key == "name":
            # one_line would change it; printable ASCII holds no such character
            if not (value.isascii() and value.isprintable()) and first_unsafe(value) is not None:
                return None
        elif key == "tags":
            value = list(_tags(value))
        elif key == "timezone":
            if not _known_zone(value):
                return None
        elif key == "language":
            if not _known_language(value):
                return None
        elif key not in _AS_IS:
            return None
        values[key] = value
    if values["email"] is None:
        return None
    values["lists"] = list(lists)
    made = _new(Recipient)
    _set_dict(made, values)
    _set_fields_set(made, {*data, "lists"})
    _set_extra(made, None)
    _set_private(made, None)
    return made


@lru_cache(maxsize=1024)
def _tags(cell: str) -> tuple[str, ...]:
    """A tags cell's tags, as validation makes them (a list repeats a few tags cells)."""
    return tuple(tag.strip() for tag in _TAG_SEPARATORS.split(cell) if tag.strip())


@lru_cache(maxsize=1024)
def _known_zone(name: str) -> bool:
    try:
        zone_named(name)
    except Exception:  # unsure: validation says why
        return False
    return True


@lru_cache(maxsize=1024)
def _known_language(code: str) -> bool:
    try:
        locale_code(code, "language", "")
    except Exception:  # unsure: validation says why
        return False
    return True


@dataclass(frozen=True, slots=True)
class Addressee:
    """Whom one message of a batch goes to, as the send log keeps it: what the message needs
    (a plain record: a batch of 1,000 is read back for every request)."""

    email: str
    name: str | None
    first_name: str | None
    lists: list[str]
    language: str = ""
    """The language of the version planned for this address ("" on older logs)."""

    @property
    def key(self) -> str:
        return self.email.lower()


@dataclass
class MediaList:
    """One file of ``contacts/``: its good rows, and the problems of the others."""

    name: str
    source: str
    recipients: list[Recipient] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    invalid: int = 0
    """How many rows were left out because they are not valid."""

    def tagged(self, tags: Iterable[str]) -> list[Recipient]:
        """The recipients with any of *tags*; all of them when *tags* is empty."""
        wanted = list(tags)
        if not wanted:
            return list(self.recipients)
        return [r for r in self.recipients if r.has_any_tag(wanted)]
