"""Which reader a document needs, told from its first bytes, not its name.

.docx and .odt are zips (:mod:`.wordml`, :mod:`.odf`); Markdown and text are
read as text (:mod:`.plaintext`). What pressroom cannot read is refused with a
message that names the format and how to save the document so that it can:
binary Word (.doc) and other OLE compound files, a password-protected Word
file (an OLE file holding ``EncryptedPackage``), Apple Pages, RTF, PDF, and
anything else that is neither a known zip nor text.
"""

from __future__ import annotations

import re

from pressroom.drafts.importing.container import MAX_DOCUMENT_BYTES, SAVE_AS, Package, refused
from pressroom.drafts.importing.odf import read_odt
from pressroom.drafts.importing.plaintext import read_markdown, read_text
from pressroom.drafts.importing.source import Draft
from pressroom.drafts.importing.wordml import read_docx

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_MARKDOWN = re.compile(r"^(#{1,6} |\*\*|> |- |\* |\d+\. )|\]\(", re.MULTILINE)
SUFFIXES = (".docx", ".docm", ".odt", ".md", ".markdown", ".txt")


def read_document(data: bytes, display: str, suffix: str = "") -> Draft:
    """The document *data* (called *display* in messages), read by the reader it needs."""
    suffix = suffix.lower()
    if len(data) > MAX_DOCUMENT_BYTES:
        raise refused(
            display,
            f"it is {len(data) // (1024 * 1024)} MB, more than the "
            f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MB pressroom imports",
            "save the text without large pictures, and add the photos under images:",
        )
    if data.startswith(OLE):
        if ENCRYPTED in data:
            raise refused(
                display,
                "it is encrypted (protected with a password)",
                "remove the password (File > Info > Protect Document) and save it as .docx",
            )
        raise refused(display, "it is a binary Word file (.doc) or another old Office format")
    if data.startswith(ZIP):
        package = Package(data, display)
        names = set(package.names)
        if "word/document.xml" in names or "[Content_Types].xml" in names:
            return read_docx(package)
        if "content.xml" in names or "mimetype" in names:
            return read_odt(package)
        if "index.xml" in names or any(name.startswith("Index/") for name in names):
            raise refused(
                display, "it is an Apple Pages document", "in Pages, choose File > Export To > Word"
            )
        raise refused(display, "it is a zip, but not a Word or OpenDocument text")
    if data.startswith(b"{\\rtf"):
        raise refused(display, "it is an RTF file")
    if data.startswith(b"%PDF"):
        raise refused(display, "it is a PDF, which keeps no paragraphs or styles to import")
    if suffix in (".docx", ".docm", ".odt", ".doc", ".pages"):
        raise refused(display, f"it is not a {suffix} file inside (the file is damaged)", SAVE_AS)
    text = _decoded(data, display)
    if suffix in (".md", ".markdown") or (suffix != ".txt" and _MARKDOWN.search(text)):
        return read_markdown(text)
    return read_text(text)


def _decoded(data: bytes, display: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise refused(display, "it is neither a document pressroom knows nor text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
