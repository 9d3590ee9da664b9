"""A JSON file store that several processes can share.

Writes are atomic (temp file in the same folder, fsync, ``os.replace``, fsync of
the folder), so a reader never sees half a record and needs no lock. The
refresh lock is a ``filelock`` lock file next to the store, taken after the
in-process lock, so one refresh happens per expiry across all processes; the
holder re-reads the file after acquiring it. Files are created mode 0600.

``filelock`` is the optional extra ``items-sdk[file]``, imported on first use.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import anyio.to_thread

from ..errors import StoreError, StoreLockTimeout, TokenResponseError
from ..locks import RefreshLock, RefreshState
from ..tokens import TokenSet
from .base import DEFAULT_LOCK_TIMEOUT

if TYPE_CHECKING:
    from filelock import BaseFileLock

__all__ = ["FileTokenStore"]

_log = logging.getLogger("sdk_session.stores.file")
_FORMAT = 1
_FILE_MODE = 0o600


def _filelock_module() -> Any:
    try:
        import filelock
    except ImportError as exc:
        raise ImportError(
            "FileTokenStore needs the 'filelock' package: pip install 'items-sdk[file]'"
        ) from exc
    return filelock


def _describe(exc: OSError) -> str:
    return errno.errorcode.get(exc.errno or 0, type(exc).__name__)


class FileTokenStore:
    """Tokens in a JSON file, shared safely by threads, tasks and processes."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        filelock = _filelock_module()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file_lock: BaseFileLock = filelock.FileLock(
            str(self.path) + ".lock", mode=_FILE_MODE, thread_local=False
        )
        self._timeout_error: type[Exception] = filelock.Timeout
        self._lock = RefreshLock()
        self._state = RefreshState()
        # (inode, mtime, size) -> (generation, tokens); replaced as one tuple so
        # concurrent readers never pair a key with another version's record.
        self._cached: tuple[tuple[int, int, int], tuple[int, TokenSet | None]] | None = None

    @property
    def refresh_state(self) -> RefreshState:
        return self._state

    # -- reading and writing -------------------------------------------------

    def _read(self) -> tuple[int, TokenSet | None]:
        """(generation, tokens) as on disk; (0, None) when there is no file yet."""
        try:
            with open(self.path, "rb") as handle:
                info = os.fstat(handle.fileno())
                key = (info.st_ino, info.st_mtime_ns, info.st_size)
                cached = self._cached
                if cached is not None and cached[0] == key:
                    return cached[1]
                raw = handle.read()
        except FileNotFoundError:
            return (0, None)
        except OSError as exc:
            raise StoreError(f"cannot read token store {self.path}: {_describe(exc)}") from None
        try:
            record = json.loads(raw)
            if not isinstance(record, dict) or record.get("format") != _FORMAT:
                raise ValueError("unknown format")
            generation = record["generation"]
            if isinstance(generation, bool) or not isinstance(generation, int):
                raise ValueError("bad generation")
            data = record["tokens"]
            tokens = None if data is None else TokenSet.from_json(data)
        except (ValueError, KeyError, TypeError, TokenResponseError):
            raise StoreError(f"token store {self.path} is corrupt") from None
        result = (generation, tokens)
        self._cached = (key, result)
        return result

    def load(self) -> TokenSet | None:
        return self._read()[1]

    def save(self, tokens: TokenSet | None) -> TokenSet | None:
        """Atomically replace the file (caller holds the refresh lock)."""
        generation = self._read()[0] + 1
        stamped = None if tokens is None else tokens.with_generation(generation)
        record = {
            "format": _FORMAT,
            "generation": generation,
            "tokens": None if stamped is None else stamped.to_json(),
        }
        payload = json.dumps(record).encode("utf-8")
        folder = self.path.parent
        try:
            fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{self.path.name}.", suffix=".tmp")
            try:
                os.fchmod(fd, _FILE_MODE)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp_name, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
                raise
            self._fsync_folder(folder)
        except OSError as exc:
            raise StoreError(f"cannot write token store {self.path}: {_describe(exc)}") from None
        _log.debug("token store %s saved, generation %d", self.path, generation)
        return stamped

    @staticmethod
    def _fsync_folder(folder: Path) -> None:
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)

    async def aload(self) -> TokenSet | None:
        return await anyio.to_thread.run_sync(self.load)

    async def asave(self, tokens: TokenSet | None) -> TokenSet | None:
        return await anyio.to_thread.run_sync(self.save, tokens)

    # -- the cross-process refresh lock ---------------------------------------

    @contextlib.contextmanager
    def _hold(self, timeout: float) -> Iterator[None]:
        deadline = time.monotonic() + timeout
        with self._lock.hold(timeout):
            try:
                self._file_lock.acquire(timeout=max(deadline - time.monotonic(), 0.0))
            except self._timeout_error:
                raise StoreLockTimeout(
                    f"lock on token store {self.path} not acquired within {timeout:g} s"
                ) from None
            try:
                yield
            finally:
                self._file_lock.release()

    @contextlib.asynccontextmanager
    async def _ahold(self, timeout: float) -> AsyncIterator[None]:
        deadline = time.monotonic() + timeout
        async with self._lock.ahold(timeout):
            delay = 0.005
            while True:
                try:
                    self._file_lock.acquire(timeout=0)
                    break
                except self._timeout_error:
                    if time.monotonic() >= deadline:
                        raise StoreLockTimeout(
                            f"lock on token store {self.path} not acquired within {timeout:g} s"
                        ) from None
                    await anyio.sleep(delay)
                    delay = min(delay * 2, 0.05)
            try:
                yield
            finally:
                self._file_lock.release()

    def refresh_lock(self, timeout: float = DEFAULT_LOCK_TIMEOUT) -> AbstractContextManager[None]:
        return self._hold(timeout)

    def arefresh_lock(
        self, timeout: float = DEFAULT_LOCK_TIMEOUT
    ) -> AbstractAsyncContextManager[None]:
        return self._ahold(timeout)

    def __repr__(self) -> str:
        return f"FileTokenStore(path={str(self.path)!r})"
