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
import re
import threading
import time
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
from pressroom.model.names import date_in_name
from pressroom.model.paths import inside
from pressroom.model.release import TYPE_LABELS, Release
from pressroom.model.room import Room
from pressroom.render.dates import long_date, moment_text
from pressroom.render.markup import Markdown
from pressroom.sendlog.approval_status import approval_status, describe_time
from pressroom.sendlog.version import current_version
from pressroom.serve.artefacts import (
    TEMPLATE_CACHE,
    Artefacts,
    release_document,
    templates_signature,
)
from pressroom.serve.excerpts import ordered, problem_views
from pressroom.serve.files import release_path, release_paths
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
)

if TYPE_CHECKING:
    import jinja2

    from pressroom.render.context import Document
    from pressroom.render.email import Email
    from pressroom.serve.renders import Renderer


class Preview:
    """The press room at *root*, as the preview pages show it."""

    def __init__(self, root: Path, renderer: Renderer | None = None):
        self.root = root
        self.artefacts = Artefacts(root, renderer)
        self._env: tuple[str, jinja2.Environment] | None = None
        self._lock = threading.Lock()

    # -- pages ---------------------------------------------------------------------

    def index(self) -> IndexPage:
        room = load_room(self.root)
        moment = now()
        entries: list[Entry] = []
        paths = release_paths(room)
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
        doc = release_document(room, shown)
        if shown is not release:  # the translation's headline and file on its page
            headline = Markdown().line(shown.headline)
            entry = dataclasses.replace(entry, headline=headline, source=shown.source)
        email, email_error = None, ""
        try:
            email = self._email(room, doc)
        except PressroomError as exc:  # the room's own email template is broken
            email_error = str(exc)
        key, _ = self.artefacts.start(room, shown, doc, "pdf", stamp)
        return ReleasePage(
            org,
            moment,
            entry,
            self.views(ordered(problems), 0),
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

    def release_path(self, room: Room, name: str) -> Path:
        """The file of the release called *name* (:class:`~.files.NoSuchRelease` if none)."""
        return release_path(room, name)

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
        return problem_views(self.root, problems, context)


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
