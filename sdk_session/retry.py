"""Transport-level retries: every request sent through the client gets them.

``RetryTransport``/``AsyncRetryTransport`` wrap any httpx transport. They sit
*below* httpx's auth flow, so a retry resends what the session signed (re-signed
through the request's ``RESIGN_EXTENSION`` hook with the current token), and a
401 from any attempt goes back up to the auth flow (which resends at most once,
with the current token, drawing on the same budget).

What is retried (``RetryPolicy``):

- A connection that could not be made (``ConnectError``, ``ConnectTimeout``,
  ``PoolTimeout``): the request provably never reached the server, so any
  method is retried.
- Other network errors (read/write errors and timeouts, a dropped connection)
  and the statuses in ``statuses`` (408/429/502/503/504 by default): only for
  idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE) or requests
  carrying an ``Idempotency-Key`` header. ``unsafe="status"`` also retries the
  statuses of non-idempotent requests; ``unsafe="all"`` treats them as
  idempotent (both used by the token-endpoint budget, see ``TOKEN_RETRY``).
- The wait is exponential backoff with jitter (``backoff * 2**n``, half of it
  random, capped at ``max_backoff``), or the server's ``Retry-After``
  (seconds or HTTP-date) when given. A ``Retry-After`` above
  ``max_retry_after`` is not waited for: the answer is returned at once.

The policy of a request is, first found: the request extension
``"sdk_session.retry"`` (a ``RetryPolicy`` or an int), the ``retries(...)``
context manager around the call, the transport's own policy.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

import anyio
import httpx

from .calls import ATTEMPTS_STATE
from .retry_after import parse_retry_after

__all__ = [
    "DEFAULT_RETRY",
    "EXTENSION",
    "NO_RETRY",
    "RESIGN_EXTENSION",
    "TOKEN_RETRY",
    "AsyncRetryTransport",
    "RetryPolicy",
    "RetryTransport",
    "coerce_policy",
    "retries",
]

_log = logging.getLogger("sdk_session.retry")

EXTENSION = "sdk_session.retry"
"""Request extension holding the ``RetryPolicy`` (or int) for that request."""

RESIGN_EXTENSION = "sdk_session.resign"
"""Request extension: a callable the transport invokes before each resend, so a
retry carries the session's current token rather than the one first signed."""

_STATE = ATTEMPTS_STATE  # where calls.connection_error reads the count of sends
ATTEMPTS = "sdk_session.attempts"
"""Response extension: how many times the transport sent the request so far."""

_NEVER_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
_TRANSIENT: tuple[type[Exception], ...] = (
    httpx.NetworkError,
    httpx.TimeoutException,
    httpx.RemoteProtocolError,
)
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many times, on what, and how long to wait between attempts."""

    retries: int = 2
    statuses: frozenset[int] = frozenset({408, 429, 502, 503, 504})
    backoff: float = 0.25
    max_backoff: float = 8.0
    max_retry_after: float = 30.0
    idempotent_methods: frozenset[str] = _IDEMPOTENT
    idempotency_header: str | None = "Idempotency-Key"
    unsafe: Literal["connect", "status", "all"] = "connect"
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.retries < 0 or self.backoff < 0 or self.max_backoff < 0:
            raise ValueError("retries, backoff and max_backoff must be >= 0")
        if self.max_retry_after < 0:
            raise ValueError("max_retry_after must be >= 0")

    def evolve(self, **changes: object) -> RetryPolicy:
        return replace(self, **changes)  # type: ignore[arg-type]

    # -- decisions ----------------------------------------------------------------

    def idempotent(self, request: httpx.Request) -> bool:
        if self.unsafe == "all" or request.method.upper() in self.idempotent_methods:
            return True
        return bool(self.idempotency_header and self.idempotency_header in request.headers)

    def backoff_for(self, retry: int) -> float:
        """The wait before retry number ``retry`` (0-based): half fixed, half random."""
        ceiling = min(self.max_backoff, self.backoff * (2.0**retry))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def delay_after_error(self, request: httpx.Request, exc: Exception, retry: int) -> float | None:
        """Seconds to wait before resending after ``exc``, or ``None`` to give up."""
        if retry >= self.retries:
            return None
        if isinstance(exc, _NEVER_SENT):
            return self.backoff_for(retry)
        if isinstance(exc, _TRANSIENT) and self.idempotent(request):
            return self.backoff_for(retry)
        return None

    def delay_after_response(
        self, request: httpx.Request, response: httpx.Response, retry: int
    ) -> float | None:
        """Seconds to wait before resending after ``response``, or ``None`` to keep it."""
        if retry >= self.retries or response.status_code not in self.statuses:
            return None
        if not (self.unsafe == "status" or self.idempotent(request)):
            return None
        header = response.headers.get("Retry-After")
        if header is not None:
            wait = parse_retry_after(header)
            if wait is not None:
                return wait if wait <= self.max_retry_after else None
        return self.backoff_for(retry)


DEFAULT_RETRY = RetryPolicy()
"""2 retries of connection failures and 408/429/502/503/504 on idempotent requests."""

NO_RETRY = RetryPolicy(retries=0)

TOKEN_RETRY = RetryPolicy(
    retries=2, statuses=frozenset({429, 500, 502, 503, 504}), unsafe="status", max_retry_after=10.0
)
"""The token-endpoint budget: login/refresh answered 429/5xx, or whose connection
could not be made. The session layer sends login with ``unsafe="all"`` (logging in
again is harmless) and refresh with ``unsafe="status"``: a refresh whose answer
was lost may have rotated the refresh token, so it is not resent blindly (the
dispatch transport resends only a token call dropped without any answer)."""


def coerce_policy(
    value: int | RetryPolicy | None, base: RetryPolicy = DEFAULT_RETRY
) -> RetryPolicy:
    """``None`` disables, an int sets the number of retries of ``base``."""
    if value is None:
        return NO_RETRY
    if isinstance(value, RetryPolicy):
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("retries must be an int, a RetryPolicy or None")
    return base.evolve(retries=value)


_CURRENT: contextvars.ContextVar[RetryPolicy | None] = contextvars.ContextVar(
    "sdk_session_retry", default=None
)


@contextlib.contextmanager
def retries(policy: int | RetryPolicy | None) -> Iterator[RetryPolicy]:
    """Use ``policy`` for the API calls made inside the block (threads and tasks: per context).

    ``with sdk_session.retries(0): sdk.items.list(client)`` disables retries for that
    call; ``retries(5)`` allows five. Token-endpoint calls keep their own budget.
    """
    resolved = coerce_policy(policy)
    token = _CURRENT.set(resolved)
    try:
        yield resolved
    finally:
        _CURRENT.reset(token)


@dataclass(slots=True)
class _State:
    """Retries spent on one request object (shared by the auth flow's resend)."""

    used: int = 0
    sends: int = 0


def _replayable(request: httpx.Request) -> bool:
    try:
        request.content  # noqa: B018 - raises RequestNotRead for an unread stream
    except httpx.RequestNotRead:
        return False
    return True


def _resign(request: httpx.Request) -> None:
    resign = request.extensions.get(RESIGN_EXTENSION)
    if callable(resign):
        resign(request)


def _describe(outcome: httpx.Response | Exception) -> str:
    if isinstance(outcome, httpx.Response):
        return f"HTTP {outcome.status_code}"
    return type(outcome).__name__


def _log_retry(
    request: httpx.Request, outcome: httpx.Response | Exception, delay: float, n: int
) -> None:
    _log.info(
        "%s %s: %s; retry %d in %.2f s",
        request.method,
        request.url.path,
        _describe(outcome),
        n,
        delay,
    )


def _count_send(request: httpx.Request) -> _State:
    extensions = request.extensions  # each httpx.Request owns its dict
    state = extensions.get(_STATE)
    if state is None:
        state = extensions[_STATE] = _State(0, 1)
    else:
        state.sends += 1
    return state


def _begin(request: httpx.Request, default: RetryPolicy) -> tuple[RetryPolicy, _State]:
    """A send's policy (the request's own, the ``retries()`` block's, else ``default``)
    and its count."""
    value = request.extensions.get(EXTENSION)
    policy = (_CURRENT.get() or default) if value is None else coerce_policy(value, default)
    return policy, _count_send(request)


class _Attempts:
    """The retry decisions for one request, shared by the sync and async transports
    (built once a send failed or got a retryable status)."""

    __slots__ = ("policy", "request", "state")

    def __init__(self, request: httpx.Request, policy: RetryPolicy, state: _State) -> None:
        self.request = request
        self.policy = policy
        self.state = state

    def after_error(self, exc: Exception) -> float | None:
        """The wait before resending after ``exc``, or ``None`` to let it propagate."""
        if not _replayable(self.request):
            return None
        return self._spend(exc, self.policy.delay_after_error(self.request, exc, self.state.used))

    def after_response(self, response: httpx.Response) -> float | None:
        """The wait before resending after ``response`` (a status the policy may retry),
        or ``None`` to return it."""
        delay = None
        if _replayable(self.request):
            delay = self.policy.delay_after_response(self.request, response, self.state.used)
        if delay is None:
            response.extensions[ATTEMPTS] = self.state.sends  # each Response owns its dict
            return None
        return self._spend(response, delay)

    def _spend(self, outcome: httpx.Response | Exception, delay: float | None) -> float | None:
        if delay is not None:
            self.state.used += 1
            _log_retry(self.request, outcome, delay, self.state.used)
        return delay

    def next(self) -> None:
        """After the wait: count the send and re-sign with the session's current token."""
        _count_send(self.request)
        _resign(self.request)


class RetryTransport(httpx.BaseTransport):
    """Wraps a sync transport (default ``httpx.HTTPTransport()``) with ``policy``."""

    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        policy: int | RetryPolicy | None = DEFAULT_RETRY,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.transport = transport if transport is not None else httpx.HTTPTransport()
        self.policy = coerce_policy(policy)
        self._sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        policy, state = _begin(request, self.policy)
        attempt: _Attempts | None = None  # built once a send fails or gets a retryable status
        while True:
            try:
                response = self.transport.handle_request(request)
            except Exception as exc:
                attempt = attempt or _Attempts(request, policy, state)
                delay = attempt.after_error(exc)
                if delay is None:
                    raise
            else:
                if response.status_code not in policy.statuses:  # the common case: the answer
                    response.extensions[ATTEMPTS] = state.sends  # each Response owns its dict
                    return response
                attempt = attempt or _Attempts(request, policy, state)
                delay = attempt.after_response(response)
                if delay is None:
                    return response
                try:
                    response.read()
                except httpx.HTTPError:
                    pass
                finally:
                    response.close()
            self._sleep(delay)
            attempt.next()

    def close(self) -> None:
        self.transport.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Wraps an async transport (default ``httpx.AsyncHTTPTransport()``) with ``policy``."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport | None = None,
        policy: int | RetryPolicy | None = DEFAULT_RETRY,
    ) -> None:
        self.transport = transport if transport is not None else httpx.AsyncHTTPTransport()
        self.policy = coerce_policy(policy)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        policy, state = _begin(request, self.policy)
        attempt: _Attempts | None = None
        while True:
            try:
                response = await self.transport.handle_async_request(request)
            except Exception as exc:
                attempt = attempt or _Attempts(request, policy, state)
                delay = attempt.after_error(exc)
                if delay is None:
                    raise
            else:
                if response.status_code not in policy.statuses:
                    response.extensions[ATTEMPTS] = state.sends
                    return response
                attempt = attempt or _Attempts(request, policy, state)
                delay = attempt.after_response(response)
                if delay is None:
                    return response
                try:
                    await response.aread()
                except httpx.HTTPError:
                    pass
                finally:
                    await response.aclose()
            await anyio.sleep(delay)
            attempt.next()

    async def aclose(self) -> None:
        await self.transport.aclose()
