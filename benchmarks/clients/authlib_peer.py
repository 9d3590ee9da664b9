"""Authlib's httpx integration: ``OAuth2Client`` (threads) and ``AsyncOAuth2Client`` (asyncio).

Configured as its docs describe for refresh: ``token=`` (from our login),
``token_endpoint=`` (our ``/refreshToken``), ``update_token=``. Authlib sends the refresh
grant form-encoded; its ``refresh_token_request`` compliance hook cannot switch to JSON
(``_http_post`` url-decodes the hook's body back into form data), so the form is rewritten
by ``FormToJsonTransport`` on the client's own transport. Authlib only refreshes before
sending (``leeway`` seconds early, default 60) and never on a 401.
"""

from __future__ import annotations

import warnings
from typing import Any

from ..server import login
from . import Peer
from .form_to_json import AsyncFormToJsonTransport, FormToJsonTransport

TIMEOUT = 60.0


def _classes() -> tuple[Any, Any]:
    with warnings.catch_warnings():  # its httpx integration warns on import
        warnings.simplefilter("ignore")
        from authlib.integrations.httpx_client import (  # type: ignore[import-untyped]
            AsyncOAuth2Client,
            OAuth2Client,
        )
    return OAuth2Client, AsyncOAuth2Client


def _token(url: str) -> dict[str, Any]:
    data = login(url)
    return {key: data[key] for key in ("access_token", "token_type", "refresh_token", "expires_in")}


class Sync:
    def __init__(self, url: str, leeway: int | None) -> None:
        client_class, _ = _classes()
        extra: dict[str, Any] = {} if leeway is None else {"leeway": leeway}
        self.http = client_class(
            token=_token(url),
            token_endpoint=url + "/refreshToken",
            update_token=lambda token, refresh_token=None, access_token=None: None,
            base_url=url,
            timeout=TIMEOUT,
            transport=FormToJsonTransport(),
            **extra,
        )

    def call(self) -> None:
        self.http.get("/me").raise_for_status()

    def close(self) -> None:
        self.http.close()


class Async:
    def __init__(self, url: str, leeway: int | None) -> None:
        _, client_class = _classes()
        extra: dict[str, Any] = {} if leeway is None else {"leeway": leeway}

        async def update_token(
            token: Any, refresh_token: Any = None, access_token: Any = None
        ) -> None:
            return None

        self.http = client_class(
            token=_token(url),
            token_endpoint=url + "/refreshToken",
            update_token=update_token,
            base_url=url,
            timeout=TIMEOUT,
            transport=AsyncFormToJsonTransport(),
            **extra,
        )

    async def call(self) -> None:
        (await self.http.get("/me")).raise_for_status()

    async def aclose(self) -> None:
        await self.http.aclose()


def _peer(name: str, note: str, leeway: int | None) -> Peer:
    async def build_async(url: str) -> Async:
        return Async(url, leeway)

    return Peer(name=name, note=note, sync=lambda url: Sync(url, leeway), async_=build_async)


DEFAULT = _peer("Authlib (default leeway 60 s)", "OAuth2Client / AsyncOAuth2Client defaults", None)
TUNED = _peer("Authlib (leeway=0)", "tuned: leeway=0 so short tokens are not always 'expired'", 0)
