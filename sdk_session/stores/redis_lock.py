"""The Redis token store's refresh lock: an in-process lock, then a lease in Redis.

Threads and tasks of this process queue on a ``RefreshLock`` first, so only
one of them polls Redis. The lease is a random token set with ``PX``; while
held it is renewed every ``lease / 3`` seconds (for at most ``max_hold``), so a
holder that dies frees it after ``lease`` seconds. A release that fails (a
failover) is retried in the background until the lease would have expired, so
the others do not wait out the whole lease once Redis answers again. The lease
records the session's generation when taken (``fence``), which saves check.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

from ..errors import StoreError, StoreLockTimeout
from ..locks import RefreshLock
from .file import SharedRefreshState, failure_to_json
from .redis_clients import Clients
from .redis_scripts import ACQUIRE, RELEASE, RENEW, Keys

__all__ = ["LeaseLock"]

_log = logging.getLogger("sdk_session.stores.redis")

_POLL_MIN = 0.002
_POLL_MAX = 0.025
_RELEASE_RETRY_MIN = 0.05
_RELEASE_RETRY_MAX = 0.5


class LeaseLock:
    """The refresh lock of one store, shared with every process using the same keys."""

    def __init__(
        self,
        clients: Clients,
        keys: Keys,
        state: SharedRefreshState,
        lease: float,
        max_hold: float,
    ) -> None:
        self.clients = clients
        self.keys = keys
        self.state = state
        self.lease = lease
        self.max_hold = max_hold
        self.holder: str | None = None  # our lock token while this process holds the lock
        self.fence: int | None = None  # the generation seen when the lock was taken
        self._lock = RefreshLock()
        self._closed = threading.Event()  # stops late lock releases
        self._releases: set[asyncio.Future[None]] = set()

    # -- shared by the sync and async lock ------------------------------------------

    def _lease_ms(self) -> str:
        return str(max(int(self.lease * 1000), 1))

    def _polls(self, deadline: float, timeout: float) -> Iterator[float]:
        """Pauses between attempts to take the lease, then ``StoreLockTimeout``."""
        delay = _POLL_MIN
        while True:
            if time.monotonic() >= deadline:
                raise StoreLockTimeout(
                    f"lock on Redis token store {self.clients.prefix!r} not acquired "
                    f"within {timeout:g} s"
                )
            yield min(delay, max(deadline - time.monotonic(), 0.0))
            delay = min(delay * 2, _POLL_MAX)

    def _taken(self, token: str, fence: int) -> None:
        self.holder, self.fence = token, fence
        self.state.pending = None

    def _release_args(self, token: str) -> list[Any]:
        """Forget the lease and name the failure to record with its release."""
        data = failure_to_json(self.state.take_pending())
        failure = "" if data is None else json.dumps(data)
        self.holder, self.fence = None, None
        return [RELEASE, 2, self.keys.lock, self.keys.session, token, failure]

    def _release_failed(self, error: StoreError) -> None:
        _log.warning(
            "%s; trying again until its %g s lease would free it (a failover: others wait "
            "for the lock meanwhile)",
            error,
            self.lease,
        )

    def _released_late(self) -> None:
        _log.info("Redis token store %r: refresh lock released late", self.clients.prefix)

    def _held_too_long(self) -> None:
        _log.warning("refresh lock held over %g s; no longer renewing it", self.max_hold)

    @staticmethod
    def _lost() -> None:
        _log.warning("the refresh lock's lease was lost before it could be renewed")

    # -- threads -----------------------------------------------------------------------

    @contextlib.contextmanager
    def hold(self, timeout: float) -> Iterator[None]:
        deadline = time.monotonic() + timeout
        with self._lock.hold(timeout):
            client = self.clients.sync()
            token = secrets.token_hex(16)
            args = [ACQUIRE, 2, self.keys.lock, self.keys.session, token, self._lease_ms()]
            polls = self._polls(deadline, timeout)
            while (fence := int(self.clients.call("locking", lambda: client.eval(*args)))) < 0:
                time.sleep(next(polls))
            self._taken(token, fence)
            stop = threading.Event()
            renewer = threading.Thread(
                target=self._renew_loop, args=(client, token, stop), name="redis-lease", daemon=True
            )
            renewer.start()
            try:
                yield
            finally:
                stop.set()
                release = self._release_args(token)

                def unlock() -> object:
                    return client.eval(*release)

                try:
                    self.clients.call("unlocking", unlock)
                except StoreError as error:
                    self._release_failed(error)
                    threading.Thread(
                        target=self._retry_release,
                        args=(unlock,),
                        name="redis-release",
                        daemon=True,
                    ).start()

    def _renew_loop(self, client: Any, token: str, stop: threading.Event) -> None:
        until = time.monotonic() + self.max_hold
        args = [RENEW, 1, self.keys.lock, token, self._lease_ms()]
        while not stop.wait(self.lease / 3):
            if time.monotonic() >= until:
                self._held_too_long()
                return
            try:
                if not self.clients.call("renewing the lock", lambda: client.eval(*args)):
                    self._lost()
                    return
            except StoreError as error:
                _log.warning("%s", error)

    def _retry_release(self, release: Callable[[], object]) -> None:
        deadline = time.monotonic() + self.lease
        delay = _RELEASE_RETRY_MIN
        while not self._closed.wait(delay) and time.monotonic() < deadline:
            try:
                self.clients.call("unlocking", release)
            except StoreError:
                delay = min(delay * 2, _RELEASE_RETRY_MAX)
                continue
            self._released_late()
            return

    # -- tasks -------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def ahold(self, timeout: float) -> AsyncIterator[None]:
        deadline = time.monotonic() + timeout
        async with self._lock.ahold(timeout):
            client = self.clients.async_()
            token = secrets.token_hex(16)
            args = [ACQUIRE, 2, self.keys.lock, self.keys.session, token, self._lease_ms()]
            polls = self._polls(deadline, timeout)

            async def acquire() -> int:
                return int(await self.clients.acall("locking", lambda: client.eval(*args)))

            while (fence := await acquire()) < 0:
                await asyncio.sleep(next(polls))
            self._taken(token, fence)
            renewer = asyncio.ensure_future(self._arenew_loop(client, token))
            try:
                yield
            finally:
                renewer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewer
                release = self._release_args(token)

                def aunlock() -> Awaitable[object]:
                    return client.eval(*release)  # type: ignore[no-any-return]

                try:
                    await self.clients.acall("unlocking", aunlock)
                except StoreError as error:
                    self._release_failed(error)
                    retry = asyncio.ensure_future(self._aretry_release(aunlock))
                    self._releases.add(retry)  # held until done (the loop keeps weak refs)
                    retry.add_done_callback(self._releases.discard)

    async def _arenew_loop(self, client: Any, token: str) -> None:
        until = time.monotonic() + self.max_hold
        args = [RENEW, 1, self.keys.lock, token, self._lease_ms()]
        while True:
            await asyncio.sleep(self.lease / 3)
            if time.monotonic() >= until:
                self._held_too_long()
                return
            try:
                renewed = await self.clients.acall("renewing the lock", lambda: client.eval(*args))
            except StoreError as error:
                _log.warning("%s", error)
                continue
            if not renewed:
                self._lost()
                return

    async def _aretry_release(self, release: Callable[[], Awaitable[object]]) -> None:
        deadline = time.monotonic() + self.lease
        delay = _RELEASE_RETRY_MIN
        while time.monotonic() < deadline and not self._closed.is_set():
            await asyncio.sleep(delay)
            try:
                await self.clients.acall("unlocking", release)
            except StoreError:
                delay = min(delay * 2, _RELEASE_RETRY_MAX)
                continue
            self._released_late()
            return

    # -- closing -----------------------------------------------------------------------

    def close(self) -> None:
        """Stop retrying late releases (their clients are closing)."""
        self._closed.set()

    def cancel_releases(self, loop: asyncio.AbstractEventLoop) -> None:
        for release in [r for r in self._releases if r.get_loop() is loop]:
            release.cancel()
