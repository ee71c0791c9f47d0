"""The words a draft is read by, in every language pressroom writes.

An import reads what ``build`` writes, so the labels come first from the
catalogs pressroom itself renders with (:mod:`pressroom.i18n`): the release
line, the embargo line, "BREAKING:", the release types, "Media contact",
"About ...", "P.S.", the update banners, the advisory's WHAT / WHEN / WHERE.
To them :data:`VARIANTS` adds the wording real press offices use for the same
thing ("Sperrfrist bis", "Embargo jusqu'au", "Ufficio stampa", "Chi siamo"),
and :data:`SAID` the verbs that attribute a quote. Month names come from
Babel's CLDR data.

Every recogniser accepts the labels of every language (a German draft in an
English room is read all the same); :mod:`.language` says which language a
draft is written in. Adding a language here means: a catalog (docs/languages.md), a line of
:data:`VARIANTS` and one of :data:`SAID`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel.dates import get_month_names

from pressroom.i18n.catalogs import translations
from pressroom.i18n.labels import LABELS, PLURALS

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt")
"""The languages whose drafts the import reads (those pressroom ships catalogs for)."""

VARIANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "immediate": ("FOR IMMEDIATE RELEASE", "FOR RELEASE ON RECEIPT"),
        "breaking": ("BREAKING NEWS", "BREAKING"),
        "embargo": ("EMBARGOED UNTIL", "EMBARGOED FOR RELEASE UNTIL", "HOLD FOR RELEASE UNTIL",
                    "EMBARGOED TILL", "EMBARGO:"),
        "contact": ("MEDIA CONTACT", "MEDIA CONTACTS", "PRESS CONTACT", "PRESS CONTACTS",
                    "NEWS CONTACT", "CONTACT", "CONTACTS", "MEDIA INQUIRIES",
                    "FOR MEDIA INQUIRIES"),
        "about": ("About",),
        "about_alone": ("Who we are",),
        "end": ("ENDS", "END"),
        "closing": ("Sincerely", "Sincerely yours", "Respectfully", "Respectfully yours", "Yours",
                    "Yours sincerely", "Yours truly", "Yours faithfully", "Regards",
                    "Best regards", "Kind regards", "Warm regards", "In solidarity",
                    "With gratitude", "With thanks", "Signed", "Thank you", "Cordially"),
        "signatories": ("Signatories", "Signed by", "Signers", "Cosigners", "Co-signers",
                        "The undersigned"),
        "salutation": ("Dear", "To"),
    },
    "de": {
        "immediate": ("Zur sofortigen Veröffentlichung", "Zur Veröffentlichung",
                      "Zur sofortigen Verwendung", "Zur Veröffentlichung frei",
                      "Pressemitteilung zur sofortigen Veröffentlichung"),
        "breaking": ("EILMELDUNG", "EILT"),
        "embargo": ("Sperrfrist:", "Sperrfrist bis", "Sperrfrist", "Embargo bis",
                    "Sperrvermerk:", "Achtung: Sperrfrist", "Sende-Sperrfrist"),
        "contact": ("Pressekontakt", "Pressekontakte", "Medienkontakt", "Medienkontakte",
                    "Pressestelle", "Kontakt für Medien", "Kontakt für Journalisten",
                    "Kontakt", "Pressesprecher",
                    "Pressesprecherin"),
        "about": ("Über",),
        "about_alone": ("Wer wir sind", "Über uns"),
        "end": ("ENDE", "– Ende –", "-Ende-"),
        "closing": ("Mit freundlichen Grüßen", "Mit freundlichen Grüssen", "Freundliche Grüße",
                    "Mit solidarischen Grüßen", "Hochachtungsvoll", "Viele Grüße"),
        "signatories": ("Unterzeichnende", "Unterzeichner", "Unterzeichnet von",
                        "Die Unterzeichnenden", "Erstunterzeichnende"),
        "salutation": ("Sehr geehrte", "Sehr geehrter", "Sehr geehrte Damen und Herren", "Liebe",
                       "Lieber", "An"),
    },
    "fr": {
        "immediate": ("Pour diffusion immédiate", "Diffusion immédiate",
                      "Pour publication immédiate", "Communiqué pour diffusion immédiate"),
        "breaking": ("URGENT", "FLASH", "ALERTE"),
        "embargo": ("Sous embargo jusqu'au", "Sous embargo jusqu’au",
                    "Informations sous embargo jusqu'au", "Informations sous embargo jusqu’au",
                    "Embargo jusqu'au",
                    "Embargo jusqu’au", "Sous embargo jusqu'à", "Sous embargo jusqu’à",
                    "Embargo jusqu'à", "Embargo jusqu’à", "Sous embargo :", "Embargo :",
                    "Embargo:", "Sous embargo"),
        "contact": ("Contact presse", "Contacts presse", "Contact médias", "Contacts médias",
                    "Relations presse", "Service de presse", "Contact"),
        "about": ("À propos de", "A propos de", "À propos d’", "À propos d'"),
        "about_alone": ("Qui sommes-nous", "Qui sommes-nous ?", "À propos"),
        "end": ("FIN",),
        "closing": ("Cordialement", "Respectueusement", "Bien cordialement",
                    "Avec nos salutations", "Salutations distinguées", "Solidairement"),
        "signatories": ("Signataires", "Les signataires", "Premiers signataires"),
        "salutation": ("Madame", "Monsieur", "Mesdames", "Messieurs", "Chère", "Cher", "À"),
    },
    "es": {
        "immediate": ("Para difusión inmediata", "Para su difusión inmediata",
                      "Para publicación inmediata", "Difusión inmediata"),
        "breaking": ("ÚLTIMA HORA", "URGENTE"),
        "embargo": ("Bajo embargo hasta el", "Bajo embargo hasta las", "Embargado hasta el",
                    "Embargado hasta", "Embargo hasta el", "Embargo hasta", "Embargo:"),
        "contact": ("Contacto de prensa", "Contactos de prensa", "Contacto para medios",
                    "Gabinete de prensa", "Contacto", "Comunicación"),
        "about": ("Sobre", "Acerca de"),
        "about_alone": ("Quiénes somos",),
        "end": ("FIN",),
        "closing": ("Atentamente", "Cordialmente", "Un cordial saludo", "Saludos cordiales"),
        "signatories": ("Firmantes", "Firman", "Firmado por"),
        "salutation": ("Estimada", "Estimado", "Estimados", "Estimadas", "A la", "Al"),
    },
    "it": {
        "immediate": ("Per diffusione immediata", "Per la diffusione immediata",
                      "Diffusione immediata", "Per pubblicazione immediata"),
        "breaking": ("ULTIM’ORA", "ULTIM'ORA", "ULTIMA ORA"),
        "embargo": ("Embargo fino a", "Embargo fino alle", "Embargo fino al",
                    "Sotto embargo fino a",
                    "Sotto embargo fino alle", "Embargo:"),
        "contact": ("Contatto stampa", "Contatti stampa", "Ufficio stampa", "Contatti",
                    "Per informazioni"),
        "about": ("Informazioni su", "Chi è"),
        "about_alone": ("Chi siamo",),
        "end": ("FINE",),
        "closing": ("Cordiali saluti", "Distinti saluti", "Cordialmente", "In fede"),
        "signatories": ("Firmatari", "Firmano", "Prime firme"),
        "salutation": ("Gentile", "Gentili", "Egregio", "Egregia", "Caro", "Cara", "Alla", "Al"),
    },
    "nl": {
        "immediate": ("Voor onmiddellijke publicatie", "Voor directe publicatie",
                      "Voor onmiddellijke vrijgave"),
        "breaking": ("SPOEDBERICHT", "SPOED", "NIEUWSFLITS"),
        "embargo": ("Embargo tot", "Onder embargo tot", "Embargo:"),
        "contact": ("Perscontact", "Perscontacten", "Persvoorlichting", "Contact voor de pers",
                    "Noot voor de redactie", "Contact"),
        "about": ("Over",),
        "about_alone": ("Over ons",),
        "end": ("EINDE",),
        "closing": ("Met vriendelijke groet", "Met vriendelijke groeten", "Hoogachtend",
                    "Met strijdbare groet"),
        "signatories": ("Ondertekenaars", "Ondertekend door", "Ondertekenden"),
        "salutation": ("Geachte", "Beste", "Aan"),
    },
    "pt": {
        "immediate": ("Para divulgação imediata", "Para publicação imediata",
                      "Divulgação imediata"),
        "breaking": ("ÚLTIMA HORA", "URGENTE"),
        "embargo": ("Sob embargo até", "Embargo até", "Embargado até", "Embargo:"),
        "contact": ("Contacto de imprensa", "Contactos de imprensa", "Contato de imprensa",
                    "Contatos de imprensa", "Contactos para a imprensa", "Assessoria de imprensa",
                    "Contacto", "Contato"),
        "about": ("Sobre", "Acerca de", "Sobre a", "Sobre o"),
        "about_alone": ("Quem somos",),
        "end": ("FIM",),
        "closing": ("Atenciosamente", "Com os melhores cumprimentos", "Cordialmente",
                    "Cumprimentos"),
        "signatories": ("Signatários", "Subscritores", "Assinam"),
        "salutation": ("Exma.", "Exmo.", "Exmos.", "Prezada", "Prezado", "Caro", "Cara"),
    },
}  # fmt: skip

SAID: dict[str, tuple[str, ...]] = {
    "en": ("said", "says", "added", "adds", "explained", "explains", "noted", "notes", "stated",
           "states", "continued"),
    "de": ("sagte", "sagt", "so", "erklärt", "erklärte", "betont", "betonte", "ergänzt",
           "ergänzte", "sagte dazu", "kommentiert", "kommentierte", "meint", "meinte",
           "unterstreicht", "unterstrich"),
    "fr": ("déclare", "a déclaré", "explique", "a expliqué", "affirme", "a affirmé", "souligne",
           "a souligné", "ajoute", "a ajouté", "dit", "a dit", "précise", "a précisé",
           "estime", "a estimé", "selon"),
    "es": ("dijo", "afirmó", "declaró", "explicó", "señaló", "añadió", "aseguró", "ha dicho",
           "ha declarado", "ha afirmado", "afirma", "explica", "señala", "según"),
    "it": ("ha detto", "ha dichiarato", "dichiara", "afferma", "ha affermato", "spiega",
           "ha spiegato", "ha aggiunto", "aggiunge", "sottolinea", "ha sottolineato", "secondo"),
    "nl": ("zei", "zegt", "aldus", "verklaarde", "verklaart", "stelt", "stelde", "legt uit",
           "benadrukt", "benadrukte"),
    "pt": ("disse", "afirmou", "declarou", "explicou", "diz", "afirma", "acrescentou",
           "sublinhou", "salientou", "segundo"),
}  # fmt: skip
"""Verbs (and "so", "aldus", "selon") that attribute a quote after it."""

ADVISORY = {
    "what": "what", "when": "when", "where": "where", "who": "who", "why": "why",
    "visuals": "visuals", "onsite_contact": "onsite_contact", "rsvp": "rsvp",
}  # fmt: skip
ADVISORY_VARIANTS: dict[str, str] = {
    "TERMIN": "when", "ORT": "where", "DATUM": "when", "FOTOTERMIN": "visuals",
    "ANMELDUNG ERBETEN": "rsvp", "AKKREDITIERUNG": "rsvp",
    "LIEU": "where", "DATE": "when", "QUAND ET OÙ": "when", "INTERVENANTS": "who",
    "INSCRIPTION": "rsvp", "CONTACT SUR PLACE": "onsite_contact",
    "LUGAR": "where", "FECHA": "when", "ACREDITACIÓN": "rsvp", "ACREDITACIONES": "rsvp",
    "LUOGO": "where", "DATA": "when", "ACCREDITO": "rsvp", "ACCREDITAMENTO": "rsvp",
    "LOCATIE": "where", "DATUM EN TIJD": "when", "AANMELDEN": "rsvp", "ACCREDITATIE": "rsvp",
    "LOCAL": "where", "CREDENCIAMENTO": "rsvp", "INSCRIÇÕES": "rsvp",
}  # fmt: skip
"""Advisory labels press offices use besides those pressroom writes (uppercase)."""


def _catalog(language: str, label: str) -> str:
    return translations(language).gettext(LABELS[label])


def _catalog_plural(language: str, label: str) -> tuple[str, str]:
    plural = LABELS[PLURALS[label]]
    words = translations(language)
    return words.ngettext(LABELS[label], plural, 1), words.ngettext(LABELS[label], plural, 2)


def _before(message: str) -> str:
    """The words of a message before its first placeholder: ``Sperrfrist: %(moment)s``."""
    return message.split("%(", 1)[0].strip()


@lru_cache(maxsize=1)
def words_of() -> dict[str, dict[str, tuple[str, ...]]]:
    """Every language's words, kind by kind: the catalog's and :data:`VARIANTS`."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for language in LANGUAGES:
        own = {kind: list(phrases) for kind, phrases in VARIANTS[language].items()}
        own["immediate"].append(_catalog(language, "release_line"))
        own["embargo"].append(_before(_catalog(language, "embargoed_until")))
        own["breaking"].append(_catalog(language, "breaking").rstrip(":\u202f "))
        own["about"].append(_before(_catalog(language, "about")))
        own["contact"] += _catalog_plural(language, "media_contact")
        own["signatories"] += [
            _before(w).rstrip("( ") for w in _catalog_plural(language, "signatory")
        ]
        own["ps"] = [_catalog(language, "ps")]
        own["types"] = [
            _catalog(language, label)
            for label in ("press_release", "statement", "media_advisory", "open_letter")
        ]
        own["update"] = [_catalog(language, "update")]
        own["correction"] = [_catalog(language, "correction")]
        own["advisory"] = [_catalog(language, key).upper() for key in ADVISORY]
        own["said"] = list(SAID[language])
        out[language] = {kind: tuple(dict.fromkeys(p for p in v if p)) for kind, v in own.items()}
    return out


def phrases(kind: str) -> list[str]:
    """Every language's phrases of *kind*, longest first (so that a regex takes the longest)."""
    found = {p for words in words_of().values() for p in words.get(kind, ())}
    return sorted(found, key=len, reverse=True)


def alternation(kind: str) -> str:
    """A regex alternation of *kind*'s phrases; spaces match any run of spaces, and an
    apostrophe either apostrophe."""
    parts = []
    for phrase in phrases(kind):
        pattern = re.escape(phrase).replace(r"\ ", r"\s+")
        pattern = pattern.replace("'", "['\u2019]").replace("\u2019", "['\u2019]")
        parts.append(pattern)
    return "(?:" + "|".join(parts) + ")"


def type_of_label(text: str) -> str | None:
    """The release type a label names in any language (``Presseeinladung``)."""
    keys = ("press-release", "statement", "media-advisory", "open-letter")
    wanted = text.strip().rstrip(":").strip().casefold()
    for words in words_of().values():
        for key, label in zip(keys, words["types"], strict=True):
            if label.casefold() == wanted:
                return key
    return None


def update_label(text: str) -> str | None:
    """``AKTUALISIERUNG`` -> ``UPDATE``, ``RECTIFICATIF`` -> ``CORRECTION``."""
    wanted = text.strip().upper()
    for words in words_of().values():
        if wanted in (w.upper() for w in words["update"]):
            return "UPDATE"
        if wanted in (w.upper() for w in words["correction"]):
            return "CORRECTION"
    return None


def advisory_labels() -> dict[str, str]:
    """Every advisory label, uppercase -> the event key."""
    labels: dict[str, str] = dict(ADVISORY_VARIANTS)
    for language in LANGUAGES:
        for key in ADVISORY:
            labels.setdefault(_catalog(language, key).upper(), key)
    return labels


@lru_cache(maxsize=1)
def months() -> dict[str, int]:
    """Month names and abbreviations of every language (Babel), lowercased, no dot."""
    names: dict[str, int] = {}
    for language in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, language).items():
                    names.setdefault(str(name).lower().strip("."), int(number))
    names.update({"sept": 9, "jänner": 1, "janv": 1, "févr": 2, "avr": 4, "juil": 7})
    return names
