# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, B008, RUF001, RUF002, RUF003, RUF100
# mypy: disable-error-code="redundant-cast"
"""Typed exceptions for every non-success response, so callers never inspect status codes.

``ApiError`` carries the status code, the parsed error body (``Error`` when it parses,
else ``None``) and the ``httpx.Response``. Its message names the method,
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

    from .models.error import Error

#: What a body that does not match its schema raises while being parsed.
PARSE_ERRORS: tuple[type[Exception], ...] = (KeyError, TypeError, ValueError, AttributeError)


class ApiError(Exception):
    """The API answered with a status the operation does not treat as success.

    Attributes:
        status_code: The HTTP status code.
        error: The parsed error body, or ``None`` when the body is not a valid error document.
        response: The ``httpx.Response`` (its ``request`` holds what was sent).
    """

    def __init__(self, response: httpx.Response, error: Error | None = None) -> None:
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
        return None if self.error is None else self.error.error

    @property
    def error_message(self) -> str | None:
        """The human-readable message from the body, if it parsed."""
        return None if self.error is None else self.error.message

    def _describe(self) -> str:
        text = f"{self.method} {self.path} -> {self.status_code}".strip()
        if self.error_code:
            text += f" {self.error_code}"
        if self.error_message:
            text += f": {self.error_message}"
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

    def __init__(self, response: httpx.Response, error: Error | None = None) -> None:
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


def parse_error_body(response: httpx.Response) -> Error | None:
    """The response body as an error document, or None when it is not one."""
    from .models.error import Error

    try:
        data: Any = response.json()
        return Error.from_dict(data) if isinstance(data, dict) else None
    except PARSE_ERRORS:
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
    "ApiError",
    "BadRequest",
    "Conflict",
    "Forbidden",
    "NotFound",
    "ResponseParseError",
    "ServerError",
    "TooManyRequests",
    "Unauthorized",
    "UnexpectedStatus",
    "UnprocessableEntity",
    "error_for_response",
    "parse_error_body",
    "parse_retry_after",
]
