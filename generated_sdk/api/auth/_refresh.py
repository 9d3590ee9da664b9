# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""``sdk.auth.refresh``: ``POST /refreshToken`` (Exchange a refresh token for new tokens)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from sdk_session import calls as _runtime

from ... import errors
from ...client import Client
from ...models.refresh_request import RefreshRequest, RefreshRequestDict
from ...models.token_response import TokenResponse
from ...types import Response


def _request(
    *,
    body: RefreshRequest | RefreshRequestDict,
) -> dict[str, Any]:
    """The ``httpx.Client.request`` arguments for this call."""
    body = _runtime.model_arg(RefreshRequest, body, "body")

    _headers: dict[str, str] = {}
    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/refreshToken",
    }
    _kwargs["json"] = body.to_dict()

    _headers["Content-Type"] = "application/json"
    if _headers:
        _kwargs["headers"] = _headers
    return _kwargs


def _parse(response: httpx.Response) -> TokenResponse:
    """The result of a success status; any other status raises its ``errors.ApiError``."""
    if response.status_code == 200:
        try:
            response_200 = TokenResponse.from_dict(response.json())

            return response_200

        except errors.PARSE_ERRORS as exc:
            raise errors.ResponseParseError(response, "TokenResponse") from exc
    raise errors.error_for_response(response)


class RefreshOperation:
    """Exchange a refresh token for new tokens

    The refresh token rotates: the one presented is spent and a new one is
    returned. Presenting a spent refresh token again revokes the session it
    belongs to, including its live access tokens, and answers `invalid_grant`.

    ``POST /refreshToken`` (operationId ``refresh``; sent without the client's auth). Call
    it, or use ``asyncio``, ``detailed``, ``asyncio_detailed``.
    """

    operation_id = "refresh"
    method = "POST"
    path = "/refreshToken"
    anonymous = True

    def __call__(
        self,
        client: Client,
        *,
        body: RefreshRequest | RefreshRequestDict,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> TokenResponse:
        """Send the request and return its result.

        Args:
            client: The client to send with.
            body (RefreshRequest):
            timeout: Overrides the client's timeout for this call.
            headers: Extra headers for this call.

        Raises:
            errors.ApiError: The subclass for the status (e.g. ``errors.NotFound``) on any
                non-success status.
            errors.ApiConnectionError: No answer (``errors.ApiTimeoutError`` when timed out).
            errors.InvalidArgument: An argument that cannot be sent (e.g. an unknown enum value).

        Returns:
            TokenResponse
        """
        return self.detailed(
            client,
            body=body,
            timeout=timeout,
            headers=headers,
        ).parsed

    def detailed(
        self,
        client: Client,
        *,
        body: RefreshRequest | RefreshRequestDict,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[TokenResponse]:
        """Like calling the operation, but return the whole ``Response`` (status, headers, body)."""
        _response = _runtime.send(
            client,
            _request(
                body=body,
            ),
            timeout=timeout,
            headers=headers,
            anonymous=True,
        )
        return _runtime.build(_response, _parse)

    async def asyncio(
        self,
        client: Client,
        *,
        body: RefreshRequest | RefreshRequestDict,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> TokenResponse:
        """Async twin of calling the operation."""
        _response = await self.asyncio_detailed(
            client,
            body=body,
            timeout=timeout,
            headers=headers,
        )
        return _response.parsed

    async def asyncio_detailed(
        self,
        client: Client,
        *,
        body: RefreshRequest | RefreshRequestDict,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[TokenResponse]:
        """Async twin of ``detailed``."""
        _response = await _runtime.send_async(
            client,
            _request(
                body=body,
            ),
            timeout=timeout,
            headers=headers,
            anonymous=True,
        )
        return _runtime.build(_response, _parse)

    def __repr__(self) -> str:
        return "<operation sdk.auth.refresh: POST /refreshToken>"


operation = RefreshOperation()
