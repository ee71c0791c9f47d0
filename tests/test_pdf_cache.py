"""The PDFs ``build`` printed, attached by ``send`` as they are (pressroom/render/pdf_cache.py).

The README's way (build, then send) prints each PDF once: send finds the one
build made under a key covering everything it is printed from, and prints
anew when anything in it changed. The cache is the user's own, never the room's.
"""

from __future__ import annotations

import email
from pathlib import Path

import pytest

from pressroom.render import pdf_cache, printer
from pressroom.render.pdf_engine import PrintJob
from tests.cli_runner import run

NAME = "2026-11-23-streetsight-suspended"


def refuse_to_print(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    printed: list[str] = []

    def refused(job: PrintJob) -> bytes:
        printed.append(job.name)
        raise AssertionError(f"{job.name} printed again")

    monkeypatch.setattr(printer, "print_pdf", refused)
    return printed


def test_send_attaches_the_pdfs_build_printed_without_printing_them_again(
    room: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    built = run(capsys, room, "build", NAME)
    assert built.code == 0, built.err
    printed = refuse_to_print(monkeypatch)
    sent = run(capsys, room, "send", NAME, "--yes")
    assert sent.code == 0, sent.err
    assert printed == []
    pdfs = {path.read_bytes() for path in (room / "build").rglob("*.pdf")}
    assert len(pdfs) == 2  # the release and its German translation
    attached = {data for path in room.rglob("outbox/**/*.eml") for data in _pdfs_of(path)}
    assert attached == pdfs


def _pdfs_of(path: Path) -> list[bytes]:
    message = email.message_from_bytes(path.read_bytes())
    found = []
    for part in message.walk():
        if part.get_content_type() == "application/pdf":
            data = part.get_payload(decode=True)
            assert isinstance(data, bytes)
            found.append(data)
    return found


def test_a_photo_changed_after_the_build_is_printed_anew(
    room: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, room, "build", NAME).code == 0
    built = {path.read_bytes() for path in (room / "build").rglob("*.pdf")}
    logo = room / "assets" / "logo.png"
    assert logo.is_file()
    from PIL import Image

    with Image.open(logo) as image:  # the same size, another colour: another PDF
        image.convert("RGBA").convert("RGB").point(lambda value: 255 - value).save(logo)
    sent = run(capsys, room, "send", NAME, "--yes")
    assert sent.code == 0, sent.err
    attached = {data for path in room.rglob("outbox/**/*.eml") for data in _pdfs_of(path)}
    assert len(attached) == 2 and not attached & built


def job(tmp_path: Path, html: str = "<p>Parks stay open</p>") -> PrintJob:
    photo = tmp_path / "photo.png"
    if not photo.exists():
        photo.write_bytes(b"\x89PNG first")
    return PrintJob(html, "x", frozenset({photo.resolve()}), tmp_path.as_uri() + "/", 30.0)


PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_the_key_covers_the_html_the_files_the_base_and_the_software(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = job(tmp_path)
    pdf_cache.keep(pdf_cache.job_key(first), PDF)
    assert pdf_cache.recall(pdf_cache.job_key(job(tmp_path))) == PDF
    assert pdf_cache.recall(pdf_cache.job_key(job(tmp_path, "<p>Parks close</p>"))) is None
    elsewhere = PrintJob(first.html, "x", first.allowed, "file:///elsewhere/", 30.0)
    assert pdf_cache.recall(pdf_cache.job_key(elsewhere)) is None
    (tmp_path / "photo.png").write_bytes(b"\x89PNG second")
    assert pdf_cache.recall(pdf_cache.job_key(first)) is None
    (tmp_path / "photo.png").write_bytes(b"\x89PNG first")
    assert pdf_cache.recall(pdf_cache.job_key(first)) == PDF
    monkeypatch.setattr(pdf_cache, "_printing_software", lambda: {"weasyprint": "99.0"})
    assert pdf_cache.recall(pdf_cache.job_key(first)) is None


def test_a_broken_entry_is_never_attached(tmp_path: Path) -> None:
    first = job(tmp_path)
    pdf_cache.keep(pdf_cache.job_key(first), PDF)
    folder = pdf_cache.folder()
    assert folder is not None
    [entry] = folder.glob("*.pdf")
    entry.write_bytes(PDF[: len(PDF) // 2])  # cut short
    assert pdf_cache.recall(pdf_cache.job_key(first)) is None
    entry.write_bytes(b"<script>not a pdf</script>")
    assert pdf_cache.recall(pdf_cache.job_key(first)) is None


def test_the_cache_is_the_users_never_the_rooms(
    room: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PRESSROOM_PDF_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(room.parent / "user-cache"))
    assert pdf_cache.folder() == room.parent / "user-cache" / "pressroom" / "pdf"
    assert run(capsys, room, "build", NAME).code == 0
    assert len(list((room.parent / "user-cache" / "pressroom" / "pdf").glob("*.pdf"))) == 2
    assert not [p for p in room.rglob("*.pdf") if "build" not in p.parts]

    monkeypatch.setenv("PRESSROOM_PDF_CACHE", "off")
    assert pdf_cache.folder() is None
    pdf_cache.keep(pdf_cache.job_key(job(room.parent)), PDF)
    assert pdf_cache.recall(pdf_cache.job_key(job(room.parent))) is None


def test_it_keeps_the_newest_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_cache, "KEPT", 3)
    for number in range(5):
        pdf_cache.keep(pdf_cache.job_key(job(tmp_path, f"<p>{number}</p>")), PDF)
    folder = pdf_cache.folder()
    assert folder is not None and len(list(folder.glob("*.pdf"))) == 3
    assert pdf_cache.recall(pdf_cache.job_key(job(tmp_path, "<p>4</p>"))) == PDF
    assert pdf_cache.recall(pdf_cache.job_key(job(tmp_path, "<p>0</p>"))) is None


def test_a_photo_changed_while_printing_is_printed_anew_next_time(tmp_path: Path) -> None:
    """The key is taken before printing: the PDF is kept under the bytes it was printed
    from, so the changed photo misses the cache instead of finding the older print."""
    first = job(tmp_path)
    calls: list[str] = []

    def print_and_change(printing: PrintJob) -> bytes:
        calls.append(printing.name)
        (tmp_path / "photo.png").write_bytes(b"\x89PNG changed meanwhile")
        return PDF

    assert pdf_cache.printed(first, print_and_change) == PDF
    assert pdf_cache.recall(pdf_cache.job_key(first)) is None  # the photo is another now
    (tmp_path / "photo.png").write_bytes(b"\x89PNG first")
    assert pdf_cache.printed(first, print_and_change) == PDF  # the kept one: not printed
    assert calls == ["x"]
