"""Typed errors of the session layer.

Every message is written for a log file: it names what failed and why, never a
token, a password or a raw response body (a body may echo secrets back).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Self

from .api import ApiError, ApiTimeoutError, SdkError, Unauthorized, class_for_status

if TYPE_CHECKING:
    import httpx

__all__ = [
    "InsecureTransport",
    "InvalidClient",
    "LoginFailed",
    "NotLoggedIn",
    "RefreshRejected",
    "SessionAnswer",
    "SessionError",
    "SessionExpired",
    "StoreError",
    "StoreLockTimeout",
    "StoreUnavailable",
    "TokenCallTimeout",
    "TokenEndpointUnavailable",
    "TokenRejected",
    "TokenResponseError",
    "UnsupportedGrant",
]


class SessionError(SdkError):
    """Base class of every error raised by the session layer.

    It is an ``SdkError``, the class every generated SDK's ``errors.SdkError`` is: one
    ``except SdkError`` catches everything raised through any SDK.
    """


class SessionAnswer(SessionError, ApiError):
    """A session error that stands for an HTTP answer: also the SDK's ``ApiError`` for it.

    ``for_response`` picks the class of the status as well (a ``LoginFailed`` for a 401 is an
    ``Unauthorized``, for a 429 a ``TooManyRequests``), so an ``except`` written from an
    operation's documented errors catches it too.
    """

    @classmethod
    def for_response(
        cls,
        message: str,
        response: httpx.Response,
        error: Any = None,
        *,
        error_code: str | None = None,
        error_message: str | None = None,
    ) -> Self:
        kind: type[Self] = _status_variant(cls, class_for_status(response.status_code))
        return kind(
            response, error, error_code=error_code, error_message=error_message, message=message
        )


class SessionExpired(SessionError):
    """The session could not be renewed; the request it guarded was not sent again.

    ``reason`` is a stable code: ``"rejected"`` (the refresh token was refused and
    nobody could log in again), ``"login_failed"`` (the credentials provider's
    re-login was refused), ``"no_credentials"``, ``"unavailable"`` (the token
    endpoint answered 429/5xx), ``"malformed"`` (unusable token response) or
    ``"interrupted"`` (the refresh call died: network failure, timeout,
    cancellation), ``"invalid_client"`` or ``"unsupported_grant"`` (the token endpoint
    refused the client or the grant: a configuration error, ``cause`` is the
    ``InvalidClient``/``UnsupportedGrant``). ``session_ended`` tells whether the stored session was
    discarded (log in again) or kept (a later call may succeed). ``cause`` is the
    underlying error, also chained as ``__cause__``.
    """

    def __init__(
        self,
        message: str,
        *,
        reason: str,
        session_ended: bool,
        cause: BaseException | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.session_ended = session_ended
        self.cause = cause
        self.__cause__ = cause

    def for_waiter(self) -> SessionExpired:
        """A fresh copy for another request that waited on the same refresh.

        Raising one exception object from many threads would interleave their
        tracebacks, so each waiter gets its own.
        """
        return SessionExpired(
            str(self), reason=self.reason, session_ended=self.session_ended, cause=self.cause
        )


class TokenCallTimeout(SessionExpired, ApiTimeoutError):
    """A renewal's token call (the refresh, or the re-login of a credentials provider) got
    no answer within the token timeout.

    It is both errors at once: the ``SessionExpired`` of an interrupted renewal (``reason``
    ``"interrupted"``, the session is kept: a later call may succeed) and a
    ``ApiTimeoutError`` (``method``, ``url`` without its query,
    ``attempts``), as a login that times out is. ``cause`` (also ``__cause__``) is the httpx
    timeout. Requests that waited for that renewal get a plain ``SessionExpired``
    (``"interrupted"``).
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        attempts: int | None,
        cause: BaseException | None = None,
    ) -> None:
        Exception.__init__(self, message)  # (the two bases' __init__ take other arguments)
        self.method = method
        self.url = url
        self.attempts = attempts
        self.reason = "interrupted"
        self.session_ended = False
        self.cause = cause
        self.__cause__ = cause

    def for_waiter(self) -> TokenCallTimeout:
        return TokenCallTimeout(
            str(self), method=self.method, url=self.url, attempts=self.attempts, cause=self.cause
        )


class NotLoggedIn(SessionError):
    """There is no session (never logged in, or logged out) and no credentials provider.

    Raised before the request is sent: an unsigned call would only collect a 401.
    """


class TokenRejected(SessionError, Unauthorized):
    """The upstream answered 401 to a request that carried the session's current token.

    Raised when renewing cannot help any more: the request already went through
    one renewal (or its resend budget), so another attempt would only repeat the
    401. ``waited`` is how long the request was on its way (dispatch to answer,
    seconds) and ``lifetime`` how long its token had left when it was dispatched;
    when ``waited >= lifetime`` the request simply queued longer than a token
    lives (``outlived`` is then true). Also chained as the cause of the
    ``SessionExpired`` of a renewal that a 401 started.

    It is the SDK's ``Unauthorized`` too (``status_code``, ``error``, ``response``), as the
    operation's reference documents for a 401. Its message never shows a token; like any
    ``ApiError``'s, its ``response.request`` holds what was sent.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        error: Any = None,
        error_code: str | None = None,
        error_message: str | None = None,
        waited: float | None = None,
        lifetime: float | None = None,
    ) -> None:
        Unauthorized.__init__(
            self,
            response,
            error,
            error_code=error_code,
            error_message=error_message,
            message=message,
        )
        self.waited = waited
        self.lifetime = lifetime

    @property
    def outlived(self) -> bool:
        return (
            self.waited is not None and self.lifetime is not None and self.waited >= self.lifetime
        )


class LoginFailed(SessionAnswer):
    """The login operation refused the credentials (``status_code``, ``error_code``)."""


class RefreshRejected(SessionAnswer):
    """The token endpoint refused the refresh token (400 ``invalid_grant``, or 401).

    Per RFC 6749 section 5.2 the refresh token is dead: never retry it.
    """


class InvalidClient(SessionAnswer):
    """The token endpoint refused the client itself (RFC 6749 section 5.2 ``invalid_client``).

    A configuration error (client id or secret), not the user's: the message names the
    client id, never the secret. Logging in again cannot help.
    """


class UnsupportedGrant(SessionAnswer):
    """The token endpoint does not accept the grant it was sent (RFC 6749 section 5.2
    ``unsupported_grant_type``, or ``unauthorized_client`` for this client); the message
    names the grant."""


class TokenEndpointUnavailable(SessionAnswer):
    """The token endpoint answered with something other than tokens or a refusal (429, 5xx)."""


class TokenResponseError(SessionError):
    """A token response is not usable: not JSON, a field missing or of the wrong type."""


class InsecureTransport(SessionError):
    """Credentials would travel over plain http to a host that is not loopback."""


class StoreError(SessionError):
    """The token store cannot be read or written."""


class StoreLockTimeout(StoreError):
    """The store's refresh lock was not acquired in time."""


class StoreUnavailable(StoreError):
    """The shared store (Redis) cannot be reached or did not answer in time.

    Nothing was sent upstream with a stale token; retry once the store is back.
    """


_VARIANTS: dict[tuple[type[SessionAnswer], type[ApiError]], Any] = {}
_VARIANTS_LOCK = threading.Lock()


def _status_variant(base: type[SessionAnswer], status_class: type[ApiError]) -> Any:
    """``base`` that is also ``status_class``: one class per pair, named as ``base`` so
    tracebacks and logs read ``LoginFailed``, not an invented name."""
    if issubclass(base, status_class):
        return base
    with _VARIANTS_LOCK:
        variant = _VARIANTS.get((base, status_class))
        if variant is None:
            variant = type(base.__name__, (base, status_class), {"__module__": base.__module__})
            variant.__qualname__ = base.__qualname__
            _VARIANTS[base, status_class] = variant
        return variant
