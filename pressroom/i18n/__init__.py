"""Languages: placeholder until the i18n package lands (see pressroom.i18n.language)."""
