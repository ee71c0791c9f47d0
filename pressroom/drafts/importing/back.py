"""The furniture around a release's body: contacts, closing, signatories, P.S., About, end mark.

Each recogniser reads one piece's text and says what it is; :mod:`.assemble`
decides what follows from it. Recognised shapes:

* the end mark: ``###``, ``# # #``, ``-30-``;
* hashtags alone on a line: ``#FreeToWalk #UnseenTerms``;
* a postscript: ``P.S. ...``;
* the About section: a line ``About <org>`` (a heading, or short), then its paragraphs;
* a media contact block: ``MEDIA CONTACT``, ``Press contact:``, ``Contact:`` ...
  and the lines that follow (name, title and organisation, email, phone);
* a letter's closing (``Sincerely,``, ``Respectfully,``, ``In solidarity,`` ...) and its
  signatories: ``Signatories (54)``, ``Signed,``; group headings such as
  ``Organizations (48)``; each signatory ``Name — title, org, City, ST``;
* a caption's credit: the italic end of the caption, or ``Photo: ...`` / ``(Photo by ...)``.
"""

from __future__ import annotations

import re

from pressroom.drafts.importing.advisory import field_label
from pressroom.drafts.importing.markdown import Run, to_markdown
from pressroom.drafts.importing.people import EMAIL, PHONE, PRONOUNS, looks_like_name
from pressroom.drafts.importing.wording import alternation

END_MARK = re.compile(
    r"^\s*(?:#\s*#\s*#|-\s*30\s*-|\*\s*\*\s*\*|" + alternation("end") + r")\s*$", re.IGNORECASE
)
HASHTAGS = re.compile(r"^\s*(?:#[^\W\d_][\w]*[\s,]*)+$")
PS = re.compile(
    r"^\s*(?:\*\*)?(?:P\.?\s?-?\s?S\.?|P\.\s?D\.)(?:\*\*)?\s*[:\-\u2014]?\s*(?:\*\*)?\s*",
    re.IGNORECASE,
)
_PS_START = re.compile(r"^\s*(?:\*\*)?(?:P\.?\s?-?\s?S\b|P\.\s?D\.)", re.IGNORECASE)
ABOUT = re.compile(
    r"^\s*(?:" + alternation("about") + r"(?:(?<=['\u2019])|\s+)(?P<org>[^\n.]{1,100}?)"
    r"|" + alternation("about_alone") + r")\s*[:.?]?\s*$"
)
CONTACT_LABEL = re.compile(
    r"^\s*" + alternation("contact") + r"\b\s*[:\-\u2014]?\s*(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
CLOSING = re.compile(
    r"^\s*(?:" + alternation("closing") + r"\s*[,.:!]?"
    r"|(?:Nous vous prions|Je vous prie|Veuillez)\s+d['\u2019]agréer[^\n]{0,200}\.)\s*$",
    re.IGNORECASE,
)
SIGNATORIES = re.compile(
    r"^\s*" + alternation("signatories") + r"\s*(?:\(\d[\d,.]*\))?\s*:?\s*$",
    re.IGNORECASE,
)
GROUP = re.compile(r"^\s*(?P<label>[^\n()]{2,60}?)\s*(?:\((?P<count>\d[\d,]*)\)|:)\s*$")
STATE = re.compile(r"^[A-Z]{2}$|^[A-Z][a-z]+\.$|^D\.C\.$")
CREDIT = re.compile(
    r"\s*\(?(?P<credit>(?:Photo|Photograph|Illustration|Image|Picture|Credit|Foto|Bild|Crédit)s?"
    r"(?:\s+by|\s+credit)?\s*[:\-]?\s+[^()]+?)\)?\s*$",
    re.IGNORECASE,
)


def is_end_mark(text: str) -> bool:
    return bool(END_MARK.match(text))


def hashtags(text: str) -> list[str] | None:
    if not HASHTAGS.match(text):
        return None
    return [tag.lstrip("#") for tag in re.findall(r"#\w+", text)]


def postscript(markdown: str) -> str | None:
    match = PS.match(markdown)
    if not match or not _PS_START.match(markdown):
        return None
    rest = markdown[match.end() :].strip()
    return rest or None


def about(text: str) -> bool:
    """``About Sidewalk Commons`` opens the About section."""
    return bool(ABOUT.match(text)) and len(text) < 120


def contact_label(text: str) -> str | None:
    """The rest of a line that opens a media contact block (``""`` when it is only the label)."""
    match = CONTACT_LABEL.match(text)
    if not match or (field_label(text) or ("", 0))[0] == "onsite_contact":
        return None  # "Contact sur place", an advisory's field
    rest = match["rest"].strip()
    first = PRONOUNS.sub("", rest.split("\n")[0].split(",")[0]).strip()
    if rest and not (EMAIL.search(rest) or PHONE.search(rest) or looks_like_name(first)):
        return None  # "Contact the council before Friday." is prose
    return rest


def contact_entries(lines: list[str]) -> list[dict[str, str | None]]:
    """Lines of a contact block -> people: name, affiliation, email, phone, pronouns."""
    people: list[dict[str, str | None]] = []
    current: dict[str, str | None] | None = None
    for line in lines:
        line = line.strip(" \t\u00b7|")
        if len(line.split()) > 1 and "\u00b7" not in line and "," not in line:
            line = EMAIL.sub(lambda m: f" \u00b7 {m[0]} \u00b7 ", line).strip(" \u00b7")
        if not line:
            continue
        parts = re.split(r"\s+[\u00b7|\u2022]\s+|\t+", line)
        if len(parts) == 1 and (EMAIL.search(line) or PHONE.search(line)) and "," in line:
            parts = [part.strip() for part in line.split(",")]
        for part in parts:
            part = part.strip(" ,;")
            if not part:
                continue
            email = EMAIL.search(part)
            phone = PHONE.search(part)
            if email and current is not None and not current.get("email"):
                current["email"] = email[0]
            elif (
                phone
                and current is not None
                and not current.get("phone")
                and len(phone[0]) >= len(part) - 8
            ):
                current["phone"] = phone[0].strip()
            elif (
                current is None
                or current.get("email")
                or current.get("phone")
                or current.get("affiliation")
            ):
                pronouns = PRONOUNS.search(part)
                current = {
                    "name": PRONOUNS.sub("", part).strip(),
                    "pronouns": pronouns[0].strip(" ()") if pronouns else None,
                    "affiliation": None,
                    "email": None,
                    "phone": None,
                }
                people.append(current)
            else:
                current["affiliation"] = part
    return [person for person in people if person["name"]]


def signatory(runs: list[Run]) -> dict[str, str]:
    """``Name — title, org, City, ST`` (the name may be a link) -> a signatory mapping."""
    text = "".join(run.text for run in runs).strip()
    url = next((run.href for run in runs if run.href and run.text.strip()), None)
    name, _, details = _split(text)
    entry: dict[str, str] = {"name": name.strip()}
    parts = [part.strip() for part in details.split(",") if part.strip()] if details else []
    if len(parts) >= 2 and STATE.match(parts[-1]):
        entry["location"] = f"{parts[-2]}, {parts[-1]}"
        parts = parts[:-2]
    if len(parts) == 1:
        entry["title"] = parts[0]
    elif len(parts) > 1:
        entry["title"] = ", ".join(parts[:-1])
        entry["org"] = parts[-1]
    if url and url.startswith(("http://", "https://")):
        entry["url"] = url
    return entry


def _split(text: str) -> tuple[str, str, str]:
    match = re.search(r"\s+[\u2014\u2013]\s+", text)
    if not match:
        return text, "", ""
    return text[: match.start()], match.group(), text[match.end() :]


def caption_and_credit(runs: list[Run]) -> tuple[str, str | None]:
    """A caption's text and its credit: the italic run at its end, or ``Photo: ...``."""
    visible = [run for run in runs if run.text.strip()]
    if len(visible) > 1 and visible[-1].italic and not all(run.italic for run in visible):
        tail = visible[-1]
        head = runs[: runs.index(tail)]
        return to_markdown(head), tail.text.strip()
    markdown = to_markdown(runs)
    match = CREDIT.search(markdown)
    if match and match.start() > 0:
        return markdown[: match.start()].strip(), match["credit"].strip()
    return markdown, None
