"""The interceptor pattern the product grew from, ported naively to an ``httpx.Auth``.

Send with the current token; on 401, refresh with the refresh token it holds and resend
once. No lock, no proactive refresh: every request that sees a 401 refreshes on its own.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import httpx

from ..server import login
from . import Peer

TIMEOUT = 60.0


class NaiveRefreshAuth(httpx.Auth):
    requires_response_body = True

    def __init__(self, base_url: str, tokens: dict[str, Any]) -> None:
        self.refresh_url = base_url.rstrip("/") + "/refreshToken"
        self.access_token = str(tokens["access_token"])
        self.refresh_token = str(tokens["refresh_token"])

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.access_token}"
        response = yield request
        if response.status_code != 401:
            return
        refreshed = yield httpx.Request(
            "POST", self.refresh_url, json={"refresh_token": self.refresh_token}
        )
        if refreshed.status_code != 200:
            return  # the caller sees the original 401
        data = refreshed.json()
        self.access_token = str(data["access_token"])
        self.refresh_token = str(data["refresh_token"])
        request.headers["Authorization"] = f"Bearer {self.access_token}"
        yield request


class Sync:
    def __init__(self, url: str) -> None:
        self.http = httpx.Client(
            base_url=url, auth=NaiveRefreshAuth(url, login(url)), timeout=TIMEOUT
        )

    def call(self) -> None:
        self.http.get("/me").raise_for_status()

    def close(self) -> None:
        self.http.close()


class Async:
    def __init__(self, url: str) -> None:
        auth = NaiveRefreshAuth(url, login(url))
        self.http = httpx.AsyncClient(base_url=url, auth=auth, timeout=TIMEOUT)

    async def call(self) -> None:
        (await self.http.get("/me")).raise_for_status()

    async def aclose(self) -> None:
        await self.http.aclose()


async def _async(url: str) -> Async:
    return Async(url)


PEER = Peer(
    name="naive interceptor",
    note="refresh on 401 and resend once; no lock, no proactive refresh",
    sync=Sync,
    async_=_async,
)
