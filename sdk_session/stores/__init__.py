"""Token stores: in-memory (default) and a JSON file shared across processes."""

from __future__ import annotations

from .base import DEFAULT_LOCK_TIMEOUT, TokenStore
from .file import FileTokenStore
from .memory import MemoryTokenStore

__all__ = ["DEFAULT_LOCK_TIMEOUT", "FileTokenStore", "MemoryTokenStore", "TokenStore"]
