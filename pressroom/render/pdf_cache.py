"""PDFs already printed, kept so that ``send`` attaches what ``build`` made.

A PDF is printed from a :class:`~pressroom.render.pdf_engine.PrintJob`: the
HTML, the room's files it may embed, the base URL, and WeasyPrint. Printing
the same job again gives the same bytes (see :mod:`pressroom.render.pdf`), so
a PDF printed once is kept under a key that covers all of it: the HTML, the
base URL, the path *and the bytes* of every file the job may embed, and the
versions of WeasyPrint, pydyf and Pyphen. ``build`` keeps what it prints;
``send`` looks there first, and prints only on a miss (then keeps it too).
An edited photo, a changed word, an upgraded WeasyPrint: a new key, a new
print. What the key leaves out is the system's fonts: a font installed
between build and send leaves the PDF as build made it.

**Where.** In the user's own cache folder (``$XDG_CACHE_HOME/pressroom/pdf``,
or ``~/.cache``), never in the room: a file in the room can come from a pull
request, and a PDF planted there under a key anyone can compute would reach
every journalist. ``PRESSROOM_PDF_CACHE`` names another folder, or ``off``.
An entry is written whole (a temporary file, renamed) and read only if it is
a PDF; the folder keeps the :data:`KEPT` newest entries.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pressroom.render.pdf_engine import PDF_OPTIONS, PrintJob

KEPT = 64
"""Entries the cache keeps (the newest); about 200 KB each for a release."""
FORMAT = 1
"""Raised when what a key covers changes."""


def folder() -> Path | None:
    """The cache's folder, or None when ``PRESSROOM_PDF_CACHE=off``."""
    chosen = os.environ.get("PRESSROOM_PDF_CACHE", "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pressroom" / "pdf"


@cache
def _printing_software() -> dict[str, str]:
    """The versions of what prints (read from the installed packages, not imported)."""
    found = {}
    for name in ("weasyprint", "pydyf", "pyphen", "tinycss2", "cssselect2"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = ""
    return found


def job_key(job: PrintJob) -> str:
    """The key of *job*'s PDF: a hash of everything the PDF is printed from."""
    files: dict[str, str | None] = {}
    for path in sorted(job.allowed):
        try:
            files[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            files[str(path)] = None  # missing: the render says so; never found in the cache
    described = {
        "format": FORMAT,
        "software": _printing_software(),
        "options": repr(sorted(PDF_OPTIONS.items())),
        "base_url": job.base_url,
        "files": files,
        "html": hashlib.sha256(job.html.encode("utf-8", "surrogatepass")).hexdigest(),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def printed(job: PrintJob, print_pdf: Callable[[PrintJob], bytes]) -> bytes:
    """The PDF of *job*: the one kept, else printed by *print_pdf* and kept. The key is
    taken before printing: a photo changed while the PDF is printed is a miss next time,
    never a PDF kept under the key of bytes it was not printed from."""
    key = job_key(job)
    found = recall(key)
    if found is None:
        found = print_pdf(job)
        keep(key, found)
    return found


def recall(key: str) -> bytes | None:
    """The PDF kept under *key* (:func:`job_key`), or None."""
    where = folder()
    if where is None:
        return None
    entry = where / f"{key}.pdf"
    try:
        data = entry.read_bytes()
        if not (data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")):
            return None
        os.utime(entry)  # used: among the newest, kept by the next prune
    except OSError:
        return None
    return data


def keep(key: str, pdf: bytes) -> None:
    """Keep *pdf* under *key* (:func:`job_key` of its job, taken before it was printed);
    a cache that cannot be written is no error."""
    where = folder()
    if where is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=where, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(pdf)
            os.replace(temporary, where / f"{key}.pdf")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(where)
    except OSError:
        pass


def _prune(where: Path) -> None:
    entries = sorted(where.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEPT:]:
        old.unlink(missing_ok=True)
