# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""``sdk.items.get``: ``GET /items/{item_id}`` (Get one item)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote as _quote

import httpx

from sdk_session import calls as _runtime

from ... import errors
from ...client import Client
from ...models.item import Item
from ...types import Response


def _request(
    *,
    item_id: int,
) -> dict[str, Any]:
    """The ``httpx.Client.request`` arguments for this call."""

    _headers: dict[str, str] = {}
    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/items/{item_id}".format(
            item_id=_quote(str(item_id), safe=""),
        ),
    }
    if _headers:
        _kwargs["headers"] = _headers
    return _kwargs


def _parse(response: httpx.Response) -> Item:
    """The result of a success status; any other status raises its ``errors.ApiError``."""
    if response.status_code == 200:
        try:
            response_200 = Item.from_dict(response.json())

            return response_200

        except errors.PARSE_ERRORS as exc:
            raise errors.ResponseParseError(response, "Item") from exc
    raise errors.error_for_response(response)


class GetOperation:
    """Get one item

    ``GET /items/{item_id}`` (operationId ``get``). Call it, or use ``asyncio``,
    ``detailed``, ``asyncio_detailed``.
    """

    operation_id = "get"
    method = "GET"
    path = "/items/{item_id}"
    anonymous = False

    def __call__(
        self,
        client: Client,
        *,
        item_id: int,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Item:
        """Send the request and return its result.

        Args:
            client: The client to send with.
            item_id (int):
            timeout: Overrides the client's timeout for this call.
            headers: Extra headers for this call.

        Raises:
            errors.ApiError: The subclass for the status (e.g. ``errors.NotFound``) on any
                non-success status.
            errors.ApiConnectionError: No answer (``errors.ApiTimeoutError`` when timed out).
            errors.InvalidArgument: An argument that cannot be sent (e.g. an unknown enum value).

        Returns:
            Item
        """
        return self.detailed(
            client,
            item_id=item_id,
            timeout=timeout,
            headers=headers,
        ).parsed

    def detailed(
        self,
        client: Client,
        *,
        item_id: int,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[Item]:
        """Like calling the operation, but return the whole ``Response`` (status, headers, body)."""
        _response = _runtime.send(
            client,
            _request(
                item_id=item_id,
            ),
            timeout=timeout,
            headers=headers,
            anonymous=False,
        )
        return _runtime.build(_response, _parse)

    async def asyncio(
        self,
        client: Client,
        *,
        item_id: int,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Item:
        """Async twin of calling the operation."""
        _response = await self.asyncio_detailed(
            client,
            item_id=item_id,
            timeout=timeout,
            headers=headers,
        )
        return _response.parsed

    async def asyncio_detailed(
        self,
        client: Client,
        *,
        item_id: int,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[Item]:
        """Async twin of ``detailed``."""
        _response = await _runtime.send_async(
            client,
            _request(
                item_id=item_id,
            ),
            timeout=timeout,
            headers=headers,
            anonymous=False,
        )
        return _runtime.build(_response, _parse)

    def __repr__(self) -> str:
        return "<operation sdk.items.get: GET /items/{item_id}>"


operation = GetOperation()
