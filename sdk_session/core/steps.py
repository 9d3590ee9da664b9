"""The instructions the sans-IO core yields, and what a driver throws back into it.

A core flow is a generator (``Step``) that yields one of these operations and
receives its result. The drivers (``sdk_session.drivers``) perform them: with
blocking calls for ``httpx.Client``, with awaits for ``httpx.AsyncClient``, or by
yielding ``Send.request`` to httpx's auth loop. Nothing here does any I/O.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TypeVar

import httpx

from ..calls import connection_error
from ..credentials import Credentials
from ..errors import SessionExpired, StoreError, TokenCallTimeout
from ..tokens import TokenSet

__all__ = [
    "ASK",
    "LOAD",
    "LOCK",
    "TRY_LOCK",
    "UNLOCK",
    "AskCredentials",
    "Load",
    "Lock",
    "Op",
    "Release",
    "Save",
    "Send",
    "Sleep",
    "Step",
    "TokenCallInterrupted",
    "TryLock",
    "Unlock",
    "ask",
    "interrupted_error",
    "load",
    "save",
    "send",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Send:
    """Send ``request``; the result is its ``httpx.Response``."""

    request: httpx.Request
    token_endpoint: bool = False


@dataclass(frozen=True, slots=True)
class Release:
    """Read and close ``response`` so its pooled connection is free before waiting on the lock.

    Without this, a hundred requests waiting for one refresh would each hold a
    connection with an unread 401, and the refresh could starve for a connection.
    """

    response: httpx.Response


@dataclass(frozen=True, slots=True)
class Load:
    """Read the store; the result is ``TokenSet | None``."""


@dataclass(frozen=True, slots=True)
class Save:
    """Write the store (lock held); the result is the stamped ``TokenSet | None``."""

    tokens: TokenSet | None


@dataclass(frozen=True, slots=True)
class Lock:
    """Take the store's refresh lock (released by ``Unlock`` or when the flow ends)."""


@dataclass(frozen=True, slots=True)
class Sleep:
    """Wait ``seconds`` (bounded by the caller) without holding any lock."""

    seconds: float


@dataclass(frozen=True, slots=True)
class TryLock:
    """Take the store's refresh lock if it is free now; the result is ``True`` if taken."""


@dataclass(frozen=True, slots=True)
class Unlock:
    """Release the store's refresh lock."""


@dataclass(frozen=True, slots=True)
class AskCredentials:
    """Call the credentials provider; the result is ``Credentials | None``."""


Op = Send | Release | Load | Save | Lock | TryLock | Unlock | AskCredentials | Sleep
Step = Generator[Op, object, T]

LOAD, LOCK, TRY_LOCK, UNLOCK, ASK = Load(), Lock(), TryLock(), Unlock(), AskCredentials()
"""The operations without fields, built once."""


class TokenCallInterrupted(Exception):
    """Thrown into the core when a token-endpoint call produced no response."""


def interrupted_error(
    cause: BaseException | None = None, request: httpx.Request | None = None
) -> SessionExpired:
    """The error of a renewal whose token call (``request``) did not complete; a timeout
    (``cause``) makes it a ``TokenCallTimeout``, which is an ``ApiTimeoutError`` too."""
    if isinstance(cause, httpx.TimeoutException):
        if request is not None:
            try:
                cause.request  # noqa: B018 - raises RuntimeError when not set
            except RuntimeError:
                cause.request = request  # what httpx sets once the error leaves the transport
        typed = connection_error(cause, {"method": "POST", "url": ""})
        return TokenCallTimeout(
            f"session renewal interrupted: {typed}",
            method=typed.method,
            url=typed.url,
            attempts=typed.attempts,
            cause=cause,
        )
    return SessionExpired(
        "session renewal interrupted: the token endpoint call did not complete "
        "(network failure, timeout or cancellation)",
        reason="interrupted",
        session_ended=False,
    )


# -- the operations with a typed result (a wrong type is a driver's or store's bug) --


def send(request: httpx.Request, *, token_endpoint: bool = False) -> Step[httpx.Response]:
    response = yield Send(request, token_endpoint)
    if not isinstance(response, httpx.Response):  # a driver bug, not user input
        raise TypeError(f"expected an httpx.Response, got {type(response).__name__}")
    return response


def _store_value(value: object, operation: str) -> TokenSet | None:
    if value is None or isinstance(value, TokenSet):
        return value
    raise StoreError(
        f"token store {operation}() returned {type(value).__name__}, expected TokenSet or None"
    )


def load() -> Step[TokenSet | None]:
    return _store_value((yield LOAD), "load")


def save(tokens: TokenSet | None) -> Step[TokenSet | None]:
    saved = _store_value((yield Save(tokens)), "save")
    if (saved is None) != (tokens is None):
        raise StoreError("token store save() did not return what it saved")
    return saved


def ask() -> Step[Credentials | None]:
    credentials = yield ASK
    if credentials is not None and not isinstance(credentials, Credentials):
        raise TypeError("the credentials provider returned an unusable value")
    return credentials
