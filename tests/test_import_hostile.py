"""A document given to `pressroom import` is untrusted (docs/security.md).

Each hostile file is made here: a zip bomb, billion laughs, an external
entity, a picture and a template linked from outside (a local server counts
whether anything asks for them), binary Word, an encrypted Word file, Apple
Pages, a truncated zip. Each is refused (or imported without what it links to)
with a clear message and a way out, never a traceback, and nothing is written.
"""

from __future__ import annotations

import io
import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressroom.drafts.importing.container import MAX_RATIO
from pressroom.drafts.importing.formats import read_document
from pressroom.errors import DocumentRefused

from .cli_runner import run
from .conftest import MakeRoom

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def paragraph(text: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>"


def document_xml(body: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        f"<w:body>{body}</w:body></w:document>"
    )


DRAFT_BODY = paragraph("Council Votes to Limit Cameras") + paragraph(
    "OAKLAND — The council voted today to limit cameras in parks."
)


def docx(parts: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def refusal(data: bytes, name: str = "draft.docx") -> str:
    with pytest.raises(DocumentRefused) as caught:
        read_document(data, name, Path(name).suffix)
    return str(caught.value)


def test_zip_bomb_is_refused_before_inflating() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("word/document.xml", document_xml(DRAFT_BODY))
        zf.writestr("word/media/zeros.bin", b"\0" * (32 * 1024 * 1024))
    info = zipfile.ZipFile(io.BytesIO(out.getvalue())).getinfo("word/media/zeros.bin")
    assert info.file_size / info.compress_size > MAX_RATIO  # the file really is a bomb
    message = refusal(out.getvalue())
    assert "draft.docx" in message and "zip bomb" in message


def test_too_many_parts_are_refused() -> None:
    message = refusal(docx({f"word/x{n}.xml": "<x/>" for n in range(1_200)}))
    assert "parts" in message and "save" in message


def test_billion_laughs_is_refused() -> None:
    laughs = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
            for n in range(1, 10)
        )
        + "]>"
    )
    data = docx({"word/document.xml": document_xml(paragraph("&lol9;"), laughs)})
    message = refusal(data)
    assert "DTD" in message and "word/document.xml" in message


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    prolog = f'<!DOCTYPE w [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    data = docx({"word/document.xml": document_xml(paragraph("&xxe;"), prolog)})
    message = refusal(data)
    assert "TOP-SECRET-VALUE" not in message and "DTD" in message


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP port on 127.0.0.1 that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            seen.append(conn.recv(1024))
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


def test_linked_picture_and_remote_template_are_never_fetched(
    listener: tuple[int, list[bytes]],
) -> None:
    port, seen = listener
    picture = (
        "<w:p><w:r><w:drawing><wp:inline><wp:docPr id='1' name='x' descr='remote'/>"
        "<a:graphic><a:graphicData><a:blip r:link='rIdRemote'/></a:graphicData></a:graphic>"
        "</wp:inline></w:drawing></w:r></w:p>"
    )
    rels = (
        '<?xml version="1.0"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdRemote" TargetMode="External" '
        f'Type="{R_NS}/image" Target="http://127.0.0.1:{port}/tracker.png"/></Relationships>'
    )
    settings_rels = rels.replace("rIdRemote", "rIdTemplate").replace(
        f"{R_NS}/image", f"{R_NS}/attachedTemplate"
    )
    data = docx(
        {
            "word/document.xml": document_xml(DRAFT_BODY + picture),
            "word/_rels/document.xml.rels": rels,
            "word/_rels/settings.xml.rels": settings_rels,
            "word/settings.xml": f'<w:settings xmlns:w="{W_NS}"/>',
            "word/vbaProject.bin": b"Attribute VB_Name = evil",
        }
    )
    draft = read_document(data, "draft.docx", ".docx")
    notes = " | ".join(note.message for note in draft.notes)
    assert "linked picture" in notes and "not fetched" in notes
    assert "remote template" in notes
    assert "macros were ignored" in notes
    assert not [p for p in draft.pieces if p.picture is not None]
    assert seen == []


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "draft.doc", "binary Word"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "draft.docx",
            "encrypted",
        ),
        (b"{\\rtf1\\ansi draft}", "draft.rtf", "RTF"),
        (b"%PDF-1.7\n", "draft.pdf", "PDF"),
    ],
)
def test_formats_pressroom_cannot_read_say_how_to_save(
    data: bytes, name: str, expected: str
) -> None:
    message = refusal(data, name)
    assert name in message and expected in message
    assert ".docx" in message  # the way out


def test_pages_and_truncated_files() -> None:
    pages = io.BytesIO()
    with zipfile.ZipFile(pages, "w") as zf:
        zf.writestr("Index/Document.iwa", b"\0\1\2")
    assert "Pages" in refusal(pages.getvalue(), "draft.pages")
    whole = docx({"word/document.xml": document_xml(DRAFT_BODY)})
    message = refusal(whole[: len(whole) // 2])
    assert "damaged or incomplete" in message and ".docx" in message


def test_the_command_says_why_and_writes_nothing(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_room()
    (root / "releases").mkdir()
    before = (root / "pressroom.yaml").read_text()
    bad = root / "draft.docx"
    whole = docx({"word/document.xml": document_xml(DRAFT_BODY)})
    bad.write_bytes(whole[:300])
    result = run(capsys, root, "import", "draft.docx")
    assert result.code == 1
    assert "draft.docx" in result.err and "save" in result.err
    assert "Traceback" not in result.err + result.out
    assert list((root / "releases").iterdir()) == []
    assert (root / "pressroom.yaml").read_text() == before
    assert not (root / "assets").exists()


def test_what_the_fuzzer_found_is_refused_clearly() -> None:
    """Findings of fuzz/draft_import.py: each was a traceback, each is a refusal now."""
    # a deflate stream broken inside ("invalid distance too far back"): zlib.error
    whole = bytearray(docx({"word/document.xml": document_xml(DRAFT_BODY * 40)}))
    start = whole.index(b"word/document.xml") + len("word/document.xml") + 20
    whole[start : start + 40] = bytes(range(40))
    assert "damaged" in refusal(bytes(whole))
    # an XML declaration naming an encoding Python does not know: LookupError
    odd = document_xml(DRAFT_BODY).replace('encoding="UTF-8"', 'encoding="UTF-6"')
    assert "damaged" in refusal(docx({"word/document.xml": odd}))
    # a zip that asks for a version of the format Python cannot read: NotImplementedError
    data = bytearray(docx({"word/document.xml": document_xml(DRAFT_BODY)}))
    central = data.index(b"PK\x01\x02")
    data[central + 6 : central + 8] = (235).to_bytes(2, "little")  # "version needed": 23.5
    assert "damaged or incomplete" in refusal(bytes(data))
