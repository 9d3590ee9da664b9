"""Typed errors of the session layer.

Every message is written for a log file: it names what failed and why, never a
token, a password or a raw response body (a body may echo secrets back).
"""

from __future__ import annotations

from generated_sdk.errors import ApiTimeoutError, SdkError

__all__ = [
    "InsecureTransport",
    "LoginFailed",
    "NotLoggedIn",
    "RefreshRejected",
    "SessionError",
    "SessionExpired",
    "StoreError",
    "StoreLockTimeout",
    "TokenCallTimeout",
    "TokenEndpointUnavailable",
    "TokenRejected",
    "TokenResponseError",
]


class SessionError(SdkError):
    """Base class of every error raised by ``sdk_session``.

    It is a ``generated_sdk.errors.SdkError``: one ``except SdkError`` catches everything the
    SDK raises.
    """


class SessionExpired(SessionError):
    """The session could not be renewed; the request it guarded was not sent again.

    ``reason`` is a stable code: ``"rejected"`` (the refresh token was refused and
    nobody could log in again), ``"login_failed"`` (the credentials provider's
    re-login was refused), ``"no_credentials"``, ``"unavailable"`` (the token
    endpoint answered 429/5xx), ``"malformed"`` (unusable token response) or
    ``"interrupted"`` (the refresh call died: network failure, timeout,
    cancellation). ``session_ended`` tells whether the stored session was
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
    ``generated_sdk.errors.ApiTimeoutError`` (``method``, ``url`` without its query,
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


class TokenRejected(SessionError):
    """The upstream answered 401 to a request that carried the session's current token.

    Raised when renewing cannot help any more: the request already went through
    one renewal (or its resend budget), so another attempt would only repeat the
    401. ``waited`` is how long the request was on its way (dispatch to answer,
    seconds) and ``lifetime`` how long its token had left when it was dispatched;
    when ``waited >= lifetime`` the request simply queued longer than a token
    lives (``outlived`` is then true). Also chained as the cause of the
    ``SessionExpired`` of a renewal that a 401 started. Never holds a token.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        waited: float | None = None,
        lifetime: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = 401
        self.method = method
        self.path = path
        self.waited = waited
        self.lifetime = lifetime

    @property
    def outlived(self) -> bool:
        return (
            self.waited is not None and self.lifetime is not None and self.waited >= self.lifetime
        )


class LoginFailed(SessionError):
    """The login operation refused the credentials or could not be used."""

    def __init__(
        self, message: str, *, status_code: int | None = None, error: str | None = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error = error


class RefreshRejected(SessionError):
    """The token endpoint refused the refresh token (400 ``invalid_grant``, or 401).

    Per RFC 6749 section 5.2 the refresh token is dead: never retry it.
    """

    def __init__(self, message: str, *, status_code: int, error: str | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error = error


class TokenEndpointUnavailable(SessionError):
    """The token endpoint answered with something other than tokens or a refusal (429, 5xx)."""

    def __init__(self, message: str, *, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


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
