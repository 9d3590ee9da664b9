"""One adapter per client under test, all with the same shape (``Peer``).

A peer builds a *sync caller* (used from many threads at once) and an *async caller*
(used from many asyncio tasks at once). A caller performs one authenticated
``GET /me`` and raises on any failure. ``setup`` is how each peer gets its first
tokens, the way its own documentation says.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol


class SyncCaller(Protocol):
    def call(self) -> None: ...
    def close(self) -> None: ...


class AsyncCaller(Protocol):
    async def call(self) -> None: ...
    async def aclose(self) -> None: ...


@dataclass(frozen=True)
class Peer:
    name: str
    """Short label used in tables and charts."""
    note: str
    """How it was configured, for the report."""
    sync: Callable[[str], SyncCaller]
    """Build a logged-in sync caller for a base URL."""
    async_: Callable[[str], Awaitable[AsyncCaller]]
    """Build a logged-in async caller for a base URL."""
    reset: Callable[[], None] = lambda: None
    """Clear process-wide state between scenarios (httpx-auth's token cache)."""


def all_peers() -> list[Peer]:
    from . import authlib_peer, httpx_auth_peer, naive, ours

    return [
        ours.PEER,
        naive.PEER,
        authlib_peer.DEFAULT,
        authlib_peer.TUNED,
        httpx_auth_peer.DEFAULT,
        httpx_auth_peer.TUNED,
    ]
