"""The headers of media-list exports, and which of pressroom's columns each one names.

``contacts import`` reads an export through them; the media lists of ``contacts/``
use them to tell an export dropped there as it is ("E-mail", "Courriel") from a list.
"""

from __future__ import annotations

import unicodedata

# Headers as exports write them (English, German, French, Spanish, Italian, Dutch and
# Portuguese media databases), folded by normalize_header -> our column.
ALIASES = {
    **dict.fromkeys(
        ["email", "emailaddress", "mail", "emailadresse", "mailadresse", "courriel",
         "adresseemail", "adressemail", "correo", "correoelectronico", "posta",
         "postaelettronica", "indirizzoemail", "emailadres", "mailadres", "correioeletronico",
         "enderecodeemail"],
        "email",
    ),
    **dict.fromkeys(
        ["name", "fullname", "contact", "contactname", "vollstandigername", "ansprechpartner",
         "kontakt", "nom", "nomcomplet", "nombre", "nombrecompleto", "nome", "nomecompleto",
         "naam", "volledigenaam", "contactpersoon"],
        "name",
    ),
    **dict.fromkeys(
        ["firstname", "givenname", "vorname", "prenom", "nombredepila", "primernombre",
         "voornaam", "primeironome"],
        "first_name",
    ),
    **dict.fromkeys(
        ["lastname", "surname", "familyname", "nachname", "familienname", "nomdefamille",
         "apellido", "apellidos", "cognome", "achternaam", "sobrenome", "apelido"],
        "last_name",
    ),
    **dict.fromkeys(
        ["outlet", "publication", "mediaoutlet", "organization", "organisation", "company",
         "media", "medium", "medien", "redaktion", "publikation", "zeitung", "titre", "journal",
         "organe", "medio", "mediodecomunicacion", "testata", "redazione", "veiculo",
         "redacao", "redactie"],
        "outlet",
    ),
    **dict.fromkeys(
        ["beat", "topic", "coverage", "ressort", "rubrik", "fachgebiet", "thema", "themen",
         "rubrique", "sujet", "seccion", "tema", "sezione", "rubrica", "editoria", "rubriek",
         "onderwerp", "secao"],
        "beat",
    ),
    **dict.fromkeys(
        ["tags", "labels", "schlagworte", "schlagworter", "stichworte", "etiquettes",
         "motscles", "etiquetas", "etichette", "etiketten", "trefwoorden", "palavraschave"],
        "tags",
    ),
    **dict.fromkeys(
        ["timezone", "zeitzone", "fuseauhoraire", "zonahoraria", "fusoorario", "tijdzone",
         "fusohorario"],
        "timezone",
    ),
    **dict.fromkeys(
        ["language", "sprache", "langue", "idioma", "lingua", "taal"], "language"
    ),
}  # fmt: skip
NOT_KEPT = {
    **dict.fromkeys(
        ["phone", "telephone", "telefon", "telefono", "telefoon", "mobile", "mobil", "handy",
         "portable", "movil", "cellulare", "celular", "mobiel"],
        "a phone number",
    ),
    **dict.fromkeys(
        ["address", "adresse", "anschrift", "direccion", "indirizzo", "adres", "endereco"],
        "a postal address",
    ),
}  # fmt: skip
"""Columns understood but not kept: sending needs neither; the summary says so."""


def normalize_header(header: str) -> str:
    """``"E-mail "`` -> ``"email"``, ``"Média"`` -> ``"media"``: letters a-z only,
    accents taken off."""
    decomposed = unicodedata.normalize("NFKD", header.casefold())
    return "".join(c for c in decomposed if "a" <= c <= "z")
