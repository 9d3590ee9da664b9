"""A JSON file store that several processes can share.

Writes are atomic (temp file in the same folder, fsync, ``os.replace``, fsync of
the folder), so a reader never sees half a record and needs no lock. The
refresh lock is a ``filelock`` lock file next to the store, taken after the
in-process lock, so one refresh happens per expiry across all processes; the
holder re-reads the file after acquiring it (the session core does). A holder
that dies loses the lock at once (the kernel drops its ``flock``); a lock that
is not free within the timeout raises ``StoreLockTimeout``. Files are created
mode 0600.

The record also carries how the last renewal ended (``attempts``, ``failure``),
written with the lock's release: requests that waited on a renewal in another
process then fail at once with the same ``SessionExpired`` instead of being
sent without a session (``SharedRefreshState``; the Redis store uses it too).

``filelock`` is the optional extra ``items-sdk[file]``, imported on first use.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import json
import logging
import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import anyio.to_thread

from ..errors import SessionExpired, StoreError, StoreLockTimeout, TokenResponseError
from ..locks import RefreshLock, RefreshState
from ..tokens import TokenSet
from .base import DEFAULT_LOCK_TIMEOUT

if TYPE_CHECKING:
    from filelock import BaseFileLock

__all__ = ["FileTokenStore", "SharedRefreshState"]

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


@dataclass(frozen=True, slots=True)
class _Seen:
    attempts: int
    failure: SessionExpired | None


def failure_to_json(failure: SessionExpired | None) -> dict[str, Any] | None:
    """The shareable part of a renewal failure (its message never holds a token)."""
    if failure is None:
        return None
    return {"message": str(failure), "reason": failure.reason, "ended": failure.session_ended}


def failure_from_json(data: object) -> SessionExpired | None:
    """Inverse of ``failure_to_json``; raises ``ValueError`` on a malformed record."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ValueError("bad failure record")
    message, reason, ended = data.get("message"), data.get("reason"), data.get("ended")
    if not isinstance(message, str) or not isinstance(reason, str) or not isinstance(ended, bool):
        raise ValueError("bad failure record")
    return SessionExpired(message, reason=reason, session_ended=ended)


class SharedRefreshState(RefreshState):
    """A ``RefreshState`` whose outcome lives in a store shared by several processes.

    The store keeps a counter of finished renewals (``attempts``) and the last
    failure next to the tokens and reports what each ``load`` saw with
    ``seen()``; ``ticket``/``failure_since`` answer from the caller's latest
    load (a context variable: per thread, per task), so they cost no I/O. A
    failure is kept as ``pending`` until the store writes it, with the release
    of its refresh lock; a save counts as a success.
    """

    def __init__(self) -> None:
        super().__init__()
        self._seen: contextvars.ContextVar[_Seen | None] = contextvars.ContextVar(
            f"shared_refresh_state_{id(self)}", default=None
        )
        self.pending: SessionExpired | None = None

    def seen(self, attempts: int, failure: SessionExpired | None) -> None:
        self._seen.set(_Seen(attempts, failure))

    def take_pending(self) -> SessionExpired | None:
        pending, self.pending = self.pending, None
        return pending

    def ticket(self) -> int:
        seen = self._seen.get()
        return -1 if seen is None else seen.attempts

    def record_success(self) -> None:
        super().record_success()
        self.pending = None

    def record_failure(self, error: SessionExpired) -> None:
        super().record_failure(error)
        self.pending = error

    def failure_since(self, ticket: int) -> SessionExpired | None:
        seen = self._seen.get()
        if seen is None or seen.failure is None or seen.attempts == ticket:
            return None
        return seen.failure.for_waiter()

    def last_failure(self) -> SessionExpired | None:
        seen = self._seen.get()
        return None if seen is None else seen.failure


_Record = tuple[int, TokenSet | None, int, SessionExpired | None]
"""(generation, tokens, attempts, failure) as stored."""

_EMPTY: _Record = (0, None, 0, None)


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
        self._state = SharedRefreshState()
        # (inode, mtime, size) -> record; replaced as one tuple so concurrent
        # readers never pair a key with another version's record.
        self._cached: tuple[tuple[int, int, int], _Record] | None = None

    @property
    def refresh_state(self) -> RefreshState:
        return self._state

    # -- reading and writing -------------------------------------------------

    def _read(self) -> _Record:
        """The record as on disk; ``_EMPTY`` when there is no file yet."""
        try:
            with open(self.path, "rb") as handle:
                info = os.fstat(handle.fileno())
                key = (info.st_ino, info.st_mtime_ns, info.st_size)
                cached = self._cached
                if cached is not None and cached[0] == key:
                    return cached[1]
                raw = handle.read()
        except FileNotFoundError:
            return _EMPTY
        except OSError as exc:
            raise StoreError(f"cannot read token store {self.path}: {_describe(exc)}") from None
        try:
            record = json.loads(raw)
            if not isinstance(record, dict) or record.get("format") != _FORMAT:
                raise ValueError("unknown format")
            generation = record["generation"]
            attempts = record.get("attempts", 0)
            for number in (generation, attempts):
                if isinstance(number, bool) or not isinstance(number, int):
                    raise ValueError("bad counter")
            data = record["tokens"]
            tokens = None if data is None else TokenSet.from_json(data)
            failure = failure_from_json(record.get("failure"))
        except (ValueError, KeyError, TypeError, TokenResponseError):
            raise StoreError(f"token store {self.path} is corrupt") from None
        result = (generation, tokens, attempts, failure)
        self._cached = (key, result)
        return result

    def load(self) -> TokenSet | None:
        _, tokens, attempts, failure = self._read()
        self._state.seen(attempts, failure)
        return tokens

    def save(self, tokens: TokenSet | None) -> TokenSet | None:
        """Atomically replace the file (caller holds the refresh lock)."""
        generation, _, attempts, _ = self._read()
        generation += 1
        stamped = None if tokens is None else tokens.with_generation(generation)
        self._write(generation, stamped, attempts + 1, None)
        _log.debug("token store %s saved, generation %d", self.path, generation)
        return stamped

    def _record_failure(self, failure: SessionExpired) -> None:
        """Share a renewal failure with the other processes (lock held)."""
        try:
            generation, tokens, attempts, _ = self._read()
            self._write(generation, tokens, attempts + 1, failure)
        except StoreError as error:
            _log.warning("%s; the renewal failure is not shared", error)

    def _write(
        self,
        generation: int,
        tokens: TokenSet | None,
        attempts: int,
        failure: SessionExpired | None,
    ) -> None:
        record = {
            "format": _FORMAT,
            "generation": generation,
            "tokens": None if tokens is None else tokens.to_json(),
            "attempts": attempts,
            "failure": failure_to_json(failure),
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
        # Read in a worker thread, but note what was seen in the caller's context
        # (a context variable set in the thread would not come back).
        _, tokens, attempts, failure = await anyio.to_thread.run_sync(self._read)
        self._state.seen(attempts, failure)
        return tokens

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
            self._state.pending = None
            try:
                yield
            finally:
                self._release()

    def _release(self) -> None:
        try:
            failure = self._state.take_pending()
            if failure is not None:
                self._record_failure(failure)
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
            self._state.pending = None
            try:
                yield
            finally:
                if self._state.pending is None:
                    self._file_lock.release()
                else:
                    with anyio.CancelScope(shield=True):
                        await anyio.to_thread.run_sync(self._release)

    def refresh_lock(self, timeout: float = DEFAULT_LOCK_TIMEOUT) -> AbstractContextManager[None]:
        return self._hold(timeout)

    def arefresh_lock(
        self, timeout: float = DEFAULT_LOCK_TIMEOUT
    ) -> AbstractAsyncContextManager[None]:
        return self._ahold(timeout)

    def __repr__(self) -> str:
        return f"FileTokenStore(path={str(self.path)!r})"
