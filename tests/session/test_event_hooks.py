"""httpx event hooks around a 401 that the session answers with a renewal and a resend.

Real expiring JWTs from the reference server; our clock is frozen, so only the
server's 401 says the token died. Sync and async must count the same.
"""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest

import generated_sdk as sdk
from generated_sdk import SessionClient
from generated_sdk.session import Binding as ItemsBinding
from reference_server.testing import Upstream
from sdk_session import AsyncDispatchTransport, DispatchTransport, SessionAuth

from .support import DEMO, POOL, Clock, expire_session_on_server


class Hooks:
    """Counts the hook calls; the response hook is the one httpx's documentation suggests
    (``raise_for_status``), which a 401 handed to the hooks would turn into an error."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.responses: list[tuple[str, int]] = []

    def request(self, request: httpx.Request) -> None:
        self.requests.append(request.url.path)

    def response(self, response: httpx.Response, *, raise_for_status: bool) -> None:
        self.responses.append((response.request.url.path, response.status_code))
        if raise_for_status:
            response.raise_for_status()

    def for_mode(self, mode: str, *, raise_for_status: bool = False) -> dict[str, list[Any]]:
        def response(response: httpx.Response) -> None:
            self.response(response, raise_for_status=raise_for_status)

        if mode == "sync":
            return {"request": [self.request], "response": [response]}

        async def arequest(request: httpx.Request) -> None:
            self.request(request)

        async def aresponse(response: httpx.Response) -> None:
            self.response(response, raise_for_status=raise_for_status)

        return {"request": [arequest], "response": [aresponse]}


async def _expire(upstream: Upstream, login: Any) -> None:
    """``expire_session_on_server`` for an async login."""
    upstream.control.configure(access_ttl=0.3)
    await login()
    upstream.control.configure(access_ttl=60)
    await anyio.sleep(0.4)


def _one_401_one_refresh(upstream: Upstream) -> None:
    counters = upstream.control.counters()
    assert (counters.unauthorized, counters.refreshes, counters.requests["me"]) == (1, 1, 2)


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_401_resent_at_dispatch_passes_the_hooks_once(
    upstream: Upstream, mode: str
) -> None:
    """``SessionClient``: the renewal and the resend happen below httpx, like a retry."""
    hooks = Hooks()
    client = SessionClient(
        base_url=upstream.url,
        clock=Clock(frozen=True),
        httpx_args={"limits": POOL, "event_hooks": hooks.for_mode(mode, raise_for_status=True)},
    )
    if mode == "sync":
        with client:
            expire_session_on_server(upstream.control, lambda: client.login(*DEMO))
            me = sdk.users.me(client)
    else:
        async with client:
            await _expire(upstream, lambda: client.alogin(*DEMO))
            me = await sdk.users.me.asyncio(client)
    assert me.email == DEMO[0]
    _one_401_one_refresh(upstream)
    assert hooks.requests == ["/login", "/me"]
    assert hooks.responses == [("/login", 200), ("/me", 200)]


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_401_resent_by_the_auth_flow_passes_the_hooks_each_time(
    upstream: Upstream, mode: str
) -> None:
    """``SessionAuth`` on a plain client: the refresh and the resend go through httpx's
    auth loop, so each send passes the hooks, as with any ``httpx.Auth``."""
    hooks = Hooks()
    auth = SessionAuth(upstream.url, clock=Clock(frozen=True), binding=ItemsBinding())
    options: dict[str, Any] = {"base_url": upstream.url, "auth": auth}
    if mode == "sync":
        transport = DispatchTransport(limits=POOL)
        with httpx.Client(transport=transport, event_hooks=hooks.for_mode(mode), **options) as c:
            expire_session_on_server(upstream.control, lambda: auth.login(c, *DEMO))
            status = c.get("/me").status_code
    else:
        atransport = AsyncDispatchTransport(limits=POOL)
        async with httpx.AsyncClient(
            transport=atransport, event_hooks=hooks.for_mode(mode), **options
        ) as ac:
            await _expire(upstream, lambda: auth.alogin(ac, *DEMO))
            status = (await ac.get("/me")).status_code
    assert status == 200
    _one_401_one_refresh(upstream)
    assert hooks.requests == ["/login", "/me", "/refreshToken", "/me"]
    assert hooks.responses == [
        ("/login", 200),
        ("/me", 401),
        ("/refreshToken", 200),
        ("/me", 200),
    ]
