"""A listening socket for pressroom's two servers: the preview (``serve``) and the
events receiver (``events serve``).

The address is bound before the server starts, so that a port in use or an
address that is not this computer's is a plain message rather than a traceback.
"""

from __future__ import annotations

import errno
import socket

from pressroom.errors import UsageError


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on *host*:*port*; UsageError when it cannot be had."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}: not an address here ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {host} is already in use (another 'pressroom serve'?); "
                f"stop it, or pass --port {port + 1}"
            ) from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise UsageError(f"not allowed to listen on port {port}; pass --port 8000") from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"
