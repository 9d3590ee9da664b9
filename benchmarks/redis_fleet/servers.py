"""Real Redis deployments on loopback ports: a Sentinel group and a cluster, and the store.

Used by the store tests (``tests/stores``, ``tests/docs``) and by ``python -m
benchmarks.redis_fleet``. Every process is a ``processes.Node`` (re-exported
here, as is ``single_redis``, for the importers of this module). Sentinels are
the same binary with ``--sentinel``; a cluster is formed with ``redis-cli
--cluster create`` when ``redis-cli`` exists, else with the same ``CLUSTER``
commands sent from Python. Every process is stopped afterwards.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redis.crc import key_slot

from sdk_session.stores.redis import RedisTokenStore

from .processes import (
    START_TIMEOUT,
    Binaries,
    Node,
    find_binaries,
    free_port,
    single_redis,
    wait_until,
)

__all__ = [
    "SERVICE",
    "STORE_OPTIONS",
    "Binaries",
    "Cluster",
    "Node",
    "SentinelGroup",
    "find_binaries",
    "free_port",
    "in_sync",
    "open_store",
    "redis_cluster",
    "sentinel_group",
    "single_redis",
    "stall_replica",
    "wait_until",
]

SERVICE = "items-primary"


def _role(node: Node) -> list[Any]:
    with contextlib.closing(node.client()) as client:
        role: list[Any] = client.execute_command("ROLE")
        return role


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _fields(info: Any) -> dict[str, str]:
    """A Sentinel's description of a node: a dict where redis-py parses the reply (newer
    releases), a flat list of name, value, ... where it does not (redis 5.0)."""
    pairs = zip(info[::2], info[1::2], strict=True) if isinstance(info, list) else info.items()
    return {_text(k): _text(v) for k, v in pairs}


def in_sync(primary: Node, replicas: int = 1) -> bool:
    """``primary`` is a primary with ``replicas`` replicas that acknowledged all its writes."""
    role = _role(primary)
    if _text(role[0]) != "master" or len(role[2]) < replicas:
        return False
    offset = int(role[1])
    return sum(1 for replica in role[2] if int(replica[2]) >= offset) >= replicas


# -- Sentinel ---------------------------------------------------------------------


@dataclass
class SentinelGroup:
    """A primary, a replica and three Sentinels (quorum 2) watching them."""

    data: list[Node]
    sentinels: list[Node]
    down_after_ms: int

    @property
    def addresses(self) -> list[tuple[str, int]]:
        return [("127.0.0.1", node.port) for node in self.sentinels]

    def spec(self, prefix: str, **extra: Any) -> dict[str, Any]:
        return {"kind": "sentinel", "sentinels": self.addresses, "prefix": prefix, **extra}

    def primary(self) -> Node:
        """The data node the Sentinels currently name as primary."""
        with contextlib.closing(self.sentinels[0].client()) as client:
            _, port = client.execute_command("SENTINEL", "get-master-addr-by-name", SERVICE)
        return next(node for node in self.data if node.port == int(port))

    def healthy(self) -> bool:
        """Every Sentinel agrees on one reachable primary whose replica is in sync."""
        ports = set()
        for sentinel in self.sentinels:
            with contextlib.closing(sentinel.client()) as client:
                fields = _fields(client.execute_command("SENTINEL", "master", SERVICE))
                if fields["flags"] != "master" or int(fields["num-other-sentinels"]) < 2:
                    return False
                if int(fields["num-slaves"]) < 1:
                    return False
                ports.add(int(fields["port"]))
                replicas = client.execute_command("SENTINEL", "replicas", SERVICE)
                for entry in replicas:
                    flags = _fields(entry)["flags"]
                    if flags != "slave":  # s_down, disconnected...
                        return False
        if len(ports) != 1:
            return False
        primary = self.primary()
        return primary.process is not None and in_sync(primary)

    def primary_of(self, key: str) -> Node:
        return self.primary()

    def replica_of(self, key: str) -> Node:
        primary = self.primary()
        return next(node for node in self.data if node is not primary)

    def kill_primary_of(self, key: str) -> Node:
        victim = self.primary()
        victim.kill()
        return victim

    def restore(self, victim: Node, key: str = "", timeout: float = 30.0) -> None:
        """Wait for the failover, restart ``victim`` as the new primary's replica, wait for sync."""
        wait_until(lambda: self.primary() is not victim, timeout, "the Sentinel failover")
        primary = self.primary()
        victim.start(["--replicaof", "127.0.0.1", str(primary.port)])
        wait_until(self.healthy, timeout, "the Sentinel group to be healthy again")

    def stop(self) -> None:
        for node in [*self.sentinels, *self.data]:
            node.stop()


@contextlib.contextmanager
def sentinel_group(
    binaries: Binaries, folder: Path, *, down_after_ms: int = 1000
) -> Iterator[SentinelGroup]:
    primary = Node(binaries, folder / "primary", free_port())
    replica = Node(binaries, folder / "replica", free_port())
    sentinels = []
    for index in range(3):
        sentinel = Node(binaries, folder / f"sentinel-{index}", free_port())
        sentinel.config = (
            f"sentinel monitor {SERVICE} 127.0.0.1 {primary.port} 2\n"
            f"sentinel down-after-milliseconds {SERVICE} {down_after_ms}\n"
            f"sentinel failover-timeout {SERVICE} 2000\n"
            f"sentinel parallel-syncs {SERVICE} 1\n"
        )
        sentinels.append(sentinel)
    group = SentinelGroup([primary, replica], sentinels, down_after_ms)
    try:
        primary.start()
        replica.start(["--replicaof", "127.0.0.1", str(primary.port)])
        for sentinel in sentinels:
            sentinel.start()
        wait_until(group.healthy, 30.0, "the Sentinels to see the primary, replica and each other")
        yield group
    finally:
        group.stop()


# -- Cluster ------------------------------------------------------------------------


@dataclass
class Cluster:
    """Three primaries with one replica each (``cluster-node-timeout`` as given)."""

    nodes: list[Node]
    binaries: Binaries

    @property
    def url(self) -> str:
        return self.nodes[0].url

    def spec(self, prefix: str, **extra: Any) -> dict[str, Any]:
        return {"kind": "cluster", "url": self.url, "prefix": prefix, **extra}

    def _live(self) -> list[Node]:
        return [node for node in self.nodes if node.process is not None]

    def primary_of(self, key: str) -> Node:
        """The live node that serves ``key``'s slot as primary."""
        slot = key_slot(key.encode())
        for node in self._live():
            with contextlib.closing(node.client()) as client:
                for start, end, owner, *_ in client.execute_command("CLUSTER SLOTS"):
                    if start <= slot <= end:
                        port = int(owner[1])
                        return next(n for n in self.nodes if n.port == port)
        raise RuntimeError(f"no live node knows slot {slot}")

    def replica_of(self, key: str) -> Node:
        """The live replica of ``key``'s primary."""
        primary = self.primary_of(key)
        for node in self._live():
            role = _role(node)
            if _text(role[0]) == "slave" and int(role[2]) == primary.port:
                return node
        raise RuntimeError(f"no live replica of the primary on port {primary.port}")

    def healthy(self) -> bool:
        for node in self._live():
            with contextlib.closing(node.client()) as client:
                info = client.execute_command("CLUSTER INFO")  # parsed by redis-py
                if info.get("cluster_state") != "ok":
                    return False
        primaries = [n for n in self._live() if _text(_role(n)[0]) == "master"]
        return (
            len(self._live()) == len(self.nodes)
            and len(primaries) == len(self.nodes) // 2
            and all(in_sync(node) for node in primaries)
        )

    def kill_primary_of(self, key: str) -> Node:
        victim = self.primary_of(key)
        victim.kill()
        return victim

    def restore(self, victim: Node, key: str, timeout: float = 30.0) -> None:
        """Wait for a replica to take over, restart ``victim`` (it rejoins as a replica)."""
        wait_until(lambda: self.primary_of(key) is not victim, timeout, "the cluster failover")
        victim.start()
        wait_until(self.healthy, timeout, "the cluster to be healthy again")

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


def _form_with_commands(nodes: list[Node]) -> None:
    """What ``redis-cli --cluster create --cluster-replicas 1`` does, for 2 x 3 nodes."""
    primaries, replicas = nodes[:3], nodes[3:]
    bounds = [0, 5461, 10923, 16384]
    for index, node in enumerate(primaries):
        with contextlib.closing(node.client()) as client:
            client.execute_command("CLUSTER ADDSLOTSRANGE", bounds[index], bounds[index + 1] - 1)
    with contextlib.closing(nodes[0].client()) as first:
        for node in nodes[1:]:
            first.execute_command("CLUSTER MEET", "127.0.0.1", node.port)

    def everyone_met() -> bool:
        for node in nodes:
            with contextlib.closing(node.client()) as client:
                known = client.execute_command("CLUSTER NODES")  # parsed by redis-py
                flags = [str(entry["flags"]) for entry in known.values()]
                if len(known) < len(nodes) or any("handshake" in flag for flag in flags):
                    return False
        return True

    wait_until(everyone_met, START_TIMEOUT, "the cluster nodes to meet")
    for primary, replica in zip(primaries, replicas, strict=True):
        with contextlib.closing(primary.client()) as client:
            node_id = _text(client.execute_command("CLUSTER MYID"))
        with contextlib.closing(replica.client()) as client:

            def attach(client: Any = client, node_id: str = node_id) -> bool:
                return bool(client.execute_command("CLUSTER REPLICATE", node_id))

            wait_until(attach, START_TIMEOUT, "a replica to attach")


@contextlib.contextmanager
def redis_cluster(
    binaries: Binaries, folder: Path, *, node_timeout_ms: int = 1000
) -> Iterator[Cluster]:
    args = [
        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", str(node_timeout_ms), "--cluster-require-full-coverage", "no",
    ]  # fmt: skip
    nodes = [Node(binaries, folder / f"node-{i}", free_port(bus=True), args) for i in range(6)]
    cluster = Cluster(nodes, binaries)
    try:
        for node in nodes:
            node.start()
        if binaries.cli is not None:
            addresses = [f"127.0.0.1:{node.port}" for node in nodes]
            subprocess.run(
                [binaries.cli, "--cluster", "create", *addresses, "--cluster-replicas", "1",
                 "--cluster-yes"],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60,
            )  # fmt: skip
        else:
            _form_with_commands(nodes)
        wait_until(cluster.healthy, 30.0, "the cluster to be formed")
        yield cluster
    finally:
        cluster.stop()


def stall_replica(primary: Node, replica: Node, seconds: float) -> threading.Timer:
    """Stall ``replica`` and cut its link for ``seconds``, as a congested host would.

    Writes the primary takes meanwhile reach only its backlog: the replica gets
    them when it resumes and reconnects, or never if the primary dies first.
    """
    replica.pause()
    with contextlib.closing(primary.client()) as client:
        client.execute_command("CLIENT KILL", "TYPE", "replica")
    timer = threading.Timer(seconds, replica.resume)
    timer.start()
    return timer


def open_store(spec: dict[str, Any], **options: Any) -> RedisTokenStore:
    """The store a spec (``kind``, ``url`` or ``sentinels``, ``prefix``, options) describes."""
    settings = {key: spec[key] for key in STORE_OPTIONS if key in spec}
    settings.update(options)
    if spec["kind"] == "sentinel":
        sentinels = [(str(host), int(port)) for host, port in spec["sentinels"]]
        return RedisTokenStore(
            sentinels=sentinels, service_name=SERVICE, prefix=spec["prefix"], **settings
        )
    cluster = spec["kind"] == "cluster"
    return RedisTokenStore(spec["url"], cluster=cluster, prefix=spec["prefix"], **settings)


STORE_OPTIONS = ("lease", "socket_timeout", "wait_replicas", "wait_timeout")
