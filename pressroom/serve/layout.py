"""How every page of the preview is made and sent: the page templates with their
filters, and the headers and Content-Security-Policies that go with them.

Pages are rendered from ``pressroom/templates/serve/``. Every page carries a
Content-Security-Policy that allows scripts only from this server, so the email
(shown in a sandboxed ``srcdoc`` frame, which inherits the policy) can never
run one; the email opened on its own, and a chart, get stricter ones still.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from pressroom import __version__

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "serve"
ASSETS = {
    "app.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "editor.css": "text/css; charset=utf-8",
    "editor.js": "text/javascript; charset=utf-8",
    "review.js": "text/javascript; charset=utf-8",
}
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https: http:; frame-src 'self'; object-src 'self'; "
    "form-action 'none'; base-uri 'self'"
)
EMAIL_POLICY = (
    "sandbox allow-popups; default-src 'none'; style-src 'unsafe-inline'; "
    "img-src data: https: http:"
)
CHART_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
"""A chart opened on its own may style itself and do nothing else."""
HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def page_templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    env.filters["countdown"] = countdown
    env.filters["plural"] = plural
    env.filters["links_open_outside"] = links_open_outside
    return env


_HEAD = re.compile(r"<head\b[^>]*>", re.I)


def links_open_outside(html: str) -> str:
    """The email with ``<base target="_blank">``: a link clicked in the frame opens a tab."""
    base = '<base target="_blank">'
    match = _HEAD.search(html)
    return html[: match.end()] + base + html[match.end() :] if match else base + html


def countdown(seconds: float) -> str:
    """``7 d 21 h``, ``5 h 12 min``, ``12 min``: how long until an embargo lifts."""
    minutes = max(0, int(seconds // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"
