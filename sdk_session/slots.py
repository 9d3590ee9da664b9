"""A bounded number of requests in flight: take a place within the request's ``pool``
timeout (else ``httpx.PoolTimeout``, as httpx would), give it back when the response
is closed. Used by the dispatch transports (a slot per request) and by the asyncio
lanes (a lane per request)."""

from __future__ import annotations

import queue
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from functools import partial

import anyio
import httpx

__all__ = ["DEFAULT_LIMITS", "AsyncOnClose", "OnClose", "Slots", "aacquire", "pool_timeout"]

DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
"""httpx's own default pool limits."""


def pool_timeout(request: httpx.Request) -> float | None:
    """The request's ``pool`` timeout in seconds (``None``: wait as long as it takes)."""
    timeout = request.extensions.get("timeout")
    value = timeout.get("pool") if isinstance(timeout, dict) else None
    return value if isinstance(value, int | float) else None


def _timed_out(what: str) -> httpx.PoolTimeout:
    return httpx.PoolTimeout(f"no {what} free within the pool timeout")


class Slots:
    """At most ``size`` holders at once, for threads: a queue of ``size`` tickets.

    ``queue.SimpleQueue`` takes and returns a ticket in C without a Python-level lock:
    ``threading.Semaphore`` (a ``Condition`` round trip in Python), or a counter under a
    ``threading.Lock``, costs more, and with many threads the lock is contended on every
    request.
    """

    __slots__ = ("_tickets", "release", "take")

    def __init__(self, size: int) -> None:
        self._tickets: queue.SimpleQueue[None] = queue.SimpleQueue()
        for _ in range(size):
            self._tickets.put(None)
        self.take: Callable[[], None] = self._tickets.get_nowait
        """Take a slot if one is free now, else raise ``queue.Empty`` (then ``wait``):
        the common case, in C."""
        self.release: Callable[[], None] = partial(self._tickets.put, None)
        """Give a slot back (in C: no Python frame on every request)."""

    def acquire(self, request: httpx.Request, what: str) -> None:
        """Take a slot for ``request``, waiting at most its pool timeout."""
        try:
            self.take()  # the common case: the timeout is not even read
        except queue.Empty:
            self.wait(request, what)

    def wait(self, request: httpx.Request, what: str) -> None:
        """Wait for a slot for ``request`` (none was free), at most its pool timeout."""
        try:
            self._tickets.get(timeout=pool_timeout(request))
        except queue.Empty:
            raise _timed_out(what) from None


async def aacquire(semaphore: anyio.Semaphore, request: httpx.Request, what: str) -> None:
    """Take a place in ``semaphore`` for ``request``, waiting at most its pool timeout."""
    try:
        semaphore.acquire_nowait()  # the common case: no event-loop round trip
        return
    except anyio.WouldBlock:
        pass
    with anyio.move_on_after(pool_timeout(request)):
        await semaphore.acquire()
        return
    raise _timed_out(what)


class OnClose(httpx.SyncByteStream):
    """A response stream that calls ``done`` once, when it is closed.

    Given the ``response`` it serves, it also puts the closed inner stream back in its
    place at close. httpx binds each response to a stream wrapper that points back at
    the response; that reference cycle kept every call's request and response objects
    (about 45 of them) alive until the cyclic garbage collector ran, which it then did
    every 20-odd calls. Without the cycle they are freed when the caller drops the
    response, and the collector has nothing to do on the hot path.
    """

    def __init__(
        self,
        stream: httpx.SyncByteStream,
        done: Callable[[], None] | None,
        response: httpx.Response | None = None,
    ) -> None:
        self._stream = stream
        self._done = done
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._stream)

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            done, self._done = self._done, None
            response, self._response = self._response, None
            if response is not None:
                response.stream = self._stream
            if done is not None:
                done()


class AsyncOnClose(httpx.AsyncByteStream):
    """``OnClose`` for async streams; ``done`` may return an awaitable, then awaited."""

    def __init__(
        self,
        stream: httpx.AsyncByteStream,
        done: Callable[[], Awaitable[None] | None] | None,
        response: httpx.Response | None = None,
    ) -> None:
        self._stream = stream
        self._done = done
        self._response = response
        self._then: Callable[[], None] | None = None

    def join(self, then: Callable[[], None] | None, response: httpx.Response) -> bool:
        """Also call ``then`` after ``done`` and untie ``response`` at close, if nobody
        asked yet: the dispatch transport over the lanes needs no wrapper of its own."""
        if self._then is not None or self._response is not None:
            return False
        self._then, self._response = then, response
        return True

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._stream.__aiter__()

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            done, self._done = self._done, None
            then, self._then = self._then, None
            response, self._response = self._response, None
            if response is not None:
                response.stream = self._stream
            try:
                if done is not None:
                    pending = done()
                    if pending is not None:
                        await pending
            finally:
                if then is not None:
                    then()
