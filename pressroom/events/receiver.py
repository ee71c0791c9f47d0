"""The web service SendGrid posts events to: ``POST /sendgrid/events`` and nothing else.

Every post is checked before its body is read: without SendGrid's signature
and timestamp headers it gets 401, with a timestamp far from now 403. Then its
body is read within a time limit and a byte budget shared by all posts
(:mod:`.limits`), at most *max_body* bytes, counted as it arrives, whatever
``Content-Length`` claims (413 past it, 408 too slow, 503 over the budget),
and SendGrid's signature over it checked (403 if forged); none of these changes
anything, and each refusal closes the connection. A body that is not
SendGrid's JSON (malformed, or nested past reason) is a 400. A
good post is parsed (:mod:`.parse`) and handed to *record* (the send log's
``record_events``, in one worker thread, so posts are stored one after the
other on one connection) before the answer, so a 2xx means the
events are stored; if the log cannot be written the answer is 503 and SendGrid
posts again later (it retries for 24 hours).

The service has no other route: it never shows the log, the contacts or the
releases, and its answers hold only counts about the post just made.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from pressroom import clock
from pressroom.errors import PressroomError
from pressroom.events.limits import DEFAULT_LIMITS, Budget, Holder, Limits
from pressroom.events.parse import Event, NotEvents, parse_post
from pressroom.events.signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, Refused, Verifier
from pressroom.sendlog.records import Recorded

PATH = "/sendgrid/events"
MAX_BODY = 5_000_000
"""Bytes: the most one post may hold, so that a post bounds the memory it takes
(``events serve --max-body``)."""


Record = Callable[[list[Event]], Recorded]


class TooLarge(Exception):
    pass


class OverBudget(Exception):
    pass


def receiver_app(
    record: Record,
    verifier: Verifier,
    *,
    max_body: int = MAX_BODY,
    limits: Limits = DEFAULT_LIMITS,
    on_stop: Callable[[], None] | None = None,
    on_post: Callable[[str], None] | None = None,
) -> Starlette:
    """The receiver: *record* stores a batch of events; *verifier* checks SendGrid's signature.

    *limits* bound the time a body may take and the bytes all bodies being read
    hold together (:mod:`.limits`). *on_stop* runs in the storing thread when the
    service stops (to close the log). *on_post* is told one line per post: what was
    stored, or why it was refused; counts and reasons only, never an address.
    """
    storing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pressroom-events")
    budget = Budget(max(limits.budget, max_body))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if on_stop is not None:
                await asyncio.get_running_loop().run_in_executor(storing, on_stop)
            storing.shutdown(wait=True)

    async def events(request: Request) -> Response:
        answer = await handle(request)
        if on_post is not None:
            on_post(_post_line(answer))
        return answer

    async def handle(request: Request) -> Response:
        signature = request.headers.get(SIGNATURE_HEADER)
        timestamp = request.headers.get(TIMESTAMP_HEADER)
        try:
            verifier.check_headers(signature, timestamp, clock.now())
        except Refused as refused:  # before a byte of the body is read
            return _refuse(refused.reason, refused.status)
        held = budget.holder()
        try:
            try:
                async with asyncio.timeout(limits.timeout):
                    body = await _read(request, max_body, held)
            except TooLarge:
                return _refuse(f"over {max_body} bytes", 413)
            except OverBudget:
                return _refuse("too many posts at once; post again", 503)
            except TimeoutError:
                return _refuse(f"the body did not arrive within {limits.timeout:g} s", 408)
            except ClientDisconnect:  # the sender hung up (or the service stopped): no one to tell
                return _refuse("the connection closed before the body arrived", 400)
            except asyncio.CancelledError:
                if not held.evicted:
                    raise  # the service is stopping
                asyncio.current_task().uncancel()  # type: ignore[union-attr]
                return _refuse("too slow while others were waiting; post again", 503)
            held.read()
            try:
                verifier.check_body(body, signature or "", timestamp or "")
            except Refused as refused:
                return _refuse(refused.reason, refused.status)
            try:
                found, aside = parse_post(body)
            except NotEvents as error:
                return _refuse(str(error), 400)
            del body
            try:
                result = await asyncio.get_running_loop().run_in_executor(storing, record, found)
            except PressroomError:
                return _refuse("the send log is busy; post again", 503)
        finally:
            held.release()
        return JSONResponse(
            {
                "stored": result.stored,
                "duplicates": result.duplicates,
                "suppressed": result.suppressed,
                "set_aside": len(aside),
            }
        )

    return Starlette(routes=[Route(PATH, events, methods=["POST"])], lifespan=lifespan)


def _post_line(answer: Response) -> str:
    """One line about a post: its counts when stored, its status and reason when refused."""
    from pressroom.terminal import plural

    if isinstance(answer, JSONResponse) and answer.status_code == 200:
        done = json.loads(bytes(answer.body))
        found = sum(done[k] for k in ("stored", "duplicates", "set_aside"))
        return (
            f"post: {plural(found, 'event')}: {done['stored']} stored, "
            f"{done['duplicates']} already had, {done['suppressed']} newly suppressed, "
            f"{done['set_aside']} set aside"
        )
    reason = bytes(answer.body).decode("utf-8", "replace").strip()  # pressroom's own words
    return f"post refused ({answer.status_code}){': ' + reason if reason else ''}"


def _refuse(reason: str, status: int) -> Response:
    """A refusal that closes the connection (whatever of the body is still coming)."""
    return PlainTextResponse(reason + "\n", status_code=status, headers={"Connection": "close"})


async def _read(request: Request, limit: int, held: Holder) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        if not held.take(len(chunk)):
            raise OverBudget
        chunks.append(chunk)
    return b"".join(chunks)
