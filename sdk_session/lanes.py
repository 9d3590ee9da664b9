"""An asyncio HTTP/1.1 transport that gives each request in flight a connection pool of its own.

httpcore 1.0's pool marks a connection busy only when the request it was assigned
to starts on it; on asyncio that request first waits for a lock (a checkpoint), and
a request arriving meanwhile is handed the same idle connection. One of the two
finds it taken, queues again and is handed the first idle connection again, which
the next newcomer also takes: under steady load a request can lose that race
hundreds of times in a row (encode/httpcore#822, #1110). On this VM, 8 tasks on one
client saw 0.2 to 1.8 s stalls several times a second with a static token, and the
assignment loop costs CPU on every request.

A *lane* is an ``httpx`` transport limited to one connection. A request takes a
free lane (a list pop: nothing to race for), the lane's pool serves only it, and
the lane goes back when the response is closed, keeping its connection alive for
the next request. At most ``limits.max_connections`` lanes exist (a request waits
for one within its ``pool`` timeout, else ``httpx.PoolTimeout``) and at most
``limits.max_keepalive_connections`` idle ones keep their connection; each lane's
pool expires its idle connection after ``keepalive_expiry`` as httpx would. All
lanes share one SSL context. With ``http2=True`` there is nothing to gain (one
connection multiplexes) and the transport is a plain ``httpx`` one.

The sync pool's race window holds no lock wait; measured there, lanes changed
nothing (8 threads: 0.99 times the throughput), so sync clients keep httpx's pool.
"""

from __future__ import annotations

import ssl
from collections.abc import Awaitable
from functools import partial
from typing import Any

import anyio
import httpx

from .slots import DEFAULT_LIMITS, AsyncOnClose, aacquire

__all__ = ["AsyncLaneTransport"]


def _lane_options(limits: httpx.Limits, options: dict[str, Any]) -> dict[str, Any]:
    """One connection per lane, one SSL context for all of them."""
    verify = options.pop("verify", True)
    cert = options.pop("cert", None)
    if not isinstance(verify, ssl.SSLContext) or cert is not None:
        verify = httpx.create_ssl_context(
            verify=verify, cert=cert, trust_env=options.get("trust_env", True)
        )
    lane = httpx.Limits(
        max_connections=1, max_keepalive_connections=1, keepalive_expiry=limits.keepalive_expiry
    )
    return {**options, "verify": verify, "limits": lane}


class AsyncLaneTransport(httpx.AsyncBaseTransport):
    """Async lanes; takes ``httpx.AsyncHTTPTransport``'s arguments.

    ``bounded=False`` when the caller already keeps at most ``limits.max_connections``
    requests in flight here (the dispatch transport does, with the same limits): the
    lanes then skip their own count, which could never make a request wait.
    """

    def __init__(
        self, *, limits: httpx.Limits = DEFAULT_LIMITS, bounded: bool = True, **options: Any
    ) -> None:
        self._single: httpx.AsyncHTTPTransport | None = None
        if options.get("http2"):
            self._single = httpx.AsyncHTTPTransport(limits=limits, **options)
            return
        self._options = _lane_options(limits, options)
        self._keep = limits.max_keepalive_connections
        self._free: list[httpx.AsyncHTTPTransport] = []
        self._lanes: set[httpx.AsyncHTTPTransport] = set()
        size = limits.max_connections
        self._room = None if size is None or not bounded else anyio.Semaphore(size)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._single is not None:
            return await self._single.handle_async_request(request)
        room = self._room
        if room is not None:
            await aacquire(room, request, "connection")
        free = self._free
        try:
            if free:
                lane = free.pop()
            else:
                lane = httpx.AsyncHTTPTransport(**self._options)
                self._lanes.add(lane)
        except BaseException:
            if room is not None:
                room.release()
            raise
        try:
            response = await lane.handle_async_request(request)
        except BaseException:
            closing = self._give_back(lane)
            if closing is not None:
                await closing
            raise
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)
        response.stream = AsyncOnClose(stream, partial(self._give_back, lane))
        return response

    def _give_back(self, lane: httpx.AsyncHTTPTransport) -> Awaitable[None] | None:
        """Keep ``lane`` for the next request (no await: the common case), or return
        what closes it when enough lanes are idle already."""
        if self._keep is None or len(self._free) < self._keep:
            self._free.append(lane)
            if self._room is not None:
                self._room.release()
            return None
        self._lanes.discard(lane)
        return self._close(lane)

    async def _close(self, lane: httpx.AsyncHTTPTransport) -> None:
        try:
            with anyio.CancelScope(shield=True):  # also when the request was cancelled
                await lane.aclose()
        finally:
            if self._room is not None:
                self._room.release()

    async def aclose(self) -> None:
        if self._single is not None:
            await self._single.aclose()
            return
        lanes = list(self._lanes)
        self._lanes.clear()
        self._free.clear()
        for lane in lanes:
            await lane.aclose()
