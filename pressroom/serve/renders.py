"""PDF and Word renders for the preview: in worker processes, cached by content.

WeasyPrint takes 0.3-0.5 s for a release and holds the GIL while it lays
pages out, so it never runs in the server's process: a small pool of
*spawned* workers (started and warmed up with the server, so the first
preview does not pay for importing WeasyPrint) renders each
:class:`~pressroom.render.context.Document` it is sent. Renders are keyed by
the same content hash as ``pressroom build`` (:func:`pressroom.build.fingerprint`)
and kept as futures, so that a page can start the PDF while it is being
built and the ``.pdf`` route simply awaits it; an unchanged release is
never rendered twice.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pressroom.errors import RenderError

if TYPE_CHECKING:
    import jinja2

    from pressroom.render.context import Document

Kind = Literal["pdf", "docx"]
KEEP = 32  # renders kept in memory (a PDF is 100-300 KB)

# In a worker: the template environment of the last templates signature seen.
_ENV: tuple[str, jinja2.Environment] | None = None


def _worker_start() -> None:
    """Workers leave Ctrl-C to the server, which shuts them down itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _warm_up() -> None:
    """Import WeasyPrint and the renderers, and load the fonts, before the first render."""
    import weasyprint

    import pressroom.render.docx
    import pressroom.render.pdf  # noqa: F401

    html = "<p style='font-family: serif'>pressroom <b>preview</b> <i>warm-up</i></p>"
    weasyprint.HTML(string=html).write_pdf()


def _render(kind: Kind, doc: Document, templates: Path, signature: str, cache: Path) -> bytes:
    """Runs in a worker: *doc* as a PDF or a Word file."""
    global _ENV
    from pressroom.render.environment import make_environment, override

    if kind == "docx":
        from pressroom.render.docx import render_docx

        return render_docx(doc, override(templates, "reference.docx"))
    from pressroom.render.pdf import render_pdf

    if _ENV is None or _ENV[0] != signature:
        _ENV = (signature, make_environment(templates, cache=cache))
    try:
        return render_pdf(doc, _ENV[1], base_url=templates.parent.as_uri() + "/")
    except RenderError:
        raise
    except Exception as exc:  # a template error in the room's own print.html.j2
        raise RenderError(f"{doc.name}: cannot make the PDF: {type(exc).__name__}: {exc}") from None


class Renderer:
    """A pool of render workers with a cache of recent renders by content hash."""

    def __init__(self, workers: int = 2):
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._cache: OrderedDict[str, Future[bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the workers and warm them up (in the background)."""
        with self._lock:
            self._ensure_pool()

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_start,
            )
            for _ in range(self._workers):
                self._pool.submit(_warm_up)
        return self._pool

    def render(
        self, kind: Kind, key: str, doc: Document, templates: Path, signature: str, cache: Path
    ) -> Future[bytes]:
        """The render of *doc* with content hash *key*: cached, running or just started."""
        with self._lock:
            future = self._cache.get(key)
            if future is not None and not _broken(future):
                self._cache.move_to_end(key)
                return future
            try:
                future = self._ensure_pool().submit(_render, kind, doc, templates, signature, cache)
            except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
                if self._pool is not None:
                    self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
                future = self._ensure_pool().submit(_render, kind, doc, templates, signature, cache)
            self._cache[key] = future
            while len(self._cache) > KEEP:
                oldest = next(iter(self._cache))
                if not self._cache[oldest].done():
                    break
                del self._cache[oldest]
            return future

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
            self._cache.clear()


def _broken(future: Future[bytes]) -> bool:
    """A render lost with its worker (not a render that failed on its own)."""
    return future.done() and isinstance(future.exception(), BrokenProcessPool)
