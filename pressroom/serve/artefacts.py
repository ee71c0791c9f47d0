"""The PDF and Word files of the preview: which version a page shows, starting it in
the render workers, and the routes that serve it.

A page names the PDF it shows by its content hash (``/release/NAME.pdf?v=HASH``,
the hash ``pressroom build`` uses), and starts its render while the page is
built; a saved release's PDF is started as soon as the save is seen
(:meth:`Artefacts.prefetch`), before the open pages hear of it. Each render is
a version of its release's file, or of the editor's unsaved text: a newer one
makes the older stale (:mod:`pressroom.serve.renders`), and a request for a
stale version is served the newer PDF, never the older.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from pressroom.errors import LoadError, PressroomError, RenderError
from pressroom.load.room import load_release, load_room
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render.build import fingerprint
from pressroom.render.environment import BUNDLED, ROOM_CACHE, room_template_files
from pressroom.serve.files import release_path, release_paths
from pressroom.serve.languages import translation_in
from pressroom.serve.layout import HEADERS
from pressroom.serve.renders import LOST_AFTER, Kind, Renderer, Superseded, WarmUp

if TYPE_CHECKING:
    from pressroom.render.context import Document
    from pressroom.serve.app import State

TEMPLATE_CACHE = ROOM_CACHE  # compiled templates, kept as for build
RENDER_WAIT = LOST_AFTER  # a render not done by then is lost with its worker: started again
FOLLOW = 5  # renders abandoned for a newer version followed to it, at most


class Artefacts:
    """The PDF and Word renders of the room at *root* (none without a *renderer*)."""

    def __init__(self, root: Path, renderer: Renderer | None = None):
        self.root = root
        self.renderer = renderer

    def render(
        self, name: str, kind: Kind, lang: str | None = None
    ) -> tuple[str, Future[bytes] | None]:
        """The content hash and the (maybe already finished) render of a release (or of
        its translation into *lang*)."""
        stamp = time.monotonic()
        room = load_room(self.root)
        release = translation_in(load_release(room, release_path(room, name)), lang)
        return self.start(room, release, release_document(room, release), kind, stamp)

    def start(
        self,
        room: Room,
        release: Release,
        doc: Document,
        kind: Kind,
        stamp: float | None = None,
        unsaved: bool = False,
    ) -> tuple[str, Future[bytes] | None]:
        """Start rendering *doc* unless it is cached: its content hash and its render.

        *stamp* (:func:`time.monotonic` before the files were read) makes the render
        the latest version of the release: an unfinished render of an older one is
        abandoned. The editor's *unsaved* text is a version of its own, apart from the
        file's (:mod:`pressroom.serve.renders`).
        """
        signature = templates_signature(room)
        key = fingerprint(room, release, [kind], signature)
        if self.renderer is None:
            return key, None
        cache = room.root / TEMPLATE_CACHE
        sandbox = room.config.templates.sandbox
        slot = (release.source, kind, "unsaved" if unsaved else "file")
        return key, self.renderer.render(
            kind, key, doc, room.templates_dir, signature, cache, sandbox, slot, stamp
        )

    def prefetch(self, name: str) -> None:
        """Start the PDF of a release that was just saved, before its page asks for it."""
        stamp = time.monotonic()
        try:
            room = load_room(self.root)
            release = load_release(room, release_path(room, name))
        except PressroomError:
            return  # the page will show why
        self.start(room, release, release_document(room, release), "pdf", stamp)

    def warm_up(self) -> WarmUp | None:
        """The newest release that loads, for the render workers to warm up on."""
        try:
            room = load_room(self.root)
            for path in reversed(release_paths(room)):
                try:
                    release = load_release(room, path)
                except LoadError:
                    continue
                signature = templates_signature(room)
                cache = room.root / TEMPLATE_CACHE
                sandbox = room.config.templates.sandbox
                doc = release_document(room, release)
                return doc, room.templates_dir, signature, cache, sandbox
        except PressroomError:
            pass
        return None


def templates_signature(room: Room) -> str:
    """Changes whenever a bundled template or one of the room's templates changes."""
    digest = hashlib.sha256(f"sandbox:{room.config.templates.sandbox};".encode())
    for label, folder, files in (
        ("bundled", BUNDLED, sorted(BUNDLED.rglob("*"))),
        ("room", room.templates_dir, room_template_files(room.templates_dir)),
    ):
        for path in files:
            if path.is_file():
                stat = path.stat()
                name = path.relative_to(folder).as_posix()
                digest.update(f"{label}:{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


def release_document(room: Room, release: Release) -> Document:
    """What the renderers are given of *release*."""
    from pressroom.render.context import document

    return document(room, release)


# -- routes --------------------------------------------------------------------------


async def pdf(state: State, request: Request) -> Response:
    return await _artefact(state, request, "pdf")


async def docx(state: State, request: Request) -> Response:
    return await _artefact(state, request, "docx")


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


async def _artefact(state: State, request: Request, kind: Kind) -> Response:
    name = request.path_params["name"]
    version = request.query_params.get("v", "")
    lang = request.query_params.get("lang")
    future = state.renderer.find(kind, version) if state.renderer and version else None
    key = version  # when found: the page named this exact content, no need to read the files
    for _ in range(FOLLOW):
        if future is None:
            try:
                artefacts = state.preview.artefacts
                key, future = await run_in_threadpool(artefacts.render, name, kind, lang)
            except LoadError as exc:
                if any(p.file == "pressroom.yaml" for p in exc.problems):
                    raise
                return _problem_text(f"{name}.{kind} cannot be made: the release has problems", exc)
            if future is None:
                return Response("renders are off in this preview\n", 404, media_type="text/plain")
        etag = f'"{key[:16]}"'
        unchanged = request.headers.get("if-none-match") == etag
        if unchanged and future.done() and not future.exception():
            return Response(status_code=304, headers={"ETag": etag})
        try:
            data = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), RENDER_WAIT)
            break
        except Superseded as exc:  # saved again meanwhile: the newer version, never the older
            key = exc.key
            future = state.renderer.find(kind, key[:16]) if state.renderer else None
        except PressroomError as exc:
            return _problem_text(f"{name}.{kind} cannot be made", exc)
        except TimeoutError:
            return _problem_text(f"{name}.{kind}", RenderError("not made in time; reload the page"))
    else:
        again = RenderError("saved again meanwhile; reload the page")
        return _problem_text(f"{name}.{kind}", again)
    disposition = "inline" if kind == "pdf" else "attachment"
    return Response(
        data,
        media_type=MEDIA_TYPES[kind],
        headers={
            "Content-Disposition": f'{disposition}; filename="{name}.{kind}"',
            "Cache-Control": "no-cache",
            "ETag": etag,
            "X-Content-Type-Options": "nosniff",
        },
    )


def _problem_text(title: str, exc: PressroomError) -> Response:
    lines = [str(p) for p in exc.problems] if isinstance(exc, LoadError) else [str(exc)]
    body = title + ":\n\n" + "\n".join(lines) + "\n"
    return Response(body, 422, media_type="text/plain; charset=utf-8", headers=HEADERS)
