"""httpx-auth's ``OAuth2ResourceOwnerPasswordCredentials`` (password grant + refresh grant).

It posts both grants form-encoded to one ``token_url``; we give it its documented
``client=`` argument, an ``httpx.Client`` on ``FormToJsonTransport``, which maps them to
``/login`` and ``/refreshToken``. It fetches tokens with that blocking client even inside
an ``httpx.AsyncClient`` and never reacts to a 401. ``early_expiry`` defaults to 30 s and
``0`` is turned back into 30, so the tuned variant uses 0.001 s. Its token cache is one
process-wide object, cleared between scenarios.
"""

from __future__ import annotations

from typing import Any

import httpx

from reference_server import DEMO_EMAIL, DEMO_PASSWORD

from . import Peer
from .form_to_json import FormToJsonTransport

TIMEOUT = 60.0


def _auth(url: str, early_expiry: float | None) -> tuple[Any, httpx.Client]:
    import httpx_auth

    token_client = httpx.Client(transport=FormToJsonTransport(), timeout=TIMEOUT)
    extra: dict[str, Any] = {} if early_expiry is None else {"early_expiry": early_expiry}
    auth = httpx_auth.OAuth2ResourceOwnerPasswordCredentials(
        url + "/oauth/token", DEMO_EMAIL, DEMO_PASSWORD, client=token_client, **extra
    )
    return auth, token_client


def clear_cache() -> None:
    import httpx_auth

    httpx_auth.OAuth2.token_cache.clear()


class Sync:
    def __init__(self, url: str, early_expiry: float | None) -> None:
        auth, self.token_client = _auth(url, early_expiry)
        self.http = httpx.Client(base_url=url, auth=auth, timeout=TIMEOUT)
        self.call()  # the first request logs in (password grant)

    def call(self) -> None:
        self.http.get("/me").raise_for_status()

    def close(self) -> None:
        self.http.close()
        self.token_client.close()


class Async:
    def __init__(self, url: str, early_expiry: float | None) -> None:
        auth, self.token_client = _auth(url, early_expiry)
        self.http = httpx.AsyncClient(base_url=url, auth=auth, timeout=TIMEOUT)

    async def call(self) -> None:
        (await self.http.get("/me")).raise_for_status()

    async def aclose(self) -> None:
        await self.http.aclose()
        self.token_client.close()


def _peer(name: str, note: str, early_expiry: float | None) -> Peer:
    async def build_async(url: str) -> Async:
        caller = Async(url, early_expiry)
        await caller.call()  # the first request logs in (password grant)
        return caller

    return Peer(
        name=name,
        note=note,
        sync=lambda url: Sync(url, early_expiry),
        async_=build_async,
        reset=clear_cache,
    )


DEFAULT = _peer(
    "httpx-auth (early_expiry 30 s)", "OAuth2ResourceOwnerPasswordCredentials defaults", None
)
TUNED = _peer("httpx-auth (early_expiry=0.001)", "tuned: 0 would mean 30 s", 0.001)
