"""PDF and Word renders for the preview: in worker processes, cached by content.

WeasyPrint takes 0.3-0.5 s for a release and holds the GIL while it lays
pages out, so it never runs in the server's process: a small pool of
*spawned* workers (started and warmed up with the server, so the first
preview does not pay for importing WeasyPrint; stopped at once with it)
renders each
:class:`~pressroom.render.context.Document` it is sent. Renders are keyed by
the same content hash as ``pressroom build`` (:func:`pressroom.render.build.fingerprint`)
and kept as futures, so that a page can start the PDF while it is being
built and the ``.pdf`` route simply awaits it; an unchanged release is
never rendered twice.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, InvalidStateError
from multiprocessing.pool import Pool
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pressroom.errors import RenderError

if TYPE_CHECKING:
    import jinja2

    from pressroom.render.context import Document

Kind = Literal["pdf", "docx"]
KEEP = 32  # renders kept in memory (a PDF is 100-300 KB)
LOST_AFTER = 120.0  # seconds: a render not done by then is started again

# In a worker: the template environment of the last templates signature seen.
_ENV: tuple[str, jinja2.Environment] | None = None


WarmUp = tuple["Document", Path, str, Path, bool]
"""A release to render once in each new worker: document, templates, signature, cache,
sandbox."""


def _worker_start(warm: WarmUp | None) -> None:
    """In each new worker: leave Ctrl-C to the server, and warm up.

    Importing WeasyPrint and the renderers, compiling the print templates and
    loading the fonts and pictures a release uses cost a second or more, and
    make a worker's first render twice as slow as the next: paid here, at
    start-up, by rendering one of the room's releases (or a line of text).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import pressroom.render.docx  # noqa: F401

        if warm is not None:
            _render("pdf", *warm)
        else:
            import weasyprint

            weasyprint.HTML(string="<p>pressroom <b>preview</b></p>").write_pdf()
    except Exception:  # a failing initializer would be restarted forever:
        pass  # the first real render reports the problem instead


def _render(
    kind: Kind, doc: Document, templates: Path, signature: str, cache: Path, sandbox: bool = True
) -> bytes:
    """Runs in a worker: *doc* as a PDF or a Word file.

    Every failure comes back as a :class:`RenderError` with a message, never
    as an exception the server could not unpickle.
    """
    global _ENV
    from pressroom.render.environment import make_environment, override

    what = "the PDF" if kind == "pdf" else "the Word document"
    try:
        if kind == "docx":
            from pressroom.render.docx import render_docx

            return render_docx(doc, override(templates, "reference.docx"))
        from pressroom.render.pdf import render_pdf

        if _ENV is None or _ENV[0] != signature:
            _ENV = (signature, make_environment(templates, cache=cache, sandbox=sandbox))
        return render_pdf(doc, _ENV[1], base_url=templates.parent.as_uri() + "/")
    except RenderError as exc:
        raise RenderError(str(exc)) from None
    except Exception as exc:  # a broken template or reference.docx of the room's own
        raise RenderError(f"{doc.name}: cannot make {what}: {type(exc).__name__}: {exc}") from None


class Renderer:
    """A pool of render workers with a cache of recent renders by content hash."""

    def __init__(self, workers: int = 2):
        self._workers = workers
        self._pool: Pool | None = None
        self._cache: OrderedDict[str, Future[bytes]] = OrderedDict()
        self._started: dict[str, float] = {}
        self._kinds: dict[str, Kind] = {}
        self._lock = threading.Lock()

    def start(self, warm: WarmUp | None = None) -> None:
        """Start the workers, unless a render started them already; they warm up on *warm*."""
        with self._lock:
            self._ensure_pool(warm)

    def _ensure_pool(self, warm: WarmUp | None = None) -> Pool:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = context.Pool(self._workers, initializer=_worker_start, initargs=(warm,))
        return self._pool

    def render(
        self,
        kind: Kind,
        key: str,
        doc: Document,
        templates: Path,
        signature: str,
        cache: Path,
        sandbox: bool = True,
    ) -> Future[bytes]:
        """The render of *doc* with content hash *key*: cached, running or just started."""
        with self._lock:
            future = self._cache.get(key)
            if future is not None and not self._lost(key, future):
                self._cache.move_to_end(key)
                return future
            future = Future()
            future.set_running_or_notify_cancel()
            self._ensure_pool().apply_async(
                _render,
                (kind, doc, templates, signature, cache, sandbox),
                callback=future.set_result,
                error_callback=future.set_exception,
            )
            self._cache[key] = future
            self._started[key] = time.monotonic()
            self._kinds[key] = kind
            while len(self._cache) > KEEP:
                oldest = next(iter(self._cache))
                if not self._cache[oldest].done():
                    break
                del self._cache[oldest]
                self._started.pop(oldest, None)
                self._kinds.pop(oldest, None)
            return future

    def find(self, kind: Kind, version: str) -> Future[bytes] | None:
        """A render already made or under way whose content hash starts with *version*."""
        if len(version) < 16:
            return None
        with self._lock:
            for key, future in reversed(self._cache.items()):
                if key.startswith(version) and self._kinds.get(key) == kind:
                    return None if self._lost(key, future) else future
        return None

    def _lost(self, key: str, future: Future[bytes]) -> bool:
        """Still unfinished long after any render should be: its worker died."""
        return not future.done() and time.monotonic() - self._started[key] > LOST_AFTER

    def close(self) -> None:
        """Stop the workers at once, renders in progress included."""
        with self._lock:
            if self._pool is not None:
                self._pool.terminate()
                self._pool.join()
                self._pool = None
            for future in self._cache.values():
                with contextlib.suppress(InvalidStateError):
                    future.set_exception(RenderError("the preview is stopping"))
            self._cache.clear()
            self._started.clear()
            self._kinds.clear()
