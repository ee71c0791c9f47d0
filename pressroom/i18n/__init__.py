"""Every word pressroom writes around a writer's text, in the release's language.

- :mod:`~pressroom.i18n.language`: language tags (BCP 47) and which language a
  release speaks (:func:`~pressroom.i18n.language.release_language`).
- :mod:`~pressroom.i18n.catalogs`: the gettext catalogs (``locale/<lang>/LC_MESSAGES/
  pressroom.po``, compiled to ``.mo`` beside them and shipped in the package).
- :mod:`~pressroom.i18n.labels`: the label ids a room may override in pressroom.yaml
  (``labels:``) and :class:`~pressroom.i18n.labels.Words`, the catalog of one
  language with the room's overrides, chosen once where a document is assembled
  and handed to every template (``_()``, ``{% trans %}``) and renderer.
- :mod:`~pressroom.i18n.typography`: quote marks and punctuation spacing per language,
  as data.

English is the source language: its words are the msgids, so it needs no catalog.
"""
