"""Names in a draft -> keys of ``people`` in pressroom.yaml, adding whom the room lacks.

A speaker or a media contact is matched to a person of the room by email, then
by name (case, accents, honorifics such as "Dr." and pronouns in brackets
aside). Someone the room does not know becomes a :class:`NewPerson` under a
key made from their name; the importer adds them to pressroom.yaml (with a
warning) and nowhere else: a release never gets an inline person it did not
have. An attribution ``Name, Title, Org`` (or ``Name, Title of Org``) is split
into its parts; a title alone means no organisation (``org: ""``), so that the
person is not shown as working for the room's own organisation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pressroom.drafts.scaffold import slugify
from pressroom.model.people import Person

HONORIFICS = re.compile(r"^(?:(?:dr|rev|mr|mrs|ms|mx|prof|sen|rep|hon)\.?\s+)+", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+?\(?\d[\d\s().\-\u2011\u2013]{6,}\d")
PRONOUNS = re.compile(r"\s*\((?:she|he|they|ze|xe)/\w+(?:/\w+)?\)", re.IGNORECASE)


def name_key(name: str) -> str:
    """What two spellings of one name share: ``Dr. Zoë Müller`` ~ ``zoe muller``."""
    name = PRONOUNS.sub("", name)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = HONORIFICS.sub("", name.strip())
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


@dataclass
class NewPerson:
    """Someone the draft names whom pressroom.yaml does not know (yet)."""

    key: str
    name: str
    title: str | None = None
    org: str | None = None
    """None leaves the key out (the room's organisation); "" means none."""
    email: str | None = None
    phone: str | None = None
    where: str = ""

    def fields(self) -> dict[str, str]:
        out = {"name": self.name}
        for key in ("title", "org", "email", "phone"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass
class Roster:
    """The room's people, and those the import adds."""

    people: dict[str, Person]
    org_name: str
    added: dict[str, NewPerson] = field(default_factory=dict)

    def match(self, name: str = "", email: str | None = None) -> str | None:
        if email:
            for key, person in self.people.items():
                if person.email and person.email.lower() == email.lower():
                    return key
            for key, new in self.added.items():
                if new.email and new.email.lower() == email.lower():
                    return key
        wanted = name_key(name)
        if not wanted:
            return None
        for key, person in self.people.items():
            if name_key(person.name) == wanted:
                return key
        for key, new in self.added.items():
            if name_key(new.name) == wanted:
                return key
        return None

    def known_prefix(self, text: str) -> tuple[str, str] | None:
        """A person of the room whose name starts *text*: (key, the rest of the text)."""
        best: tuple[str, str] | None = None
        best_length = 0
        for key, name in [(k, p.name) for k, p in self.people.items()] + [
            (k, n.name) for k, n in self.added.items()
        ]:
            for candidate in (name, HONORIFICS.sub("", name)):
                if (
                    candidate
                    and text.casefold().startswith(candidate.casefold())
                    and len(candidate) > best_length
                    and (len(text) == len(candidate) or not text[len(candidate)].isalnum())
                ):
                    best, best_length = (key, text[len(candidate) :]), len(candidate)
        return best

    def person(
        self, name: str, title: str | None, org: str | None, where: str, **contact: str | None
    ) -> str:
        """The key of the person called *name*, adding them when the room lacks them."""
        key = self.match(name, contact.get("email"))
        if key is not None:
            return key
        if org is not None and name_key(org) == name_key(self.org_name):
            org = None  # the room's own organisation: the default
        base = slugify(HONORIFICS.sub("", name)) or "person"
        key, number = base, 2
        while key in self.people or key in self.added:
            key, number = f"{base}-{number}", number + 1
        self.added[key] = NewPerson(
            key, name, title, org, contact.get("email"), contact.get("phone"), where
        )
        return key

    def attributed(self, text: str, where: str) -> str | None:
        """The key of who *text* (``Name, Title, Org``) names, added if new; None if no name."""
        text = text.strip().strip(" \u2014\u2013-").rstrip(".").strip()
        known = self.known_prefix(text)
        if known is not None:
            return known[0]
        name, title, org = split_attribution(text)
        if not name or not looks_like_name(name):
            return None
        return self.person(name, title, org, where)


def split_attribution(text: str) -> tuple[str, str | None, str | None]:
    """``Jane Doe, Director, Example Org`` -> name, title, org (``""``: no org given)."""
    parts = [part.strip() for part in PRONOUNS.sub("", text).split(",") if part.strip()]
    if not parts:
        return "", None, None
    name, rest = parts[0], parts[1:]
    if not rest:
        return name, None, ""
    if len(rest) == 1:
        title_at = re.split(r"\s+at\s+(?=[A-Z])", rest[0], maxsplit=1)
        if len(title_at) == 2:
            return name, title_at[0], title_at[1]
        return name, rest[0], ""
    return name, ", ".join(rest[:-1]), rest[-1]


_NAME_WORD = re.compile(r"^[A-ZÀ-Þ][\w'’.\-]*$|^(?:de|da|van|von|der|del|la|le|bin|ibn|al)$")


def looks_like_name(text: str) -> bool:
    """Two to six capitalised words, no digits: a person's (or an organisation's) name."""
    words = text.split()
    return (
        1 <= len(words) <= 8
        and all(_NAME_WORD.match(word) for word in words)
        and not any(ch.isdigit() for ch in text)
    )
