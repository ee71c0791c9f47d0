"""The release's content, written into a python-docx document in the PDF's order.

:class:`DocumentWriter` writes the page header and footer, then the letterhead,
release line, contacts, headline, body, event, images, signatories and
boilerplate, each in its named style (see :mod:`pressroom.render.docx.styles`).
Markdown paragraphs, lists and headings become Word paragraphs; links become
real hyperlinks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pressroom.errors import RenderError
from pressroom.i18n.labels import pieces
from pressroom.i18n.typography import OPENING_QUOTES
from pressroom.render.document import Contact, Document, Event
from pressroom.render.docx.oxml import cleared, end_section, field, hyperlink
from pressroom.render.docx.signatories import SignatoryParagraphs, add_signatories
from pressroom.render.markup import Para, Rich, Span

LOGO_WIDTH_CM = 4.0
IMAGE_WIDTH_CM = 12.0
TWO_COLUMNS_FROM = 10  # signatories; fewer stay in one column


class DocumentWriter:
    """Writes one Document into a python-docx document, top to bottom."""

    def __init__(self, word: Any, doc: Document):
        self.word = word
        self.doc = doc
        self.lead_in = doc.lead_in

    # paragraphs and runs

    def para(self, style: str, text: str = "", run_style: str | None = None) -> Any:
        paragraph = self.word.add_paragraph(style=style)
        if text:
            paragraph.add_run(text, style=run_style)
        return paragraph

    def link(self, paragraph: Any, text: str, href: str) -> Any:
        """A real hyperlink (plain text for an anchor or a path); returns its run."""
        return hyperlink(self.word, paragraph, text, href)

    def spans(self, paragraph: Any, spans: tuple[Span, ...] | list[Span]) -> None:
        for span in spans:
            if span.href:
                run = self.link(paragraph, span.text, span.href)
            else:
                run = paragraph.add_run(span.text, style="Code" if span.code else None)
            if span.bold:
                run.bold = True
            if span.italic:
                run.italic = True

    def rich(
        self,
        rich: Rich | None,
        style: str = "Normal",
        prefix: tuple[str, str | None] | None = None,
        suffix: str = "",
        flat: bool = False,
    ) -> list[Any]:
        """Markdown paragraphs, list items and headings, as Word paragraphs.

        *prefix* (text, character style) starts the first paragraph, *suffix* ends the
        last; *flat* keeps every piece in *style* (lists marked with text, headings as
        paragraphs), for fields laid out in a column such as an event's WHO.
        """
        if rich is None:
            return []
        paragraphs = []
        numbered_before = False
        for index, para in enumerate(rich.paras):
            paragraph = self.word.add_paragraph(
                style=style if flat else self.para_style(para, style)
            )
            if index == 0 and prefix:
                paragraph.add_run(prefix[0], style=prefix[1])
            elif flat and index:
                paragraph.add_run("\t")
            if index == 0 and self.lead_in and style == "Normal" and para.kind == "paragraph":
                paragraph.add_run(f"{self.lead_in} ", style="Dateline")
                self.lead_in = None
            if flat:
                if para.kind in ("bullet", "number"):
                    paragraph.add_run(_text_marker(para))
            else:
                self.list_marker(paragraph, para, restart=not numbered_before)
            numbered_before = para.kind == "number"
            spans = list(para.spans)
            if suffix and index == len(rich.paras) - 1:
                spans.append(Span(suffix))
            self.spans(paragraph, spans)
            paragraphs.append(paragraph)
        return paragraphs

    @staticmethod
    def para_style(para: Para, style: str) -> str:
        depth = "" if para.level == 0 else f" {min(para.level + 1, 3)}"
        if para.kind == "heading":
            return "Heading 2" if para.level <= 2 else "Heading 3"
        if para.kind == "bullet":
            return f"List Bullet{depth}"
        if para.kind == "number":
            return f"List Number{depth}"
        if para.level:
            return f"List Continue{' 2' if para.level > 1 else ''}"
        return style

    def list_marker(self, paragraph: Any, para: Para, restart: bool) -> None:
        """Numbered lists restart at their own number; a style without numbering gets text."""
        if para.kind not in ("bullet", "number"):
            return
        style = paragraph.style
        pPr = style.element.pPr
        numPr = pPr.numPr if pPr is not None else None
        if numPr is None or numPr.numId is None:
            paragraph.add_run(_text_marker(para))
            return
        if para.kind == "number" and restart:
            numbering = self.word.part.numbering_part.element
            num = numbering.num_having_numId(numPr.numId.val)
            ilvl = numPr.ilvl.val if numPr.ilvl is not None else 0
            new = numbering.add_num(num.abstractNumId.val)
            new.add_lvlOverride(ilvl=ilvl).add_startOverride(para.number or 1)
            own = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            own.get_or_add_ilvl().val = ilvl
            own.get_or_add_numId().val = new.numId

    def picture(self, path: Path, width_cm: float, alt: str, style: str) -> Any:
        from docx.image.exceptions import UnrecognizedImageError
        from docx.shared import Cm

        paragraph = self.word.add_paragraph(style=style)
        try:
            paragraph.add_run().add_picture(str(path), width=Cm(width_cm))
        except (OSError, UnrecognizedImageError) as error:
            raise RenderError(
                f"{path}: cannot put this image in the Word document ({error or 'unreadable'}); "
                "use a PNG or JPEG file"
            ) from error
        for doc_pr in paragraph._p.xpath(".//wp:docPr"):
            doc_pr.set("descr", alt)
        return paragraph

    # page furniture

    def header_footer(self) -> None:
        doc = self.doc
        words = doc.words
        for section in self.word.sections:
            headers = [section.header]
            footers = [section.footer]
            if section.different_first_page_header_footer:
                headers.append(section.first_page_header)
                footers.append(section.first_page_footer)
            for header in headers:
                paragraph = cleared(header)
                paragraph.style = self.word.styles["Header"]
                paragraph.add_run(doc.org.name)
                paragraph.add_run("\t")
                if doc.draft:
                    paragraph.add_run(
                        words("DRAFT \u2014 NOT FOR DISTRIBUTION") + " \u00b7 ", style="Alert"
                    )
                run_style = "Alert" if doc.is_embargoed else "Strong"
                paragraph.add_run(doc.release_line, style=run_style)
            for footer in footers:
                paragraph = cleared(footer)
                paragraph.style = self.word.styles["Footer"]
                for kind, text in pieces(words.gettext("Page %(page)s of %(pages)s")):
                    if kind == "text":
                        paragraph.add_run(text)
                    else:
                        field(paragraph, "PAGE" if kind == "page" else "NUMPAGES", "1")

    # the release, in the PDF's order

    def content(self) -> None:
        doc = self.doc
        self.letterhead()
        release = self.para("Release Line")
        release.add_run(doc.release_line, style="Alert" if doc.is_embargoed else None)
        self.contacts()
        for update in doc.updates:
            dated = update.label + (f" ({update.date_text})" if update.date_text else "")
            label = doc.words.colon(dated) + " "
            self.rich(update.rich, "Update Banner", prefix=(label, "Strong"))
        title = self.para("Title")
        if doc.headline_prefix:
            title.add_run(doc.headline_prefix, style="Alert")
        title.add_run(doc.headline)
        if doc.subheadline:
            self.para("Subtitle", doc.subheadline)
        if doc.place_and_date:
            self.para("Normal", doc.place_and_date)
        self.addressees()
        self.rich(doc.salutation)
        self.body()
        if doc.event is not None:
            self.event(doc.event)
        for image in doc.images:
            self.picture(
                Path(image.path), IMAGE_WIDTH_CM, image.alt or image.caption or "", "Figure"
            )
            if image.caption or image.credit:
                caption = self.para("Caption", image.caption or "")
                if image.credit:
                    caption.add_run((" " if image.caption else "") + image.credit, "Emphasis")
        self.rich(doc.closing)
        self.signatories()
        if doc.ps:
            label = doc.words("P.S.")
            written = doc.ps.text.lstrip().upper().startswith(("P.S", "PS:", "PS ", label.upper()))
            self.rich(doc.ps, prefix=None if written else (label + " ", "Strong"))
        if doc.hashtags:
            self.para("Hashtags", " ".join(f"#{tag.lstrip('#')}" for tag in doc.hashtags))
        if doc.boilerplate:
            self.para("Heading 1", doc.about_heading)
            self.rich(doc.boilerplate)
        self.para("End Mark", doc.end_mark)

    def letterhead(self) -> None:
        org = self.doc.org
        if org.logo is not None:
            self.picture(Path(org.logo), LOGO_WIDTH_CM, org.name, "Letterhead")
        else:
            self.para("Letterhead", org.name)
        details = self.para("Letterhead Details")
        parts: list[tuple[str, str | None]] = []
        if org.logo is not None:
            parts.append((org.name, None))
        if org.website:
            parts.append((org.website_label, org.website))
        if org.address:
            parts.append((org.address, None))
        for index, (text, href) in enumerate(parts):
            if index:
                details.add_run("  \u00b7  ")
            if href:
                self.link(details, text, href)
            else:
                details.add_run(text, style="Strong" if index == 0 and org.logo else None)

    def contacts(self) -> None:
        if not self.doc.contacts:
            return
        count = len(self.doc.contacts)
        label = self.doc.words.ngettext("Media contact", "Media contacts", count)
        self.para("Contact Block", label.upper(), "Field Label")
        for contact in self.doc.contacts:
            paragraph = self.para("Contact Block")
            self.contact_lines(paragraph, contact, separator="\n")

    def contact_lines(self, paragraph: Any, contact: Contact, separator: str) -> None:
        name = contact.name + (f" ({contact.pronouns})" if contact.pronouns else "")
        paragraph.add_run(name, style="Strong" if separator == "\n" else None)
        if contact.affiliation:
            paragraph.add_run(separator + contact.affiliation)
        if contact.email:
            paragraph.add_run(separator)
            self.link(paragraph, contact.email, f"mailto:{contact.email}")
        if contact.phone:
            paragraph.add_run(separator + contact.phone)

    def addressees(self) -> None:
        for addressee in self.doc.addressees:
            lines = [addressee.name, addressee.title or ""]
            lines += (addressee.address or "").splitlines()
            self.para("Address Block", "\n".join(line for line in lines if line))

    def body(self) -> None:
        for block in self.doc.blocks:
            first_is_text = (
                block.kind == "paragraph"
                and block.rich is not None
                and bool(block.rich.paras)
                and block.rich.paras[0].kind == "paragraph"
            )
            if self.lead_in and not first_is_text:
                self.para("Normal", self.lead_in, "Dateline")
                self.lead_in = None
            if block.kind == "heading":
                self.para("Heading 1", block.heading)
            elif block.kind == "quote":
                text = block.rich.text if block.rich else ""
                quoted = text.lstrip().startswith(tuple(OPENING_QUOTES))
                marks = self.doc.words.typography
                self.rich(
                    block.rich,
                    "Quote",
                    prefix=None if quoted else (marks.opening, None),
                    suffix="" if quoted else marks.closing,
                )
                if block.attribution:
                    self.para("Attribution", f"\u2014 {block.attribution}")
            else:
                self.rich(block.rich)
        if self.lead_in:  # a body without text paragraphs still carries its dateline
            self.para("Normal", self.lead_in, "Dateline")
            self.lead_in = None

    def event(self, event: Event) -> None:
        where = ", ".join(part for part in (event.venue, event.address) if part)
        words = self.doc.words
        fields: list[tuple[str, Rich | str | Contact | None]] = [
            (words("What"), event.what),
            (words("When"), event.when_text),
            (words("Where"), where),
            (words("Who"), event.who),
            (words("Why"), event.why),
            (words("Visuals"), event.visuals),
            (words("On-site contact"), event.onsite_contact),
            (words("RSVP"), event.rsvp),
        ]
        for label, value in fields:
            label = label.upper()
            if not value:
                continue
            prefix = (f"{label}\t", "Field Label")
            if isinstance(value, Rich):
                self.rich(value, "Event Field", prefix=prefix, flat=True)
                continue
            paragraph = self.para("Event Field")
            paragraph.add_run(prefix[0], style=prefix[1])
            if isinstance(value, Contact):
                self.contact_lines(paragraph, value, separator=" \u00b7 ")
            elif value is event.rsvp and event.rsvp_href:
                self.link(paragraph, value, event.rsvp_href)
            else:
                paragraph.add_run(value)

    def signatories(self) -> None:
        doc = self.doc
        if not doc.signatory_groups:
            return
        count = doc.signatory_count
        heading = self.para(
            "Heading 1", doc.words.plural("Signatory (%(count)s)", "Signatories (%(count)s)", count)
        )
        columns = doc.signatory_count >= TWO_COLUMNS_FROM
        if columns:
            end_section(self.word, heading, columns=1)
        last = heading
        builder = SignatoryParagraphs(self.word)  # in bulk: a list may hold 40,000 names
        for group in doc.signatory_groups:
            if group.label:
                last = self.para("Heading 2", f"{group.label} ({group.count})")
            last = add_signatories(self.word, builder, group.signatories) or last
        if columns:
            end_section(self.word, last, columns=2)


def _text_marker(para: Para) -> str:
    indent = "\u2003" * para.level
    return indent + ("\u2022\u00a0" if para.kind == "bullet" else f"{para.number}.\u00a0")
