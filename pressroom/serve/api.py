"""The editor's JSON API: one path to read and write a release, for the page and for scripts.

``GET  /api/releases/NAME``      200 ``{"name", "version", "release", "findings"}``
``PUT  /api/releases/NAME``      ``{"version", "release"}`` -> 200 ``{"version", "findings"}``;
                                 409 ``{"error", "difference", "version"}`` when the file
                                 changed since ``version``; 422 ``{"error", "findings"}``
                                 when the release would not load; nothing written then
``POST /api/releases``           ``{"type", "headline", "date"?}`` -> 201 ``{"name"}``,
                                 as ``pressroom new`` (409 if the file exists)
``POST /api/preview/NAME``       ``{"release", "pdf"?}`` -> the email, the PDF's address
                                 (unless ``"pdf": false``) and the findings of the unsaved
                                 release (nothing written)
``POST /api/uploads``            a JPEG or PNG (header ``X-Filename``) -> 201 ``{"file"}``
``POST /api/people``             ``{"name", "title"?, "org"?, ...}`` -> 201 ``{"key"}``: a person
                                 added to pressroom.yaml (409 if the key is taken)

``version`` is opaque (:func:`pressroom.drafts.save.file_version`). Every
request that is not a GET passes :func:`pressroom.serve.guard.refusal` first
(the token, the origin, the size); a name that is no name is a 400. Every
write goes through :func:`pressroom.drafts.save.save_release`. Findings are
``check``'s problems, with the same codes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pressroom.clock import now
from pressroom.drafts.save import (
    NameRefused,
    ReleaseInvalid,
    StaleVersion,
    release_path,
    save_release,
    text_for,
    version_of,
)
from pressroom.errors import LoadError, PressroomError, Problem, UsageError, relative_name
from pressroom.load import yamlfile
from pressroom.load.room import load_release, load_room
from pressroom.serve import guard
from pressroom.serve.uploads import UploadRefused, store_upload, upload_limit

NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


@dataclass
class Api:
    """What the endpoints need: the room, the token, the preview (for renders)."""

    root: Path
    token: str
    preview: Any  # pressroom.serve.pages.Preview


def problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "code": problem.code,
        "severity": problem.severity,
        "key": problem.key,
        "message": problem.message,
        "hint": problem.hint,
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
    }


def _json(payload: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(payload, status, headers=NO_STORE)


def _error(message: str, status: int, **more: Any) -> JSONResponse:
    return _json({"error": message, **more}, status)


def api_routes(api: Api) -> list[Route]:
    def endpoint(view: Callable[[Api, Request], Awaitable[Response]], writes: bool) -> Any:
        async def run(request: Request) -> Response:
            if writes and (refused := guard.refusal(request, api.token, _limit(api, request))):
                return refused
            try:
                return await view(api, request)
            except NameRefused as exc:
                return _error(str(exc), 400)
            except guard.TooLarge:
                return guard.too_large(_limit(api, request))
            except LoadError as exc:  # pressroom.yaml: nothing can be read or written
                return _error("the press room cannot be read", 422, findings=_all(exc.problems))
            except PressroomError as exc:
                return _error(str(exc), 422)

        return run

    return [
        Route("/api/releases", endpoint(create, True), methods=["POST"]),
        Route("/api/releases/{name:path}", endpoint(read, False), methods=["GET"]),
        Route("/api/releases/{name:path}", endpoint(write, True), methods=["PUT"]),
        Route("/api/preview/{name:path}", endpoint(preview, True), methods=["POST"]),
        Route("/api/uploads", endpoint(upload, True), methods=["POST"]),
        Route("/api/people", endpoint(person, True), methods=["POST"]),
    ]


def _limit(api: Api, request: Request) -> int:
    return upload_limit(api.root) if request.url.path == "/api/uploads" else guard.JSON_LIMIT


def _all(problems: list[Problem]) -> list[dict[str, Any]]:
    return [problem_json(problem) for problem in problems]


async def _payload(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(await guard.body(request))
    except (ValueError, UnicodeDecodeError):
        raise UsageError("the request is not JSON") from None
    if not isinstance(data, dict):
        raise UsageError("the request must be a JSON object")
    return data


def _release_of(data: dict[str, Any]) -> dict[str, Any]:
    release = data.get("release")
    if not isinstance(release, dict):
        raise UsageError('give the release as "release": {...}, its keys as in the YAML')
    return release


# -- endpoints -------------------------------------------------------------------------


async def read(api: Api, request: Request) -> Response:
    status, payload = await run_in_threadpool(read_release, api.root, request.path_params["name"])
    return _json(payload, status)


def read_release(root: Path, name: str) -> tuple[int, dict[str, Any]]:
    """The release *name* as the API gives it, and the HTTP status."""
    path = release_path(root, name)
    if not path.is_file():
        return 404, {"error": f"no release '{name}' under releases/"}
    raw = path.read_bytes()
    version = version_of(raw)
    display = relative_name(path, root)
    text = raw.decode("utf-8", errors="replace")
    try:
        located = yamlfile.parse(text, display)
    except LoadError as exc:
        return 422, {
            "name": path.stem,
            "version": version,
            "release": None,
            "findings": _all(exc.problems),
            "error": f"{display} is not valid YAML: fix it in a text editor first",
        }
    return 200, {
        "name": path.stem,
        "version": version,
        "release": located.data,
        "findings": _all(_findings(root, path, text)),
    }


def _findings(root: Path, path: Path, text: str) -> list[Problem]:
    """``check``'s problems of the release whose file would hold *text*."""
    from pressroom.check.readiness import release_problems

    room = load_room(root)
    try:
        release = load_release(room, path, text=text)
    except LoadError as exc:
        return exc.problems
    return release_problems(room, release, now())


async def write(api: Api, request: Request) -> Response:
    name = request.path_params["name"]
    data = await _payload(request)
    version = data.get("version")
    if version is not None and not isinstance(version, str):
        raise UsageError('"version" is the opaque string GET gave, or null for a new file')
    release = _release_of(data)
    try:
        saved = await run_in_threadpool(
            lambda: save_release(api.root, name, release, base_version=version)
        )
    except StaleVersion as exc:
        return _error(str(exc), 409, difference=exc.difference, version=exc.current)
    except ReleaseInvalid as exc:
        return _error("nothing was saved: the release has errors", 422, findings=_all(exc.problems))
    path = release_path(api.root, name)
    findings = await run_in_threadpool(_findings, api.root, path, path.read_text("utf-8"))
    return _json({"version": saved, "findings": _all(findings)})


async def create(api: Api, request: Request) -> Response:
    from pressroom.drafts.scaffold import ReleaseExists, new_release

    data = await _payload(request)
    kind, headline = data.get("type", "press-release"), data.get("headline")
    if not isinstance(kind, str) or not isinstance(headline, str):
        raise UsageError('give {"type": "press-release", "headline": "..."}')
    day = data.get("date")
    try:
        when = date.fromisoformat(day) if isinstance(day, str) else None
    except ValueError:
        raise UsageError(f"date {day!r} is not a date: write YYYY-MM-DD") from None

    def make() -> Path:
        from pressroom.model.moments import zone_named

        room = load_room(api.root)
        today = when or now().astimezone(zone_named(room.config.timezone)).date()
        return new_release(room, kind, headline, today)

    try:
        path = await run_in_threadpool(make)
    except ReleaseExists as exc:
        return _error(str(exc), 409)
    return _json({"name": path.stem}, 201)


async def preview(api: Api, request: Request) -> Response:
    name = request.path_params["name"]
    payload = await _payload(request)
    pdf = payload.get("pdf", True) is not False
    return _json(await run_in_threadpool(preview_release, api, name, _release_of(payload), pdf))


def preview_release(api: Api, name: str, data: dict[str, Any], pdf: bool = True) -> dict[str, Any]:
    """The email, the PDF's address (with *pdf*: the PDF is then started in the render
    workers) and the findings of *data*, unsaved."""
    from pressroom.check.readiness import release_problems
    from pressroom.serve.artefacts import release_document
    from pressroom.serve.layout import links_open_outside

    stamp = time.monotonic()
    room = load_room(api.root)
    path = release_path(api.root, name)
    old = path.read_text("utf-8") if path.is_file() else None
    try:
        text = text_for(api.root, path, data, old)
    except ReleaseInvalid as exc:
        return {"findings": _all(exc.problems), "email": None, "pdf": None}
    release = load_release(room, path, text=text)
    findings = release_problems(room, release, now())
    doc = release_document(room, release)
    result: dict[str, Any] = {"findings": _all(findings), "email": None, "pdf": None}
    try:
        email = api.preview._email(room, doc)
        result["email"] = {
            "subject": email.subject,
            "html": links_open_outside(email.html),
            "text": email.text,
        }
    except PressroomError as exc:
        result["email_error"] = str(exc)
    if not pdf:
        return result
    key, future = api.preview.artefacts.start(room, release, doc, "pdf", stamp, unsaved=True)
    if future is not None:
        result["pdf"] = f"/release/{path.stem}.pdf?v={key[:16]}"
    return result


async def upload(api: Api, request: Request) -> Response:
    filename = request.headers.get("x-filename", "photo")
    data = await guard.body(request, upload_limit(api.root))
    try:
        stored = await run_in_threadpool(store_upload, api.root, filename, data)
    except UploadRefused as exc:
        return _error(str(exc), 422)
    return _json({"file": stored}, 201)


async def person(api: Api, request: Request) -> Response:
    data = await _payload(request)
    status, payload = await run_in_threadpool(add_person, api.root, data)
    return _json(payload, status)


def add_person(root: Path, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Add the person *data* to pressroom.yaml (:func:`pressroom.drafts.people.add_people`)."""
    from pressroom.drafts.people import add_people
    from pressroom.drafts.scaffold import slugify

    fields = {
        key: data[key].strip()
        for key in PERSON_KEYS
        if isinstance(data.get(key), str) and data[key].strip()
    }
    if not fields.get("name"):
        return 422, {"error": "a person needs a name"}
    key = slugify(fields["name"])
    if key in load_room(root).config.people:
        return 409, {"error": f"people.{key} is already in pressroom.yaml: choose them", "key": key}
    try:
        add_people(root, [(key, fields)])
    except LoadError as exc:
        return 422, {"error": "nobody was added", "findings": _all(exc.problems)}
    return 201, {"key": key}


PERSON_KEYS = ("name", "title", "org", "pronouns", "email", "phone")
"""What the editor may say of a new person: what a journalist reads of them."""
