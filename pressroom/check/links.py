"""The links of a release's Markdown text, and what is wrong with one (for ``check``).

The renderer turns only safe links into links (:class:`~pressroom.model.links.SafeUrl`)
and leaves others as text; ``check`` finds every one the writer meant, broken ones
too, to say what to fix before it goes out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it import MarkdownIt

from pressroom.model.links import BadLink, SafeUrl, scheme_of
from pressroom.model.room import Room

_LINKS = MarkdownIt("commonmark")
_LINKS.validateLink = lambda url: True  # type: ignore[method-assign]  # see every link, to judge it
_WHITESPACE = re.compile(r"\s")


def hrefs(text: str) -> Iterator[str]:
    """The address of every link in the Markdown *text*, broken ones included."""
    for token in _LINKS.parse(text):
        for child in token.children or []:
            if child.type == "link_open":
                yield str(child.attrGet("href") or "")
    yield from spaced_hrefs(text)  # markdown-it does not even see a link with a space in it


def spaced_hrefs(text: str) -> Iterator[str]:
    """What ``](...)`` holds when it contains a space, in one pass over *text*.

    The regular expression this replaces (``\\]\\(([^)]*\\s[^)]*)\\)``) went
    back to the end of the text from every ``](`` without a ``)``: a body of
    ``[a](`` repeated took minutes to check.
    """
    close = space = -1  # the next ')' and the next whitespace, found once each
    start = text.find("](")
    while start != -1:
        inside = start + 2
        if close < inside:
            close = text.find(")", inside)
            if close == -1:
                return
        if space < inside:
            found = _WHITESPACE.search(text, inside)
            space = found.start() if found else len(text)
        if space < close:
            yield text[inside:close]
            start = text.find("](", close + 1)
        else:
            start = text.find("](", start + 1)


def bad_link(href: str, room: Room) -> tuple[str, str] | None:
    """(message, hint) for a Markdown link pressroom would not write, else None."""
    if not href.strip():
        return f"link '{href}' is empty", "put the address between the parentheses"
    if re.search(r"\s", href):
        return f"link '{href}' contains a space", "remove the space, or write it as %20"
    if href.startswith("#"):
        return None
    if scheme_of(href) is not None:
        try:
            SafeUrl.parse(href)
        except BadLink as exc:
            message, _, hint = str(exc).partition("; ")
            return f"the link {message}", hint
        return None
    if re.match(r"^(www\.|[a-z0-9-]+\.(com|org|net|gov|edu|io)\b)", href):
        return f"link '{href}' has no https://", f"write https://{href}"
    if not room.config.org.website:
        return (
            f"link '{href}' is relative but org.website is not set",
            "add org.website to pressroom.yaml",
        )
    return None
