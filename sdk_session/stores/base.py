"""The token-store protocol: where tokens live, and where their refresh lock lives.

A store is the unit of sharing: every client object, thread, task or process
that uses the same store shares one session and therefore one refresh. That is
why the refresh lock belongs to the store and not to a client (a lock on a
per-request or per-client object serialises nothing).

Contract:

- ``load``/``aload`` return the current ``TokenSet`` (or ``None``) and may be
  called without the lock; a store must never expose a half-written record.
- ``save``/``asave`` are called only while holding the refresh lock; they stamp
  the tokens with a new, strictly increasing ``generation`` and return them.
  Saving ``None`` clears the session.
- ``refresh_lock``/``arefresh_lock`` are context managers that serialise
  renewals across everything sharing the store (threads and tasks in this
  process; other processes too for shared stores) and raise
  ``StoreLockTimeout`` after ``timeout`` seconds. Holders always re-load after
  acquiring: somebody else may have refreshed meanwhile.
- ``refresh_state`` is the in-process record of the last renewal outcome (see
  ``sdk_session.locks.RefreshState``).

A Redis store fits the same shape: ``load``/``save`` on a hash that carries the
generation, the lock a lease (``SET NX PX``) whose waiters poll and re-load.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import Protocol, runtime_checkable

from ..locks import RefreshState
from ..tokens import TokenSet

__all__ = ["DEFAULT_LOCK_TIMEOUT", "TokenStore"]

DEFAULT_LOCK_TIMEOUT = 30.0


@runtime_checkable
class TokenStore(Protocol):
    @property
    def refresh_state(self) -> RefreshState: ...

    def load(self) -> TokenSet | None: ...

    def save(self, tokens: TokenSet | None) -> TokenSet | None: ...

    async def aload(self) -> TokenSet | None: ...

    async def asave(self, tokens: TokenSet | None) -> TokenSet | None: ...

    def refresh_lock(
        self, timeout: float = DEFAULT_LOCK_TIMEOUT
    ) -> AbstractContextManager[None]: ...

    def arefresh_lock(
        self, timeout: float = DEFAULT_LOCK_TIMEOUT
    ) -> AbstractAsyncContextManager[None]: ...
