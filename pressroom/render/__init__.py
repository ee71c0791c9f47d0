"""The validated model -> artefacts.

``context.py`` turns a Release into a :class:`~pressroom.render.document.Document`
(everything already formatted: dates in the room's locale, Markdown as HTML and
as styled runs); every renderer works from that one Document, so the four
formats carry the same content.
"""
