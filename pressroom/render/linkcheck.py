"""The last look at every HTML page pressroom writes: no link it would not write.

Links from files are :class:`~pressroom.model.links.SafeUrl` already, and the
Markdown renderer leaves other links as text. This is the second wall, for
what a room's own template (or a bug) might still put in a page: every
``href`` (and ``action``, ``formaction``...) must be relative, an anchor, or
http(s), mailto or tel; every ``src`` may also be ``data:``, ``cid:`` (an
image of the email) or ``file:`` (a picture the PDF embeds, which the PDF's
fetcher limits to the room's own files). A page with any other link is not
written: :class:`~pressroom.errors.RenderError` names it and the link.
"""

from __future__ import annotations

from html.parser import HTMLParser

from pressroom.errors import RenderError
from pressroom.model.links import SCHEMES, link_allowed

LINKS = frozenset({"href", "action", "formaction", "xlink:href", "cite", "data", "ping"})
SOURCES = frozenset({"src", "poster", "background", "srcset"})
SOURCE_SCHEMES = SCHEMES | {"data", "cid", "file"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in LINKS and not link_allowed(value):
                self.bad.append((tag, name, value))
            elif name in SOURCES:
                candidates = value.split(",") if name == "srcset" else [value]
                for candidate in candidates:
                    url = candidate.strip().split(" ", 1)[0] if name == "srcset" else candidate
                    if not link_allowed(url, SOURCE_SCHEMES):
                        self.bad.append((tag, name, value))

    handle_startendtag = handle_starttag


def unsafe_links(html: str) -> list[tuple[str, str, str]]:
    """``(tag, attribute, value)`` of every link in *html* pressroom does not write."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.bad


def require_safe_links(html: str, what: str) -> str:
    """*html* unchanged, or :class:`RenderError` naming the first unsafe link in it."""
    if "=" not in html:
        return html
    bad = unsafe_links(html)
    if bad:
        tag, name, value = bad[0]
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise RenderError(
            f'{what}: refused to write <{tag} {name}="{shown}">: links are http(s), '
            "mailto or tel only; fix the link in the release, or the room's template"
        )
    return html
