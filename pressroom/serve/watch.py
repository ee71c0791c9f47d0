"""Watching the press room: file changes -> one event for every open page.

Two watchers run side by side (watchfiles, so inotify on Linux):

- the room's folder itself, not recursively: ``pressroom.yaml``, and the
  appearance or disappearance of one of the folders below;
- ``releases/``, ``contacts/``, ``templates/`` and ``assets/`` recursively,
  and in ``.pressroom/`` only the two send logs, so that a send shows on the
  pages. Nothing else in the room is watched: not ``build/``, not ``.git``,
  not a virtual environment, so a large repository costs nothing.

Opening a send log read-only (as every page does) creates and removes its
``-wal`` and ``-shm`` files; a send-log event is therefore only passed on when
the log's size or modification time really changed, or a page would refresh
itself forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from watchfiles import Change, DefaultFilter, awatch

from pressroom.errors import relative_name
from pressroom.serve.sent import SEND_LOGS as LOGS

if TYPE_CHECKING:
    from pressroom.serve.app import State

ROOM_FILE = "pressroom.yaml"
FOLDERS = ("releases", "contacts", "templates", "assets")
STATE = ".pressroom"
FIRST_SECONDS = 0.05
"""How long the pages wait for the listeners (the renders of what was saved) to start:
the render workers get the save first, not the page builds that would compete for the
server's time (a release's PDF starts in 8 ms; a broken room never holds the pages up)."""
SEND_LOGS = tuple(path.name for _, path in LOGS)
KEEPALIVE_SECONDS = 15.0
STEP_MS = 10
"""A save is passed on once the folder has been quiet this long (10 ms: 12 ms from an
editor's save to the event, where 25 ms took 50 ms; watchfiles then wakes 100 times a
second, about 1 % of a core)."""


@dataclass(frozen=True)
class Changed:
    """What changed, numbered: the files, relative to the room."""

    seq: int
    paths: tuple[str, ...]


class Hub:
    """Passes every change to every subscriber (one per open page)."""

    def __init__(self) -> None:
        self.seq = 0
        self.closed = False
        self._queues: set[asyncio.Queue[Changed | None]] = set()
        self.listeners: list[Callable[[Changed], Awaitable[None]]] = []
        """Awaited with each change before the pages hear of it, up to FIRST_SECONDS (to
        start renders early)."""

    def subscribe(self) -> asyncio.Queue[Changed | None]:
        queue: asyncio.Queue[Changed | None] = asyncio.Queue()
        if self.closed:
            queue.put_nowait(None)
        else:
            self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Changed | None]) -> None:
        self._queues.discard(queue)

    @property
    def subscribers(self) -> int:
        return len(self._queues)

    async def publish(self, paths: Iterable[str]) -> Changed:
        self.seq += 1
        event = Changed(self.seq, tuple(sorted(set(paths))))
        if self.listeners:
            listeners = (listener(event) for listener in self.listeners)
            first = asyncio.gather(*listeners, return_exceptions=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(first), FIRST_SECONDS)
        for queue in self._queues:
            queue.put_nowait(event)
        return event

    def close(self) -> None:
        """End every subscription (the server is stopping)."""
        self.closed = True
        for queue in self._queues:
            queue.put_nowait(None)
        self._queues.clear()


class _RoomFilter(DefaultFilter):
    """Editor backups, swap files and caches out; in .pressroom/ only the send logs."""

    def __init__(self, root: Path):
        super().__init__()
        self.root = root

    def __call__(self, change: Change, path: str) -> bool:
        parts = Path(path).relative_to(self.root).parts
        if not parts:
            return False
        if parts[0] == STATE:
            return len(parts) == 2 and parts[1] in SEND_LOGS
        if len(parts) == 1:
            return parts[0] == ROOM_FILE or parts[0] in FOLDERS
        return super().__call__(change, "/".join(parts))


def send_log_state(root: Path) -> tuple[object, ...]:
    """Size and time of each send log and of its write-ahead log, when it holds data."""
    state: list[object] = []
    for name in SEND_LOGS:
        for path in (root / STATE / name, root / STATE / f"{name}-wal"):
            try:
                stat = path.stat()
            except OSError:
                state.append(None)
                continue
            state.append((stat.st_size, stat.st_mtime_ns) if stat.st_size else 0)
    return tuple(state)


async def watch_room(root: Path, hub: Hub, stop: asyncio.Event) -> None:
    """Publish the room's changes to *hub* until *stop* is set."""
    rescan = asyncio.Event()
    logs = [send_log_state(root)]
    top = asyncio.create_task(_watch_top(root, hub, stop, rescan))
    try:
        while not stop.is_set():
            rescan.clear()
            folders = [root / name for name in (*FOLDERS, STATE) if (root / name).is_dir()]
            halt = asyncio.Event()
            relay = asyncio.create_task(_first_of(stop, rescan, then=halt))
            try:
                if folders:
                    await _watch_tree(root, folders, hub, halt, logs)
                else:
                    await halt.wait()
            finally:
                relay.cancel()
    finally:
        top.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await top


async def _first_of(*events: asyncio.Event, then: asyncio.Event) -> None:
    waiters = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        then.set()


async def _watch_top(root: Path, hub: Hub, stop: asyncio.Event, rescan: asyncio.Event) -> None:
    async for changes in awatch(
        root, watch_filter=_RoomFilter(root), stop_event=stop, recursive=False, step=STEP_MS
    ):
        names = {Path(path).name for _, path in changes}
        if names - {ROOM_FILE}:  # a watched folder appeared or went: watch the new set
            rescan.set()
        await hub.publish(relative_name(Path(path), root) for _, path in changes)


async def _watch_tree(
    root: Path, folders: list[Path], hub: Hub, halt: asyncio.Event, logs: list[tuple[object, ...]]
) -> None:
    async for changes in awatch(
        *folders, watch_filter=_RoomFilter(root), stop_event=halt, step=STEP_MS
    ):
        paths = {relative_name(Path(path), root) for _, path in changes}
        if all(path.startswith(f"{STATE}/") for path in paths):
            state = send_log_state(root)
            if state == logs[0]:
                continue  # a page reading the log, not a send
            logs[0] = state
        await hub.publish(paths)


async def events(state: State, request: Request) -> Response:
    """``change`` events, one per batch of saved files, until the server stops."""
    queue = state.hub.subscribe()

    async def stream() -> AsyncIterator[str]:
        try:
            yield f"retry: 1000\nevent: hello\ndata: {state.hub.seq}\n\n"
            while True:
                try:
                    changed = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if changed is None:
                    return
                data = json.dumps({"seq": changed.seq, "paths": list(changed.paths)})
                yield f"event: change\ndata: {data}\n\n"
        finally:
            state.hub.unsubscribe(queue)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
