"""The asyncio pool gate and the token calls' own pool (issue 15), on the reference server.

httpcore's asyncio pool can hand one idle connection to two requests at once; the
loser retries (``ConnectionNotAvailable``) and under load can lose hundreds of times
in a row. The counts below come from httpcore's own retry step, observed, not mocked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from httpcore._async import connection_pool

from reference_server.testing import Upstream
from sdk_session import (
    AsyncDispatchTransport,
    DispatchTransport,
    SessionAuth,
    SessionClient,
)
from sdk_session.pool_gate import GatedAsyncHTTPTransport

from .support import DEMO

TASKS = 16
CALLS = 25


@pytest.fixture
def lost_races(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many times a request found its assigned connection taken by another."""
    count = [0]
    clear = connection_pool.AsyncPoolRequest.clear_connection

    def counted(self: connection_pool.AsyncPoolRequest) -> None:
        count[0] += 1
        clear(self)

    monkeypatch.setattr(connection_pool.AsyncPoolRequest, "clear_connection", counted)
    yield count


@pytest.mark.anyio
async def test_gated_pool_hands_each_connection_to_one_request(
    upstream: Upstream, lost_races: list[int]
) -> None:
    statuses: list[int] = []
    async with httpx.AsyncClient(
        base_url=upstream.url, transport=GatedAsyncHTTPTransport(), timeout=30
    ) as client:

        async def worker() -> None:
            for _ in range(CALLS):
                statuses.append((await client.get("/items")).status_code)

        async with anyio.create_task_group() as group:
            for _ in range(TASKS):
                group.start_soon(worker)
    assert statuses == [401] * (TASKS * CALLS)  # no token: every call answered, none lost
    assert lost_races == [0]


@pytest.mark.anyio
async def test_an_applications_trace_hook_sees_every_event_and_is_kept(
    upstream: Upstream,
) -> None:
    async def names(transport: httpx.AsyncBaseTransport) -> tuple[list[str], Any]:
        seen: list[str] = []

        async def trace(name: str, info: dict[str, Any]) -> None:
            seen.append(name)

        async with httpx.AsyncClient(base_url=upstream.url, transport=transport) as client:
            request = client.build_request("GET", "/items", extensions={"trace": trace})
            await client.send(request)
            kept = request.extensions["trace"] is trace
            bare = client.build_request("GET", "/items")
            await client.send(bare)
        return seen, (kept, "trace" in bare.extensions)

    plain, _ = await names(httpx.AsyncHTTPTransport())
    gated, (kept, leftover) = await names(GatedAsyncHTTPTransport())
    assert gated == plain and "http11.send_request_headers.started" in gated
    assert kept and not leftover


@pytest.mark.anyio
async def test_a_request_waits_for_the_gate_at_most_its_pool_timeout(upstream: Upstream) -> None:
    transport = GatedAsyncHTTPTransport()
    timeout = httpx.Timeout(5.0, pool=0.05)
    held, done = anyio.Event(), anyio.Event()

    async def stuck() -> None:  # a request stuck between the pool and its connection
        async with transport._gate:
            held.set()
            await done.wait()

    async with httpx.AsyncClient(base_url=upstream.url, transport=transport, timeout=timeout) as c:
        async with anyio.create_task_group() as group:
            group.start_soon(stuck)
            await held.wait()
            with pytest.raises(httpx.PoolTimeout):
                await c.get("/items")
            done.set()
        assert (await c.get("/items")).status_code == 401


class _Recording(httpx.MockTransport):
    def __init__(self, paths: list[str]) -> None:
        self.closed = False

        def handler(request: httpx.Request) -> httpx.Response:
            paths.append(request.url.path)
            if request.url.path == "/login":
                body = {"access_token": "a", "token_type": "Bearer", "refresh_token": "r"}
                return httpx.Response(200, json={**body, "expires_in": 900})
            if request.url.path == "/refreshToken":
                body = {"access_token": "b", "token_type": "Bearer", "refresh_token": "s"}
                return httpx.Response(200, json={**body, "expires_in": 900})
            return httpx.Response(200, json={})

        super().__init__(handler)

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def test_token_calls_go_through_their_own_transport() -> None:
    api: list[str] = []
    tokens: list[str] = []
    inner, token = _Recording(api), _Recording(tokens)
    url = "https://api.example"
    auth = SessionAuth(url)
    transport = DispatchTransport(inner, token_transport=token)
    with httpx.Client(base_url=url, auth=auth, transport=transport) as client:
        auth.login(client, *DEMO)
        client.get("/items")
        auth.renew(client)
        client.get("/items")
    assert (api, tokens) == (["/items", "/items"], ["/login", "/refreshToken"])
    assert inner.closed and token.closed


@pytest.mark.anyio
async def test_async_token_calls_go_through_their_own_transport() -> None:
    api: list[str] = []
    tokens: list[str] = []
    inner, token = _Recording(api), _Recording(tokens)
    url = "https://api.example"
    auth = SessionAuth(url)
    transport = AsyncDispatchTransport(inner, token_transport=token)
    async with httpx.AsyncClient(base_url=url, auth=auth, transport=transport) as client:
        await auth.alogin(client, *DEMO)
        await client.get("/items")
        await auth.arenew(client)
        await client.get("/items")
    assert (api, tokens) == (["/items", "/items"], ["/login", "/refreshToken"])
    assert inner.closed and token.closed


def test_a_transport_given_without_token_transport_carries_the_token_calls_too() -> None:
    paths: list[str] = []
    inner = _Recording(paths)
    auth = SessionAuth("https://api.example")
    transport = DispatchTransport(inner)
    with httpx.Client(base_url="https://api.example", auth=auth, transport=transport) as client:
        auth.login(client, *DEMO)
        client.get("/items")
    assert paths == ["/login", "/items"]


@pytest.mark.anyio
async def test_session_clients_build_a_gated_api_pool_and_a_token_pool(upstream: Upstream) -> None:
    client = SessionClient(base_url=upstream.url)
    sync = client.get_httpx_client()._transport
    assert isinstance(sync, DispatchTransport)
    assert sync.token_transport is not sync.transport
    async with client:
        transport = client.get_async_httpx_client()._transport
        assert isinstance(transport, AsyncDispatchTransport)
        assert transport.token_transport is not transport.transport
        assert isinstance(_innermost(transport.transport), GatedAsyncHTTPTransport)
        assert not isinstance(_innermost(transport.token_transport), GatedAsyncHTTPTransport)
        await client.alogin(*DEMO)
        assert (await client.get_async_httpx_client().get("/me")).status_code == 200
    client.close()
    assert isinstance(AsyncDispatchTransport().transport, GatedAsyncHTTPTransport)


def _innermost(transport: object) -> object:
    """Below the retry transport, if any."""
    return getattr(transport, "transport", transport)
