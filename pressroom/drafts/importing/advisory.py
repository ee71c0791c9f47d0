"""A media advisory's WHAT / WHEN / WHERE / WHO / WHY table -> ``event``.

The fields may be a table (label in the first cell), paragraphs opening with
the label (``WHEN: Friday, December 4, 2026, 10-11 a.m. EST``, or pressroom's
own ``WHEN<tab>...``), each followed by more paragraphs or list items that
continue it. WHEN becomes ``start`` and ``end``; WHERE is split into the venue
and the address at the first part that starts with a number; ON-SITE CONTACT is
matched to a person; WHAT, WHO, WHY and VISUALS keep their Markdown.
"""

from __future__ import annotations

import re
from typing import Any

from pressroom.drafts.importing.wording import advisory_labels

LABELS = {
    "WHAT": "what",
    "WHEN": "when",
    "WHERE": "where",
    "WHO": "who",
    "WHY": "why",
    "VISUALS": "visuals",
    "PHOTO OPPORTUNITIES": "visuals",
    "ON-SITE CONTACT": "onsite_contact",
    "ONSITE CONTACT": "onsite_contact",
    "CONTACT ON SITE": "onsite_contact",
    "DAY-OF CONTACT": "onsite_contact",
    "RSVP": "rsvp",
} | {label: key for label, key in advisory_labels().items() if label not in ("WHO",)}
FIELD = re.compile(
    r"^\s*(?:\*\*)?(?P<label>"
    + "|".join(re.escape(label) for label in sorted(LABELS, key=len, reverse=True))
    + r")(?:\*\*)?"
    r"\s*(?::|\t|\s[\u2014\u2013-]\s)\s*(?:\*\*)?\s*",
    re.IGNORECASE,
)


def field_label(text: str) -> tuple[str, int] | None:
    """(the event key, length of the label) of a paragraph opening with a field label."""
    match = FIELD.match(text)
    if not match:
        return None
    label = match["label"]
    if label != label.upper() and not text[match.end("label") :].lstrip("*").startswith(":"):
        return None  # "Who ..." in prose is not a label; "Who:" is
    return LABELS[label.upper()], match.end()


def row_label(cells: list[str]) -> str | None:
    if len(cells) < 2:
        return None
    label = cells[0].strip(" *:").upper()
    return LABELS.get(label)


def where(text: str) -> dict[str, str]:
    """``City Hall, west steps, 100 N. Holliday Street, Baltimore`` -> venue and address."""
    parts = [part.strip() for part in text.split(",")]
    for index, part in enumerate(parts):
        if index and part[:1].isdigit():
            return {"venue": ", ".join(parts[:index]), "address": ", ".join(parts[index:])}
    return {"venue": text.strip()}


def bullets(markdown: str) -> str:
    """Lines marked with a bullet character -> a Markdown list."""
    lines = markdown.split("\n")
    out = []
    for line in lines:
        stripped = line.strip().lstrip("\\")
        if stripped[:1] in ("\u2022", "\u25aa", "\u2013") or stripped.startswith("- "):
            out.append("- " + stripped[1:].strip().lstrip("\u00a0").strip())
        else:
            out.append(line.strip())
    return "\n".join(out)


def event_of(fields: dict[str, str], when: dict[str, Any] | None) -> dict[str, Any]:
    """The ``event`` mapping, keys in the order of the format."""
    event: dict[str, Any] = {}
    for key in ("what", "when", "where", "who", "why", "visuals", "onsite_contact", "rsvp"):
        if key == "when":
            if when:
                event["when"] = when
        elif key == "where" and fields.get("where"):
            event["where"] = where(fields["where"])
        elif fields.get(key):
            event[key] = fields[key]
    return event
