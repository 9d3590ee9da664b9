"""Drivers: perform the operations a core flow yields, with blocking calls or awaits.

How a flow is driven is decided once, in ``driving``: a failed operation is
thrown into the core, and a token call that produced no response (the flow was
closed during it: by httpx, or by ``run`` when the call raised) reaches the core
as ``TokenCallInterrupted``, so a renewal records the interruption for the
requests waiting on it before the failure goes on. ``SyncDriver`` and
``AsyncDriver`` are its two I/O edges, the same lines with and without ``await``:

- ``flow`` performs the operations and yields each request to httpx's auth loop
  (``SessionAuth`` on a plain client), which sends it through hooks, redirects
  and transports;
- ``run`` drives ``flow`` itself, sending each request with the callables it is
  given: at dispatch, below httpx (``Dispatcher``), and for the explicit
  login/renew/logout calls.

A store's lock is held only while the core holds it, and released however the
flow ends (exception, cancellation, httpx closing the generator).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from contextlib import AsyncExitStack, ExitStack
from typing import Any, Protocol, TypeVar, cast

import anyio
import httpx

from .core import (
    RENEWAL_EXTENSION,
    AskCredentials,
    Load,
    Lock,
    Op,
    Release,
    Save,
    Send,
    Sleep,
    Step,
    TokenCallInterrupted,
    TryLock,
    Unlock,
)
from .credentials import Credentials, CredentialsProvider, coerce_credentials
from .errors import StoreLockTimeout
from .stores.base import TokenStore

__all__ = ["AsyncDriver", "Failed", "Settings", "SyncDriver", "driving"]

T = TypeVar("T")

Failed = Callable[[Exception, httpx.Request], BaseException]
"""What a failed token call is raised as (given the error and the call)."""


class Settings(Protocol):
    """What a driver performs the operations against (``SessionAuth``, read at each use)."""

    store: TokenStore
    lock_timeout: float
    credentials: CredentialsProvider | None


class _Closed(Exception):
    """Thrown by the ``flow`` edge into ``driving`` when its generator was closed during a
    ``Send`` (``failure``: the ``GeneratorExit``); raised back out of ``driving`` once the
    core has been told, and the edge then raises ``failure``. A plain ``GeneratorExit``
    would not do: ``driving`` gets one too when it is itself closed, and that must only
    close the core."""

    def __init__(self, failure: BaseException) -> None:
        super().__init__()
        self.failure = failure


def driving(core: Step[T]) -> Generator[Op, object, T]:
    """The one body of every driver: yields the core's operations and forwards what the
    edge sends back (a result, an exception, or ``_Closed``)."""
    value: object = None
    error: BaseException | None = None
    closing: _Closed | None = None
    try:
        while True:
            try:
                op = core.send(value) if error is None else core.throw(error)
            except StopIteration as stop:
                return cast(T, stop.value)
            except TokenCallInterrupted:
                if closing is not None:
                    raise closing from None
                raise
            if closing is not None and isinstance(op, Send):
                raise closing  # nothing is sent once the flow is being closed
            value, error = None, None
            try:
                value = yield op
            except _Closed as closed_during:
                if not (isinstance(op, Send) and op.token_endpoint):
                    raise
                closing, error = closed_during, TokenCallInterrupted()
            except Exception as exc:
                error = exc
    finally:
        core.close()


_LOCKING = (Lock, TryLock)


class SyncDriver:
    """The blocking edge: ``httpx.Client``, sync stores and credentials providers."""

    __slots__ = ("settings",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def flow(self, core: Step[T]) -> Generator[httpx.Request, httpx.Response, T]:
        """Run ``core`` as an httpx auth flow: its requests go to httpx's auth loop."""
        body = driving(core)
        locks: ExitStack | None = None  # created when a lock is first taken (rarely)
        try:
            op = next(body)
            while True:
                value: object = None
                error: BaseException | None = None
                try:
                    if isinstance(op, Send):
                        try:
                            response = yield op.request
                        except GeneratorExit as exc:
                            error = _Closed(exc)
                        else:
                            if op.token_endpoint:
                                response.read()
                            value = response
                    else:
                        if locks is None and isinstance(op, _LOCKING):
                            locks = ExitStack()
                        value = self._perform(op, locks)
                except Exception as exc:
                    error = exc
                op = _advance(body, value, error)
        except StopIteration as stop:
            return cast(T, stop.value)
        finally:
            if locks is not None:
                locks.close()
            body.close()

    def run(
        self,
        core: Step[T],
        send: Callable[[httpx.Request], httpx.Response],
        token_call: Callable[[httpx.Request], httpx.Response],
        failed: Failed | None = None,
    ) -> T:
        """Run ``core`` here, sending its requests with ``send`` and a renewal's token calls
        with ``token_call``. A token call that raises closes the flow first (the core
        records the interrupted renewal for its waiters); its error is then raised as
        ``failed`` makes it."""
        flow = self.flow(core)
        try:
            request = next(flow)
            while True:
                if request.extensions.get(RENEWAL_EXTENSION):
                    try:
                        response = token_call(request)
                    except Exception as exc:
                        flow.close()
                        if failed is None:
                            raise
                        raise failed(exc, request)  # noqa: B904 - failed() chains it
                else:
                    response = send(request)
                response.request = request  # (what httpx sets above the transports)
                request = flow.send(response)
        except StopIteration as stop:
            return cast(T, stop.value)
        finally:
            flow.close()

    def _perform(self, op: Op, locks: ExitStack | None) -> object:
        """The blocking I/O of one operation other than ``Send``."""
        if isinstance(op, Load):
            return self.settings.store.load()
        if isinstance(op, Release):
            op.response.read()
            op.response.close()
        elif isinstance(op, Save):
            return self.settings.store.save(op.tokens)
        elif isinstance(op, Lock) and locks is not None:
            locks.enter_context(self.settings.store.refresh_lock(self.settings.lock_timeout))
        elif isinstance(op, TryLock) and locks is not None:
            try:
                locks.enter_context(self.settings.store.refresh_lock(0))
            except StoreLockTimeout:
                return False
            return True
        elif isinstance(op, Unlock):
            if locks is not None:
                locks.close()
        elif isinstance(op, Sleep):
            time.sleep(op.seconds)
        elif isinstance(op, AskCredentials):
            return self._credentials()
        return None

    def _credentials(self) -> Credentials | None:
        provider = self.settings.credentials
        if provider is None:
            return None
        value = provider()
        if inspect.isawaitable(value):
            _close_awaitable(value)
            raise TypeError("an async credentials provider needs an async client")
        return coerce_credentials(value)


class AsyncDriver:
    """The awaiting edge: ``httpx.AsyncClient``, async stores and credentials providers
    (the same lines as ``SyncDriver``, with ``await``)."""

    __slots__ = ("settings",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def flow(
        self, core: Step[T], result: list[T]
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """``SyncDriver.flow``; an async generator returns nothing, so the core's result is
        appended to ``result``."""
        body = driving(core)
        locks: AsyncExitStack | None = None
        try:
            op = next(body)
            while True:
                value: object = None
                error: BaseException | None = None
                try:
                    if isinstance(op, Send):
                        try:
                            response = yield op.request
                        except GeneratorExit as exc:
                            error = _Closed(exc)
                        else:
                            if op.token_endpoint:
                                await response.aread()
                            value = response
                    else:
                        if locks is None and isinstance(op, _LOCKING):
                            locks = AsyncExitStack()
                        value = await self._perform(op, locks)
                except Exception as exc:
                    error = exc
                op = _advance(body, value, error)
        except StopIteration as stop:
            result.append(cast(T, stop.value))
        finally:
            if locks is not None:
                await locks.aclose()
            body.close()

    async def run(
        self,
        core: Step[T],
        send: Callable[[httpx.Request], Awaitable[httpx.Response]],
        token_call: Callable[[httpx.Request], Awaitable[httpx.Response]],
        failed: Failed | None = None,
    ) -> T:
        """``SyncDriver.run``."""
        result: list[T] = []
        flow = self.flow(core, result)
        try:
            request = await flow.__anext__()
            while True:
                if request.extensions.get(RENEWAL_EXTENSION):
                    try:
                        response = await token_call(request)
                    except Exception as exc:
                        await flow.aclose()
                        if failed is None:
                            raise
                        raise failed(exc, request)  # noqa: B904 - failed() chains it
                else:
                    response = await send(request)
                response.request = request
                request = await flow.asend(response)
        except StopAsyncIteration:
            return result[0]
        finally:
            await flow.aclose()

    async def _perform(self, op: Op, locks: AsyncExitStack | None) -> object:
        if isinstance(op, Load):
            return await self.settings.store.aload()
        if isinstance(op, Release):
            await op.response.aread()
            await op.response.aclose()
        elif isinstance(op, Save):
            return await self.settings.store.asave(op.tokens)
        elif isinstance(op, Lock) and locks is not None:
            await locks.enter_async_context(
                self.settings.store.arefresh_lock(self.settings.lock_timeout)
            )
        elif isinstance(op, TryLock) and locks is not None:
            try:
                await locks.enter_async_context(self.settings.store.arefresh_lock(0))
            except StoreLockTimeout:
                return False
            return True
        elif isinstance(op, Unlock):
            if locks is not None:
                await locks.aclose()
        elif isinstance(op, Sleep):
            await anyio.sleep(op.seconds)
        elif isinstance(op, AskCredentials):
            return await self._credentials()
        return None

    async def _credentials(self) -> Credentials | None:
        provider = self.settings.credentials
        if provider is None:
            return None
        value: Any = provider()
        if inspect.isawaitable(value):
            value = await value
        return coerce_credentials(value)


def _advance(body: Generator[Op, object, T], value: object, error: BaseException | None) -> Op:
    """The body's next operation, given the last one's result or ``error``; a send that
    produced no response is raised as its own failure once the core has been told."""
    try:
        return body.send(value) if error is None else body.throw(error)
    except _Closed as closed_during:
        failure = closed_during.failure
    raise failure


def _close_awaitable(value: Awaitable[object]) -> None:
    close = getattr(value, "close", None)
    if callable(close):
        close()
