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
from typing import TYPE_CHECKING

from pressroom import __version__
from pressroom.errors import RenderError, UsageError, relative_name
from pressroom.i18n.catalogs import LOCALE_DIR, compiled_catalogs
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render.environment import BUNDLED, override, room_template_files

if TYPE_CHECKING:
    import jinja2

    from pressroom.render.document import Document
    from pressroom.render.printer import Printer

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


# Template folders no build artefact reads (the newsroom's, the preview server's):
# editing them must not make every PDF render again.
NOT_BUILD_TEMPLATES = ("site", "serve")


def templates_fingerprint(room: Room, skip: tuple[str, ...] = NOT_BUILD_TEMPLATES) -> str:
    digest = hashlib.sha256()
    for folder, files in (
        (BUNDLED, sorted(BUNDLED.rglob("*"))),
        (LOCALE_DIR, compiled_catalogs()),  # the words around the text
        (room.templates_dir, room_template_files(room.templates_dir)),
    ):
        for path in files:
            relative = path.relative_to(folder)
            if path.is_file() and relative.parts[0] not in skip:
                digest.update(relative.as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(room: Room, release: Release, formats: list[str], templates: str) -> str:
    """A hash of everything the artefacts of *release* depend on."""
    assets = [image.file.path for image in release.images]
    if room.config.org.logo:
        assets.append(room.config.org.logo.path)
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
        from pressroom.render import pdf_cache
        from pressroom.render.pdf import print_job
        from pressroom.render.pdf_engine import write_pdf

        job = print_job(doc, env)
        key = pdf_cache.job_key(job)  # before printing: the bytes it is printed from
        printed = write_pdf(job)
        pdf_cache.keep(key, printed)  # what ``send`` attaches, if nothing changes before
        return printed

    def docx(doc: Document) -> bytes:
        from pressroom.render.docx import render_docx

        return render_docx(doc, override(room.templates_dir, "reference.docx"))

    emails: dict[str, object] = {}

    def email(doc: Document) -> object:
        if doc.name not in emails:
            from pressroom.render.email import page_logo_src, render_email

            # the logo as sent (cid: or the newsroom's copy), shown in the file too
            emails[doc.name] = render_email(doc, env, logo_src=page_logo_src(doc))
        return emails[doc.name]

    def html(doc: Document) -> bytes:
        return email(doc).html.encode("utf-8")  # type: ignore[attr-defined]

    def txt(doc: Document) -> bytes:
        return email(doc).text.encode("utf-8")  # type: ignore[attr-defined]

    return {"pdf": pdf, "docx": docx, "html": html, "txt": txt}


@dataclass
class _Job:
    release: Release
    folder: Path
    formats: list[str]
    key: str

    def path(self, fmt: str) -> Path:
        return self.folder / f"{self.release.name}.{fmt}"


# What forked workers render from: set by build() just before the pool starts,
# inherited by the workers (fork), so that nothing unpicklable crosses over.
# Jinja, Markdown and the renderers are imported in the workers, not before
# the fork: a cold build's start-up is what it waits for.
_PLAN: tuple[Room, list[_Job]] | None = None
_RENDERERS: dict[str, Callable[[Document], bytes]] = {}


def _render(index: int, formats: list[str]) -> None:
    """Render some formats of one job and write them (in a worker or in-process)."""
    import jinja2

    from pressroom.render.context import document

    assert _PLAN is not None
    room, jobs = _PLAN
    if not _RENDERERS:
        _RENDERERS.update(_renderers(room, _environment(room)))
    renderers = _RENDERERS
    job = jobs[index]
    doc = document(room, job.release)
    for fmt in formats:
        try:
            data = renderers[fmt](doc)
        except jinja2.TemplateError as exc:
            raise RenderError(_template_message(exc, job.release, room.root)) from None
        _write(job.path(fmt), data)


def _environment(room: Room) -> jinja2.Environment:
    from pressroom.render.environment import room_environment

    return room_environment(room)


def _render_beside(printer: Printer) -> None:
    """Render the one job: its PDF's HTML first, sent to *printer*, then its other
    formats here while the printer prints. As with two workers, both halves run to
    their end and the PDF's error, if any, is the one raised."""
    import jinja2

    from pressroom.render import pdf_cache
    from pressroom.render.context import document
    from pressroom.render.pdf import print_job

    assert _PLAN is not None
    room, [job] = _PLAN
    env = _environment(room)
    renderers = _renderers(room, env)
    doc = document(room, job.release)
    failed: list[BaseException] = []
    try:
        printing = print_job(doc, env)
        key = pdf_cache.job_key(printing)  # before printing: the bytes it is printed from
        printer.submit(printing)
        sent = True
    except RenderError as exc:
        failed.append(exc)
        sent = False
    try:
        for fmt in job.formats:
            if fmt != "pdf":
                try:
                    data = renderers[fmt](doc)
                except jinja2.TemplateError as exc:
                    raise RenderError(_template_message(exc, job.release, room.root)) from None
                _write(job.path(fmt), data)
    except RenderError as exc:
        failed.append(exc)
    if sent:
        try:
            printed = printer.result()
            pdf_cache.keep(key, printed)  # what ``send`` attaches, if nothing changes
            _write(job.path("pdf"), printed)
        except RenderError as exc:
            failed.insert(0, exc)
    if failed:
        raise failed[0]


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def build(
    room: Room,
    releases: Iterable[Release],
    out: Path,
    formats: Iterable[str] = FORMATS,
    force: bool = False,
    on_release: Callable[[Built], None] | None = None,
    workers: int | None = None,
) -> list[Built]:
    """Render *releases* into ``out/<release>/<release>.<format>``.

    Releases whose inputs have not changed since the last build are skipped.
    The rest are rendered by *workers* processes (default: one per core), so
    a build of many releases uses the whole machine. One release's PDF is
    printed by the PDF printer (:mod:`pressroom.render.printer`: the one the
    command forked as it started, or one forked now) while this process makes
    its other formats.
    """
    from pressroom.render.printer import Printer, can_fork, take_early

    global _PLAN
    printer = take_early()  # forked by the command as it started, if it may print a PDF
    try:
        wanted = parse_formats(list(formats))
        templates = templates_fingerprint(room)
        results: list[Built] = []
        jobs: list[_Job] = []
        for release in releases:
            key = fingerprint(room, release, wanted, templates)
            job = _Job(release, out / release.name, wanted, key)
            files = [job.path(fmt) for fmt in wanted]
            if (
                not force
                and _stamp_matches(job.folder / STAMP, key)
                and all(path.is_file() for path in files)
            ):
                results.append(Built(release.name, job.folder, files, False))
            else:
                job.folder.mkdir(parents=True, exist_ok=True)
                jobs.append(job)
                results.append(Built(release.name, job.folder, files, True))

        processes = (workers or default_workers()) if can_fork() else 1
        beside = processes > 1 and len(jobs) == 1 and "pdf" in wanted
        if not beside and printer is not None:
            printer.close()  # no PDF, one process, or many releases: the workers print theirs
            printer = None
        _PLAN = (room, jobs)
        _RENDERERS.clear()
        tasks = [(index, job.formats) for index, job in enumerate(jobs)]  # one per release
        if beside:
            printer = printer or Printer()
            _render_beside(printer)
        elif min(processes, len(tasks)) > 1:
            _run_in_workers(tasks, jobs, min(processes, len(tasks)))
        else:
            for index, fmts in tasks:
                _render(index, fmts)
    finally:
        _PLAN = None
        _RENDERERS.clear()
        if printer is not None:
            printer.close()
    for job in jobs:
        _write(job.folder / STAMP, json.dumps({"key": job.key, "formats": wanted}).encode())
    for built in results:
        if on_release is not None:
            on_release(built)
    return results


def _run_in_workers(tasks: list[tuple[int, list[str]]], jobs: list[_Job], count: int) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        futures = [pool.submit(_render, index, fmts) for index, fmts in tasks]
        try:
            for future in futures:
                future.result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _stamp_matches(stamp: Path, key: str) -> bool:
    try:
        return bool(json.loads(stamp.read_text())["key"] == key)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _template_message(exc: jinja2.TemplateError, release: Release, root: Path) -> str:  # noqa: F821
    where, line = (
        getattr(exc, "filename", None) or getattr(exc, "name", None),
        getattr(exc, "lineno", None),
    )
    if not where:  # a runtime error (undefined variable): Jinja puts the template in the traceback
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith((".j2", ".html", ".txt", ".css")):
                where, line = frame.filename, frame.lineno
                break
    if where:
        where = relative_name(Path(where), root)
    location = f"{where}:{line}" if where and line else str(where or "a template")
    return (
        f"{location}: template error while rendering {release.source}: {exc.message}; "
        "fix the template under templates/, or remove it to use the bundled one"
    )
