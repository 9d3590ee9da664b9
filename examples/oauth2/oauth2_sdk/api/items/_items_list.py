# Generated from examples/oauth2/spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""``sdk.items.items_list``: ``GET /api/items/``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import httpx

from sdk_session import calls as _runtime

from ... import errors
from ...client import Client
from ...models.item import Item
from ...models.paginated_item_list import PaginatedItemList
from ...types import UNSET, Response, Unset


def _request(
    *,
    page: int | Unset = UNSET,
) -> dict[str, Any]:
    """The ``httpx.Client.request`` arguments for this call."""

    _params: dict[str, Any] = {}
    _params["page"] = page
    _params = {k: v for k, v in _params.items() if v is not UNSET and v is not None}

    _headers: dict[str, str] = {}
    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/items/",
        "params": _params,
    }
    if _headers:
        _kwargs["headers"] = _headers
    return _kwargs


def _parse(response: httpx.Response) -> PaginatedItemList:
    """The result of a success status; any other status raises its ``errors.ApiError``."""
    if response.status_code == 200:
        try:
            response_200 = PaginatedItemList.from_dict(response.json())

            return response_200

        except errors.PARSE_ERRORS as exc:
            raise errors.ResponseParseError(response, "PaginatedItemList") from exc
    raise errors.error_for_response(response)


class ItemsListOperation:
    """``GET /api/items/``

    ``GET /api/items/`` (operationId ``items_list``). Call it, or use ``asyncio``,
    ``detailed``, ``asyncio_detailed``, and ``iter``/``aiter`` to walk every page.
    """

    operation_id = "items_list"
    method = "GET"
    path = "/api/items/"
    anonymous = False

    def __call__(
        self,
        client: Client,
        *,
        page: int | Unset = UNSET,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> PaginatedItemList:
        """Send the request and return its result.

        Args:
            client: The client to send with.
            page (int | Unset): A page number within the paginated result set.
            timeout: Overrides the client's timeout for this call.
            headers: Extra headers for this call.

        Raises:
            errors.ApiError: The subclass for the status (e.g. ``errors.NotFound``) on any
                non-success status.
            errors.ApiConnectionError: No answer (``errors.ApiTimeoutError`` when timed out).
            errors.InvalidArgument: An argument that cannot be sent (e.g. an unknown enum value).

        Returns:
            PaginatedItemList
        """
        return self.detailed(
            client,
            page=page,
            timeout=timeout,
            headers=headers,
        ).parsed

    def detailed(
        self,
        client: Client,
        *,
        page: int | Unset = UNSET,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[PaginatedItemList]:
        """Like calling the operation, but return the whole ``Response`` (status, headers, body)."""
        _response = _runtime.send(
            client,
            _request(
                page=page,
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
        page: int | Unset = UNSET,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> PaginatedItemList:
        """Async twin of calling the operation."""
        _response = await self.asyncio_detailed(
            client,
            page=page,
            timeout=timeout,
            headers=headers,
        )
        return _response.parsed

    async def asyncio_detailed(
        self,
        client: Client,
        *,
        page: int | Unset = UNSET,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[PaginatedItemList]:
        """Async twin of ``detailed``."""
        _response = await _runtime.send_async(
            client,
            _request(
                page=page,
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
        page: int | Unset = UNSET,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Iterator[Item]:
        """Yield every ``Item`` of every page, fetching pages only as needed.

        Starts at page ``page`` (the first page when not given) and asks for
        the next page number while ``next_`` is set. Arguments are those of a call.
        """
        _number = page
        while True:
            _page = self(
                client,
                page=_number,
                timeout=timeout,
                headers=headers,
            )
            yield from _page.results
            if not _page.next_:
                return
            _number = (1 if isinstance(_number, Unset) or _number is None else _number) + 1

    async def aiter(
        self,
        client: Client,
        *,
        page: int | Unset = UNSET,
        timeout: float | httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncIterator[Item]:
        """Async twin of ``iter``: an async iterator over every ``Item``."""
        _number = page
        while True:
            _page = await self.asyncio(
                client,
                page=_number,
                timeout=timeout,
                headers=headers,
            )
            for _item in _page.results:
                yield _item
            if not _page.next_:
                return
            _number = (1 if isinstance(_number, Unset) or _number is None else _number) + 1

    def __repr__(self) -> str:
        return "<operation sdk.items.items_list: GET /api/items/>"


operation = ItemsListOperation()
