"""Token stores: in-memory (default), a JSON file shared across processes, and Redis.

``RedisTokenStore`` and ``StoreUnavailable`` are loaded on first access, so
``redis`` (the ``items-sdk[redis]`` extra) is only needed by applications that
use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import StoreUnavailable
from .base import DEFAULT_LOCK_TIMEOUT, TokenStore
from .file import FileTokenStore
from .memory import MemoryTokenStore

if TYPE_CHECKING:
    from .redis import RedisTokenStore

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "FileTokenStore",
    "MemoryTokenStore",
    "RedisTokenStore",
    "StoreUnavailable",
    "TokenStore",
]

_LAZY = frozenset({"RedisTokenStore"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import redis as _redis_store

        return getattr(_redis_store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
