# Generated from examples/drf/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""Typed exceptions: everything the SDK raises is an ``SdkError``, so one ``except`` catches it all.

``ApiError`` (an error status), ``ApiConnectionError``/``ApiTimeoutError`` (no answer; the httpx
exception is the ``__cause__``), ``ClientClosed``, ``InvalidBaseUrl``, ``InvalidArgument`` and
``InvalidData`` (data that does not match a model) are its subclasses; the session layer's
``SessionError`` is one too.

``ApiError`` carries the status code, the parsed error body (always
``None``) and the ``httpx.Response``. Its message names the method,
URL path, status and error code/message only: never request headers, so credentials cannot
leak into logs.
"""

from __future__ import annotations

import email.utils
import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

#: What a body that does not match its schema raises while being parsed.
PARSE_ERRORS: tuple[type[Exception], ...] = (KeyError, TypeError, ValueError, AttributeError)


class SdkError(Exception):
    """Base class of every exception the SDK raises (and of the session layer's errors)."""


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
    """The API answered with a status the operation does not treat as success.

    Attributes:
        status_code: The HTTP status code.
        error: The parsed error body, or ``None`` when the body is not a valid error document.
        response: The ``httpx.Response`` (its ``request`` holds what was sent).
    """

    def __init__(self, response: httpx.Response, error: Any | None = None) -> None:
        self.response = response
        self.status_code = response.status_code
        self.error = error
        super().__init__(self._describe())

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
    def error_code(self) -> str | None:
        """The machine-readable error code from the body, if it parsed."""
        return None

    @property
    def error_message(self) -> str | None:
        """The human-readable message from the body, if it parsed."""
        return None

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

    def __init__(self, response: httpx.Response, error: Any | None = None) -> None:
        self.retry_after = parse_retry_after(response.headers.get("Retry-After"))
        super().__init__(response, error)


class ServerError(ApiError):
    """Any 5xx status, documented or not (including non-standard codes such as 520)."""


class UnexpectedStatus(ApiError):
    """Any other status the operation does not document as success (e.g. 3xx, 418)."""


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


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP-date), else None."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def parse_error_body(response: httpx.Response) -> Any | None:
    """The response body as an error document, or None when it is not one."""
    return None


def error_for_response(response: httpx.Response) -> ApiError:
    """The exception for a response whose status the operation does not treat as success."""
    status = response.status_code
    error_class = _BY_STATUS.get(status)
    if error_class is None:
        error_class = ServerError if 500 <= status <= 599 else UnexpectedStatus
    return error_class(response, parse_error_body(response))


__all__ = [
    "PARSE_ERRORS",
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "BadRequest",
    "ClientClosed",
    "Conflict",
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
    "error_for_response",
    "parse_error_body",
    "parse_retry_after",
]
