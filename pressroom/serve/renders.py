"""PDF and Word renders for the preview: in warm worker processes, cached by content,
a render that a newer save made stale abandoned.

WeasyPrint takes 0.2-0.5 s for a release and holds the GIL while it lays
pages out, so it never runs in the server's process: a few *spawned* worker
processes, started and warmed up with the server (WeasyPrint imported, the
print templates compiled, the fonts and pictures of one of the room's
releases loaded, once), render each
:class:`~pressroom.render.context.Document` they are sent, one at a time, and
are stopped at once with the server.

Renders are keyed by the same content hash as ``pressroom build``
(:func:`pressroom.render.build.fingerprint`) and kept as futures, so that a page can
start the PDF while it is being built and the ``.pdf`` route simply awaits
it; an unchanged release is never rendered twice.

**Stale renders are abandoned.** Each render is *of* something, its slot: a
release file (or its unsaved text in the editor) as a PDF or a Word file.
When a newer version of a slot is asked for (the file was saved again, the
editor sent newer text), the older render is dropped from the queue, or, if a
worker is already laying it out, that worker is told to stop
(``SIGUSR1``, which raises in the render the way the time limit of
:mod:`pressroom.render.deadline` does) and is free for the next one at once.
Whoever awaits the stale render gets :class:`Superseded`, naming the newer
one: the ``.pdf`` route then serves that instead, so that after a save the
preview never serves the PDF of what the file said before. Which version is
newer is decided by when the files were read (``stamp``), never by which
thread got here first.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections import OrderedDict, deque
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pressroom.errors import RenderError

if TYPE_CHECKING:
    import jinja2

    from pressroom.render.context import Document

Kind = Literal["pdf", "docx"]
KEEP = 32  # renders kept in memory (a PDF is 100-300 KB)
SUPERSEDED_KEPT = 256  # abandoned renders remembered, so that asking for one finds the newest
LOST_AFTER = 120.0  # seconds: a render not done by then is started again
ABANDON = signal.SIGUSR1
AGAIN_SECONDS = 0.1
"""The abandon signal is sent again this often until the worker answers: one that lands
in a finaliser (run by the garbage collector anywhere) is swallowed by Python."""

Slot = tuple[str, ...]
"""What a render is of: the release's file, the kind, and whether it is the file as
saved or the editor's unsaved text. A newer version of a slot makes the older stale."""

WarmUp = tuple["Document", Path, str, Path, bool]
"""A release to render once in each new worker: document, templates, signature, cache,
sandbox."""


class Superseded(RenderError):
    """The render was abandoned: a newer version of the same release was asked for."""

    def __init__(self, key: str):
        super().__init__("a newer version of the release is being rendered")
        self.key = key


# -- in a worker -------------------------------------------------------------------

# The template environment of the last templates signature seen.
_ENV: tuple[str, jinja2.Environment] | None = None
# The number of the job being rendered (0: none), and the one to abandon (set by the server).
_running = 0
_abandon: Any = None


class _Abandoned(BaseException):
    """Raised in the render by the abandon signal: a BaseException, so that no
    ``except Exception`` in a library on the way can swallow it."""


def _on_abandon(signum: int, frame: object) -> None:
    if _running and _abandon is not None and _abandon.value == _running:
        raise _Abandoned


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
    except Exception:  # the first real render reports the problem instead
        pass


def _worker_main(conn: Connection, abandon: Any, warm: WarmUp | None) -> None:
    """A worker's life: warm up, then render each job sent until the server hangs up.

    Each answer is ``("ok", bytes)``, ``("error", message)`` or ``("abandoned", None)``.
    """
    global _running, _abandon
    _abandon = abandon
    signal.signal(ABANDON, _on_abandon)
    _worker_start(warm)
    while True:
        try:
            number, job = conn.recv()
        except (EOFError, OSError):
            return
        answer: tuple[str, Any]
        try:
            _running = number
            try:
                if abandon.value == number:  # abandoned before it began
                    raise _Abandoned
                answer = ("ok", _render(*job))
            finally:
                _running = 0
        except _Abandoned:
            _running = 0
            answer = ("abandoned", None)
        except RenderError as exc:
            answer = ("error", str(exc))
        conn.send(answer)


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


# -- in the server -----------------------------------------------------------------


@dataclass(eq=False)
class _Job:
    number: int
    key: str
    args: tuple[Any, ...]
    future: Future[bytes] = field(default_factory=Future)


@dataclass(eq=False)
class _Worker:
    """One worker process, and the thread in the server that feeds it."""

    process: Any
    conn: Connection
    abandon: Any
    job: _Job | None = None


class Renderer:
    """Warm render workers with a cache of recent renders by content hash."""

    def __init__(self, workers: int = 2):
        self._size = workers
        self._workers: list[_Worker] = []
        self._warm: WarmUp | None = None
        self._queue: deque[_Job] = deque()
        self._jobs: dict[str, _Job] = {}  # unfinished, by key
        self._cache: OrderedDict[str, Future[bytes]] = OrderedDict()
        self._started: dict[str, float] = {}
        self._kinds: dict[str, Kind] = {}
        self._latest: dict[Slot, tuple[float, str]] = {}  # when its files were read, its key
        self._superseded: OrderedDict[str, tuple[str, Kind]] = OrderedDict()  # -> newer key
        self._numbers = 0
        self._closed = False
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)

    def start(self, warm: WarmUp | None = None) -> None:
        """Start the workers, unless a render started them already; they warm up on *warm*."""
        with self._lock:
            self._ensure_workers(warm)

    def _ensure_workers(self, warm: WarmUp | None = None) -> None:
        if self._workers or self._closed:
            return
        self._warm = warm
        for _ in range(self._size):
            worker = self._spawn()
            self._workers.append(worker)
            threading.Thread(target=self._feed, args=(worker,), daemon=True).start()

    def _spawn(self) -> _Worker:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        abandon = context.Value("q", 0, lock=False)
        process = context.Process(
            target=_worker_main, args=(theirs, abandon, self._warm), daemon=True
        )
        process.start()
        theirs.close()
        return _Worker(process, ours, abandon)

    def render(
        self,
        kind: Kind,
        key: str,
        doc: Document,
        templates: Path,
        signature: str,
        cache: Path,
        sandbox: bool = True,
        slot: Slot | None = None,
        stamp: float | None = None,
    ) -> Future[bytes]:
        """The render of *doc* with content hash *key*: cached, running or just started.

        With *slot* (what it is a version of) and *stamp* (when its files were read),
        an unfinished render of an older version of the slot is abandoned; a version
        older than the slot's latest is not rendered at all (:class:`Superseded`).
        """
        with self._lock:
            if slot is not None and stamp is not None:
                latest = self._latest.get(slot)
                if latest is not None and latest[0] > stamp and latest[1] != key:
                    stale: Future[bytes] = Future()
                    stale.set_exception(Superseded(latest[1]))
                    return stale
                self._latest[slot] = (stamp, key)
                if latest is not None and latest[1] != key:
                    self._abandon(latest[1], key)
            future = self._cache.get(key)
            if future is not None and not self._lost(key, future):
                self._cache.move_to_end(key)
                return future
            self._ensure_workers()
            self._superseded.pop(key, None)  # asked for again (the file went back to it)
            self._numbers += 1
            job = _Job(self._numbers, key, (kind, doc, templates, signature, cache, sandbox))
            job.future.set_running_or_notify_cancel()
            self._queue.append(job)
            self._jobs[key] = job
            self._wake.notify()
            self._cache[key] = job.future
            self._started[key] = time.monotonic()
            self._kinds[key] = kind
            while len(self._cache) > KEEP:
                oldest = next(iter(self._cache))
                if not self._cache[oldest].done():
                    break
                self._forget(oldest)
            return job.future

    def _abandon(self, key: str, newer: str) -> None:
        """Drop the unfinished render *key* for *newer*: from the queue, or stop its worker."""
        job = self._jobs.pop(key, None)
        if job is None:
            return
        self._superseded[key] = (newer, self._kinds.get(key, "pdf"))
        while len(self._superseded) > SUPERSEDED_KEPT:
            self._superseded.popitem(last=False)
        self._forget(key)
        if job in self._queue:
            self._queue.remove(job)
        for worker in self._workers:
            if worker.job is job:
                worker.abandon.value = job.number
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.process.pid, ABANDON)
        with contextlib.suppress(InvalidStateError):
            job.future.set_exception(Superseded(newer))

    def _forget(self, key: str) -> None:
        self._cache.pop(key, None)
        self._started.pop(key, None)
        self._kinds.pop(key, None)

    def _feed(self, worker: _Worker) -> None:
        """In a thread per worker: send it the next job, wait for its answer, repeat."""
        while True:
            with self._lock:
                while not self._queue and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                job = self._queue.popleft()
                worker.job = job
            try:
                worker.conn.send((job.number, job.args))
                while not worker.conn.poll(AGAIN_SECONDS):
                    if worker.abandon.value == job.number:  # a signal may have been lost
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(worker.process.pid, ABANDON)
                status, value = worker.conn.recv()
            except (EOFError, OSError, ValueError):  # the worker died (or we are closing)
                status, value = "error", f"{job.args[1].name}: the render worker stopped"
                with self._lock:
                    if self._closed:
                        return
                    worker.conn.close()
                    worker.process.join(1)
                    replacement = self._spawn()
                    worker.process, worker.conn = replacement.process, replacement.conn
                    worker.abandon = replacement.abandon
            with self._lock:
                worker.job = None
                if self._jobs.get(job.key) is job:
                    del self._jobs[job.key]
            with contextlib.suppress(InvalidStateError):  # abandoned: already answered
                if status == "ok":
                    job.future.set_result(value)
                elif status == "error":
                    job.future.set_exception(RenderError(value))

    def find(self, kind: Kind, version: str) -> Future[bytes] | None:
        """A render already made or under way whose content hash starts with *version*;
        for one abandoned, a future that fails with :class:`Superseded` naming the newest."""
        if len(version) < 16:
            return None
        with self._lock:
            for key, future in reversed(self._cache.items()):
                if key.startswith(version) and self._kinds.get(key) == kind:
                    return None if self._lost(key, future) else future
            for key, (newer, of) in reversed(self._superseded.items()):
                if key.startswith(version) and of == kind:  # abandoned: point to the newest
                    for _ in range(SUPERSEDED_KEPT):
                        if newer not in self._superseded:
                            break
                        newer = self._superseded[newer][0]
                    stale: Future[bytes] = Future()
                    stale.set_exception(Superseded(newer))
                    return stale
        return None

    def _lost(self, key: str, future: Future[bytes]) -> bool:
        """Still unfinished long after any render should be: its worker hangs."""
        return not future.done() and time.monotonic() - self._started[key] > LOST_AFTER

    def close(self) -> None:
        """Stop the workers at once, renders in progress included."""
        with self._lock:
            self._closed = True
            self._wake.notify_all()
            workers, self._workers = self._workers, []
            futures = [*self._cache.values(), *(job.future for job in self._queue)]
            self._queue.clear()
            self._jobs.clear()
            self._cache.clear()
            self._started.clear()
            self._kinds.clear()
        for worker in workers:
            worker.process.terminate()
        for worker in workers:
            worker.process.join(5)
            worker.conn.close()
        for future in futures:
            with contextlib.suppress(InvalidStateError):
                future.set_exception(RenderError("the preview is stopping"))
