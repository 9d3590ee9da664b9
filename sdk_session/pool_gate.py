"""An asyncio HTTP transport whose requests enter httpcore's pool one at a time.

httpcore 1.0's ``AsyncConnectionPool`` marks a connection busy only when the
request it was assigned to starts on it, and that request first awaits a lock
(a checkpoint). A request entering the pool meanwhile is handed the same idle
connection; one of the two finds it taken, goes back to the queue and is handed
the first idle connection again, which the next newcomer also takes. Under
steady concurrent load (8 tasks on one client here) a request can lose that race
hundreds of times in a row: 0.2 to 1.2 s stalls on loopback, several times a
second, whatever the session does (encode/httpcore#822, #1110). Bursts make it
worse, and a renewal is a burst.

``GatedAsyncHTTPTransport`` lets one request at a time from entering the pool
until its connection is its own: the first event httpcore traces for a request
(connecting, or sending its headers) comes after that point, so a ``trace``
hook opens the gate there. An application's own ``trace`` extension is kept
and called as before. The sync pool's race window holds no lock wait and has
not shown stalls; it is left alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx

__all__ = ["GatedAsyncHTTPTransport"]

_Trace = Callable[[str, dict[str, Any]], Awaitable[None]]


class GatedAsyncHTTPTransport(httpx.AsyncHTTPTransport):
    """``httpx.AsyncHTTPTransport`` with the pool gate; same arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._gate = anyio.Lock(fast_acquire=True)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        gate = self._gate
        if not await _enter(gate, request):
            raise httpx.PoolTimeout("no connection free within the pool timeout")
        extensions = request.extensions
        theirs: _Trace | None = extensions.get("trace")
        held = True

        def open_gate() -> None:
            nonlocal held
            if held:
                held = False
                gate.release()
                if theirs is None:
                    extensions.pop("trace", None)  # later phases are not traced at all
                else:
                    extensions["trace"] = theirs

        async def reserved(name: str, info: dict[str, Any]) -> None:
            open_gate()
            if theirs is not None:
                await theirs(name, info)

        extensions["trace"] = reserved
        try:
            return await super().handle_async_request(request)
        finally:
            open_gate()


async def _enter(gate: anyio.Lock, request: httpx.Request) -> bool:
    """Take the gate within the request's pool timeout; ``False`` if it ran out."""
    timeout = request.extensions.get("timeout")
    pool = timeout.get("pool") if isinstance(timeout, dict) else None
    if not isinstance(pool, int | float):
        await gate.acquire()
        return True
    with anyio.move_on_after(pool):
        await gate.acquire()
        return True
    return False
