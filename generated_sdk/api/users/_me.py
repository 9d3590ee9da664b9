# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""``sdk.users.me``: ``GET /me`` (The authenticated user)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from sdk_session import calls as _runtime

from ... import errors
from ...client import Client
from ...models.user import User
from ...types import Response


def _request() -> dict[str, Any]:
    """The ``httpx.Client.request`` arguments for this call."""

    _headers: dict[str, str] = {}
    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/me",
    }
    if _headers:
        _kwargs["headers"] = _headers
    return _kwargs


def _parse(response: httpx.Response) -> User:
    """The result of a success status; any other status raises its ``errors.ApiError``."""
    if response.status_code == 200:
        try:
            response_200 = User.from_dict(response.json())

            return response_200

        except errors.PARSE_ERRORS as exc:
            raise errors.ResponseParseError(response, "User") from exc
    raise errors.error_for_response(response)


class MeOperation:
    """The authenticated user

    ``GET /me`` (operationId ``me``). Call it, or use ``asyncio``, ``detailed``,
    ``asyncio_detailed``.
    """

    operation_id = "me"
    method = "GET"
    path = "/me"
    anonymous = False

    def __call__(
        self,
        client: Client,
        *,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> User:
        """Send the request and return its result.

        Args:
            client: The client to send with.
            timeout: Overrides the client's timeout for this call.
            headers: Extra headers for this call.

        Raises:
            errors.ApiError: The subclass for the status (e.g. ``errors.NotFound``) on any
                non-success status.
            errors.ApiConnectionError: No answer (``errors.ApiTimeoutError`` when timed out).
            errors.InvalidArgument: An argument that cannot be sent (e.g. an unknown enum value).

        Returns:
            User
        """
        return self.detailed(
            client,
            timeout=timeout,
            headers=headers,
        ).parsed

    def detailed(
        self,
        client: Client,
        *,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[User]:
        """Like calling the operation, but return the whole ``Response`` (status, headers, body)."""
        _response = _runtime.send(
            client,
            _request(),
            timeout=timeout,
            headers=headers,
            anonymous=False,
        )
        return _runtime.build(_response, _parse)

    async def asyncio(
        self,
        client: Client,
        *,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> User:
        """Async twin of calling the operation."""
        _response = await self.asyncio_detailed(
            client,
            timeout=timeout,
            headers=headers,
        )
        return _response.parsed

    async def asyncio_detailed(
        self,
        client: Client,
        *,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[User]:
        """Async twin of ``detailed``."""
        _response = await _runtime.send_async(
            client,
            _request(),
            timeout=timeout,
            headers=headers,
            anonymous=False,
        )
        return _runtime.build(_response, _parse)

    def __repr__(self) -> str:
        return "<operation sdk.users.me: GET /me>"


operation = MeOperation()
