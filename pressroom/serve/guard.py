"""The preview's write guard: the one check every request that writes must pass.

``serve`` makes a random token at each start and writes it to
``.pressroom/serve.token`` (mode 0600: readable by the user who started the
preview, so that their own scripts can write too); the editor page carries it.
A write request (:func:`refusal`) must

* give that token in the ``X-Pressroom-Token`` header (compared in constant
  time): a page of another site cannot read the editor page, so it cannot know
  the token;
* come from the preview's own origin when it says where it comes from: an
  ``Origin`` header other than the server's own, or ``Sec-Fetch-Site:
  cross-site``, is refused even with the token;
* stay under a size limit (:func:`body`): 413 past it, read no further.

The Host header is checked before any of this, for every request
(:func:`pressroom.serve.hosts.allowed_hosts`). Nothing is written when the
guard refuses.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse

TOKEN_FILE = Path(".pressroom") / "serve.token"
TOKEN_HEADER = "X-Pressroom-Token"
JSON_LIMIT = 2 * 1024 * 1024
"""Bytes of a JSON request: twice the largest release file pressroom reads."""


class TooLarge(Exception):
    """The request's body is over its limit."""


def issue_token(root: Path) -> str:
    """A new random token, written to ``.pressroom/serve.token`` (0600) in *root*."""
    token = secrets.token_urlsafe(32)
    path = root / TOKEN_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(handle, (token + "\n").encode())
    finally:
        os.close(handle)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return token


def own_origin(request: Request) -> str:
    """``http://host:port`` as this request reached the preview (its Host was checked)."""
    return f"{request.url.scheme}://{request.headers.get('host', '')}".lower()


def refusal(request: Request, token: str, limit: int = JSON_LIMIT) -> JSONResponse | None:
    """Why the write *request* is refused (a 403, or 413 past *limit* bytes), or None."""
    given = request.headers.get(TOKEN_HEADER, "")
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        return _refused(
            "this request does not carry the preview's token (X-Pressroom-Token); "
            "open the editor from the preview, or read .pressroom/serve.token"
        )
    origin = request.headers.get("origin")
    if origin is not None and origin.lower() != own_origin(request):
        return _refused(f"a write from {origin} is refused: only the preview's own pages write")
    if request.headers.get("sec-fetch-site") == "cross-site":
        return _refused("a write from another site is refused")
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > limit):
        return too_large(limit)
    return None


async def body(request: Request, limit: int = JSON_LIMIT) -> bytes:
    """The request's body, read up to *limit* bytes; :class:`TooLarge` past it."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(limit: int) -> JSONResponse:
    return JSONResponse(
        {"error": f"the request is over {limit // (1024 * 1024)} MB"},
        413,
        headers={"Cache-Control": "no-store"},
    )


def _refused(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, 403, headers={"Cache-Control": "no-store"})
