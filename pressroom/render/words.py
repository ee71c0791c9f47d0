"""The catalogs in templates: ``_()``, ``gettext``, ``ngettext`` and ``label``.

:func:`~pressroom.render.environment.make_environment` installs these as the
environment's globals, for Jinja's i18n extension (newstyle:
``_("About %(org)s", org=name)``, ``{% trans %}``, ``ngettext(s, p, n)``). They
hold no language: each render passes ``words`` (the Document's
:class:`~pressroom.i18n.labels.Words`, or the newsroom's), and they look it up
in the render's context, so one environment serves every language at once.

Messages are text: in an HTML template a message and its values are escaped
(values that are Markup, such as a link, stay as they are).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from pressroom.i18n.labels import Words, words_for
from pressroom.render.sandbox import template_helper

_ENGLISH = words_for("en")


def _words(context: Context) -> Words:
    words = context.get("words")
    return words if isinstance(words, Words) else _ENGLISH


def _text(context: Context, text: str, values: Mapping[str, Any]) -> Any:
    if context.eval_ctx.autoescape:
        return Markup(escape(text)) % dict(values)  # Markup % escapes the values
    return text % dict(values)


@template_helper
@pass_context
def gettext(context: Context, message: str, **values: Any) -> Any:
    return _text(context, _words(context).gettext(message), values)


@template_helper
@pass_context
def ngettext(context: Context, singular: str, plural: str, num: int, **values: Any) -> Any:
    text = _words(context).ngettext(singular, plural, num)
    return _text(context, text, {"num": num, "count": num, **values})


@template_helper
@pass_context
def label(context: Context, text: Any) -> Any:
    """``What:`` / ``Quoi :``: a label (already translated) before its value."""
    spaced = _words(context).colon(str(text))
    return Markup(spaced) if isinstance(text, Markup) else spaced


GLOBALS = {"_": gettext, "gettext": gettext, "ngettext": ngettext, "label": label}
