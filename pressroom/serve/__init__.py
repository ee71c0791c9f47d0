"""``pressroom serve``: a live preview of the press room in the browser.

The package, in the order a page is served:

- :mod:`~pressroom.serve.app`: the Starlette app and its page routes (none sends);
  :mod:`~pressroom.serve.hosts`: the names it answers to;
  :mod:`~pressroom.serve.layout`: the page templates, headers and policies;
- :mod:`~pressroom.serve.pages`: the room's files -> page data, read fresh per page
  (:mod:`~pressroom.serve.files`: which file a page is of;
  :mod:`~pressroom.serve.excerpts`: problems with their lines);
- :mod:`~pressroom.serve.sent`: what the send logs say (read-only);
- :mod:`~pressroom.serve.artefacts`: which PDF or Word file a page shows, and its
  routes; :mod:`~pressroom.serve.renders`: warm worker processes that make them,
  cached by content hash, a render a newer save made stale abandoned;
- :mod:`~pressroom.serve.watch`: file changes -> events pushed to open pages
  (server-sent events), which then fetch themselves again and swap in what changed;
- the editor (:mod:`~pressroom.serve.editor`, :mod:`~pressroom.serve.api`, behind
  :mod:`~pressroom.serve.guard`) and approvals (:mod:`~pressroom.serve.review`).

:func:`serve` binds the address first, so that a port in use is a plain
message rather than a traceback, then runs uvicorn until Ctrl-C.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable, Iterable
from pathlib import Path

from pressroom.listen import bind, url_of

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve(
    root: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    on_ready: Callable[[str], None] | None = None,
    allowed_hosts: Iterable[str] = (),
) -> None:
    """Preview the room at *root* until interrupted; *on_ready* gets the address.

    Requests must name this computer, *host* or one of *allowed_hosts* in their
    Host header (:func:`pressroom.serve.hosts.allowed_hosts`).
    """
    import uvicorn

    from pressroom.serve.app import create_app

    sock = bind(host, port)
    app = create_app(root, host=host, extra_hosts=allowed_hosts)
    state = app.state.preview

    class Server(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            state.stopping()  # end the event streams first, or uvicorn waits for them
            await super().shutdown(sockets)

    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=3,
    )
    server = Server(config)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # stop as cleanly as on Ctrl-C
    if on_ready is not None:
        on_ready(url_of(sock))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the Ctrl-C it handled; stopping is what was asked
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
