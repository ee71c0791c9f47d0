"""Write each release's artefacts to ``build/<release>/``, skipping what has not changed.

A build stamp beside the artefacts records a hash of everything that went
into them (the resolved release and room, the templates, the pictures, the
pressroom version); when it matches, nothing is rendered again.
"""

from __future__ import annotations

import hashlib
import json
import os
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from pressroom import __version__
from pressroom.errors import RenderError, UsageError
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render.context import Document, document
from pressroom.render.environment import BUNDLED, make_environment, override

FORMATS = ("pdf", "docx", "html", "txt")
STAMP = ".pressroom-build.json"


@dataclass
class Built:
    """What a build did for one release."""

    release: str
    folder: Path
    files: list[Path] = field(default_factory=list)
    rendered: bool = True


def parse_formats(text: str | Iterable[str]) -> list[str]:
    """``"pdf,html"`` -> ``["pdf", "html"]``; unknown names are a usage error."""
    names = text.split(",") if isinstance(text, str) else list(text)
    wanted = [name.strip().lower().lstrip(".") for name in names if name.strip()]
    unknown = [name for name in wanted if name not in FORMATS]
    if unknown or not wanted:
        raise UsageError(
            f"unknown format '{unknown[0] if unknown else text}': choose from {', '.join(FORMATS)}"
        )
    return [name for name in FORMATS if name in wanted]


def _file_fingerprint(path: Path) -> str:
    stat = path.stat()
    return f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}"


def _templates_fingerprint(room: Room) -> str:
    digest = hashlib.sha256()
    for folder in (BUNDLED, room.templates_dir):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(folder).as_posix().encode())
                    digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(room: Room, release: Release, formats: list[str], templates: str) -> str:
    """A hash of everything the artefacts of *release* depend on."""
    assets = [room.root / image.file for image in release.images]
    if room.config.org.logo:
        assets.append(room.root / room.config.org.logo)
    parts = {
        "version": __version__,
        "formats": formats,
        "release": release.model_dump(mode="json"),
        "room": room.config.model_dump(mode="json"),
        "assets": [_file_fingerprint(path) for path in assets if path.is_file()],
        "templates": templates,
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _write(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)


def _renderers(room: Room, env: jinja2.Environment) -> dict[str, Callable[[Document], bytes]]:
    def pdf(doc: Document) -> bytes:
        from pressroom.render.pdf import render_pdf

        return render_pdf(doc, env)

    def docx(doc: Document) -> bytes:
        from pressroom.render.docx import render_docx

        return render_docx(doc, override(room.templates_dir, "reference.docx"))

    emails: dict[str, object] = {}

    def email(doc: Document) -> object:
        if doc.name not in emails:
            from pressroom.render.email import render_email

            emails[doc.name] = render_email(doc, env)
        return emails[doc.name]

    def html(doc: Document) -> bytes:
        return email(doc).html.encode("utf-8")  # type: ignore[attr-defined]

    def txt(doc: Document) -> bytes:
        return email(doc).text.encode("utf-8")  # type: ignore[attr-defined]

    return {"pdf": pdf, "docx": docx, "html": html, "txt": txt}


def build(
    room: Room,
    releases: Iterable[Release],
    out: Path,
    formats: Iterable[str] = FORMATS,
    force: bool = False,
    on_release: Callable[[Built], None] | None = None,
) -> list[Built]:
    """Render *releases* into ``out/<release>/<release>.<format>``."""
    wanted = parse_formats(list(formats))
    env = make_environment(room.templates_dir)
    renderers = _renderers(room, env)
    templates = _templates_fingerprint(room)
    results: list[Built] = []
    for release in releases:
        folder = out / release.name
        files = [folder / f"{release.name}.{fmt}" for fmt in wanted]
        key = fingerprint(room, release, wanted, templates)
        stamp = folder / STAMP
        if not force and _stamp_matches(stamp, key) and all(path.is_file() for path in files):
            built = Built(release.name, folder, files, rendered=False)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            doc = document(room, release)
            for fmt, path in zip(wanted, files, strict=True):
                try:
                    data = renderers[fmt](doc)
                except jinja2.TemplateError as exc:
                    raise RenderError(_template_message(exc, release)) from None
                _write(path, data)
            _write(stamp, json.dumps({"key": key, "files": [p.name for p in files]}).encode())
            built = Built(release.name, folder, files, rendered=True)
        results.append(built)
        if on_release is not None:
            on_release(built)
    return results


def _stamp_matches(stamp: Path, key: str) -> bool:
    try:
        return bool(json.loads(stamp.read_text())["key"] == key)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _template_message(exc: jinja2.TemplateError, release: Release) -> str:
    where, line = (
        getattr(exc, "filename", None) or getattr(exc, "name", None),
        getattr(exc, "lineno", None),
    )
    if not where:  # a runtime error (undefined variable): Jinja puts the template in the traceback
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith((".j2", ".html", ".txt", ".css")):
                where, line = frame.filename, frame.lineno
                break
    location = f"{where}:{line}" if where and line else str(where or "a template")
    return (
        f"{location}: template error while rendering {release.source}: {exc.message}; "
        "fix the template under templates/, or remove it to use the bundled one"
    )
