"""Review and approve in the preview: what changed since the last approval, and a button.

``/release/NAME/review`` shows the release's text as it would be sent (the
email's text rendering), with what changed since the version the approver
(or, if they never approved one, anyone) approved last, word by word:
inserted words are ``<ins>``, deleted ones ``<del>``, each also announced in
words ("added", "removed") and marked without colour (underline, strike), so
nobody needs to see colour to read them. The files that changed are named.

Who approves is proven: the page asks for the approver's code once per
browser (``POST /approver``), then keeps a session cookie, HttpOnly and
SameSite=Strict, bound to the hash of the code in the send log
(:mod:`pressroom.sendlog.identity`). ``POST /release/NAME/approve`` records an
approval of the exact version the page showed; one that changed meanwhile
is refused with 409, so nobody approves words they did not see.

Both POSTs are writes: they pass the preview's write guard
(:mod:`pressroom.serve.guard`: its token in ``X-Pressroom-Token``, the
preview's own origin, a small body), which the page's script gives as the
editor's does (from the page on this computer, or as kept by the browser).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pressroom.errors import PressroomError
from pressroom.load.room import load_release, load_room
from pressroom.model.room import Room
from pressroom.sendlog import open_log, room_log
from pressroom.sendlog.approval_status import (
    ApprovalStatus,
    approval_status,
    approval_text,
    approve,
    describe_time,
    person_key,
)
from pressroom.sendlog.identity import (
    IdentityRefused,
    check_code,
    code_key,
    session_key,
    session_value,
)

if TYPE_CHECKING:
    from pressroom.serve.app import State

COOKIE = "pressroom_approver"
COOKIE_DAYS = 180
"""A browser asks once: the session lasts until the code is replaced, or half a year."""
BODY_MAX = 4096
"""Bytes of a code or approve request: a code and a version, nothing more."""
_WORDS = re.compile(r"\S+\s*")


@dataclass(frozen=True)
class Piece:
    """A run of words of the text: ``same``, ``ins`` (added) or ``del`` (removed)."""

    kind: str
    text: str


WORDS_AT_ONCE = 5000
"""Words of a changed passage compared word by word; longer ones are shown replaced
whole (an open letter's 40,000 signatories stay a fast page)."""


def word_diff(before: str, after: str) -> list[Piece]:
    """*after* against *before*, word by word (spacing follows the text it comes from).

    Lines are matched first, then the words of the lines that changed, so the
    work grows with the changes, not with the square of the text.
    """
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        gone, came = "".join(old[i1:i2]), "".join(new[j1:j2])
        if tag == "equal":
            pieces.append(Piece("same", came))
        elif tag == "replace" and len(_WORDS.findall(gone + came)) <= WORDS_AT_ONCE:
            pieces.extend(_words(gone, came))
        else:
            pieces.extend(p for p in (Piece("del", gone), Piece("ins", came)) if p.text)
    return _joined(pieces)


def _words(before: str, after: str) -> list[Piece]:
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    matcher = difflib.SequenceMatcher(
        None, [w.strip() for w in old], [w.strip() for w in new], autojunk=False
    )
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(new[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(Piece("del", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("ins", "".join(new[j1:j2])))
    return pieces


def _joined(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring pieces of one kind as one."""
    joined: list[Piece] = []
    for piece in pieces:
        if joined and joined[-1].kind == piece.kind:
            joined[-1] = Piece(piece.kind, joined[-1].text + piece.text)
        else:
            joined.append(piece)
    return joined


@dataclass(frozen=True)
class ReviewPage:
    org: str
    name: str
    headline: str
    source: str
    version: str
    seen: str
    """What the page showed, to approve exactly that (the whole manifest's hash)."""
    required: int
    have: int
    approved: bool
    pieces: list[Piece]
    since: str
    """Whose approval the difference is against, and when; "" when nobody approved."""
    since_text_known: bool
    changed: list[str] = field(default_factory=list)
    approver: str | None = None
    """The signed-in approver's name; None: the page asks for the code."""
    approver_done: bool = False
    """The signed-in approver already approved this version."""
    draft: bool = False

    @property
    def changes(self) -> int:
        return sum(1 for p in self.pieces if p.kind != "same")


def seen_key(manifest: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:16]


def review_page(root: Path, name: str, cookie: str | None) -> ReviewPage:
    """What ``/release/NAME/review`` shows to the approver signed in with *cookie*."""
    from pressroom.serve.pages import Preview

    room = load_room(root)
    release = load_release(room, Preview(root).release_path(room, name))
    status = approval_status(room, release)
    if status is None:
        raise PressroomError(
            "this room does not ask for approvals: add approval: {required: 1} to "
            "pressroom.yaml to review and approve releases here"
        )
    approver = signed_in(room, cookie)
    person = status.person
    mine = [a for a in status.approvals if approver and person(a.approver) == approver]
    candidates = mine or status.approvals
    baseline = candidates[-1] if candidates else None
    text = approval_text(room, release)
    if baseline is None or status.counts(baseline):
        pieces = [Piece("same", text)]
    elif baseline.text is None:
        pieces = [Piece("same", text)]  # what it read is not known: read it whole
    else:
        pieces = word_diff(baseline.text, text)
    return ReviewPage(
        org=room.config.org.name,
        name=release.name,
        headline=release.headline,
        source=release.source,
        version=status.version.id,
        seen=seen_key(status.version.manifest),
        required=status.required,
        have=len(status.current),
        approved=status.approved,
        pieces=pieces,
        since=(
            f"{baseline.approver} approved on {describe_time(room, baseline.at)}"
            if baseline
            else ""
        ),
        since_text_known=baseline is None or baseline.text is not None,
        changed=[] if baseline is None or status.counts(baseline) else status.changed(baseline),
        approver=room.config.people[approver].name if approver else None,
        approver_done=bool(
            approver and any(person(a.approver) == approver for a in status.current)
        ),
        draft=release.draft,
    )


def signed_in(room: Room, cookie: str | None) -> str | None:
    """The key of the approver a session cookie proves, if any."""
    if not cookie:
        return None
    where = room_log(room.root, room.config.database)
    if not where.exists():
        return None
    with open_log(where, read_only=True) as log:
        return session_key(log, cookie)


def write_refused(state: State, request: Request) -> Response | None:
    """The preview's write guard (:mod:`pressroom.serve.guard`): None when *request*
    may write (the preview's token, its own origin, a small body)."""
    from pressroom.serve.guard import refusal

    return refusal(request, state.token, BODY_MAX)


async def _body(request: Request) -> dict[str, Any] | None:
    data = await request.body()
    if len(data) > BODY_MAX:
        return None
    try:
        body = json.loads(data or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def review(state: State, request: Request) -> Response:
    from pressroom.serve.app import _page

    name = request.path_params["name"]
    page = await run_in_threadpool(review_page, state.root, name, request.cookies.get(COOKIE))
    token = state.token if state.local else ""
    return _page(state, "review.html.j2", page=page, org=page.org, token=token)


async def sign_in(state: State, request: Request) -> Response:
    """``POST /approver`` ``{"code"}``: a session for the approver the code proves."""
    refused = write_refused(state, request)
    if refused is not None:
        return refused
    body = await _body(request)
    code = str((body or {}).get("code", "")).strip()
    cookie = await run_in_threadpool(_session_for, state.root, code)
    if cookie is None:
        return JSONResponse({"error": "That is not an approver code of this room."}, 403)
    response = JSONResponse({"ok": True})
    response.set_cookie(
        COOKIE, cookie, max_age=COOKIE_DAYS * 86400, path="/", httponly=True, samesite="strict"
    )
    return response


def _session_for(root: Path, code: str) -> str | None:
    room = load_room(root)
    key = person_key(room, code_key(code)) if code else None
    policy = room.config.approval
    if key is None or policy is None or (policy.approvers and key not in policy.approvers):
        return None
    where = room_log(room.root, room.config.database)
    if not where.exists():
        return None
    with open_log(where, read_only=True) as log:
        stored = log.secret_hash(key)
        if stored is None or not check_code(log, key, code):
            return None
    return session_value(key, stored)


async def approve_now(state: State, request: Request) -> Response:
    """``POST /release/NAME/approve`` ``{"seen"}``: approve what the page showed."""
    refused = write_refused(state, request)
    if refused is not None:
        return refused
    body = await _body(request)
    if body is None:
        return JSONResponse({"error": "a request of the review page was expected"}, 400)
    name = request.path_params["name"]
    status, said = await run_in_threadpool(
        _approve, state.root, name, request.cookies.get(COOKIE), str(body.get("seen", ""))
    )
    return JSONResponse({"message": said}, status)


def _approve(root: Path, name: str, cookie: str | None, seen: str) -> tuple[int, str]:
    from pressroom.serve.pages import Preview

    room = load_room(root)
    key = signed_in(room, cookie)
    if key is None:
        return 403, "Sign in with your approver code first."
    release = load_release(room, Preview(root).release_path(room, name))
    status: ApprovalStatus | None = approval_status(room, release)
    if status is None:
        return 409, "This room does not ask for approvals."
    if seen_key(status.version.manifest) != seen:
        return 409, "The release changed since this page was shown: reload it and read again."
    try:
        approval, after = approve(room, release, key, proven=True)
    except IdentityRefused as exc:
        return 403, str(exc)
    except PressroomError as exc:
        return 409, str(exc)
    if after.approved:
        return 200, f"Approved by {approval.approver}: it may be sent."
    return 200, f"Approved by {approval.approver}; {after.missing} more needed."
