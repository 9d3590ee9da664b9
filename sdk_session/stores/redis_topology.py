"""How the Redis token store reaches the primary: one Redis, Redis Cluster, or Sentinel.

The store needs two things from a deployment: a client for ordinary commands
(redis-py follows ``MOVED`` redirections and Sentinel's current primary by
itself) and, for a save, *one connection to the primary that owns the session
key*, because ``WAIT`` counts the replicas that acknowledged the writes of the
connection it is sent on. A cluster client would send a keyless ``WAIT`` to
every primary and add up the answers, so for a cluster the save goes to the
key's node directly. The clients themselves are built in ``redis_clients``.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "Topology",
    "cluster_replicas",
    "redis_modules",
    "sentinel_addresses",
    "topology_of",
    "where",
]


def redis_modules() -> Any:
    """The ``redis`` package, or an ImportError that names the extra."""
    try:
        import redis
        import redis.asyncio
        import redis.asyncio.cluster
        import redis.asyncio.retry
        import redis.asyncio.sentinel
        import redis.backoff
        import redis.cluster
        import redis.retry
        import redis.sentinel
    except ImportError as exc:
        raise ImportError(
            "RedisTokenStore needs the 'redis' package (redis-py): pip install 'items-sdk[redis]'"
        ) from exc
    return redis


def where(url: str | None) -> str:
    """``scheme://host:port/db`` of a Redis URL, never its user name or password."""
    if url is None:
        return "the given Redis client"
    parts = urlsplit(url)
    host = parts.hostname or parts.path or "localhost"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path if parts.hostname else ''}"


# Keys of a cluster node's connection settings that belong to the cluster client.
_CLUSTER_ONLY = frozenset({"redis_connect_func"})


@dataclass
class Topology:
    """One deployment: ``kind`` is ``single``, ``cluster`` or ``sentinel``."""

    kind: str
    url: str | None = None
    sentinels: tuple[tuple[str, int], ...] = ()
    service_name: str | None = None
    sentinel_options: dict[str, Any] = field(default_factory=dict)
    _async_nodes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Any]] = field(
        default_factory=weakref.WeakKeyDictionary
    )

    @classmethod
    def of_client(cls, client: object) -> Topology:
        redis = redis_modules()
        clusters = (redis.cluster.RedisCluster, redis.asyncio.cluster.RedisCluster)
        if isinstance(client, clusters):
            return cls("cluster")
        pool = getattr(client, "connection_pool", None)
        sentinel_pools = (
            redis.sentinel.SentinelConnectionPool,
            redis.asyncio.sentinel.SentinelConnectionPool,
        )
        return cls("sentinel" if isinstance(pool, sentinel_pools) else "single")

    def describe(self) -> str:
        if self.kind == "sentinel" and self.sentinels:
            hosts = ",".join(f"{host}:{port}" for host, port in self.sentinels)
            return f"sentinel://{hosts}/{self.service_name}"
        text = where(self.url)
        return f"cluster {text}" if self.kind == "cluster" and self.url else text

    # -- the primary connection that owns a key -------------------------------------

    def primary_for(self, client: Any, key: str) -> Any:
        """A plain client on the primary holding ``key`` (the client itself unless clustered)."""
        if self.kind != "cluster":
            return client
        return client.get_redis_connection(client.get_node_from_key(key))

    def has_replicas(self, client: Any, key: str) -> bool | None:
        """Whether the deployment keeps replicas of ``key``; ``None``: ask the primary.

        A Sentinel deployment exists to fail over to replicas, and a cluster's
        slot map lists the replicas of each slot, so neither depends on whether
        a replica happens to be connected at this moment (then is when waiting
        matters, and when not being able to should be reported).
        """
        if self.kind == "sentinel":
            return True
        if self.kind == "cluster":
            slots = client.nodes_manager.slots_cache.get(client.keyslot(key)) or ()
            # A replica a node has not yet heard from since it (re)joined is left out
            # of that node's slot map: ``None`` sends the question to the primary.
            return True if len(slots) > 1 else None
        return None

    def forget_primary(self, client: Any) -> None:
        """After a failed save: re-read the cluster's slot map (failover, resharding)."""
        if self.kind == "cluster":
            client.nodes_manager.initialize()

    async def aprimary_for(self, client: Any, key: str) -> Any:
        if self.kind != "cluster":
            return client
        redis = redis_modules()
        await client.initialize()
        node = client.get_node_from_key(key)
        loop = asyncio.get_running_loop()
        nodes = self._async_nodes.setdefault(loop, {})
        primary = nodes.get(node.name)
        if primary is None:
            kwargs = {k: v for k, v in node.connection_kwargs.items() if k not in _CLUSTER_ONLY}
            pool = redis.asyncio.ConnectionPool(connection_class=node.connection_class, **kwargs)
            primary = redis.asyncio.Redis(connection_pool=pool)
            nodes[node.name] = primary
        return primary

    async def aforget_primary(self, client: Any) -> None:
        if self.kind == "cluster":
            await client.nodes_manager.initialize()

    async def aclose_nodes(self) -> None:
        nodes = self._async_nodes.pop(asyncio.get_running_loop(), {})
        for node in nodes.values():
            await node.aclose()


def topology_of(
    url: str | None,
    cluster: bool,
    sentinels: Sequence[tuple[str, int] | str] | None,
    service_name: str | None,
    sentinel_kwargs: dict[str, Any] | None,
    client: object,
    async_client: object,
) -> Topology:
    """The deployment the store's arguments name; exactly one way must be given."""
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
            sentinels=sentinel_addresses(sentinels),
            service_name=service_name,
            sentinel_options=dict(sentinel_kwargs or {}),
        )
    if url is not None:
        return Topology("cluster" if cluster else "single", url=url)
    return Topology.of_client(client if client is not None else async_client)


def cluster_replicas(reply: Any) -> int:
    """Replicas a cluster primary lists for itself in its ``CLUSTER NODES`` reply.

    Connected or not: a replica whose link is down at this moment is when waiting
    for one matters. redis-py may hand the reply over parsed (a dict of nodes).
    """
    if isinstance(reply, dict):
        nodes = [(str(n["node_id"]), str(n["flags"]), str(n["master_id"])) for n in reply.values()]
    else:
        text = reply.decode("utf-8") if isinstance(reply, bytes) else str(reply)
        fields = [line.split(" ") for line in text.splitlines() if line.strip()]
        nodes = [(f[0], f[2], f[3]) for f in fields if len(f) >= 4]
    me = next((node_id for node_id, flags, _ in nodes if "myself" in flags.split(",")), None)
    if me is None:
        return 0
    return sum(
        1
        for _, flags, master in nodes
        if master == me and not {"noaddr", "handshake"} & set(flags.split(","))
    )


def sentinel_addresses(
    sentinels: Sequence[tuple[str, int] | str],
) -> tuple[tuple[str, int], ...]:
    """``[("host", 26379), ...]`` or ``["host:26379", ...]`` as (host, port) pairs."""
    pairs: list[tuple[str, int]] = []
    for entry in sentinels:
        if isinstance(entry, str):
            host, sep, port = entry.rpartition(":")
            if not sep or not host or not port.isdigit():
                raise ValueError(f"Sentinel address {entry!r} is not host:port")
            pairs.append((host, int(port)))
        else:
            pairs.append((str(entry[0]), int(entry[1])))
    if not pairs:
        raise ValueError("RedisTokenStore needs at least one Sentinel address")
    return tuple(pairs)
