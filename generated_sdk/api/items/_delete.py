# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""``sdk.items.delete``: ``DELETE /items/{item_id}`` (Delete an item)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote as _quote

import httpx

from sdk_session import calls as _runtime

from ... import errors
from ...client import Client
from ...types import Response


def _request(
    *,
    item_id: int,
) -> dict[str, Any]:
    """The ``httpx.Client.request`` arguments for this call."""

    _headers: dict[str, str] = {}
    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/items/{item_id}".format(
            item_id=_quote(str(item_id), safe=""),
        ),
    }
    if _headers:
        _kwargs["headers"] = _headers
    return _kwargs


def _parse(response: httpx.Response) -> None:
    """The result of a success status; any other status raises its ``errors.ApiError``."""
    if response.status_code == 204:
        return None
    raise errors.error_for_response(response)


class DeleteOperation:
    """Delete an item

    ``DELETE /items/{item_id}`` (operationId ``delete``). Call it, or use ``asyncio``,
    ``detailed``, ``asyncio_detailed``.
    """

    operation_id = "delete"
    method = "DELETE"
    path = "/items/{item_id}"
    anonymous = False

    def __call__(
        self,
        client: Client,
        *,
        item_id: int,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Send the request and return its result (nothing).

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
        """
        self.detailed(
            client,
            item_id=item_id,
            timeout=timeout,
            headers=headers,
        )

    def detailed(
        self,
        client: Client,
        *,
        item_id: int,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[None]:
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
    ) -> None:
        """Async twin of calling the operation."""
        await self.asyncio_detailed(
            client,
            item_id=item_id,
            timeout=timeout,
            headers=headers,
        )

    async def asyncio_detailed(
        self,
        client: Client,
        *,
        item_id: int,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[None]:
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
        return "<operation sdk.items.delete: DELETE /items/{item_id}>"


operation = DeleteOperation()
