"""The preview's web app: Starlette routes, none of them sending.

Routes:

``/``                       the releases, newest first
``/release/NAME``           one release: email, text, PDF, Word, check, recipients
``/release/NAME.pdf``       its PDF (rendered in a worker, cached by content)
``/release/NAME.docx``      its Word document, as a download
``/release/NAME/email``     the HTML email alone, sandboxed by its CSP
``/release/NAME/report``    what became of it: delivered, opened, clicked (SendGrid's events)
``/release/NAME/report/CHART.svg``  its charts (``timeline``, ``lists``, ``outlets``)
``/release/NAME/review``    what changed since the last approval, and the Approve button
``POST /release/NAME/approve``, ``POST /approver``  approve; sign in with an approver code
                            (:mod:`pressroom.serve.review`, behind the write guard too)
``/events``                 server-sent events: one ``change`` per saved file
``/_/app.css``, ``/_/app.js``  the page's stylesheet and script
``/release/NAME/edit``, ``/new``  the editor (:mod:`pressroom.serve.editor`)
``/api/...``                the editor's JSON API (with approving, the only writes)
                            (:mod:`pressroom.serve.api`, behind :mod:`pressroom.serve.guard`)

Pages are rendered from ``pressroom/templates/serve/``. A file that cannot be
read is shown as its problems, with their lines, never as a server error.
Every page carries a Content-Security-Policy that allows scripts only from
this server, so the email (shown in a sandboxed ``srcdoc`` frame, which
inherits the policy) can never run one. There is no route that sends, and
this package imports no transport: the preview cannot send mail.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from pressroom.errors import LoadError, PressroomError, Problem
from pressroom.serve import review
from pressroom.serve.api import Api, api_routes
from pressroom.serve.artefacts import docx, pdf
from pressroom.serve.files import NoSuchRelease
from pressroom.serve.guard import issue_token
from pressroom.serve.hosts import allowed_hosts, is_loopback
from pressroom.serve.layout import (
    ASSETS,
    CHART_POLICY,
    EMAIL_POLICY,
    HEADERS,
    PAGE_POLICY,
    TEMPLATES,
    page_templates,
)
from pressroom.serve.pages import Preview
from pressroom.serve.renders import Renderer
from pressroom.serve.report import CHARTS, chart_svg, report_page
from pressroom.serve.views import ProblemView
from pressroom.serve.watch import Changed, Hub, events, watch_room


@dataclass
class State:
    """What the app holds while it runs."""

    root: Path
    preview: Preview
    hub: Hub
    renderer: Renderer | None
    pages: jinja2.Environment
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    watcher: asyncio.Task[None] | None = None
    token: str = ""
    """The write guard's token (:mod:`pressroom.serve.guard`), new at each start."""
    local: bool = True
    """Listening on this computer only: the editor pages carry the token. Open to a
    network, they do not: a writer pastes it once (from .pressroom/serve.token)."""

    def stopping(self) -> None:
        """End the event streams and the watcher: the server is shutting down."""
        self.stop.set()
        self.hub.close()


def create_app(
    root: Path,
    *,
    workers: int = 2,
    watch: bool = True,
    host: str = "127.0.0.1",
    extra_hosts: Iterable[str] = (),
) -> Starlette:
    """The preview app for the press room at *root* (``workers=0``: no PDF/Word renders).

    Requests must name this computer, *host* or one of *extra_hosts* in their
    Host header (:func:`allowed_hosts`), so that a web page elsewhere cannot
    read an embargoed release through DNS rebinding.
    """
    renderer = Renderer(workers) if workers else None
    state = State(root, Preview(root, renderer), Hub(), renderer, page_templates())
    state.token = issue_token(root)
    state.local = is_loopback(host)
    if renderer is not None:
        state.hub.listeners.append(lambda changed: _prefetch(state, changed))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if renderer is not None:  # in the background: pages are served meanwhile
            asyncio.get_running_loop().run_in_executor(
                None, lambda: renderer.start(state.preview.artefacts.warm_up())
            )
        if watch:
            state.watcher = asyncio.create_task(watch_room(root, state.hub, state.stop))
        try:
            yield
        finally:
            state.stopping()
            if state.watcher is not None:
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(state.watcher, timeout=5)
            if renderer is not None:
                await run_in_threadpool(renderer.close)

    routes = [
        Route("/", _handler(state, index), methods=["GET"]),
        Route("/events", _handler(state, events), methods=["GET"]),
        Route("/_/{asset}", _handler(state, asset), methods=["GET"]),
        Route("/release/{name}.pdf", _handler(state, pdf), methods=["GET"]),
        Route("/release/{name}.docx", _handler(state, docx), methods=["GET"]),
        Route("/release/{name}/email", _handler(state, email), methods=["GET"]),
        Route("/release/{name}/report", _handler(state, report), methods=["GET"]),
        Route("/release/{name}/report/{chart}.svg", _handler(state, chart), methods=["GET"]),
        Route("/release/{name}", _handler(state, release), methods=["GET"]),
        Route("/release/{name}/edit", _handler(state, edit), methods=["GET"]),
        Route("/new", _handler(state, new), methods=["GET"]),
        *api_routes(Api(root, state.token, state.preview)),
        Route("/release/{name}/review", _handler(state, review.review), methods=["GET"]),
        Route("/release/{name}/approve", _handler(state, review.approve_now), methods=["POST"]),
        Route("/approver", _handler(state, review.sign_in), methods=["POST"]),
    ]
    hosts = allowed_hosts(host, extra_hosts)
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=hosts)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.preview = state
    return app


async def _prefetch(state: State, changed: Changed) -> None:
    """A release was saved: start its PDF now, before the open pages hear of it."""
    loop = asyncio.get_running_loop()
    starts = []
    for path in changed.paths:
        folder, _, file = path.partition("/")
        if folder == "releases" and file.endswith((".yaml", ".yml")) and "/" not in file:
            name = file.rsplit(".", 1)[0]
            starts.append(loop.run_in_executor(None, state.preview.artefacts.prefetch, name))
    await asyncio.gather(*starts, return_exceptions=True)  # the page shows what went wrong


def _handler(state: State, view: Any) -> Any:
    """Wrap a view: every user-facing error becomes a page, never a traceback."""

    async def endpoint(request: Request) -> Response:
        try:
            response: Response = await view(state, request)
            return response
        except LoadError as exc:  # pressroom.yaml cannot be read: nothing else can be shown
            return _page(state, "room.html.j2", 200, problems=state.preview.views(exc.problems, 2))
        except NoSuchRelease as exc:
            return _page(state, "missing.html.j2", 404, message=str(exc))
        except PressroomError as exc:
            problem = Problem("pressroom", str(exc))
            return _page(state, "room.html.j2", 200, problems=[ProblemView(problem)])

    return endpoint


def _page(state: State, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("org", _org_name(state))
    html = state.pages.get_template(template).render(**context)
    return HTMLResponse(html, status, headers={**HEADERS, "Content-Security-Policy": PAGE_POLICY})


def _org_name(state: State) -> str:
    try:
        from pressroom.load.room import load_room

        return load_room(state.root).config.org.name
    except PressroomError:
        return "Press room"


# -- views ---------------------------------------------------------------------------


async def index(state: State, request: Request) -> Response:
    page = await run_in_threadpool(state.preview.index)
    return _page(state, "index.html.j2", page=page, org=page.org)


async def release(state: State, request: Request) -> Response:
    name = request.path_params["name"]
    lang = request.query_params.get("lang")  # a translation (releases/NAME.LANG.yaml)
    page = await run_in_threadpool(state.preview.release, name, lang)
    return _page(state, "release.html.j2", page=page, org=page.org)


async def edit(state: State, request: Request) -> Response:
    from pressroom.serve.editor import editor_page

    name = request.path_params["name"]
    token = state.token if state.local else ""
    page = await run_in_threadpool(editor_page, state.root, name, token)
    return _page(state, "editor.html.j2", page=page)


async def new(state: State, request: Request) -> Response:
    from pressroom.serve.editor import new_page

    page = await run_in_threadpool(new_page, state.root, state.token if state.local else "")
    return _page(state, "new.html.j2", page=page)


async def email(state: State, request: Request) -> Response:
    page = await run_in_threadpool(state.preview.release, request.path_params["name"])
    if page.email is None:
        text = page.email_error or "this release cannot be read; see its page"
        return Response(text + "\n", 422, media_type="text/plain; charset=utf-8")
    headers = {**HEADERS, "Content-Security-Policy": EMAIL_POLICY}
    return HTMLResponse(page.email.html, headers=headers)


async def report(state: State, request: Request) -> Response:
    page = await run_in_threadpool(report_page, state.preview, request.path_params["name"])
    return _page(state, "report.html.j2", page=page, org=page.org)


async def chart(state: State, request: Request) -> Response:
    name, which = request.path_params["name"], request.path_params["chart"]
    if which not in CHARTS:
        return Response("not found\n", 404, media_type="text/plain")
    svg = await run_in_threadpool(chart_svg, state.preview, name, which)
    headers = {**HEADERS, "Content-Security-Policy": CHART_POLICY}
    return Response(svg, media_type="image/svg+xml", headers=headers)


async def asset(state: State, request: Request) -> Response:
    name = request.path_params["asset"]
    if name not in ASSETS:
        return Response("not found\n", 404, media_type="text/plain")
    data = (TEMPLATES / name).read_bytes()
    return Response(data, media_type=ASSETS[name], headers={"Cache-Control": "no-cache"})
