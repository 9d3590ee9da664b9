"""How a save of the Redis token store deals with replicas: wait for them, or report.

A rotated refresh token that only the primary holds is lost in a failover, and
the old one it brings back was already spent. So a save is followed by ``WAIT``
on the connection that wrote it, and a wait that falls short is reported
(``ReplicationUnconfirmed``) rather than failed: the tokens are saved and in use.
The questions a save asks the primary first are one generator (``questions``)
that the sync and the async save both drive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from .redis_scripts import text
from .redis_topology import cluster_replicas

__all__ = ["OnUnreplicated", "Plan", "Replication", "ReplicationUnconfirmed", "replicas_of"]

_log = logging.getLogger("sdk_session.stores.redis")


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
class Plan:
    """How a save deals with replicas: wanted (0: not at all), wait or just report."""

    wanted: int
    wait: bool
    connected: int = 0


def replicas_of(role: Any) -> int:
    """Connected replicas in a ``ROLE`` reply of a primary (0 for anything else)."""
    if isinstance(role, list | tuple) and len(role) >= 3 and text(role[0]) == "master":
        return len(role[2])
    return 0


Questions = Generator[str, Any, Plan]
"""Yields a command for the primary, is sent its reply; returns the plan."""


class Replication:
    """One store's replica policy, and whether its last wait fell short."""

    def __init__(
        self,
        prefix: str,
        wait_replicas: int | None,
        wait_timeout: float,
        on_unreplicated: OnUnreplicated | None,
    ) -> None:
        self.prefix = prefix
        self.wait_replicas = wait_replicas
        self.wait_timeout = wait_timeout
        self.on_unreplicated = on_unreplicated
        self._short = False  # the last wait found too few replicas

    def questions(self, kind: str, has_replicas: bool | None) -> Questions:
        """What to ask the primary before a save; ``has_replicas`` as the topology knows it."""
        if self.wait_replicas is None and has_replicas is None and kind == "cluster":
            # the cluster client's slot map lists no replica: the primary's own view decides
            has_replicas = cluster_replicas((yield "CLUSTER NODES")) > 0
        needs_role = (self.wait_replicas is None and has_replicas is None) or (
            self._short and self.wait_replicas != 0
        )
        role = (yield "ROLE") if needs_role else None
        return self._plan(has_replicas, role)

    def _plan(self, has_replicas: bool | None, role: Any) -> Plan:
        """How many replicas to wait for; ``role`` is the primary's ``ROLE`` if fetched."""
        wanted = self.wait_replicas
        if wanted is None:
            if has_replicas is None:
                has_replicas = replicas_of(role) > 0
            wanted = 1 if has_replicas else 0
        if wanted == 0 or not self._short:
            return Plan(wanted, wait=wanted > 0)
        # The last wait fell short: wait again only once enough replicas are connected,
        # so a replica that is gone for good does not add the timeout to every save.
        connected = replicas_of(role)
        if connected >= wanted:
            self._short = False
            return Plan(wanted, wait=True)
        return Plan(wanted, wait=False, connected=connected)

    def wait_command(self, plan: Plan) -> tuple[str, int, int]:
        return ("WAIT", plan.wanted, int(self.wait_timeout * 1000))

    def check(self, generation: int, plan: Plan, wait_reply: Any) -> None:
        """Report a save that fewer replicas than wanted acknowledged."""
        if plan.wanted <= 0:
            return
        acknowledged = int(text(wait_reply)) if plan.wait else plan.connected
        if acknowledged >= plan.wanted:
            return
        self._short = True
        timeout = self.wait_timeout if plan.wait else 0.0
        self._report(
            ReplicationUnconfirmed(self.prefix, generation, plan.wanted, acknowledged, timeout)
        )

    def _report(self, event: ReplicationUnconfirmed) -> None:
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
