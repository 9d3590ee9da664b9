# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""``sdk.items.list``: ``GET /items`` (List items, newest first, one page at a time)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, Literal

import httpx

from sdk_session import calls as _runtime

from ... import errors
from ...client import Client
from ...models.item import Item
from ...models.item_page import ItemPage
from ...models.item_status import ItemStatus
from ...types import UNSET, Response, Unset


def _request(
    *,
    limit: int | Unset = 20,
    cursor: str | Unset = UNSET,
    status: ItemStatus | Literal["draft", "active", "archived"] | Unset = UNSET,
    q: str | Unset = UNSET,
) -> dict[str, Any]:
    """The ``httpx.Client.request`` arguments for this call."""
    status = _runtime.enum_arg(ItemStatus, status, "status")

    _params: dict[str, Any] = {}
    _params["limit"] = limit
    _params["cursor"] = cursor
    _json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        _json_status = status.value

    _params["status"] = _json_status
    _params["q"] = q
    _params = {k: v for k, v in _params.items() if v is not UNSET and v is not None}

    _headers: dict[str, str] = {}
    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/items",
        "params": _params,
    }
    if _headers:
        _kwargs["headers"] = _headers
    return _kwargs


def _parse(response: httpx.Response) -> ItemPage:
    """The result of a success status; any other status raises its ``errors.ApiError``."""
    if response.status_code == 200:
        try:
            response_200 = ItemPage.from_dict(response.json())

            return response_200

        except errors.PARSE_ERRORS as exc:
            raise errors.ResponseParseError(response, "ItemPage") from exc
    raise errors.error_for_response(response)


class ListOperation:
    """List items, newest first, one page at a time

    ``GET /items`` (operationId ``list``). Call it, or use ``asyncio``, ``detailed``,
    ``asyncio_detailed``, and ``iter``/``aiter`` to walk every page.
    """

    operation_id = "list"
    method = "GET"
    path = "/items"
    anonymous = False

    def __call__(
        self,
        client: Client,
        *,
        limit: int | Unset = 20,
        cursor: str | Unset = UNSET,
        status: ItemStatus | Literal["draft", "active", "archived"] | Unset = UNSET,
        q: str | Unset = UNSET,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> ItemPage:
        """Send the request and return its result.

        Args:
            client: The client to send with.
            limit (int | Unset): Page size. Default: 20.
            cursor (str | Unset): The `next_cursor` of the previous page; absent for the
                first page.
            status (ItemStatus | Unset): Only items in this status.
            q (str | Unset): Case-insensitive text searched in name and description.
            timeout: Overrides the client's timeout for this call.
            headers: Extra headers for this call.

        Raises:
            errors.ApiError: The subclass for the status (e.g. ``errors.NotFound``) on any
                non-success status.
            errors.ApiConnectionError: No answer (``errors.ApiTimeoutError`` when timed out).
            errors.InvalidArgument: An argument that cannot be sent (e.g. an unknown enum value).

        Returns:
            ItemPage
        """
        return self.detailed(
            client,
            limit=limit,
            cursor=cursor,
            status=status,
            q=q,
            timeout=timeout,
            headers=headers,
        ).parsed

    def detailed(
        self,
        client: Client,
        *,
        limit: int | Unset = 20,
        cursor: str | Unset = UNSET,
        status: ItemStatus | Literal["draft", "active", "archived"] | Unset = UNSET,
        q: str | Unset = UNSET,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[ItemPage]:
        """Like calling the operation, but return the whole ``Response`` (status, headers, body)."""
        _response = _runtime.send(
            client,
            _request(
                limit=limit,
                cursor=cursor,
                status=status,
                q=q,
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
        limit: int | Unset = 20,
        cursor: str | Unset = UNSET,
        status: ItemStatus | Literal["draft", "active", "archived"] | Unset = UNSET,
        q: str | Unset = UNSET,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> ItemPage:
        """Async twin of calling the operation."""
        _response = await self.asyncio_detailed(
            client,
            limit=limit,
            cursor=cursor,
            status=status,
            q=q,
            timeout=timeout,
            headers=headers,
        )
        return _response.parsed

    async def asyncio_detailed(
        self,
        client: Client,
        *,
        limit: int | Unset = 20,
        cursor: str | Unset = UNSET,
        status: ItemStatus | Literal["draft", "active", "archived"] | Unset = UNSET,
        q: str | Unset = UNSET,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[ItemPage]:
        """Async twin of ``detailed``."""
        _response = await _runtime.send_async(
            client,
            _request(
                limit=limit,
                cursor=cursor,
                status=status,
                q=q,
            ),
            timeout=timeout,
            headers=headers,
            anonymous=False,
        )
        return _runtime.build(_response, _parse)

    def iter(
        self,
        client: Client,
        *,
        limit: int | Unset = 20,
        cursor: str | Unset = UNSET,
        status: ItemStatus | Literal["draft", "active", "archived"] | Unset = UNSET,
        q: str | Unset = UNSET,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Iterator[Item]:
        """Yield every ``Item`` of every page, fetching pages only as needed.

        Starts at ``cursor`` (the first page when not given) and follows
        ``next_cursor`` until it is empty. Arguments are those of a call.
        """
        _cursor = cursor
        while True:
            _page = self(
                client,
                limit=limit,
                cursor=_cursor,
                status=status,
                q=q,
                timeout=timeout,
                headers=headers,
            )
            yield from _page.items
            _next = _page.next_cursor
            if not _next:
                return
            _cursor = _next

    async def aiter(
        self,
        client: Client,
        *,
        limit: int | Unset = 20,
        cursor: str | Unset = UNSET,
        status: ItemStatus | Literal["draft", "active", "archived"] | Unset = UNSET,
        q: str | Unset = UNSET,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncIterator[Item]:
        """Async twin of ``iter``: an async iterator over every ``Item``."""
        _cursor = cursor
        while True:
            _page = await self.asyncio(
                client,
                limit=limit,
                cursor=_cursor,
                status=status,
                q=q,
                timeout=timeout,
                headers=headers,
            )
            for _item in _page.items:
                yield _item
            _next = _page.next_cursor
            if not _next:
                return
            _cursor = _next

    def __repr__(self) -> str:
        return "<operation sdk.items.list: GET /items>"


operation = ListOperation()
