"""The default store: tokens in this process's memory, shared by whoever holds the object."""

from __future__ import annotations

import threading
from contextlib import AbstractAsyncContextManager, AbstractContextManager

from ..locks import RefreshLock, RefreshState
from ..tokens import TokenSet
from .base import DEFAULT_LOCK_TIMEOUT

__all__ = ["MemoryTokenStore"]


class MemoryTokenStore:
    """Tokens held in memory. Share one instance between clients to share a session."""

    def __init__(self, tokens: TokenSet | None = None) -> None:
        self._lock = RefreshLock()
        self._state = RefreshState()
        self._guard = threading.Lock()
        self._generation = 0
        self._tokens: TokenSet | None = None
        if tokens is not None:
            self.save(tokens)

    @property
    def refresh_state(self) -> RefreshState:
        return self._state

    def load(self) -> TokenSet | None:
        return self._tokens

    def save(self, tokens: TokenSet | None) -> TokenSet | None:
        with self._guard:
            self._generation += 1
            stamped = None if tokens is None else tokens.with_generation(self._generation)
            self._tokens = stamped
            return stamped

    async def aload(self) -> TokenSet | None:
        return self.load()

    async def asave(self, tokens: TokenSet | None) -> TokenSet | None:
        return self.save(tokens)

    def refresh_lock(self, timeout: float = DEFAULT_LOCK_TIMEOUT) -> AbstractContextManager[None]:
        return self._lock.hold(timeout)

    def arefresh_lock(
        self, timeout: float = DEFAULT_LOCK_TIMEOUT
    ) -> AbstractAsyncContextManager[None]:
        return self._lock.ahold(timeout)

    def __repr__(self) -> str:
        has_tokens = self._tokens is not None
        return f"MemoryTokenStore(generation={self._generation}, has_tokens={has_tokens})"
