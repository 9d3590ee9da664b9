# Generated from spec/openapi.yaml by `python -m generator`; do not edit by hand.
# ruff: noqa: E501, E741, B008, RUF001, RUF002, RUF003, RUF009, RUF034, RUF100, SIM102
# mypy: disable-error-code="redundant-cast"
"""The client every operation takes: connection settings plus lazily built httpx clients.

``Client`` is an attrs class meant to be subclassed (the session layer adds its auth flow that
way); operations accept any ``Client``. ``AuthenticatedClient`` covers the simple static-token case.
"""

from __future__ import annotations

import ssl
from collections.abc import Generator
from types import TracebackType
from typing import Any, Self

import httpx
from attrs import Attribute, define, field

from .errors import ClientClosed, InvalidBaseUrl


def check_base_url(_instance: object, _attribute: Attribute[str], value: object) -> None:
    """Refuse a base URL httpx would misread (it parses ``"localhost:8000"`` as a scheme)."""
    if not isinstance(value, str):
        raise InvalidBaseUrl(f"base_url must be a string, got {type(value).__name__}")
    url = httpx.URL(value)
    if url.scheme in ("http", "https") and url.host:
        return
    shown = value.split("?", 1)[0]
    if "@" in shown:
        shown = shown.split("://", 1)[0] + "://***@" + shown.rsplit("@", 1)[1]
    hint = f"; did you mean 'http://{shown}'?" if "://" not in shown else ""
    raise InvalidBaseUrl(
        f"base_url {shown!r} is not an absolute http(s) URL with a host "
        f"(e.g. 'https://api.example.com'){hint}"
    )


def default_timeout() -> httpx.Timeout:
    """30 s per request phase, 5 s to connect: a hung server never blocks a caller forever."""
    return httpx.Timeout(30.0, connect=5.0)


@define
class Client:
    """Settings for talking to the API, and the httpx clients built from them on first use.

    Attributes:
        base_url: Root URL of the API; operation paths are appended to it.
        timeout: Default timeout of every request (``None`` waits forever); operations also
            take a per-call ``timeout=``.
        headers: Headers sent with every request.
        cookies: Cookies sent with every request.
        verify_ssl: ``True``, ``False`` or an ``ssl.SSLContext``, passed to httpx as ``verify``.
        follow_redirects: Whether httpx follows redirects.
        httpx_args: Extra keyword arguments for ``httpx.Client`` / ``httpx.AsyncClient``.
        auth: An ``httpx.Auth`` applied to every request of operations that need
            authentication; operations whose spec security is ``[]`` (such as logging in)
            are sent without it.
    """

    base_url: str = field(validator=check_base_url)
    timeout: httpx.Timeout | float | None = field(factory=default_timeout, kw_only=True)
    headers: dict[str, str] = field(factory=dict, kw_only=True)
    cookies: dict[str, str] = field(factory=dict, kw_only=True)
    verify_ssl: bool | ssl.SSLContext = field(default=True, kw_only=True)
    follow_redirects: bool = field(default=False, kw_only=True)
    httpx_args: dict[str, Any] = field(factory=dict, kw_only=True)
    auth: httpx.Auth | None = field(default=None, kw_only=True)
    _client: httpx.Client | None = field(default=None, init=False, repr=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False, repr=False)
    _closed: bool = field(default=False, init=False, repr=False)
    _async_closed: bool = field(default=False, init=False, repr=False)

    def httpx_client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments both httpx clients are built with; override to customise them."""
        return {
            "base_url": self.base_url,
            "timeout": self.timeout,
            "headers": self.headers,
            "cookies": self.cookies,
            "verify": self.verify_ssl,
            "follow_redirects": self.follow_redirects,
            "auth": self.auth,
            **self.httpx_args,
        }

    @property
    def is_closed(self) -> bool:
        """Whether neither sync nor async calls can be made any more (see ``close``)."""
        return self._closed and self._async_closed

    def check_open(self, *, asynchronous: bool = False) -> None:
        """Raise ``errors.ClientClosed`` for a closed side: a closed client never reopens."""
        if asynchronous and self._async_closed:
            raise ClientClosed(
                f"this {type(self).__name__} is closed for async calls (its `async with` block "
                "ended or aclose() was called); create a new client"
            )
        if not asynchronous and self._closed:
            raise ClientClosed(
                f"this {type(self).__name__} is closed (its `with` block ended or close() was "
                "called); create a new client"
            )

    def get_httpx_client(self) -> httpx.Client:
        """The underlying ``httpx.Client``, built on first use; raises once closed."""
        self.check_open()
        if self._client is None:
            self._client = httpx.Client(**self.httpx_client_kwargs())
        return self._client

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Use ``client`` for sync calls, as given (this object's settings are not applied)."""
        self._client = client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The underlying ``httpx.AsyncClient``, built on first use; raises once closed."""
        self.check_open(asynchronous=True)
        if self._async_client is None:
            self._async_client = httpx.AsyncClient(**self.httpx_client_kwargs())
        return self._async_client

    def set_async_httpx_client(self, client: httpx.AsyncClient) -> Self:
        """Use ``client`` for async calls, as given (this object's settings are not applied)."""
        self._async_client = client
        return self

    def close(self) -> None:
        """Close the sync connections; later sync calls raise ``errors.ClientClosed``.

        Like httpx, the sync and async sides close separately: async calls stay possible only
        when the async side is already open (close it with ``aclose()``). A side never opened
        is closed too, so a closed client never opens a pool nobody will close.
        """
        self._closed = True
        if self._async_client is None:
            self._async_closed = True
        if self._client is not None:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        """Async twin of ``close``: the async connections, and the sync side if never opened."""
        self._async_closed = True
        if self._client is None:
            self._closed = True
        if self._async_client is not None:
            await self._async_client.aclose()
            self._async_client = None

    def __enter__(self) -> Self:
        self.get_httpx_client()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        self.get_async_httpx_client()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


class StaticTokenAuth(httpx.Auth):
    """Sends ``<prefix> <token>`` (or the bare token) in a header, read from the client."""

    def __init__(self, client: AuthenticatedClient) -> None:
        self._client = client

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        client = self._client
        value = f"{client.prefix} {client.token}" if client.prefix else client.token
        request.headers[client.auth_header_name] = value
        yield request


@define
class AuthenticatedClient(Client):
    """A ``Client`` that authenticates with a fixed token (``Authorization: Bearer <token>``).

    The token is applied as an ``httpx.Auth``, so operations whose spec security is ``[]`` are
    sent without it. An explicit ``auth=`` takes precedence over the token.

    Attributes:
        token: The access token.
        prefix: Scheme written before the token; empty for the bare token.
        auth_header_name: The header that carries it.
    """

    token: str = field(kw_only=True, repr=False)
    prefix: str = field(default="Bearer", kw_only=True)
    auth_header_name: str = field(default="Authorization", kw_only=True)

    def httpx_client_kwargs(self) -> dict[str, Any]:
        kwargs = super().httpx_client_kwargs()
        if kwargs.get("auth") is None:
            kwargs["auth"] = StaticTokenAuth(self)
        return kwargs


__all__ = ["AuthenticatedClient", "Client", "StaticTokenAuth", "default_timeout"]
