"""The errors of a call: one tree under ``SdkError`` that every generated SDK shares.

Generated packages re-export these classes under their own ``errors`` module (the same objects,
not copies), so ``except drf_sdk.errors.NotFound`` and ``except sdk_session.errors.NotFound``
are one test, whichever SDK or session raised it. Messages name the method, path, status and
a short error code only: never headers or free text from a body, which may echo secrets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..retry_after import parse_retry_after

if TYPE_CHECKING:
    import httpx

__all__ = [
    "PARSE_ERRORS",
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "BadRequest",
    "ClientClosed",
    "Conflict",
    "ErrorBody",
    "Forbidden",
    "InvalidArgument",
    "InvalidBaseUrl",
    "InvalidData",
    "NotFound",
    "ResponseParseError",
    "SdkError",
    "ServerError",
    "TooManyRequests",
    "Unauthorized",
    "UnexpectedStatus",
    "UnprocessableEntity",
    "api_error",
    "class_for_status",
]

#: What a body that does not match its schema raises while being parsed.
PARSE_ERRORS: tuple[type[Exception], ...] = (KeyError, TypeError, ValueError, AttributeError)

#: Reads an SDK's error document from a response: ``(body, code, message)``, each ``None`` when
#: absent. Generated packages pass their own (built on their error model); the default keeps none.
ErrorBody = Callable[["httpx.Response"], tuple[Any, str | None, str | None]]


def no_error_body(_response: httpx.Response) -> tuple[Any, str | None, str | None]:
    return None, None, None


class SdkError(Exception):
    """Base class of every exception raised by the runtime and by every generated SDK."""


class ClientClosed(SdkError, RuntimeError):
    """The client was closed (its ``with`` block ended, or ``close()`` was called).

    A closed client never reopens silently: create a new one.
    """


class InvalidBaseUrl(SdkError, ValueError):
    """The client's ``base_url`` is not an absolute http(s) URL."""


class InvalidArgument(SdkError, ValueError):
    """An operation argument cannot be sent: ``argument`` names it, ``reason`` says why."""

    def __init__(self, argument: str, reason: str) -> None:
        self.argument = argument
        self.reason = reason
        super().__init__(f"{argument}: {reason}")


class InvalidData(SdkError, ValueError):
    """Data given to a model's ``from_dict`` does not match its schema.

    Attributes:
        model: The model class name.
        field: The JSON name of the offending field (``None`` when the data is not an object).
        reason: What is wrong with it.
    """

    def __init__(self, model: str, field: str | None, reason: str) -> None:
        self.model = model
        self.field = field
        self.reason = reason
        where = model if field is None else f"{model}.{field}"
        super().__init__(f"{where}: {reason}")

    @classmethod
    def wrap(cls, model: str, field: str, exc: BaseException) -> InvalidData:
        """The error for ``exc``, raised while reading ``field`` of ``model``."""
        if isinstance(exc, KeyError) and exc.args == (field,):
            return cls(model, field, "required field is missing")
        return cls(model, field, str(exc) or type(exc).__name__)


class ApiConnectionError(SdkError):
    """The request got no answer: connection refused or dropped, DNS failure, protocol error.

    ``__cause__`` is the httpx exception. The message names the method and URL (without its
    query string) and, when a retrying transport was involved, how many attempts were made.

    Attributes:
        method: The request's HTTP method.
        url: The request URL without query string, fragment or user info.
        attempts: How many times the request was sent, when known.
    """

    def __init__(self, method: str, url: str, attempts: int | None, detail: str) -> None:
        self.method = method
        self.url = url
        self.attempts = attempts
        text = f"{method} {url}: {detail}"
        if attempts is not None:
            text += f"; {attempts} attempt{'' if attempts == 1 else 's'}"
        super().__init__(text)


class ApiTimeoutError(ApiConnectionError):
    """No answer within the timeout (connect, read, write or pool); each attempt has its own."""


class ApiError(SdkError):
    """The API answered with a status the call does not treat as success.

    Attributes:
        response: The ``httpx.Response`` (its ``request`` holds what was sent).
        status_code: The HTTP status code.
        error: The parsed error body (the SDK's error model), or ``None`` when the body is
            not a valid error document or the SDK has no error model.
        error_code: The machine-readable code from the body, if any.
        error_message: The human-readable message from the body, if any.
    """

    def __init__(
        self,
        response: httpx.Response,
        error: Any = None,
        *,
        error_code: str | None = None,
        error_message: str | None = None,
        message: str | None = None,
    ) -> None:
        self.response = response
        self.status_code = response.status_code
        self.error = error
        self.error_code = error_code
        self.error_message = error_message
        super().__init__(self._describe() if message is None else message)

    @property
    def method(self) -> str:
        """The request's HTTP method ("" when the response has no request)."""
        try:
            return self.response.request.method
        except RuntimeError:
            return ""

    @property
    def path(self) -> str:
        """The request's URL path, without query string ("" when the response has no request)."""
        try:
            return self.response.request.url.path
        except RuntimeError:
            return ""

    @property
    def field_errors(self) -> list[tuple[str, str]]:
        """``(field, reason)`` pairs from the error body's ``details``, e.g. for a 422."""
        details = getattr(self.error, "details", None)
        pairs: list[tuple[str, str]] = []
        if isinstance(details, list):
            for item in details:
                name, reason = getattr(item, "field", None), getattr(item, "message", None)
                if isinstance(name, str) and isinstance(reason, str):
                    pairs.append((name, reason))
        return pairs

    def _describe(self) -> str:
        text = f"{self.method} {self.path} -> {self.status_code}".strip()
        if self.error_code:
            text += f" {self.error_code}"
        if self.error_message:
            text += f": {self.error_message}"
        pairs = self.field_errors
        if pairs:
            text += " (" + "; ".join(f"{name}: {reason}" for name, reason in pairs) + ")"
        return text


class BadRequest(ApiError):
    """400: the request is malformed."""


class Unauthorized(ApiError):
    """401: missing, invalid or expired credentials."""


class Forbidden(ApiError):
    """403: authenticated but not allowed."""


class NotFound(ApiError):
    """404: no such resource."""


class Conflict(ApiError):
    """409: the request conflicts with the resource's state."""


class UnprocessableEntity(ApiError):
    """422: well-formed, but some fields are invalid."""


class TooManyRequests(ApiError):
    """429: rate limited; ``retry_after`` is the wait in seconds, when the server said."""

    def __init__(self, response: httpx.Response, error: Any = None, **kwargs: Any) -> None:
        self.retry_after = parse_retry_after(response.headers.get("Retry-After"))
        super().__init__(response, error, **kwargs)


class ServerError(ApiError):
    """Any 5xx status, documented or not (including non-standard codes such as 520)."""


class UnexpectedStatus(ApiError):
    """Any other status the call does not document as success (e.g. 3xx, 418)."""


class ResponseParseError(ApiError):
    """A success status whose body does not match the documented schema."""

    def __init__(self, response: httpx.Response, expected: str) -> None:
        self.expected = expected
        super().__init__(response)

    def _describe(self) -> str:
        return f"{super()._describe()}: response body is not a valid {self.expected}"


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: UnprocessableEntity,
    429: TooManyRequests,
}


def class_for_status(status: int) -> type[ApiError]:
    """The ``ApiError`` subclass for an error ``status``."""
    found = _BY_STATUS.get(status)
    if found is not None:
        return found
    return ServerError if 500 <= status <= 599 else UnexpectedStatus


def api_error(response: httpx.Response, body: ErrorBody = no_error_body) -> ApiError:
    """The exception for a response whose status the call does not treat as success."""
    error, code, message = body(response)
    return class_for_status(response.status_code)(
        response, error, error_code=code, error_message=message
    )
