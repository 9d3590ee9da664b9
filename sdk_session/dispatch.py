"""Sign at dispatch: a transport that signs each session request when it gets its connection.

httpx runs the auth flow before a request queues for a pooled connection, so a
request signed there can wait in the pool longer than its token lives. These
transports wrap the real one with a concurrency limit equal to the pool's
``max_connections``: a request that holds a slot gets a connection at once.
After taking the slot (waiting at most the request's ``pool`` timeout, then
``httpx.PoolTimeout`` as httpx would), the session checks the token again and
signs with the newest one (``SessionAuth.dispatcher``: ``sdk_session.dispatcher``);
the slot is released when the response is closed (and the response let go of by
its stream, see ``slots.OnClose``: each call's objects are then freed without
the cyclic garbage collector). A request marked by ``SessionAuth.at_dispatch`` (what
``SessionClient``'s own clients send) is run here whole, 401 handling included
(``Dispatcher.send``); one signed by ``SessionAuth``'s auth flow is re-signed if
its token changed meanwhile. The latency from dispatch to the answer and the
upstream's ``Date`` header are fed back to the session (adaptive leeway, server
clock).

Token calls skip the limit (a renewal must never wait for a slot held by a
request that waits for that renewal) and go through their own connection pool
(``token_transport``) when the transport is built here: a token call that joins
the API calls' pool perturbs it at the moment traffic is busiest, and httpcore's
asyncio pool can hand one idle connection to several requests at once, so the
losers retry for tens or hundreds of milliseconds (seen on every renewal in the
interleaved benchmark). A renewal whose connection
fails raises the same ``SessionExpired`` the waiting requests get instead of
httpx's raw exception. A token call whose connection dropped before any answer
is sent once more first: that is how a pooled keep-alive connection fails when
the server closes it while idle just as the call goes out (gunicorn does after
2 s), and resending the stored refresh token now is never worse than what the
next call would do with the same token anyway.

``SessionClient`` installs these transports; with a plain
``httpx.Client``/``AsyncClient`` pass ``transport=DispatchTransport(limits=...)``
(or wrap your own transport and give the limits it was built with, and
optionally a ``token_transport`` for the token calls).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, cast

import anyio
import httpx

from .core import (
    DISPATCH_EXTENSION,
    RENEWAL_EXTENSION,
    SENT_EXTENSION,
    SESSION_EXTENSION,
    interrupted_error,
)
from .lanes import AsyncLaneTransport
from .slots import DEFAULT_LIMITS, AsyncOnClose, OnClose, Slots, aacquire

if TYPE_CHECKING:
    from .dispatcher import Dispatcher

__all__ = ["DISPATCH_EXTENSION", "AsyncDispatchTransport", "DispatchTransport"]

TOKEN_LIMITS = httpx.Limits(max_connections=None, max_keepalive_connections=2)
"""The token calls' own pool: never a queue (they are single-flight per store), and
a connection kept for the next renewal."""
_log = logging.getLogger("sdk_session.dispatch")
CLOSE_WAIT = 30.0
"""Seconds ``close()`` waits at most for a renewal ahead of time still under way."""

_DROPPED: tuple[type[Exception], ...] = (
    httpx.RemoteProtocolError,
    httpx.ReadError,
    httpx.WriteError,
)
"""The connection went away without an answer (not a timeout: a slow server is not
asked twice)."""


def _resending(request: httpx.Request, exc: Exception) -> None:
    _log.info(
        "%s %s: token call dropped without an answer (%s); sending it once more",
        request.method,
        request.url.path,
        type(exc).__name__,
    )


def send_token_call(
    send: Callable[[httpx.Request], httpx.Response], request: httpx.Request, renewal: bool = True
) -> httpx.Response:
    """Send a token call, once more after a dropped connection. A renewal's call that
    cannot be completed raises ``SessionExpired`` ("interrupted"), the error its waiters
    get too; a login's raises httpx's error."""
    try:
        try:
            return send(request)
        except _DROPPED as exc:
            _resending(request, exc)
        return send(request)
    except httpx.TransportError as exc:
        if not renewal:
            raise
        raise interrupted_error(exc, request) from exc


async def asend_token_call(
    send: Callable[[httpx.Request], Awaitable[httpx.Response]],
    request: httpx.Request,
    renewal: bool = True,
) -> httpx.Response:
    """``send_token_call`` with awaits."""
    try:
        try:
            return await send(request)
        except _DROPPED as exc:
            _resending(request, exc)
        return await send(request)
    except httpx.TransportError as exc:
        if not renewal:
            raise
        raise interrupted_error(exc, request) from exc


def _dispatcher(request: httpx.Request) -> Dispatcher | None:
    extensions = request.extensions
    if SENT_EXTENSION not in extensions:
        return None
    dispatcher = cast("Dispatcher | None", extensions.get(DISPATCH_EXTENSION))
    if dispatcher is None or not dispatcher.carries(request.url):
        return None  # e.g. a redirect to another origin: it keeps the extensions, not the header
    return dispatcher


class DispatchTransport(httpx.BaseTransport):
    """Wraps a sync transport; see the module docstring.

    Args:
        transport: The transport to wrap (default: ``httpx.HTTPTransport(limits=limits)``;
            for ``AsyncDispatchTransport``, ``AsyncLaneTransport(limits=limits)``).
        limits: The connection limits of that transport; ``max_connections`` is the
            number of requests in flight at once (``None``: no limit, sign before sending).
        token_transport: Where login and refresh calls go (default: a pool of their own
            when ``transport`` is built here, else ``transport``).
    """

    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        *,
        limits: httpx.Limits = DEFAULT_LIMITS,
        token_transport: httpx.BaseTransport | None = None,
    ) -> None:
        if transport is None:
            transport = httpx.HTTPTransport(limits=limits)
            if token_transport is None:
                token_transport = httpx.HTTPTransport(limits=TOKEN_LIMITS)
        self.transport = transport
        self.token_transport = token_transport if token_transport is not None else transport
        size = limits.max_connections
        self._slots = None if size is None else Slots(size)
        self._release = None if self._slots is None else self._slots.release
        self._send = transport.handle_request  # bound once: every request passes them on
        self._renewal: threading.Thread | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        extensions = request.extensions
        session: tuple[Dispatcher, httpx.URL] | None = extensions.get(SESSION_EXTENSION)
        if session is None:  # (a token call is never a session request)
            renewal = extensions.get(RENEWAL_EXTENSION)
            if renewal is not None:  # a token call (refresh, or login): never limited
                return send_token_call(self.token_transport.handle_request, request, renewal)
        slots = self._slots
        if slots is not None:
            try:
                slots.take()  # the common case, in C
            except queue.Empty:
                slots.wait(request, "connection slot")
        try:
            if session is not None:
                dispatcher, checked = session
                response = dispatcher.send(
                    request, self._send, self._token_call, self._behind, checked
                )
            else:
                response = self._signed(request)
        except BaseException:
            if slots is not None:
                slots.release()
            raise
        if response.is_closed:  # already read (e.g. httpx.MockTransport): nothing pooled
            if slots is not None:
                slots.release()
        else:
            stream = cast(httpx.SyncByteStream, response.stream)
            response.stream = OnClose(stream, self._release, response)
        return response

    def _signed(self, request: httpx.Request) -> httpx.Response:
        """A request the auth flow signed (``SessionAuth`` on a plain client), or none of
        the session's business."""
        dispatcher = _dispatcher(request)
        if dispatcher is None:
            return self.transport.handle_request(request)
        if not dispatcher.signed(request):
            dispatcher.sign(request, self._token_call)
        clock = dispatcher.clock
        sent = clock()
        response = self.transport.handle_request(request)
        dispatcher.observe(response, sent, clock())
        return response

    def _token_call(self, request: httpx.Request) -> httpx.Response:
        return send_token_call(self.token_transport.handle_request, request)

    def _behind(self, job: Callable[[], None]) -> bool:
        """Run a renewal ahead of time on a thread of its own (at most one per session
        at a time: ``RefreshState.claim_ahead``). Not a daemon: an interpreter that exits
        meanwhile waits for it (its steps are bounded by the token call's timeouts), so
        the rotated tokens are saved, not lost with a spent refresh token in the store."""
        thread = threading.Thread(target=job, name="sdk_session renewal ahead")
        try:
            thread.start()
        except RuntimeError:  # no new threads (interpreter shutting down): the request leads
            return False
        self._renewal = thread
        return True

    def close(self) -> None:
        renewal = self._renewal
        if renewal is not None:
            # Let a renewal under way save its rotated tokens before the pools close: lost,
            # the next process would present a spent refresh token.
            renewal.join(CLOSE_WAIT)
        try:
            self.transport.close()
        finally:
            if self.token_transport is not self.transport:
                self.token_transport.close()


class AsyncDispatchTransport(httpx.AsyncBaseTransport):
    """Wraps an async transport; see ``DispatchTransport``."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        limits: httpx.Limits = DEFAULT_LIMITS,
        token_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if transport is None:
            transport = AsyncLaneTransport(limits=limits, bounded=False)  # the slots bound it
            if token_transport is None:
                token_transport = httpx.AsyncHTTPTransport(limits=TOKEN_LIMITS)
        self.transport = transport
        self.token_transport = token_transport if token_transport is not None else transport
        size = limits.max_connections
        self._slots = None if size is None else anyio.Semaphore(size)
        self._release = None if self._slots is None else self._slots.release
        self._send = transport.handle_async_request
        self._renewals: set[asyncio.Task[None]] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        extensions = request.extensions
        session: tuple[Dispatcher, httpx.URL] | None = extensions.get(SESSION_EXTENSION)
        if session is None:
            renewal = extensions.get(RENEWAL_EXTENSION)
            if renewal is not None:
                send = self.token_transport.handle_async_request
                return await asend_token_call(send, request, renewal)
        slots = self._slots
        if slots is not None:
            try:
                slots.acquire_nowait()  # the common case: no coroutine, no loop round trip
            except anyio.WouldBlock:
                await aacquire(slots, request, "connection slot")
        try:
            if session is not None:
                dispatcher, checked = session
                response = await dispatcher.asend(
                    request, self._send, self._token_call, self._behind, checked
                )
            else:
                response = await self._signed(request)
        except BaseException:
            if slots is not None:
                slots.release()
            raise
        if response.is_closed:  # already read (e.g. httpx.MockTransport): nothing pooled
            if slots is not None:
                slots.release()
        else:
            stream = response.stream
            if not (type(stream) is AsyncOnClose and stream.join(self._release, response)):
                response.stream = AsyncOnClose(
                    cast(httpx.AsyncByteStream, stream), self._release, response
                )
        return response

    async def _signed(self, request: httpx.Request) -> httpx.Response:
        dispatcher = _dispatcher(request)
        if dispatcher is None:
            return await self.transport.handle_async_request(request)
        if not dispatcher.signed(request):
            await dispatcher.asign(request, self._token_call)
        sent = dispatcher.clock()
        response = await self.transport.handle_async_request(request)
        dispatcher.observe(response, sent, dispatcher.clock())
        return response

    async def _token_call(self, request: httpx.Request) -> httpx.Response:
        return await asend_token_call(self.token_transport.handle_async_request, request)

    def _behind(self, job: Callable[[], Coroutine[object, object, None]]) -> bool:
        """Run a renewal ahead of time as a task of its own on the running asyncio loop
        (under another event loop, e.g. trio, the request leads it itself)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        task = loop.create_task(job(), name="sdk_session renewal ahead")
        self._renewals.add(task)  # a reference, so the task is not collected mid-way
        task.add_done_callback(self._renewals.discard)
        return True

    async def aclose(self) -> None:
        pending = [task for task in self._renewals if not task.done()]
        if pending:  # as DispatchTransport.close: let a renewal under way save its tokens
            await asyncio.wait(pending, timeout=CLOSE_WAIT)
        try:
            await self.transport.aclose()
        finally:
            if self.token_transport is not self.transport:
                await self.token_transport.aclose()
