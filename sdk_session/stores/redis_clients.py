"""The Redis token store's redis-py clients: how they are built, and how their errors read.

The sync client and the asyncio clients (one per event loop: redis.asyncio
connections belong to the loop that opened them) share socket timeouts and a
retry policy, but each gets a ``Retry`` of its own flavour: redis-py 8 warns
about, and converts, a ``redis.retry.Retry`` handed to an asyncio client.
Errors become ``StoreUnavailable`` or ``StoreError`` naming only the
exception's type, so a store error can never echo a token.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from ..errors import StoreError, StoreUnavailable
from .redis_topology import Topology, redis_modules

__all__ = ["Clients", "build_client", "client_options"]

T = TypeVar("T")


def client_options(
    topology: Topology, socket_timeout: float, *, asynchronous: bool
) -> dict[str, Any]:
    """Timeouts and retry policy of the clients the store builds itself."""
    redis = redis_modules()
    flavour = redis.asyncio if asynchronous else redis
    # One quick reconnect attempt (Redis restarted: the pooled socket is dead; a cluster
    # re-reads its slot map once), never a retry loop that would hide an outage behind long
    # waits. Through the untyped module: redis-py annotates Retry in some releases only.
    retry, no_backoff = flavour.retry.Retry, redis.backoff.NoBackoff
    options: dict[str, Any] = {
        "socket_timeout": socket_timeout,
        "socket_connect_timeout": socket_timeout,
    }
    if topology.kind == "cluster":
        options["retry"] = retry(no_backoff(), 1)
    else:
        options["retry"] = retry(no_backoff(), 1, supported_errors=(redis.ConnectionError,))
    return options


def build_client(topology: Topology, socket_timeout: float, *, asynchronous: bool) -> Any:
    """A client of ``topology`` from ``redis`` or, with the same names, ``redis.asyncio``."""
    redis = redis_modules()
    flavour = redis.asyncio if asynchronous else redis
    options = client_options(topology, socket_timeout, asynchronous=asynchronous)
    if topology.kind == "sentinel":
        timeouts = {k: v for k, v in options.items() if k.startswith("socket_")}
        sentinel = flavour.sentinel.Sentinel(
            list(topology.sentinels),
            sentinel_kwargs={**timeouts, **topology.sentinel_options},
            **options,
        )
        return sentinel.master_for(topology.service_name, **options)
    if topology.kind == "cluster":
        return flavour.cluster.RedisCluster.from_url(topology.url, **options)
    return flavour.Redis.from_url(topology.url, **options)


class Clients:
    """The clients of one store, and its calls through them with errors mapped."""

    def __init__(
        self,
        topology: Topology,
        prefix: str,
        socket_timeout: float,
        client: Any,
        async_client: Any,
    ) -> None:
        redis = redis_modules()
        self.topology = topology
        self.prefix = prefix
        self.socket_timeout = socket_timeout
        self.where = topology.describe()
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
        if client is None and (topology.url is not None or topology.sentinels):
            client = build_client(topology, socket_timeout, asynchronous=False)
        self._client: Any = client
        self._async_client: Any = async_client
        self._async_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = (
            weakref.WeakKeyDictionary()
        )
        self._guard = threading.Lock()

    @property
    def unavailable(self) -> tuple[type[BaseException], ...]:
        """The errors that mean Redis (or this node) cannot be reached right now."""
        return self._unavailable

    def sync(self) -> Any:
        if self._client is None:
            raise StoreError("this RedisTokenStore was given only an async client")
        return self._client

    def async_(self) -> Any:
        if self._async_client is not None:
            return self._async_client
        if self.topology.url is None and not self.topology.sentinels:
            raise StoreError("this RedisTokenStore needs a url, sentinels or async_client")
        loop = asyncio.get_running_loop()  # redis.asyncio connections belong to one loop
        with self._guard:
            client = self._async_clients.get(loop)
            if client is None:
                client = build_client(self.topology, self.socket_timeout, asynchronous=True)
                self._async_clients[loop] = client
            return client

    def _failed(self, exc: BaseException, what: str) -> StoreError:
        # Only the exception's type: redis-py messages are harmless today, but a
        # store error must never risk echoing a token.
        if isinstance(exc, self._unavailable):
            return StoreUnavailable(
                f"Redis token store {self.prefix!r} at {self.where} unavailable while "
                f"{what} ({type(exc).__name__})"
            )
        return StoreError(
            f"Redis token store {self.prefix!r} at {self.where} failed while "
            f"{what} ({type(exc).__name__})"
        )

    def call(self, what: str, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except self._redis_error as exc:
            raise self._failed(exc, what) from None

    async def acall(self, what: str, fn: Callable[[], Awaitable[T]]) -> T:
        try:
            return await fn()
        except self._redis_error as exc:
            raise self._failed(exc, what) from None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    async def aclose(self) -> None:
        """Close the clients of the running event loop."""
        loop = asyncio.get_running_loop()
        with self._guard:
            client = self._async_clients.pop(loop, None)
        await self.topology.aclose_nodes()
        if client is not None:
            await client.aclose()
