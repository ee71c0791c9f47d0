"""What is sent, independent of how: one :class:`Content` per release version,
one :class:`Delivery` per recipient, and what each recipient's copy changes.

The content is rendered once (:func:`pressroom.deliver.contents.content_for`),
with the placeholder :data:`GREETING` where each recipient's greeting goes
("Dear Ana,"). A transport either fills it in per message
(:func:`pressroom.deliver.mime.mime_message`, used by the outbox and SMTP) or
hands it to its provider as a substitution (SendGrid), so the release is
rendered once however many people receive it. Jinja's autoescape leaves
``{{greeting}}`` as it is (it escapes only ``& < > ' "``), in the HTML and the
text part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import escape

from pressroom.i18n.labels import Words, words_for
from pressroom.model.contacts import Addressee, Recipient

if TYPE_CHECKING:
    pass

GREETING = "{{greeting}}"
"""Where the recipient's greeting goes in :attr:`Content.html` and :attr:`Content.text`."""
UNSUBSCRIBE = "{{unsubscribe}}"
"""Where the recipient's unsubscribe address goes (the footer's link), likewise."""

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "vcard": "text/vcard",
    "ics": "text/calendar",
}

PICTURE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
"""The pictures an email may carry, by what Pillow reads in the file."""

HEADER_RELEASE = "X-Pressroom-Release"
HEADER_VERSION = "X-Pressroom-Version"
HEADER_TEST = "X-Pressroom-Test"
HEADER_LANGUAGE = "Content-Language"
"""The language of the message, as its HTML's ``lang`` says (RFC 3282)."""
TEST_PREFIX = "[TEST] "


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "application/pdf"; text types are UTF-8
    data: bytes
    content_id: str | None = None
    """Set for a picture shown in the HTML (``<img src="cid:...">``): sent inline."""


@dataclass(frozen=True)
class Content:
    """What every recipient of one version of a release receives."""

    subject: str
    html: str  # with GREETING where the greeting goes
    text: str  # likewise
    sender: str
    sender_name: str | None
    reply_to: str | None
    attachments: tuple[Attachment, ...]
    headers: dict[str, str]  # X-Pressroom-Release, X-Pressroom-Version, Content-Language
    release: str  # the release's name
    version: str  # a hash of the release and room: ids only, no personal data
    words: Words = field(default_factory=lambda: words_for("en"), compare=False)
    """The words of the release's language: each recipient's greeting is written in it."""
    greeting: bool | str = True
    """The release's greeting (:func:`pressroom.model.greeting.greeting_of`): ``False``
    when the email has none (no :data:`GREETING` in it)."""

    @property
    def sender_domain(self) -> str:
        return self.sender.rpartition("@")[2]


@dataclass(frozen=True)
class Delivery:
    """One recipient of a :class:`Content`."""

    email: str
    name: str | None
    greeting: str
    unsubscribe_url: str | None = None

    def __init__(
        self, email: str, name: str | None, greeting: str, unsubscribe_url: str | None = None
    ) -> None:
        # the dataclass's own __init__, written out: a frozen dataclass sets each field
        # through object.__setattr__, and a send makes one Delivery per recipient
        fields = self.__dict__
        fields["email"] = email
        fields["name"] = name
        fields["greeting"] = greeting
        fields["unsubscribe_url"] = unsubscribe_url

    @classmethod
    def to(
        cls,
        recipient: Recipient | Addressee,
        unsubscribe_url: str | None = None,
        words: Words | None = None,
        wording: bool | str = True,
    ) -> Delivery:
        greeting = greeting_for(recipient, words, wording)
        return cls(recipient.email, recipient.name, greeting, unsubscribe_url)


def greeting_for(
    recipient: Recipient | Addressee, words: Words | None = None, wording: bool | str = True
) -> str:
    """``Dear Ana,`` with a first name, ``Hello,`` without one (in *words*' language).

    *wording* is the release's ``greeting``: ``False`` gives ``""`` (the email has no
    greeting), a text (msgid form, ``%(name)s``) is used instead of ``Dear Ana,``.
    """
    words = words or words_for("en")
    if wording is False:
        return ""
    first = " ".join((recipient.first_name or "").split())
    if isinstance(wording, str):
        if first or "%(name)s" not in wording:
            return wording % {"name": first}
        return words("Hello,")
    return words("Dear %(name)s,", name=first) if first else words("Hello,")


def slug(text: str) -> str:
    """A file-name-safe form of *text*: ``Marisol Ortega`` -> ``marisol-ortega``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "contact"


def personal_text(content: Content, delivery: Delivery) -> str:
    # the address first: a greeting (from a list) holding the placeholder stays text
    text = content.text.replace(UNSUBSCRIBE, unsubscribe_target(content, delivery))
    return text.replace(GREETING, delivery.greeting)


def personal_html(content: Content, delivery: Delivery) -> str:
    html = content.html.replace(UNSUBSCRIBE, str(escape(unsubscribe_target(content, delivery))))
    return html.replace(GREETING, str(escape(delivery.greeting)))


def mailto_unsubscribe(sender: str) -> str:
    """The unsubscribe address every message offers: a mail to the sender."""
    return f"mailto:{sender}?subject=unsubscribe"


def unsubscribe_target(content: Content, delivery: Delivery) -> str:
    """The address behind the footer's unsubscribe link: the recipient's
    ``delivery.unsubscribe_url``, else a mail to the sender."""
    return delivery.unsubscribe_url or mailto_unsubscribe(content.sender)


def unsubscribe_link(template: str, email: str) -> str:
    """``delivery.unsubscribe_url`` for one recipient: ``{email}`` replaced, URL-quoted."""
    text = email.strip()
    if _UNRESERVED.fullmatch(text):  # the usual address: only its @ needs quoting
        return template.replace("{email}", text.replace("@", "%40"))
    from urllib.parse import quote

    return template.replace("{email}", quote(text, safe=""))


_UNRESERVED = re.compile("[A-Za-z0-9_.~@-]*")
"""Text that ``quote(text, safe="")`` leaves as it is but for each ``@`` (``%40``):
the characters it never quotes (RFC 3986's unreserved), and the ``@``."""


def unsubscribe_headers(content: Content, delivery: Delivery) -> dict[str, str]:
    """RFC 2369 List-Unsubscribe (mailto: always, the URL when given) and RFC 8058 one-click."""
    targets = []
    if delivery.unsubscribe_url:
        targets.append(f"<{delivery.unsubscribe_url}>")
    targets.append(f"<{mailto_unsubscribe(content.sender)}>")
    headers = {"List-Unsubscribe": ", ".join(targets)}
    if delivery.unsubscribe_url:
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers
