"""A .docx or .odt file is a zip of XML parts: opened within limits, parsed without entities.

A document given to ``pressroom import`` comes from other hands and is untrusted.
Before anything is inflated, the zip's directory is read and the file refused
when it holds more than :data:`MAX_ENTRIES` parts, a part larger than
:data:`MAX_PART_BYTES`, more than :data:`MAX_TOTAL_BYTES` in all, or a part
that inflates more than :data:`MAX_RATIO` times its stored size (a zip bomb).
Each part is then read in chunks that stop at its declared size, whatever the
stream says. Every XML part is parsed by defusedxml with DTDs forbidden: no
entity is expanded (billion laughs) and no external entity or DTD is fetched;
the parser never touches the network or the file system. Nothing a document
names outside itself (a linked image, a remote template, a macro) is fetched
or run: the readers only note that it was there.

Damage (a truncated or corrupt zip, XML that does not parse) is a
:class:`~pressroom.errors.DocumentRefused` naming the file and the way out,
never a traceback.
"""

from __future__ import annotations

import io
import lzma
import struct
import zipfile
import zlib
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from pressroom.errors import DocumentRefused

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
"""A release with a dozen photos is a few megabytes; a larger file is refused unread."""
MAX_ENTRIES = 1_000
"""Parts in one zip: a Word file with pictures has 15 to 60."""
MAX_PART_BYTES = 64 * 1024 * 1024
"""One part, inflated: the text of a long release is under 1 MB, a photo under 20 MB."""
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""All parts, inflated."""
MAX_RATIO = 100
"""Inflated / stored size of one part: XML deflates 5 to 30 times; a zip bomb 1,000 times."""
RATIO_FROM = 1024 * 1024
"""Parts smaller than this (inflated) may compress better without harm."""

DAMAGE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    struct.error,
    OSError,
    EOFError,
    ValueError,
    KeyError,
    NotImplementedError,
)
"""What the zip module raises for a damaged file (a broken stream, a bad header, a
version or compression it does not know)."""

SAVE_AS = "open it in Word, LibreOffice or Google Docs and save (or download) it as .docx"


def refused(display: str, what: str, way_out: str = SAVE_AS) -> DocumentRefused:
    return DocumentRefused(f"{display}: {what}; {way_out}")


class Package:
    """The parts of a zip-based document, read one at a time within the limits."""

    def __init__(self, data: bytes, display: str):
        self.display = display
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except DAMAGE:
            raise refused(
                display, "the file is damaged or incomplete (not a readable zip)"
            ) from None
        if len(infos) > MAX_ENTRIES:
            raise refused(display, f"it holds {len(infos):,} parts, more than {MAX_ENTRIES:,}")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise refused(
                    display,
                    "it is encrypted (protected with a password)",
                    "remove the password (File > Info > Protect Document) and save it again",
                )
            if info.file_size > MAX_PART_BYTES:
                raise refused(display, f"its part {info.filename} is larger than allowed")
            stored = max(info.compress_size, 1)
            if info.file_size > RATIO_FROM and info.file_size / stored > MAX_RATIO:
                raise refused(
                    display,
                    f"its part {info.filename} inflates {info.file_size // stored:,} times "
                    "(a zip bomb)",
                    "pressroom reads no such file",
                )
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise refused(display, "its parts are larger than allowed in all")
        self._infos = {info.filename: info for info in infos}

    @property
    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        """The part *name* inflated, never more than its declared size."""
        info = self._infos[name]
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(1024 * 1024):
                    size += len(chunk)
                    if size > info.file_size or size > MAX_PART_BYTES:
                        raise refused(self.display, f"its part {name} is larger than it says")
                    chunks.append(chunk)
        except DAMAGE as exc:
            raise refused(
                self.display, f"the file is damaged or incomplete ({name}: {exc})"
            ) from None
        return b"".join(chunks)

    def xml(self, name: str) -> Element | None:
        """The part *name* parsed as XML, or None when the document has no such part."""
        if name not in self._infos:
            return None
        return parse_xml(self.read(name), f"{self.display} ({name})")


def parse_xml(data: bytes, display: str) -> Element:
    """XML without a DTD: no entities, nothing fetched; damage is a clear refusal."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root: Any = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise refused(
            display,
            "it declares a DTD or entities, which no word processor writes and pressroom "
            "never expands or fetches",
        ) from None
    except (ParseError, ValueError, UnicodeError, LookupError):
        raise refused(display, "the file is damaged (its XML does not parse)") from None
    return root  # type: ignore[no-any-return]
