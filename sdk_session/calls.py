"""What every generated operation calls: per-call options, auth bypass, result wrapping,
transport failures turned into ``ApiConnectionError``, friendly arguments checked, dates read.

Generated code imports it as ``_runtime``; it knows no generated package."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, Protocol, Self, TypeVar, overload

import httpx
from dateutil.parser import isoparse

from .client import Client
from .errors.api import ApiConnectionError, ApiTimeoutError, InvalidArgument, InvalidData
from .types import Response, Unset

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
M = TypeVar("M", bound="_Model")

SECURITY_EXTENSION = "sdk_session.security"
"""Request extension: the operation's security ``Requirement``, for ``sdk_session.schemes``
(here, not there, so that operations of SDKs without static schemes never load it)."""

Requirement = tuple[tuple[str, ...], ...]
"""OR across the outer tuple, AND within; ``()`` means no credentials."""

#: Request extension where a retrying transport keeps its count of sends (the session layer's
#: ``RetryTransport`` does): read to say how many attempts a failed call made.
ATTEMPTS_STATE = "sdk_session.retry_state"

_TIMEOUT_PHASES = {
    httpx.ConnectTimeout: "connect",
    httpx.ReadTimeout: "read",
    httpx.WriteTimeout: "write",
    httpx.PoolTimeout: "pool",
}

#: A per-call timeout: seconds or an ``httpx.Timeout``; ``None`` keeps the client's timeout.
Timeout = float | httpx.Timeout | None


def parse_datetime(value: str) -> datetime.datetime:
    """An ISO 8601 date-time. The standard library reads the usual forms in about 0.1 µs;
    python-dateutil (about 5 µs) reads the rest (reduced precision, ``24:00``, ...)."""
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return isoparse(value)


def parse_date(value: str) -> datetime.date:
    """An ISO 8601 date (a date-time keeps its date part), as ``parse_datetime``."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return isoparse(value).date()


def _with_options(
    request: dict[str, Any],
    *,
    timeout: Timeout,
    headers: Mapping[str, str] | None,
    anonymous: bool,
    security: Requirement | None,
) -> dict[str, Any]:
    if security is not None:
        # What a scheme auth (sdk_session.schemes) may send: the operation's requirement.
        request["extensions"] = {**request.get("extensions", {}), SECURITY_EXTENSION: security}
    if headers:
        request["headers"] = {**request.get("headers", {}), **headers}
    if timeout is not None:
        request["timeout"] = timeout
    if anonymous:
        # httpx applies no auth flow to a request sent with auth=None (not even the client's):
        # token endpoints must never go through a refreshing auth.
        request["auth"] = None
    return request


def send(
    client: Client,
    request: dict[str, Any],
    *,
    timeout: Timeout,
    headers: Mapping[str, str] | None,
    anonymous: bool,
    security: Requirement | None = None,
) -> httpx.Response:
    """Send ``request`` (``httpx.Client.request`` arguments) with the per-call options."""
    options = _with_options(
        request, timeout=timeout, headers=headers, anonymous=anonymous, security=security
    )
    http = client.get_httpx_client()
    try:
        return http.request(**options)
    except httpx.RequestError as exc:
        raise connection_error(exc, options) from exc


async def send_async(
    client: Client,
    request: dict[str, Any],
    *,
    timeout: Timeout,
    headers: Mapping[str, str] | None,
    anonymous: bool,
    security: Requirement | None = None,
) -> httpx.Response:
    """Async twin of :func:`send`."""
    options = _with_options(
        request, timeout=timeout, headers=headers, anonymous=anonymous, security=security
    )
    http = client.get_async_httpx_client()
    try:
        return await http.request(**options)
    except httpx.RequestError as exc:
        raise connection_error(exc, options) from exc


def connection_error(exc: httpx.RequestError, options: Mapping[str, Any]) -> ApiConnectionError:
    """The SDK error for a request that got no answer (``exc`` becomes its cause)."""
    try:
        request: httpx.Request | None = exc.request
    except RuntimeError:
        request = None
    if request is not None:
        method, url = request.method, request.url
        sends = getattr(request.extensions.get(ATTEMPTS_STATE), "sends", None)
        attempts = sends if isinstance(sends, int) and sends > 0 else None
    else:
        method, url, attempts = str(options["method"]).upper(), httpx.URL(options["url"]), None
    shown = f"{url.scheme}://{url.netloc.decode('ascii')}{url.path}" if url.scheme else url.path
    cause = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        phase = next((name for kind, name in _TIMEOUT_PHASES.items() if isinstance(exc, kind)), "")
        limit = request.extensions.get("timeout", {}).get(phase) if request is not None else None
        budget = (
            f"{phase} timeout {limit:g} s per attempt; " if isinstance(limit, int | float) else ""
        )
        return ApiTimeoutError(method, shown, attempts, f"timed out ({budget}{cause})")
    if isinstance(exc, httpx.ConnectError):
        return ApiConnectionError(method, shown, attempts, f"could not connect ({cause})")
    return ApiConnectionError(method, shown, attempts, f"no usable answer ({cause})")


class _Model(Protocol):
    @classmethod
    def from_dict(cls, src: Mapping[str, Any], /) -> Self: ...


def model_arg(kind: type[M], value: object, argument: str) -> M:
    """``value`` as a ``kind``: the model itself, or a plain dict checked by ``from_dict``."""
    if isinstance(value, kind):
        return value
    if isinstance(value, Mapping):
        try:
            return kind.from_dict(value)
        except InvalidData as exc:
            raise InvalidArgument(argument, str(exc)) from exc
    raise InvalidArgument(
        argument, f"expected a {kind.__name__} or a dict, got {type(value).__name__}"
    )


@overload
def enum_arg(kind: type[E], value: E | str, argument: str) -> E: ...
@overload
def enum_arg(kind: type[E], value: E | str | Unset, argument: str) -> E | Unset: ...
@overload
def enum_arg(kind: type[E], value: E | str | Unset | None, argument: str) -> E | Unset | None: ...
def enum_arg(kind: type[E], value: object, argument: str) -> object:
    """``value`` as a member of ``kind``: the member itself, or one of its values."""
    if value is None or isinstance(value, (Unset, kind)):
        return value
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in kind)
        raise InvalidArgument(argument, f"{value!r} is not one of {allowed}") from None


def build(response: httpx.Response, parse: Callable[[httpx.Response], T]) -> Response[T]:
    """Wrap ``response``; ``parse`` returns the result or raises the matching ``ApiError``."""
    return Response(
        status_code=response.status_code,
        content=response.content,
        headers=response.headers,
        parsed=parse(response),
    )
