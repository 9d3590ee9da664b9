"""In-process refresh coordination shared by everything that uses one token store.

``RefreshLock`` serialises refreshes across threads and across asyncio tasks of
any number of event loops: a task first queues on a per-loop ``asyncio.Lock``
(so waiting never blocks its loop), then takes the process-wide thread lock by
polling it. ``RefreshState`` lets the requests that waited on a refresh learn
that it failed, so they fail at once with the same error instead of trying again
one after another (a dead network would otherwise make each waiter time out in
turn, and a spent refresh token would be presented twice).
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
import weakref
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import anyio

from .errors import SessionExpired, StoreLockTimeout
from .timing import LatencyWindow, ServerClock
from .tokens import TokenSet

__all__ = ["RefreshLock", "RefreshState"]

_POLL_MIN = 0.001
_POLL_MAX = 0.02


class RefreshLock:
    """A lock that threads take blocking and coroutines take without blocking their loop."""

    def __init__(self) -> None:
        self._thread_lock = threading.Lock()
        self._guard = threading.Lock()
        self._loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def acquire(self, timeout: float) -> None:
        if not self._thread_lock.acquire(timeout=max(timeout, 0.0)):
            raise StoreLockTimeout(f"refresh lock not acquired within {timeout:g} s")

    def release(self) -> None:
        self._thread_lock.release()

    def _loop_lock(self) -> asyncio.Lock | None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # another async library (trio): polling alone serialises
            return None
        with self._guard:
            lock = self._loop_locks.get(loop)
            if lock is None:
                lock = self._loop_locks[loop] = asyncio.Lock()
            return lock

    async def aacquire(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        loop_lock = self._loop_lock()
        if loop_lock is not None:
            try:
                async with asyncio.timeout(max(timeout, 0.0)):
                    await loop_lock.acquire()
            except TimeoutError:
                raise StoreLockTimeout(f"refresh lock not acquired within {timeout:g} s") from None
        try:
            delay = _POLL_MIN
            while not self._thread_lock.acquire(blocking=False):
                if time.monotonic() >= deadline:
                    raise StoreLockTimeout(f"refresh lock not acquired within {timeout:g} s")
                await anyio.sleep(delay)
                delay = min(delay * 2, _POLL_MAX)
        except BaseException:
            if loop_lock is not None:
                loop_lock.release()
            raise

    def arelease(self) -> None:
        self._thread_lock.release()
        loop_lock = self._loop_lock()
        if loop_lock is not None:
            loop_lock.release()

    @contextmanager
    def hold(self, timeout: float) -> Iterator[None]:
        self.acquire(timeout)
        try:
            yield
        finally:
            self.release()

    @asynccontextmanager
    async def ahold(self, timeout: float) -> AsyncIterator[None]:
        await self.aacquire(timeout)
        try:
            yield
        finally:
            self.arelease()


class RefreshState:
    """The outcome of the last renewal attempt, read by requests that waited on it.

    Mutated only while the store's refresh lock is held. A request takes a
    ``ticket()`` before queueing for the lock; once it holds the lock and sees
    that the store still has no newer token, ``failure_since(ticket)`` returns
    the error of an attempt that ended while it waited, which it raises as is.
    """

    def __init__(self) -> None:
        self._attempts = 0
        self._failure: SessionExpired | None = None
        self.latest: TokenSet | None = None
        """The newest tokens this process has seen in the store (no store I/O to read it).
        A transport-level retry re-signs from it, so a request that waited in backoff
        while another client renewed leaves with the current token. Set by ``note``."""
        self._latest_guard = threading.Lock()
        self.judged: tuple[int, float] = (-1, 0.0)
        """``(dead_generation, renewal)``, one value replaced when either changes: a
        decision cached against it holds while it is the same object."""
        self.server_clock = ServerClock()
        self.latency = LatencyWindow()
        self.try_after = 0.0
        """Local time before which nobody here tries the lock for a renewal ahead of time."""
        self.unsaved: tuple[int, TokenSet] | None = None
        """Tokens a renewal here got but the store failed to save, with the generation
        they replace: the next renewal saves them instead of spending that generation's
        (already spent) refresh token again."""

    @property
    def dead_generation(self) -> int:
        """The newest generation the upstream answered 401 to while it was current."""
        return self.judged[0]

    @property
    def renewal(self) -> float:
        """Seconds the last refresh call took (refresh ahead starts early enough for it)."""
        return self.judged[1]

    @renewal.setter
    def renewal(self, seconds: float) -> None:
        with self._latest_guard:
            self.judged = (self.judged[0], seconds)

    def mark_dead(self, generation: int) -> None:
        """A 401 came back for ``generation`` while it was current: new requests must wait
        for its renewal instead of leaving with it."""
        with self._latest_guard:
            dead, renewal = self.judged
            if generation > dead:
                self.judged = (generation, renewal)

    def claim_ahead(self, now: float) -> bool:
        """Claim the renewal ahead of time for a background runner: ``True`` for exactly
        one caller once ``try_after`` has passed (the others keep going meanwhile)."""
        with self._latest_guard:
            if now < self.try_after:
                return False
            self.try_after = math.inf
            return True

    def is_dead(self, tokens: TokenSet) -> bool:
        return tokens.generation <= self.judged[0]

    def ended(self) -> SessionExpired | None:
        """The failure that ended the session, if that is how the last renewal ended
        (a fresh copy for the caller), else ``None``."""
        failure = self.last_failure()
        if failure is None or not failure.session_ended:
            return None
        return failure.for_waiter()

    def last_failure(self) -> SessionExpired | None:
        return self._failure

    def note(self, tokens: TokenSet | None, *, saved: bool = False) -> None:
        """Remember ``tokens`` if newer than what is known; what was just saved always is."""
        if not saved and tokens is self.latest:
            return  # the common case, signing with the known tokens: no lock
        with self._latest_guard:
            latest = self.latest
            if saved or (
                tokens is not None and (latest is None or tokens.generation > latest.generation)
            ):
                self.latest = tokens

    def ticket(self) -> int:
        return self._attempts

    def record_success(self) -> None:
        self._attempts += 1
        self._failure = None

    def record_failure(self, error: SessionExpired) -> None:
        self._attempts += 1
        self._failure = error

    def failure_since(self, ticket: int) -> SessionExpired | None:
        if self._attempts == ticket or self._failure is None:
            return None
        return self._failure.for_waiter()
