"""What the preview's pages show, read fresh from the room's files for every page.

:class:`Preview` turns the press room folder into plain data for the page
templates (:mod:`pressroom.serve.views`): the index (an ``Entry`` per
release, newest first), a release page (a ``ReleasePage``: the email as a
recipient sees it, the check's problems with their lines, the recipients per
list, what the send logs say) and the PDF and Word renders (started in
:mod:`pressroom.serve.renders`).

Nothing is cached between pages except compiled templates and finished
renders (keyed by content), so an edit always shows. A file that cannot be
read becomes problems on the page, never an exception: only a broken
``pressroom.yaml`` raises :class:`~pressroom.errors.LoadError` (the whole room
is unreadable then, and the app shows its problems instead of any page).

Recipients are shown as counts per list, never as addresses: the preview is
for checking a release, and its pages end up in screenshots and screen
shares. What has been sent comes from :mod:`pressroom.serve.sent`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
import time
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pressroom.check.readiness import release_problems
from pressroom.check.rules import check_room
from pressroom.clock import now
from pressroom.deliver.recipients import merge
from pressroom.errors import LoadError, PressroomError, Problem, relative_name
from pressroom.load.contacts import load_lists
from pressroom.load.room import load_release, load_room
from pressroom.load.translations import is_translation_file
from pressroom.model.names import date_in_name, is_name
from pressroom.model.paths import inside
from pressroom.model.release import TYPE_LABELS, Release
from pressroom.model.room import Room
from pressroom.render.build import fingerprint
from pressroom.render.dates import long_date, moment_text
from pressroom.render.environment import BUNDLED, room_template_files
from pressroom.render.markup import Markdown
from pressroom.sendlog.approval_status import approval_status, describe_time
from pressroom.sendlog.version import current_version
from pressroom.serve.languages import language_views, translation_in
from pressroom.serve.sent import Sent, read_send_logs
from pressroom.serve.views import (
    ApprovalView,
    Entry,
    IndexPage,
    ListCount,
    ProblemView,
    Recipients,
    ReleasePage,
    SourceLine,
)

if TYPE_CHECKING:
    import jinja2

    from pressroom.render.context import Document
    from pressroom.render.email import Email
    from pressroom.serve.renders import Kind, Renderer, WarmUp

TEMPLATE_CACHE = Path(".pressroom") / "cache" / "templates"


class NoSuchRelease(PressroomError):
    """The page asked for a release that has no file under releases/."""


class Preview:
    """The press room at *root*, as the preview pages show it."""

    def __init__(self, root: Path, renderer: Renderer | None = None):
        self.root = root
        self.renderer = renderer
        self._env: tuple[str, jinja2.Environment] | None = None
        self._lock = threading.Lock()

    # -- pages ---------------------------------------------------------------------

    def index(self) -> IndexPage:
        room = load_room(self.root)
        moment = now()
        entries: list[Entry] = []
        paths = _release_paths(room)
        config = room.config
        sent = read_send_logs(
            self.root, [p.stem for p in paths], config.timezone, config.database, config.locale
        )
        for path in paths:
            entries.append(self._entry(room, path, moment, sent)[0])
        entries.sort(key=lambda e: e.sort_key, reverse=True)
        return IndexPage(room.config.org.name, moment, entries, self.views(check_room(room), 0))

    def release(self, name: str, lang: str | None = None) -> ReleasePage:
        """The page of release *name*; with *lang*, showing its translation into it."""
        stamp = time.monotonic()
        room = load_room(self.root)
        path = self.release_path(room, name)
        moment = now()
        entry, release, problems = self._entry(
            room,
            path,
            moment,
            read_send_logs(
                self.root, [name], room.config.timezone, room.config.database, room.config.locale
            ),
        )
        org = room.config.org.name
        if release is None:
            return ReleasePage(org, moment, entry, self.views(problems, 2))
        recipients, list_problems = self._recipients(room, release)
        problems = [*check_room(room), *problems, *list_problems]
        shown = translation_in(release, lang)
        doc = _document(room, shown)
        if shown is not release:  # the translation's headline and file on its page
            headline = Markdown().line(shown.headline)
            entry = dataclasses.replace(entry, headline=headline, source=shown.source)
        email, email_error = None, ""
        try:
            email = self._email(room, doc)
        except PressroomError as exc:  # the room's own email template is broken
            email_error = str(exc)
        key, _ = self.start(room, shown, doc, "pdf", stamp)
        return ReleasePage(
            org,
            moment,
            entry,
            self.views(_ordered(problems), 0),
            email=email,
            email_error=email_error,
            sender=_address(room.config.sender.name, room.config.sender.email),
            reply_to=room.config.sender.reply_to or "",
            attachments=[_attachment(shown.name, kind) for kind in release.distribution.attach],
            recipients=recipients,
            pdf_version=key[:16],
            approval=_approval(room, release),
            languages=language_views(room, release, shown, problems),
            language=shown.translation.language if shown.translation else "",
        )

    def render(
        self, name: str, kind: Kind, lang: str | None = None
    ) -> tuple[str, Future[bytes] | None]:
        """The content hash and the (maybe already finished) render of a release (or of
        its translation into *lang*)."""
        stamp = time.monotonic()
        room = load_room(self.root)
        release = translation_in(load_release(room, self.release_path(room, name)), lang)
        return self.start(room, release, _document(room, release), kind, stamp)

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
            release = load_release(room, self.release_path(room, name))
        except PressroomError:
            return  # the page will show why
        self.start(room, release, _document(room, release), "pdf", stamp)

    def warm_up(self) -> WarmUp | None:
        """The newest release that loads, for the render workers to warm up on."""
        try:
            room = load_room(self.root)
            for path in reversed(_release_paths(room)):
                try:
                    release = load_release(room, path)
                except LoadError:
                    continue
                signature = templates_signature(room)
                cache = room.root / TEMPLATE_CACHE
                sandbox = room.config.templates.sandbox
                return _document(room, release), room.templates_dir, signature, cache, sandbox
        except PressroomError:
            pass
        return None

    def release_path(self, room: Room, name: str) -> Path:
        """The file of the release called *name* (its file name without .yaml)."""
        if is_name(name):
            for suffix in (".yaml", ".yml"):
                path = room.releases_dir / f"{name}{suffix}"
                if path.is_file() and path.parent == room.releases_dir:
                    return path
        raise NoSuchRelease(f"no release '{name}' under releases/")

    # -- pieces ----------------------------------------------------------------------

    def _entry(
        self, room: Room, path: Path, moment: datetime, sent: dict[str, list[Sent]]
    ) -> tuple[Entry, Release | None, list[Problem]]:
        source = relative_name(path, room.root)
        try:
            release = load_release(room, path)
        except LoadError as exc:
            day = date_in_name(path.stem)
            entry = Entry(
                name=path.stem,
                source=source,
                headline=(inside(room.root, path) and _headline_guess(path)) or path.stem,
                type_label="",
                status="unreadable",
                day=day,
                date_text=long_date(day, room.config.locale) if day else None,
                errors=sum(1 for p in exc.problems if p.severity == "error"),
                sent=sent.get(path.stem, []),
            )
            return entry, None, list(exc.problems)
        problems = release_problems(room, release, moment)
        locale = room.config.locale
        embargo = release.embargo if release.status == "embargoed" else None
        entry = Entry(
            name=release.name,
            source=source,
            headline=Markdown().line(release.headline),
            type_label=TYPE_LABELS[release.type],
            status=release.status,
            day=release.date,
            date_text=long_date(release.date, locale) if release.date else None,
            embargo_at=embargo.at if embargo else None,
            embargo_text=moment_text(embargo, locale) if embargo else None,
            embargo_passed=bool(embargo and embargo.at <= moment),
            draft=release.draft,
            errors=sum(1 for p in problems if p.severity == "error"),
            warnings=sum(1 for p in problems if p.severity == "warning"),
            sent=sent.get(release.name, []),
            # a release no log mentions needs no log read (the index lists them all)
            version=current_version(room, release, None if sent.get(release.name) else {}).id,
        )
        return entry, release, problems

    def _recipients(self, room: Room, release: Release) -> tuple[Recipients, list[Problem]]:
        names = release.distribution.lists
        try:
            lists = load_lists(room, names)
        except LoadError as exc:
            # shown here; counted among the release's problems by release_problems
            return Recipients([], 0, self.views(exc.problems, 0)), []
        counts = [ListCount(m.name, m.source, len(m.recipients), m.invalid) for m in lists]
        problems = [p for m in lists for p in m.problems]
        return Recipients(counts, len(merge(lists)), []), problems

    def _email(self, room: Room, doc: Document) -> Email:
        import jinja2

        from pressroom.render.email import page_logo_src, render_email
        from pressroom.render.environment import template_location

        try:
            return render_email(doc, self._environment(room), logo_src=page_logo_src(doc))
        except jinja2.TemplateError as exc:
            location = relative_name(Path(template_location(exc, "a template")), room.root)
            raise LoadError(
                [Problem(location, f"cannot render the email: {exc.message}")]
            ) from None

    def _environment(self, room: Room) -> jinja2.Environment:
        """One compiled-template environment per state of the templates folders."""
        from pressroom.render.environment import make_environment

        signature = templates_signature(room)
        with self._lock:
            if self._env is None or self._env[0] != signature:
                env = make_environment(
                    room.templates_dir,
                    cache=room.root / TEMPLATE_CACHE,
                    sandbox=room.config.templates.sandbox,
                )
                self._env = (signature, env)
            return self._env[1]

    def views(self, problems: list[Problem], context: int = 0) -> list[ProblemView]:
        """*problems* with *context* lines of their files around the line they name."""
        texts: dict[str, list[str] | None] = {}
        views = []
        for problem in problems:
            excerpt: list[SourceLine] = []
            if problem.line is not None:
                if problem.file not in texts:
                    texts[problem.file] = _lines(self.root, problem.file)
                lines = texts[problem.file]
                if lines is not None and 0 < problem.line <= len(lines) + 1:
                    first = max(1, problem.line - context)
                    last = min(len(lines), problem.line + context)
                    excerpt = [
                        SourceLine(n, lines[n - 1], n == problem.line)
                        for n in range(first, last + 1)
                    ]
            views.append(ProblemView(problem, excerpt))
        return views


# -- helpers -------------------------------------------------------------------------


def _approval(room: Room, release: Release) -> ApprovalView | None:
    status = approval_status(room, release)
    if status is None:
        return None
    rows = [(a.approver, describe_time(room, a.at), status.counts(a)) for a in status.approvals]
    latest = status.latest
    return ApprovalView(
        status.required,
        len(status.current),
        status.approved,
        rows,
        status.changed(latest) if latest else [],
        latest.approver if latest else "",
    )


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


def _document(room: Room, release: Release) -> Document:
    from pressroom.render.context import document

    return document(room, release)


def _release_paths(room: Room) -> list[Path]:
    if not room.releases_dir.is_dir():
        return []
    return sorted(
        path
        for path in room.releases_dir.iterdir()
        if path.suffix in (".yaml", ".yml")
        and path.is_file()
        and not path.name.startswith(".")
        and not is_translation_file(path)  # shown on its original's page
    )


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(
        problems, key=lambda p: (p.severity != "error", p.file, p.line or 0, p.column or 0)
    )


def _lines(root: Path, file: str) -> list[str] | None:
    """The lines of *file* of the room, for an excerpt; None for anything outside the room."""
    if Path(file).is_absolute():
        return None
    path = inside(root, root / file)
    if path is None:
        return None
    try:
        if path.stat().st_size > 1024 * 1024:
            return None
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None


def _headline_guess(path: Path) -> str:
    """The headline of a file that does not load, if a plain line gives it away."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    match = re.search(r"^headline:[ \t]*(.+?)[ \t]*$", text, re.M)
    if not match:
        return ""
    value = match[1]
    if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value if value not in (">-", "|", ">", "|-") else ""


def _attachment(name: str, kind: str) -> str:
    return "a contact card (.vcf) per media contact" if kind == "vcard" else f"{name}.{kind}"


def _address(name: str | None, email: str | None) -> str:
    if not email:
        return name or ""
    return f"{name} <{email}>" if name else email
