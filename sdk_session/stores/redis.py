"""A Redis token store: one session and one refresh for every process on every machine.

Everything that points at the same Redis and the same key prefix shares one
session. Two keys per prefix:

- ``<prefix>:session``, a hash written only by Lua scripts (atomic): the
  ``generation`` (``HINCRBY``, so strictly increasing whoever writes), the
  ``tokens`` as JSON (empty when there is no session), an ``attempts`` counter
  of finished renewals and the last renewal ``failure`` (empty after a success).
  ``load`` reads it with one ``HMGET``, so nobody sees half a record.
- ``<prefix>:lock``, the refresh lock: a random token set with ``NX`` and a
  lease (``PX``), released by a script only by its holder. While a refresh is
  in progress the holder renews the lease every ``lease / 3`` seconds (for at
  most ``max_hold`` seconds); a holder that dies (``kill -9``, lost machine)
  stops renewing and the lock frees itself after ``lease`` seconds. Waiters
  poll; the winner re-reads the store, finds the new generation and resends.

Saves are fenced: a holder whose lease was taken over by another process
cannot overwrite what the new holder writes (``StoreError``). The outcome of a
failed renewal is shared through the hash too, so the requests that waited in
other processes fail at once with the same ``SessionExpired`` instead of
being sent without a session (``SharedRefreshState``, as in the file store).

``redis`` (redis-py) is the optional extra ``items-sdk[redis]``, imported when
the first store is built. Redis errors become ``StoreUnavailable`` (a
``StoreError``) and never carry a token; the client reconnects by itself once
Redis is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from ..errors import StoreError, StoreLockTimeout, StoreUnavailable, TokenResponseError
from ..locks import RefreshLock, RefreshState
from ..tokens import TokenSet
from .base import DEFAULT_LOCK_TIMEOUT
from .file import SharedRefreshState, failure_from_json, failure_to_json

if TYPE_CHECKING:
    import redis as redis_sync
    import redis.asyncio as redis_async

__all__ = ["DEFAULT_LEASE", "RedisTokenStore", "StoreUnavailable"]

_log = logging.getLogger("sdk_session.stores.redis")

T = TypeVar("T")

DEFAULT_LEASE = 10.0
"""Seconds the refresh lock outlives a holder that stopped renewing it (crashed)."""

DEFAULT_SOCKET_TIMEOUT = 2.0
"""Seconds any Redis call may take before the store reports ``StoreUnavailable``."""

_POLL_MIN = 0.002
_POLL_MAX = 0.025

# KEYS: lock. ARGV: token, lease ms. 1 when held by token afterwards.
_ACQUIRE = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""

# KEYS: lock. ARGV: token, lease ms. 1 when still held and extended.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

# KEYS: session, lock. ARGV: token ('' = none), tokens JSON ('' = clear).
# The new generation, or -1 when another holder owns the lock.
_SAVE = """
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then return -1 end
local generation = redis.call('HINCRBY', KEYS[1], 'generation', 1)
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'tokens', ARGV[2], 'failure', '')
return generation
"""

# KEYS: lock, session. ARGV: token, failure JSON ('' = none).
# Records the failure (unless another holder took over), then releases.
_RELEASE = """
local holder = redis.call('GET', KEYS[1])
if ARGV[2] ~= '' and (not holder or holder == ARGV[1]) then
  redis.call('HINCRBY', KEYS[2], 'attempts', 1)
  redis.call('HSET', KEYS[2], 'failure', ARGV[2])
end
if holder == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

_FIELDS = ("generation", "tokens", "attempts", "failure")


def _redis_modules() -> tuple[Any, Any]:
    try:
        import redis
        import redis.asyncio
    except ImportError as exc:
        raise ImportError(
            "RedisTokenStore needs the 'redis' package (redis-py): pip install 'items-sdk[redis]'"
        ) from exc
    return redis, redis.asyncio


def _where(url: str | None) -> str:
    """``host:port/db`` of a Redis URL, never its user name or password."""
    if url is None:
        return "the given Redis client"
    parts = urlsplit(url)
    host = parts.hostname or parts.path or "localhost"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path if parts.hostname else ''}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


class RedisTokenStore:
    """Tokens in Redis, shared by every process and machine using the same ``prefix``.

    Args:
        url: A Redis URL (``redis://host:6379/0``, ``rediss://`` for TLS,
            ``unix:///path``). Optional when ``client`` (and, for async use,
            ``async_client``) are given.
        prefix: The key prefix; use one per upstream account (keys are
            ``<prefix>:session`` and ``<prefix>:lock``).
        lease: Seconds the refresh lock survives a holder that stopped renewing it.
        max_hold: Seconds after which a holder stops renewing its lease (a hung
            holder then loses the lock like a dead one).
        socket_timeout: Seconds each Redis call may take (``StoreUnavailable`` after).
        client / async_client: Ready-made redis-py clients to use instead of ``url``.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        prefix: str,
        lease: float = DEFAULT_LEASE,
        max_hold: float = 60.0,
        socket_timeout: float = DEFAULT_SOCKET_TIMEOUT,
        client: redis_sync.Redis | None = None,
        async_client: redis_async.Redis | None = None,
    ) -> None:
        redis, redis_asyncio = _redis_modules()
        if url is None and client is None and async_client is None:
            raise ValueError("RedisTokenStore needs a url or a client")
        if not prefix:
            raise ValueError("RedisTokenStore needs a non-empty key prefix")
        if lease <= 0 or max_hold <= 0 or socket_timeout <= 0:
            raise ValueError("lease, max_hold and socket_timeout must be positive")
        self.url = url
        self.prefix = prefix
        self.lease = lease
        self.max_hold = max_hold
        self.socket_timeout = socket_timeout
        self._session_key = f"{prefix}:session"
        self._lock_key = f"{prefix}:lock"
        self._where = _where(url)
        self._unavailable: tuple[type[BaseException], ...] = (
            redis.ConnectionError,
            redis.TimeoutError,
            OSError,
        )
        self._redis_error: type[BaseException] = redis.RedisError
        self._async_module = redis_asyncio
        if client is None and url is not None:
            client = redis.Redis.from_url(url, **self._client_options(redis))
        self._client: redis_sync.Redis | None = client
        self._async_client = async_client
        self._async_clients: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, redis_async.Redis
        ] = weakref.WeakKeyDictionary()
        self._guard = threading.Lock()
        self._lock = RefreshLock()
        self._state = SharedRefreshState()
        self._holder: str | None = None  # our lock token while this process holds the lock

    def _client_options(self, redis: Any) -> dict[str, Any]:
        # One quick reconnect attempt (Redis restarted: the pooled socket is dead),
        # never a retry loop that would hide an outage behind long waits.
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        return {
            "socket_timeout": self.socket_timeout,
            "socket_connect_timeout": self.socket_timeout,
            "retry": Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
        }

    @property
    def refresh_state(self) -> RefreshState:
        return self._state

    # -- clients and error mapping ---------------------------------------------

    def _sync(self) -> redis_sync.Redis:
        if self._client is None:
            raise StoreError("this RedisTokenStore was given only an async client")
        return self._client

    def _async(self) -> redis_async.Redis:
        if self._async_client is not None:
            return self._async_client
        if self.url is None:
            raise StoreError("this RedisTokenStore needs a url or async_client for async use")
        loop = asyncio.get_running_loop()  # redis.asyncio connections belong to one loop
        with self._guard:
            client = self._async_clients.get(loop)
            if client is None:
                options = self._client_options(_redis_modules()[0])
                client = self._async_module.Redis.from_url(self.url, **options)
                self._async_clients[loop] = client
            return client

    def _failed(self, exc: BaseException, what: str) -> StoreError:
        # Only the exception's type: redis-py messages are harmless today, but a
        # store error must never risk echoing a token.
        if isinstance(exc, self._unavailable):
            return StoreUnavailable(
                f"Redis token store {self.prefix!r} at {self._where} unavailable while "
                f"{what} ({type(exc).__name__})"
            )
        return StoreError(
            f"Redis token store {self.prefix!r} at {self._where} failed while "
            f"{what} ({type(exc).__name__})"
        )

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except self._redis_error as exc:
            raise self._failed(exc, what) from None
        except OSError as exc:
            raise self._failed(exc, what) from None

    async def _acall(self, what: str, fn: Callable[[], Awaitable[T]]) -> T:
        try:
            return await fn()
        except self._redis_error as exc:
            raise self._failed(exc, what) from None
        except OSError as exc:
            raise self._failed(exc, what) from None

    # -- reading and writing -----------------------------------------------------

    def _parse(self, values: list[Any]) -> TokenSet | None:
        generation_raw, tokens_raw, attempts_raw, failure_raw = (_text(v) for v in values)
        try:
            generation = int(generation_raw or 0)
            attempts = int(attempts_raw or 0)
            failure = failure_from_json(json.loads(failure_raw)) if failure_raw else None
            tokens = None
            if tokens_raw:
                record = json.loads(tokens_raw)
                if not isinstance(record, dict):
                    raise ValueError("not an object")
                record["generation"] = generation
                tokens = TokenSet.from_json(record)
        except (ValueError, KeyError, TypeError, TokenResponseError):
            raise StoreError(f"Redis token store {self.prefix!r} holds a corrupt record") from None
        self._state.seen(attempts, failure)
        return tokens

    def load(self) -> TokenSet | None:
        client = self._sync()
        values = self._call("loading", lambda: client.hmget(self._session_key, _FIELDS))
        return self._parse(list(values))

    async def aload(self) -> TokenSet | None:
        client = self._async()
        values = await self._acall("loading", lambda: client.hmget(self._session_key, _FIELDS))
        return self._parse(list(values))

    def _save_args(self, tokens: TokenSet | None) -> list[str]:
        payload = "" if tokens is None else json.dumps(tokens.to_json())
        return [self._session_key, self._lock_key, self._holder or "", payload]

    def _saved(self, tokens: TokenSet | None, result: object) -> TokenSet | None:
        generation = int(_text(result))
        if generation < 0:
            raise StoreError(
                f"Redis token store {self.prefix!r}: the refresh lock's lease expired and "
                "another process holds it; not overwriting its session"
            )
        _log.debug("Redis token store %r saved, generation %d", self.prefix, generation)
        return None if tokens is None else tokens.with_generation(generation)

    def save(self, tokens: TokenSet | None) -> TokenSet | None:
        """Write atomically with the next generation (caller holds the refresh lock)."""
        client = self._sync()
        args = self._save_args(tokens)
        result = self._call("saving", lambda: client.eval(_SAVE, 2, *args))
        return self._saved(tokens, result)

    async def asave(self, tokens: TokenSet | None) -> TokenSet | None:
        client = self._async()
        args = self._save_args(tokens)
        result = await self._acall("saving", lambda: client.eval(_SAVE, 2, *args))
        return self._saved(tokens, result)

    # -- the shared refresh lock -------------------------------------------------

    def _lease_ms(self) -> str:
        return str(max(int(self.lease * 1000), 1))

    def _timeout(self, timeout: float) -> StoreLockTimeout:
        return StoreLockTimeout(
            f"lock on Redis token store {self.prefix!r} not acquired within {timeout:g} s"
        )

    def _failure_json(self) -> str:
        data = failure_to_json(self._state.take_pending())
        return "" if data is None else json.dumps(data)

    def _release_failed(self, error: StoreError) -> None:
        _log.warning("%s; the lock frees itself after its %g s lease", error, self.lease)

    @contextlib.contextmanager
    def _hold(self, timeout: float) -> Iterator[None]:
        deadline = time.monotonic() + timeout
        with self._lock.hold(timeout):
            client = self._sync()
            token = secrets.token_hex(16)
            args = [self._lock_key, token, self._lease_ms()]
            delay = _POLL_MIN
            while not self._call("locking", lambda: client.eval(_ACQUIRE, 1, *args)):
                if time.monotonic() >= deadline:
                    raise self._timeout(timeout)
                time.sleep(min(delay, max(deadline - time.monotonic(), 0.0)))
                delay = min(delay * 2, _POLL_MAX)
            self._holder = token
            self._state.pending = None
            stop = threading.Event()
            renewer = threading.Thread(
                target=self._renew_loop, args=(token, stop), name="redis-lease", daemon=True
            )
            renewer.start()
            try:
                yield
            finally:
                stop.set()
                failure = self._failure_json()
                self._holder = None
                release = [self._lock_key, self._session_key, token, failure]
                try:
                    self._call("unlocking", lambda: client.eval(_RELEASE, 2, *release))
                except StoreError as error:
                    self._release_failed(error)

    def _renew_loop(self, token: str, stop: threading.Event) -> None:
        client = self._sync()
        until = time.monotonic() + self.max_hold
        args = [self._lock_key, token, self._lease_ms()]
        while not stop.wait(self.lease / 3):
            if time.monotonic() >= until:
                _log.warning("refresh lock held over %g s; no longer renewing it", self.max_hold)
                return
            try:
                if not self._call("renewing the lock", lambda: client.eval(_RENEW, 1, *args)):
                    _log.warning("the refresh lock's lease was lost before it could be renewed")
                    return
            except StoreError as error:
                _log.warning("%s", error)

    @contextlib.asynccontextmanager
    async def _ahold(self, timeout: float) -> AsyncIterator[None]:
        deadline = time.monotonic() + timeout
        async with self._lock.ahold(timeout):
            client = self._async()
            token = secrets.token_hex(16)
            args = [self._lock_key, token, self._lease_ms()]
            delay = _POLL_MIN
            while not await self._acall("locking", lambda: client.eval(_ACQUIRE, 1, *args)):
                if time.monotonic() >= deadline:
                    raise self._timeout(timeout)
                await asyncio.sleep(min(delay, max(deadline - time.monotonic(), 0.0)))
                delay = min(delay * 2, _POLL_MAX)
            self._holder = token
            self._state.pending = None
            renewer = asyncio.ensure_future(self._arenew_loop(client, token))
            try:
                yield
            finally:
                renewer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewer
                failure = self._failure_json()
                self._holder = None
                release = [self._lock_key, self._session_key, token, failure]
                try:
                    await self._acall("unlocking", lambda: client.eval(_RELEASE, 2, *release))
                except StoreError as error:
                    self._release_failed(error)

    async def _arenew_loop(self, client: redis_async.Redis, token: str) -> None:
        until = time.monotonic() + self.max_hold
        args = [self._lock_key, token, self._lease_ms()]
        while True:
            await asyncio.sleep(self.lease / 3)
            if time.monotonic() >= until:
                _log.warning("refresh lock held over %g s; no longer renewing it", self.max_hold)
                return
            try:
                renewed = await self._acall(
                    "renewing the lock", lambda: client.eval(_RENEW, 1, *args)
                )
            except StoreError as error:
                _log.warning("%s", error)
                continue
            if not renewed:
                _log.warning("the refresh lock's lease was lost before it could be renewed")
                return

    def refresh_lock(self, timeout: float = DEFAULT_LOCK_TIMEOUT) -> AbstractContextManager[None]:
        return self._hold(timeout)

    def arefresh_lock(
        self, timeout: float = DEFAULT_LOCK_TIMEOUT
    ) -> AbstractAsyncContextManager[None]:
        return self._ahold(timeout)

    # -- housekeeping ------------------------------------------------------------

    def close(self) -> None:
        """Close the sync client's connections (async ones: ``aclose``)."""
        if self._client is not None:
            self._client.close()

    async def aclose(self) -> None:
        """Close the async client of the running event loop."""
        loop = asyncio.get_running_loop()
        with self._guard:
            client = self._async_clients.pop(loop, None)
        if client is not None:
            await client.aclose()

    def __repr__(self) -> str:
        return f"RedisTokenStore(prefix={self.prefix!r}, at={self._where!r}, lease={self.lease:g})"
