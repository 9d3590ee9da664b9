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

The store is split by job: ``redis_scripts`` (keys and Lua scripts),
``redis_clients`` (building redis-py clients, mapping their errors),
``redis_topology`` (one Redis, Cluster or Sentinel: where a save must go),
``redis_lock`` (the lease) and ``redis_replication`` (``WAIT`` and its reports);
this module ties them into the ``TokenStore`` protocol.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import TYPE_CHECKING, Any

from ..errors import StoreError, StoreUnavailable, TokenResponseError
from ..locks import RefreshState
from ..tokens import TokenSet
from .base import DEFAULT_LOCK_TIMEOUT
from .file import SharedRefreshState, failure_from_json
from .redis_clients import Clients
from .redis_lock import LeaseLock
from .redis_replication import (
    OnUnreplicated,
    Plan,
    Questions,
    Replication,
    ReplicationUnconfirmed,
)
from .redis_scripts import FIELDS, SAVE, Keys, text
from .redis_topology import redis_modules, topology_of

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

DEFAULT_LEASE = 10.0
"""Seconds the refresh lock outlives a holder that stopped renewing it (crashed)."""

DEFAULT_SOCKET_TIMEOUT = 2.0
"""Seconds any Redis call may take before the store reports ``StoreUnavailable``."""

DEFAULT_WAIT_TIMEOUT = 1.0
"""Seconds a save waits for its replicas (``WAIT``) before it says it could not confirm
(capped at half the socket timeout)."""


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
        redis_modules()  # the ImportError that names the extra, before anything else
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
        self.url = url
        self.socket_timeout = socket_timeout
        self._keys = Keys.of(prefix)
        self._topology = topology_of(
            url, cluster, sentinels, service_name, sentinel_kwargs, client, async_client
        )
        self._clients = Clients(self._topology, prefix, socket_timeout, client, async_client)
        self._state = SharedRefreshState()
        self._lock = LeaseLock(self._clients, self._keys, self._state, lease, max_hold)
        self._replication = Replication(prefix, wait_replicas, wait_timeout, on_unreplicated)

    @property
    def refresh_state(self) -> RefreshState:
        return self._state

    @property
    def deployment(self) -> str:
        """``single``, ``cluster`` or ``sentinel``."""
        return self._topology.kind

    @property
    def lease(self) -> float:
        return self._lock.lease

    @property
    def max_hold(self) -> float:
        return self._lock.max_hold

    @property
    def wait_replicas(self) -> int | None:
        return self._replication.wait_replicas

    @property
    def wait_timeout(self) -> float:
        return self._replication.wait_timeout

    @property
    def on_unreplicated(self) -> OnUnreplicated | None:
        return self._replication.on_unreplicated

    @on_unreplicated.setter
    def on_unreplicated(self, callback: OnUnreplicated | None) -> None:
        self._replication.on_unreplicated = callback

    # -- reading -----------------------------------------------------------------

    def _parse(self, values: list[Any]) -> TokenSet | None:
        generation_raw, tokens_raw, attempts_raw, failure_raw = (text(v) for v in values)
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
        client = self._clients.sync()
        values = self._clients.call("loading", lambda: client.hmget(self._keys.session, FIELDS))
        return self._parse(list(values))

    async def aload(self) -> TokenSet | None:
        client = self._clients.async_()
        values = await self._clients.acall(
            "loading", lambda: client.hmget(self._keys.session, FIELDS)
        )
        return self._parse(list(values))

    # -- writing -----------------------------------------------------------------

    def _save_args(self, tokens: TokenSet | None) -> list[Any]:
        payload = "" if tokens is None else json.dumps(tokens.to_json())
        lock = self._lock
        fence = "" if lock.fence is None else str(lock.fence)
        return [SAVE, 2, self._keys.session, self._keys.lock, lock.holder or "", payload, fence]

    def _questions(self, client: Any) -> Questions:
        has_replicas = self._topology.has_replicas(client, self._keys.session)
        return self._replication.questions(self._topology.kind, has_replicas)

    def _pipeline(self, primary: Any, args: list[Any], plan: Plan) -> Any:
        pipe = primary.pipeline(transaction=False)
        pipe.execute_command("EVAL", *args)
        if plan.wait:  # on the connection that wrote: WAIT counts its writes
            pipe.execute_command(*self._replication.wait_command(plan))
        return pipe

    def _saved(self, tokens: TokenSet | None, replies: list[Any], plan: Plan) -> TokenSet | None:
        generation = int(text(replies[0]))
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
        if self._lock.holder is not None:
            self._lock.fence = generation
        self._replication.check(generation, plan, replies[1] if plan.wait else None)
        _log.debug("Redis token store %r saved, generation %d", self.prefix, generation)
        return None if tokens is None else tokens.with_generation(generation)

    def _write(self, client: Any, args: list[Any]) -> tuple[list[Any], Plan]:
        primary = self._topology.primary_for(client, self._keys.session)
        questions = self._questions(client)
        try:
            command = next(questions)
            while True:
                command = questions.send(primary.execute_command(command))
        except StopIteration as done:
            plan: Plan = done.value
        return list(self._pipeline(primary, args, plan).execute()), plan

    def save(self, tokens: TokenSet | None) -> TokenSet | None:
        """Write atomically with the next generation, then wait for replicas (lock held)."""
        client = self._clients.sync()
        args = self._save_args(tokens)

        def write() -> tuple[list[Any], Plan]:
            try:
                return self._write(client, args)
            except self._clients.unavailable:
                # a cluster may have failed over: re-read its slots and try the new primary
                if self._topology.kind != "cluster":
                    raise
                self._topology.forget_primary(client)
                return self._write(client, args)

        replies, plan = self._clients.call("saving", write)
        return self._saved(tokens, replies, plan)

    async def _awrite(self, client: Any, args: list[Any]) -> tuple[list[Any], Plan]:
        primary = await self._topology.aprimary_for(client, self._keys.session)
        questions = self._questions(client)
        try:
            command = next(questions)
            while True:
                command = questions.send(await primary.execute_command(command))
        except StopIteration as done:
            plan: Plan = done.value
        return list(await self._pipeline(primary, args, plan).execute()), plan

    async def asave(self, tokens: TokenSet | None) -> TokenSet | None:
        client = self._clients.async_()
        args = self._save_args(tokens)
        topology = self._topology

        async def write() -> tuple[list[Any], Plan]:
            try:
                return await self._awrite(client, args)
            except self._clients.unavailable:
                if topology.kind != "cluster":
                    raise
                await topology.aforget_primary(client)
                return await self._awrite(client, args)

        replies, plan = await self._clients.acall("saving", write)
        return self._saved(tokens, replies, plan)

    # -- the shared refresh lock and housekeeping --------------------------------

    def refresh_lock(self, timeout: float = DEFAULT_LOCK_TIMEOUT) -> AbstractContextManager[None]:
        return self._lock.hold(timeout)

    def arefresh_lock(
        self, timeout: float = DEFAULT_LOCK_TIMEOUT
    ) -> AbstractAsyncContextManager[None]:
        return self._lock.ahold(timeout)

    def close(self) -> None:
        """Close the sync client's connections (async ones: ``aclose``)."""
        self._lock.close()
        self._clients.close()

    async def aclose(self) -> None:
        """Close the async clients of the running event loop."""
        self._lock.cancel_releases(asyncio.get_running_loop())  # their client is closing
        await self._clients.aclose()

    def __repr__(self) -> str:
        where = self._clients.where
        return f"RedisTokenStore(prefix={self.prefix!r}, at={where!r}, lease={self.lease:g})"
