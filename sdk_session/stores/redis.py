"""A Redis token store: one session and one refresh for every process on every machine.

Everything that points at the same Redis deployment (one Redis, Redis Cluster,
or a primary with replicas behind Sentinel) and the same key prefix shares one
session. Two keys per prefix, both hash-tagged (``{<prefix>}``) so that every
script touches a single cluster slot:

- ``{<prefix>}:session``, a hash written only by Lua scripts (atomic): the
  ``generation`` (``HINCRBY``, so strictly increasing whoever writes), the
  ``tokens`` as JSON (empty when there is no session), an ``attempts`` counter
  of finished renewals and the last renewal ``failure`` (empty after a success).
  ``load`` reads it with one ``HMGET``, so nobody sees half a record.
- ``{<prefix>}:lock``, the refresh lock: a random token set with ``NX`` and a
  lease (``PX``), released by a script only by its holder. While a refresh is
  in progress the holder renews the lease every ``lease / 3`` seconds (for at
  most ``max_hold`` seconds); a holder that dies (``kill -9``, lost machine)
  stops renewing and the lock frees itself after ``lease`` seconds. Waiters
  poll; the winner re-reads the store, finds the new generation and resends.

Saves are fenced twice: a holder whose lease was taken over by another process,
or whose session was overwritten since it took the lock (a newer generation,
for instance after a failover lost the lock key), cannot overwrite it
(``StoreError``). After a save the store sends ``WAIT`` on the same connection
so the rotated refresh token is on ``wait_replicas`` replicas before anybody
uses it; when that is not confirmed in time it logs a warning and calls
``on_unreplicated``. The outcome of a failed renewal is shared through the hash
too, so the requests that waited in other processes fail at once with the same
``SessionExpired`` (``SharedRefreshState``, as in the file store).

``redis`` (redis-py) is the optional extra ``items-sdk[redis]``, imported when
the first store is built. Redis errors become ``StoreUnavailable`` (a
``StoreError``) and never carry a token; the client reconnects by itself once
Redis (or the new primary after a failover) is back.
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
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import StoreError, StoreLockTimeout, StoreUnavailable, TokenResponseError
from ..locks import RefreshLock, RefreshState
from ..tokens import TokenSet
from .base import DEFAULT_LOCK_TIMEOUT
from .file import SharedRefreshState, failure_from_json, failure_to_json
from .redis_topology import Topology, cluster_replicas, redis_modules, sentinel_addresses

if TYPE_CHECKING:
    import redis as redis_sync
    import redis.asyncio as redis_async
    import redis.asyncio.cluster
    import redis.cluster

__all__ = [
    "DEFAULT_LEASE",
    "DEFAULT_WAIT_TIMEOUT",
    "RedisTokenStore",
    "ReplicationUnconfirmed",
    "StoreUnavailable",
]

_log = logging.getLogger("sdk_session.stores.redis")

T = TypeVar("T")

DEFAULT_LEASE = 10.0
"""Seconds the refresh lock outlives a holder that stopped renewing it (crashed)."""

DEFAULT_SOCKET_TIMEOUT = 2.0
"""Seconds any Redis call may take before the store reports ``StoreUnavailable``."""

DEFAULT_WAIT_TIMEOUT = 1.0
"""Seconds a save waits for its replicas (``WAIT``) before it says it could not confirm
(capped at half the socket timeout)."""

_POLL_MIN = 0.002
_POLL_MAX = 0.025
_RELEASE_RETRY_MIN = 0.05
_RELEASE_RETRY_MAX = 0.5

# KEYS: lock, session. ARGV: token, lease ms.
# -1 when another holder has the lock; else the session's generation now (the fence).
_ACQUIRE = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return -1 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return tonumber(redis.call('HGET', KEYS[2], 'generation') or '0')
"""

# KEYS: lock. ARGV: token, lease ms. 1 when still held and extended.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

# KEYS: session, lock. ARGV: token ('' = none), tokens JSON ('' = clear),
# fence generation ('' = none). The new generation; -1 when another holder owns
# the lock, -2 when somebody saved since the fence was taken.
_SAVE = """
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then return -1 end
if ARGV[3] ~= '' then
  local current = tonumber(redis.call('HGET', KEYS[1], 'generation') or '0')
  if current ~= tonumber(ARGV[3]) then return -2 end
end
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


@dataclass(frozen=True, slots=True)
class ReplicationUnconfirmed:
    """A save that ``WAIT`` could not confirm on enough replicas in time.

    The tokens are saved on the primary and in use; a failover before the
    replicas catch up may bring back the previous, already spent refresh token.
    """

    prefix: str
    generation: int
    wanted: int
    acknowledged: int
    timeout: float  # 0: not waited for, fewer replicas were connected than wanted


OnUnreplicated = Callable[[ReplicationUnconfirmed], object]


@dataclass(frozen=True, slots=True)
class _Plan:
    """How a save deals with replicas: wanted (0: not at all), wait or just report."""

    wanted: int
    wait: bool
    connected: int = 0


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


def _replicas_of(role: Any) -> int:
    """Connected replicas in a ``ROLE`` reply of a primary (0 for anything else)."""
    if isinstance(role, list | tuple) and len(role) >= 3 and _text(role[0]) == "master":
        return len(role[2])
    return 0


class RedisTokenStore:
    """Tokens in Redis, shared by every process and machine using the same ``prefix``.

    Give one of: ``url`` (one Redis; with ``cluster=True``, any node of a Redis
    Cluster), ``sentinels`` + ``service_name`` (a primary behind Sentinel), or
    ready-made redis-py clients (``redis.Redis``, ``redis.cluster.RedisCluster``
    or ``Sentinel(...).master_for(...)``).

    Args:
        url: A Redis URL (``redis://host:6379/0``, ``rediss://`` for TLS,
            ``unix:///path``).
        prefix: The key prefix; use one per upstream account (keys are
            ``{<prefix>}:session`` and ``{<prefix>}:lock``).
        cluster: ``url`` names a node of a Redis Cluster.
        sentinels: Sentinel addresses, ``("host", 26379)`` or ``"host:26379"``.
        service_name: The primary's name in Sentinel (``sentinel monitor NAME``).
        sentinel_kwargs: Connection options for the Sentinels themselves (password).
        lease: Seconds the refresh lock survives a holder that stopped renewing it.
        max_hold: Seconds after which a holder stops renewing its lease (a hung
            holder then loses the lock like a dead one).
        socket_timeout: Seconds each Redis call may take (``StoreUnavailable`` after).
        wait_replicas: Replicas that must hold a save before it is used
            (``WAIT``). ``None``: 1 behind Sentinel, 1 on a cluster whose slot
            has replicas (connected or not, as the slot's primary lists them),
            1 on a single Redis with a connected replica, else 0.
            0 turns the wait off.
        wait_timeout: Seconds a save waits for them, less than ``socket_timeout``
            (default: 1 s, or half the socket timeout when that is shorter).
        on_unreplicated: Called with a ``ReplicationUnconfirmed`` when the wait
            was not confirmed in time (a warning is logged either way).
        client / async_client: Ready-made redis-py clients to use instead.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        prefix: str,
        cluster: bool = False,
        sentinels: Sequence[tuple[str, int] | str] | None = None,
        service_name: str | None = None,
        sentinel_kwargs: dict[str, Any] | None = None,
        lease: float = DEFAULT_LEASE,
        max_hold: float = 60.0,
        socket_timeout: float = DEFAULT_SOCKET_TIMEOUT,
        wait_replicas: int | None = None,
        wait_timeout: float | None = None,
        on_unreplicated: OnUnreplicated | None = None,
        client: redis_sync.Redis | redis.cluster.RedisCluster | None = None,
        async_client: redis_async.Redis | redis.asyncio.cluster.RedisCluster | None = None,
    ) -> None:
        redis = redis_modules()
        if wait_timeout is None:
            wait_timeout = min(DEFAULT_WAIT_TIMEOUT, socket_timeout / 2)
        if not prefix:
            raise ValueError("RedisTokenStore needs a non-empty key prefix")
        if lease <= 0 or max_hold <= 0 or socket_timeout <= 0 or wait_timeout <= 0:
            raise ValueError("lease, max_hold, socket_timeout and wait_timeout must be positive")
        if wait_timeout >= socket_timeout:
            raise ValueError("wait_timeout must be shorter than socket_timeout")
        if wait_replicas is not None and wait_replicas < 0:
            raise ValueError("wait_replicas must be 0 or more (None: automatic)")
        self.prefix = prefix
        self.lease = lease
        self.max_hold = max_hold
        self.socket_timeout = socket_timeout
        self.wait_replicas = wait_replicas
        self.wait_timeout = wait_timeout
        self.on_unreplicated = on_unreplicated
        self._session_key = f"{{{prefix}}}:session"
        self._lock_key = f"{{{prefix}}}:lock"
        self._topology = self._topology_of(
            redis, url, cluster, sentinels, service_name, sentinel_kwargs, client, async_client
        )
        self.url = url
        self._where = self._topology.describe()
        self._unavailable: tuple[type[BaseException], ...] = (
            redis.ConnectionError,
            redis.TimeoutError,
            redis.exceptions.ReadOnlyError,
            redis.exceptions.ClusterError,
            redis.exceptions.AskError,
            redis.exceptions.TryAgainError,
            redis.exceptions.RedisClusterException,
            OSError,
        )
        self._redis_error: tuple[type[BaseException], ...] = (
            redis.RedisError,
            redis.exceptions.RedisClusterException,
            OSError,
        )
        if client is None and (url is not None or sentinels is not None):
            client = self._topology.sync_client()
        self._client: Any = client
        self._async_client: Any = async_client
        self._async_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = (
            weakref.WeakKeyDictionary()
        )
        self._guard = threading.Lock()
        self._closed = threading.Event()  # stops late lock releases
        self._releases: set[asyncio.Future[None]] = set()
        self._lock = RefreshLock()
        self._state = SharedRefreshState()
        self._holder: str | None = None  # our lock token while this process holds the lock
        self._fence: int | None = None  # the generation seen when the lock was taken
        self._short = False  # the last wait found too few replicas

    def _topology_of(
        self,
        redis: Any,
        url: str | None,
        cluster: bool,
        sentinels: Sequence[tuple[str, int] | str] | None,
        service_name: str | None,
        sentinel_kwargs: dict[str, Any] | None,
        client: Any,
        async_client: Any,
    ) -> Topology:
        options = self._client_options(redis, cluster)
        given = [
            url is not None,
            sentinels is not None,
            client is not None or async_client is not None,
        ]
        if sum(given) != 1:
            raise ValueError(
                "RedisTokenStore needs exactly one of: a url, sentinels + service_name, "
                "or client/async_client"
            )
        if sentinels is not None:
            if not service_name:
                raise ValueError("RedisTokenStore with sentinels needs the service_name")
            return Topology(
                "sentinel",
                options,
                sentinels=sentinel_addresses(sentinels),
                service_name=service_name,
                sentinel_options=dict(sentinel_kwargs or {}),
            )
        if url is not None:
            return Topology("cluster" if cluster else "single", options, url=url)
        return Topology.of_client(client if client is not None else async_client, options)

    def _client_options(self, redis: Any, cluster: bool) -> dict[str, Any]:
        # One quick reconnect attempt (Redis restarted: the pooled socket is dead;
        # a cluster re-reads its slot map once), never a retry loop that would
        # hide an outage behind long waits. (Through the untyped module: redis-py annotates
        # Retry in some releases and not in others.)
        retry, no_backoff = redis.retry.Retry, redis.backoff.NoBackoff
        options: dict[str, Any] = {
            "socket_timeout": self.socket_timeout,
            "socket_connect_timeout": self.socket_timeout,
        }
        if cluster:
            options["retry"] = retry(no_backoff(), 1)
        else:
            options["retry"] = retry(no_backoff(), 1, supported_errors=(redis.ConnectionError,))
        return options

    @property
    def refresh_state(self) -> RefreshState:
        return self._state

    @property
    def deployment(self) -> str:
        """``single``, ``cluster`` or ``sentinel``."""
        return self._topology.kind

    # -- clients and error mapping ---------------------------------------------

    def _sync(self) -> Any:
        if self._client is None:
            raise StoreError("this RedisTokenStore was given only an async client")
        return self._client

    def _async(self) -> Any:
        if self._async_client is not None:
            return self._async_client
        if self.url is None and not self._topology.sentinels:
            raise StoreError("this RedisTokenStore needs a url, sentinels or async_client")
        loop = asyncio.get_running_loop()  # redis.asyncio connections belong to one loop
        with self._guard:
            client = self._async_clients.get(loop)
            if client is None:
                client = self._topology.async_client()
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

    async def _acall(self, what: str, fn: Callable[[], Awaitable[T]]) -> T:
        try:
            return await fn()
        except self._redis_error as exc:
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

    def _save_args(self, tokens: TokenSet | None) -> list[Any]:
        payload = "" if tokens is None else json.dumps(tokens.to_json())
        fence = "" if self._fence is None else str(self._fence)
        return [_SAVE, 2, self._session_key, self._lock_key, self._holder or "", payload, fence]

    def _saved(self, tokens: TokenSet | None, replies: list[Any], plan: _Plan) -> TokenSet | None:
        generation = int(_text(replies[0]))
        if generation == -1:
            raise StoreError(
                f"Redis token store {self.prefix!r}: the refresh lock's lease expired and "
                "another process holds it; not overwriting its session"
            )
        if generation < 0:
            raise StoreError(
                f"Redis token store {self.prefix!r}: another process saved a newer session "
                "since this one took the refresh lock (lost lease or failover); not overwriting it"
            )
        if self._holder is not None:
            self._fence = generation
        if plan.wanted > 0:
            acknowledged = int(_text(replies[1])) if plan.wait else plan.connected
            if acknowledged < plan.wanted:
                self._short = True
                timeout = self.wait_timeout if plan.wait else 0.0
                self._unreplicated(
                    ReplicationUnconfirmed(
                        self.prefix, generation, plan.wanted, acknowledged, timeout
                    )
                )
        _log.debug("Redis token store %r saved, generation %d", self.prefix, generation)
        return None if tokens is None else tokens.with_generation(generation)

    def _unreplicated(self, event: ReplicationUnconfirmed) -> None:
        _log.warning(
            "Redis token store %r: generation %d reached %d of %d replicas %s; "
            "a failover before they catch up would bring back the spent refresh token",
            event.prefix,
            event.generation,
            event.acknowledged,
            event.wanted,
            f"within {event.timeout:g} s" if event.timeout else "(not waited for: not connected)",
        )
        if self.on_unreplicated is not None:
            try:
                self.on_unreplicated(event)
            except Exception as exc:
                _log.error("on_unreplicated callback failed: %s", type(exc).__name__)

    def _plan(self, has_replicas: bool | None, role: Any) -> _Plan:
        """How many replicas to wait for; ``role`` is the primary's ``ROLE`` if fetched."""
        wanted = self.wait_replicas
        if wanted is None:
            if has_replicas is None:
                has_replicas = _replicas_of(role) > 0
            wanted = 1 if has_replicas else 0
        if wanted == 0 or not self._short:
            return _Plan(wanted, wait=wanted > 0)
        # The last wait fell short: wait again only once enough replicas are connected,
        # so a replica that is gone for good does not add the timeout to every save.
        connected = _replicas_of(role)
        if connected >= wanted:
            self._short = False
            return _Plan(wanted, wait=True)
        return _Plan(wanted, wait=False, connected=connected)

    def _asks_cluster(self, has_replicas: bool | None) -> bool:
        """The cluster client's slot map lists no replica: the primary's own view decides."""
        return (
            self.wait_replicas is None and has_replicas is None and self._topology.kind == "cluster"
        )

    def _needs_role(self, has_replicas: bool | None) -> bool:
        return (self.wait_replicas is None and has_replicas is None) or (
            self._short and self.wait_replicas != 0
        )

    def _write(self, client: Any, args: list[Any]) -> tuple[list[Any], _Plan]:
        primary = self._topology.primary_for(client, self._session_key)
        has_replicas = self._topology.has_replicas(client, self._session_key)
        if self._asks_cluster(has_replicas):
            has_replicas = cluster_replicas(primary.execute_command("CLUSTER NODES")) > 0
        role = primary.execute_command("ROLE") if self._needs_role(has_replicas) else None
        plan = self._plan(has_replicas, role)
        pipe = primary.pipeline(transaction=False)
        pipe.execute_command("EVAL", *args)
        if plan.wait:  # on the connection that wrote: WAIT counts its writes
            pipe.execute_command("WAIT", plan.wanted, int(self.wait_timeout * 1000))
        return list(pipe.execute()), plan

    def save(self, tokens: TokenSet | None) -> TokenSet | None:
        """Write atomically with the next generation, then wait for replicas (lock held)."""
        client = self._sync()
        args = self._save_args(tokens)

        def write() -> tuple[list[Any], _Plan]:
            try:
                return self._write(client, args)
            except self._unavailable:
                # a cluster may have failed over: re-read its slots and try the new primary
                if self._topology.kind != "cluster":
                    raise
                self._topology.forget_primary(client)
                return self._write(client, args)

        replies, plan = self._call("saving", write)
        return self._saved(tokens, replies, plan)

    async def _awrite(self, client: Any, args: list[Any]) -> tuple[list[Any], _Plan]:
        primary = await self._topology.aprimary_for(client, self._session_key)
        has_replicas = self._topology.has_replicas(client, self._session_key)
        if self._asks_cluster(has_replicas):
            has_replicas = cluster_replicas(await primary.execute_command("CLUSTER NODES")) > 0
        needs_role = self._needs_role(has_replicas)
        role = await primary.execute_command("ROLE") if needs_role else None
        plan = self._plan(has_replicas, role)
        pipe = primary.pipeline(transaction=False)
        pipe.execute_command("EVAL", *args)
        if plan.wait:
            pipe.execute_command("WAIT", plan.wanted, int(self.wait_timeout * 1000))
        return list(await pipe.execute()), plan

    async def asave(self, tokens: TokenSet | None) -> TokenSet | None:
        client = self._async()
        args = self._save_args(tokens)
        topology = self._topology

        async def write() -> tuple[list[Any], _Plan]:
            try:
                return await self._awrite(client, args)
            except self._unavailable:
                if topology.kind != "cluster":
                    raise
                await topology.aforget_primary(client)
                return await self._awrite(client, args)

        replies, plan = await self._acall("saving", write)
        return self._saved(tokens, replies, plan)

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
        _log.warning(
            "%s; trying again until its %g s lease would free it (a failover: others wait "
            "for the lock meanwhile)",
            error,
            self.lease,
        )

    def _retry_release(self, release: Callable[[], object]) -> None:
        """Release a lock whose release failed as soon as the store answers again, so
        the others do not wait out the whole lease after a failover."""
        deadline = time.monotonic() + self.lease
        delay = _RELEASE_RETRY_MIN
        while not self._closed.wait(delay) and time.monotonic() < deadline:
            try:
                self._call("unlocking", release)
            except StoreError:
                delay = min(delay * 2, _RELEASE_RETRY_MAX)
                continue
            _log.info("Redis token store %r: refresh lock released late", self.prefix)
            return

    async def _aretry_release(self, release: Callable[[], Awaitable[object]]) -> None:
        deadline = time.monotonic() + self.lease
        delay = _RELEASE_RETRY_MIN
        while time.monotonic() < deadline and not self._closed.is_set():
            await asyncio.sleep(delay)
            try:
                await self._acall("unlocking", release)
            except StoreError:
                delay = min(delay * 2, _RELEASE_RETRY_MAX)
                continue
            _log.info("Redis token store %r: refresh lock released late", self.prefix)
            return

    @contextlib.contextmanager
    def _hold(self, timeout: float) -> Iterator[None]:
        deadline = time.monotonic() + timeout
        with self._lock.hold(timeout):
            client = self._sync()
            token = secrets.token_hex(16)
            args = [self._lock_key, self._session_key, token, self._lease_ms()]
            delay = _POLL_MIN
            while (
                fence := int(self._call("locking", lambda: client.eval(_ACQUIRE, 2, *args)))
            ) < 0:
                if time.monotonic() >= deadline:
                    raise self._timeout(timeout)
                time.sleep(min(delay, max(deadline - time.monotonic(), 0.0)))
                delay = min(delay * 2, _POLL_MAX)
            self._holder, self._fence = token, fence
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
                self._holder, self._fence = None, None
                release = [self._lock_key, self._session_key, token, failure]

                def unlock() -> object:
                    return client.eval(_RELEASE, 2, *release)

                try:
                    self._call("unlocking", unlock)
                except StoreError as error:
                    self._release_failed(error)
                    threading.Thread(
                        target=self._retry_release,
                        args=(unlock,),
                        name="redis-release",
                        daemon=True,
                    ).start()

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
            args = [self._lock_key, self._session_key, token, self._lease_ms()]
            delay = _POLL_MIN

            async def acquire() -> int:
                return int(await self._acall("locking", lambda: client.eval(_ACQUIRE, 2, *args)))

            while (fence := await acquire()) < 0:
                if time.monotonic() >= deadline:
                    raise self._timeout(timeout)
                await asyncio.sleep(min(delay, max(deadline - time.monotonic(), 0.0)))
                delay = min(delay * 2, _POLL_MAX)
            self._holder, self._fence = token, fence
            self._state.pending = None
            renewer = asyncio.ensure_future(self._arenew_loop(client, token))
            try:
                yield
            finally:
                renewer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewer
                failure = self._failure_json()
                self._holder, self._fence = None, None
                release = [self._lock_key, self._session_key, token, failure]

                def aunlock() -> Awaitable[object]:
                    return client.eval(_RELEASE, 2, *release)  # type: ignore[no-any-return]

                try:
                    await self._acall("unlocking", aunlock)
                except StoreError as error:
                    self._release_failed(error)
                    retry = asyncio.ensure_future(self._aretry_release(aunlock))
                    self._releases.add(retry)  # held until done (the loop keeps weak refs)
                    retry.add_done_callback(self._releases.discard)

    async def _arenew_loop(self, client: Any, token: str) -> None:
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
        self._closed.set()
        if self._client is not None:
            self._client.close()

    async def aclose(self) -> None:
        """Close the async clients of the running event loop."""
        loop = asyncio.get_running_loop()
        for release in [r for r in self._releases if r.get_loop() is loop]:
            release.cancel()  # its client is closing
        with self._guard:
            client = self._async_clients.pop(loop, None)
        await self._topology.aclose_nodes()
        if client is not None:
            await client.aclose()

    def __repr__(self) -> str:
        return f"RedisTokenStore(prefix={self.prefix!r}, at={self._where!r}, lease={self.lease:g})"
