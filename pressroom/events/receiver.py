"""The web service SendGrid posts events to: ``POST /sendgrid/events`` and nothing else.

Every post is checked before anything is read from it: its size (at most
*max_body* bytes, counted as it arrives, whatever ``Content-Length`` claims),
then SendGrid's signature and timestamp (:mod:`.signature`). Unsigned posts get
401, forged or stale ones 403, oversized ones 413; none changes anything. A
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
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from pressroom import clock
from pressroom.errors import PressroomError
from pressroom.events.parse import Event, parse_body
from pressroom.events.signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, Refused, Verifier
from pressroom.sendlog.records import Recorded

PATH = "/sendgrid/events"
MAX_BODY = 5_000_000
"""Bytes: the most one post may hold, so that a post bounds the memory it takes
(``events serve --max-body``)."""


Record = Callable[[list[Event]], Recorded]


class TooLarge(Exception):
    pass


def receiver_app(
    record: Record,
    verifier: Verifier,
    *,
    max_body: int = MAX_BODY,
    on_stop: Callable[[], None] | None = None,
) -> Starlette:
    """The receiver: *record* stores a batch of events; *verifier* checks SendGrid's signature.

    *on_stop* runs in the storing thread when the service stops (to close the log).
    """
    storing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pressroom-events")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if on_stop is not None:
                await asyncio.get_running_loop().run_in_executor(storing, on_stop)
            storing.shutdown(wait=True)

    async def events(request: Request) -> Response:
        try:
            body = await _read(request, max_body)
        except TooLarge:
            return PlainTextResponse(f"over {max_body} bytes\n", status_code=413)
        try:
            verifier.check(
                body,
                request.headers.get(SIGNATURE_HEADER),
                request.headers.get(TIMESTAMP_HEADER),
                clock.now(),
            )
        except Refused as refused:
            return PlainTextResponse(refused.reason + "\n", status_code=refused.status)
        try:
            found, aside = parse_body(body)
        except UnicodeDecodeError:
            return PlainTextResponse("not UTF-8\n", status_code=400)
        try:
            result = await asyncio.get_running_loop().run_in_executor(storing, record, found)
        except PressroomError:
            return PlainTextResponse("the send log is busy; post again\n", status_code=503)
        return JSONResponse(
            {
                "stored": result.stored,
                "duplicates": result.duplicates,
                "suppressed": result.suppressed,
                "set_aside": len(aside),
            }
        )

    return Starlette(routes=[Route(PATH, events, methods=["POST"])], lifespan=lifespan)


async def _read(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)
