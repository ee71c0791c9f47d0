"""The PDF printer: a process that imports WeasyPrint while the command starts.

Importing WeasyPrint (Pango, HarfBuzz and fontconfig through cffi) takes about
half a second, longer than loading a release, validating it and rendering it
to HTML. So ``pressroom build`` (and ``send``: :func:`print_pdf`) forks a printer first thing
(:func:`start_early`, called by the entry point, :mod:`pressroom.__main__`,
before click, pydantic or Jinja are imported): the printer imports WeasyPrint
on one core while the command starts on the other, then prints the HTML it is
sent (:func:`pressroom.render.pdf_engine.write_pdf`) while the command makes
the Word document and the email. :func:`pressroom.render.build.build` takes the
printer (:func:`take_early`) when it has one release with a PDF to render, or
forks one of its own (:class:`Printer`); otherwise it stops it.

The contract:

- :meth:`Printer.submit` sends a :class:`~pressroom.render.pdf_engine.PrintJob`
  and returns at once; :meth:`Printer.result` answers the jobs in order, with
  the PDF's bytes, or raises the error the render raised
  (:class:`~pressroom.errors.RenderError`, unchanged) in the command;
- no printer outlives its command: the owner stops it (:meth:`Printer.close`),
  an early printer nobody took is stopped when the command exits (``atexit``),
  and a printer whose command was killed is stopped by the kernel on Linux
  (``PR_SET_PDEATHSIG``), elsewhere when it next reads its pipe;
- the printer ignores Ctrl-C (its command stops it), writes no file, and never
  runs the command's exit handlers or flushes its buffers (``os._exit``).

This module imports nothing but ``os`` at the top (not even ``typing``): it is loaded
before anything else.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing itself is not imported before the fork
if TYPE_CHECKING:  # pragma: no cover
    import threading
    from collections.abc import Sequence
    from typing import Any, NoReturn

    from pressroom.render.pdf_engine import PrintJob

_EARLY: Printer | None = None
_LOCK: threading.Lock | None = None  # one job at a time through the early printer
_OWNER = 0  # the process that forked it (a worker forked later must not use it)


class Printer:
    """A forked process that prints PDFs (see the module's contract)."""

    def __init__(self) -> None:
        jobs_in, jobs_out = os.pipe()
        answers_in, answers_out = os.pipe()
        command = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the printer (its coverage is not collected)
            os.close(jobs_out)
            os.close(answers_in)
            _serve(jobs_in, answers_out, command)
        os.close(jobs_in)
        os.close(answers_out)
        self.pid = pid
        self._jobs = os.fdopen(jobs_out, "wb")
        self._answers = os.fdopen(answers_in, "rb")
        self._sending: threading.Thread | None = None

    def submit(self, job: PrintJob) -> None:
        """Send *job* without waiting: the printer may still be importing WeasyPrint,
        and a page of HTML is more than a pipe holds."""
        import pickle
        import threading

        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        self._join()
        self._sending = threading.Thread(target=_send, args=(self._jobs, data), daemon=True)
        self._sending.start()

    def result(self) -> bytes:
        """The next job's PDF, or the error its render raised."""
        import pickle

        from pressroom.errors import RenderError

        self._join()
        data = _receive(self._answers)
        if data is None:
            status = self._wait()
            raise RenderError(f"the PDF printer stopped unexpectedly (exit status {status})")
        answer = pickle.loads(data)
        if isinstance(answer, BaseException):
            raise answer
        return bytes(answer)

    def close(self) -> None:
        """Stop the printer, whatever it is doing, and wait for it to end."""
        if self.pid:
            try:
                os.kill(self.pid, 15)  # SIGTERM: it writes no file, so nothing is left half done
            except ProcessLookupError:
                pass
            self._wait()
        self._join()  # a job still being sent fails at once: nobody reads the pipe any more
        for stream in (self._jobs, self._answers):
            try:
                stream.close()
            except OSError:
                pass

    def _join(self) -> None:
        if self._sending is not None:
            self._sending.join()
            self._sending = None

    def _wait(self) -> int:
        if not self.pid:
            return 0
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            status = 0
        self.pid = 0
        return os.waitstatus_to_exitcode(status)


def _send(stream: Any, data: bytes) -> None:
    try:
        stream.write(len(data).to_bytes(8, "big"))
        stream.write(data)
        stream.flush()
    except (OSError, ValueError):  # the printer is gone (result() says so) or closed
        pass


def _receive(stream: Any) -> bytes | None:
    head = stream.read(8)
    if len(head) < 8:
        return None
    size = int.from_bytes(head, "big")
    data = stream.read(size)
    return data if len(data) == size else None


def _end_with(command: int) -> None:  # pragma: no cover - runs in the printer
    """On Linux, have the kernel stop this process when *command* (its parent) ends,
    however it ends (``PR_SET_PDEATHSIG``); elsewhere the pipe's end does it."""
    import signal
    import sys

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != command:  # it ended before the line above
        os._exit(0)


def _serve(jobs: int, answers: int, command: int) -> NoReturn:  # pragma: no cover - printer
    """The printer's life: import WeasyPrint, then print each job it is sent."""
    code = 0
    try:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _end_with(command)
        failed: BaseException | None = None
        try:
            import weasyprint  # noqa: F401  the half second this process is for

            from pressroom.render.pdf_engine import write_pdf
        except Exception as error:  # no Pango? each job gets the error, in the command
            failed = error
        import pickle

        with os.fdopen(jobs, "rb") as inbox, os.fdopen(answers, "wb") as outbox:
            while (data := _receive(inbox)) is not None:
                try:
                    if failed is not None:
                        raise failed
                    answer: object = write_pdf(pickle.loads(data))
                except Exception as error:
                    answer = error
                try:
                    reply = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # an error that does not pickle: its message
                    from pressroom.errors import RenderError

                    reply = pickle.dumps(RenderError(f"{type(answer).__name__}: {answer}"))
                _send(outbox, reply)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def wanted(args: Sequence[str]) -> bool:
    """Whether the command line *args* may print a PDF: ``build`` without a
    ``--format`` that leaves PDF out, without ``--jobs 1`` (one process) or ``--help``;
    ``send`` but for a dry run, a cancel or ``--help`` (:func:`print_pdf`).
    A guess, made before click reads the line: :func:`pressroom.render.build.build`
    decides, and stops a printer it has no use for."""
    words = iter(args)
    command = None
    for word in words:
        if word in ("-h", "--help", "--version"):
            return False
        if word == "--root":
            next(words, None)
        elif not word.startswith("-"):
            command = word
            break
    rest = list(words)
    if command == "send":  # its attachments; a dry run, a cancel or help prints none
        return not any(w in ("-h", "--help", "--dry-run", "--cancel") for w in rest)
    if command != "build":
        return False
    options: dict[str, str] = {}
    for index, word in enumerate(rest):
        if word in ("-h", "--help"):
            return False
        name, equals, value = word.partition("=")
        if name in ("--format", "--jobs"):
            if not equals:
                value = rest[index + 1] if index + 1 < len(rest) else ""
            options[name] = value
    formats = options.get("--format")
    if formats is not None:
        names = {name.strip().lower().lstrip(".") for name in formats.split(",")}
        if "pdf" not in names:
            return False
    return options.get("--jobs", "").strip() != "1"


def start_early(args: Sequence[str]) -> None:
    """Fork the printer now if the command line *args* may print a PDF (:func:`wanted`)."""
    global _EARLY
    if _EARLY is not None or not can_fork() or not wanted(args):
        return
    if (os.cpu_count() or 1) < 2 and "--jobs" not in " ".join(args):
        return  # one core: the build renders in one process
    import atexit
    import threading

    global _LOCK, _OWNER
    _LOCK, _OWNER = threading.Lock(), os.getpid()
    _EARLY = Printer()
    atexit.register(stop_early)


def take_early() -> Printer | None:
    """The printer :func:`start_early` forked, now the caller's to use and close."""
    global _EARLY
    printer, _EARLY = _EARLY, None
    return printer


def print_pdf(job: PrintJob) -> bytes:
    """The PDF of *job*: printed by the printer forked as the command started, if it
    has one nobody took (``send``: its main process then never imports WeasyPrint,
    whose import overlapped the command's start), else in this process. A printer that
    stopped unexpectedly is not needed: the job is printed here instead."""
    from pressroom.render.pdf_engine import write_pdf

    printer = _EARLY
    if printer is None or _LOCK is None or os.getpid() != _OWNER:  # a forked worker: its own
        return write_pdf(job)
    from pressroom.errors import RenderError

    with _LOCK:
        try:
            printer.submit(job)
            return printer.result()
        except RenderError:
            if printer.pid:
                raise  # the render failed: its message stands
    stop_early()  # the printer is gone (killed?): this job and the next are printed here
    return write_pdf(job)


def stop_early() -> None:
    """Stop the printer :func:`start_early` forked, if nobody took it: a command that
    found its PDFs printed already (:mod:`.pdf_cache`) frees the core it uses."""
    printer = take_early()
    if printer is not None:
        printer.close()


def can_fork() -> bool:
    """Whether a printer can run here (``fork``: not on Windows)."""
    return hasattr(os, "fork")
