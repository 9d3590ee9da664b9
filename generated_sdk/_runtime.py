# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, B008, RUF001, RUF002, RUF003, RUF100
# mypy: disable-error-code="redundant-cast"
"""Request plumbing shared by every operation: per-call options, auth bypass, result wrapping."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from .client import Client
from .types import Response

T = TypeVar("T")

#: A per-call timeout: seconds or an ``httpx.Timeout``; ``None`` keeps the client's timeout.
Timeout = float | httpx.Timeout | None


def _with_options(
    request: dict[str, Any],
    *,
    timeout: Timeout,
    headers: Mapping[str, str] | None,
    anonymous: bool,
) -> dict[str, Any]:
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
) -> httpx.Response:
    """Send ``request`` (``httpx.Client.request`` arguments) with the per-call options."""
    options = _with_options(request, timeout=timeout, headers=headers, anonymous=anonymous)
    return client.get_httpx_client().request(**options)


async def send_async(
    client: Client,
    request: dict[str, Any],
    *,
    timeout: Timeout,
    headers: Mapping[str, str] | None,
    anonymous: bool,
) -> httpx.Response:
    """Async twin of :func:`send`."""
    options = _with_options(request, timeout=timeout, headers=headers, anonymous=anonymous)
    return await client.get_async_httpx_client().request(**options)


def build(response: httpx.Response, parse: Callable[[httpx.Response], T]) -> Response[T]:
    """Wrap ``response``; ``parse`` returns the result or raises the matching ``ApiError``."""
    return Response(
        status_code=response.status_code,
        content=response.content,
        headers=response.headers,
        parsed=parse(response),
    )
