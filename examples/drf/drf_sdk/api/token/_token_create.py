# Generated from examples/drf/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""``sdk.token.token_create``: ``POST /api/token/``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from sdk_session import calls as _runtime

from ... import errors
from ...client import Client
from ...models.token_obtain_pair import TokenObtainPair, TokenObtainPairDict
from ...types import Response


def _request(
    *,
    body: TokenObtainPair | TokenObtainPairDict,
) -> dict[str, Any]:
    """The ``httpx.Client.request`` arguments for this call."""
    body = _runtime.model_arg(TokenObtainPair, body, "body")

    _headers: dict[str, str] = {}
    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/token/",
    }
    _kwargs["json"] = body.to_dict()

    _headers["Content-Type"] = "application/json"
    if _headers:
        _kwargs["headers"] = _headers
    return _kwargs


def _parse(response: httpx.Response) -> TokenObtainPair:
    """The result of a success status; any other status raises its ``errors.ApiError``."""
    if response.status_code == 200:
        try:
            response_200 = TokenObtainPair.from_dict(response.json())

            return response_200

        except errors.PARSE_ERRORS as exc:
            raise errors.ResponseParseError(response, "TokenObtainPair") from exc
    raise errors.error_for_response(response)


class TokenCreateOperation:
    """``POST /api/token/``

    Takes a set of user credentials and returns an access and refresh JSON web
    token pair to prove the authentication of those credentials.

    ``POST /api/token/`` (operationId ``token_create``; sent without the client's auth).
    Call it, or use ``asyncio``, ``detailed``, ``asyncio_detailed``.
    """

    operation_id = "token_create"
    method = "POST"
    path = "/api/token/"
    anonymous = True

    def __call__(
        self,
        client: Client,
        *,
        body: TokenObtainPair | TokenObtainPairDict,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> TokenObtainPair:
        """Send the request and return its result.

        Args:
            client: The client to send with.
            body (TokenObtainPair):
            timeout: Overrides the client's timeout for this call.
            headers: Extra headers for this call.

        Raises:
            errors.ApiError: The subclass for the status (e.g. ``errors.NotFound``) on any
                non-success status.
            errors.ApiConnectionError: No answer (``errors.ApiTimeoutError`` when timed out).
            errors.InvalidArgument: An argument that cannot be sent (e.g. an unknown enum value).

        Returns:
            TokenObtainPair
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
        body: TokenObtainPair | TokenObtainPairDict,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[TokenObtainPair]:
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
        body: TokenObtainPair | TokenObtainPairDict,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> TokenObtainPair:
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
        body: TokenObtainPair | TokenObtainPairDict,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[TokenObtainPair]:
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
        return "<operation sdk.token.token_create: POST /api/token/>"


operation = TokenCreateOperation()
