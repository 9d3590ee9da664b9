"""Lanes for asyncio API calls and the token calls' own pool (issue 15), on the reference
server.

httpcore's asyncio pool can hand one idle connection to two requests at once; the
loser queues again (``ConnectionNotAvailable``) and under load can lose hundreds of
times in a row. The counts below come from httpcore's own retry step, observed, not
mocked."""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import httpx
import pytest
from httpcore._async import connection_pool

from generated_sdk import SessionClient
from generated_sdk.session import Binding as ItemsBinding
from reference_server.testing import Upstream
from sdk_session import AsyncDispatchTransport, AsyncLaneTransport, DispatchTransport, SessionAuth

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


async def _burst(client: httpx.AsyncClient, tasks: int, calls: int) -> list[int]:
    statuses: list[int] = []

    async def worker() -> None:
        for _ in range(calls):
            statuses.append((await client.get("/items")).status_code)

    async with anyio.create_task_group() as group:
        for _ in range(tasks):
            group.start_soon(worker)
    return statuses


@pytest.mark.anyio
async def test_lanes_hand_each_connection_to_one_request(
    upstream: Upstream, lost_races: list[int]
) -> None:
    transport = AsyncLaneTransport()
    async with httpx.AsyncClient(base_url=upstream.url, transport=transport, timeout=30) as c:
        statuses = await _burst(c, TASKS, CALLS)
    assert statuses == [401] * (TASKS * CALLS)  # no token: every call answered, none lost
    assert lost_races == [0]


@pytest.mark.anyio
async def test_lanes_keep_the_pool_limits(upstream: Upstream) -> None:
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=2)
    transport = AsyncLaneTransport(limits=limits)
    most = 0
    seen: list[int] = []

    async def trace(name: str, info: object) -> None:
        nonlocal most
        most = max(most, len(transport._lanes) - len(transport._free))
        seen.append(1)

    async with httpx.AsyncClient(base_url=upstream.url, transport=transport, timeout=30) as c:

        async def worker() -> None:
            for _ in range(CALLS):
                await c.get("/items", extensions={"trace": trace})

        async with anyio.create_task_group() as group:
            for _ in range(8):
                group.start_soon(worker)
        assert seen and most == 4  # 8 tasks, never more than 4 connections in use
        assert len(transport._free) == len(transport._lanes) == 2  # 2 kept alive
    assert not transport._lanes  # closed with the client


@pytest.mark.anyio
async def test_a_session_clients_lanes_keep_the_pool_limits_through_its_slots(
    upstream: Upstream,
) -> None:
    """Its lanes keep no count of their own: the dispatch transport's slots bound them."""
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=2)
    client = SessionClient(base_url=upstream.url, httpx_args={"limits": limits, "timeout": 30})
    async with client:
        transport = _innermost(client.get_async_httpx_client()._transport.transport)  # type: ignore[attr-defined]
        assert isinstance(transport, AsyncLaneTransport) and transport._room is None
        await client.alogin(*DEMO)
        most = 0

        async def trace(name: str, info: object) -> None:
            nonlocal most
            most = max(most, len(transport._lanes) - len(transport._free))

        http = client.get_async_httpx_client()
        statuses: list[int] = []

        async def worker() -> None:
            for _ in range(CALLS):
                statuses.append((await http.get("/me", extensions={"trace": trace})).status_code)

        async with anyio.create_task_group() as group:
            for _ in range(8):
                group.start_soon(worker)
        assert statuses == [200] * (8 * CALLS)
        assert most == 4  # 8 tasks, never more than 4 connections in use
        assert len(transport._free) == len(transport._lanes) == 2  # 2 kept alive


@pytest.mark.anyio
async def test_a_request_waits_for_a_lane_at_most_its_pool_timeout(upstream: Upstream) -> None:
    transport = AsyncLaneTransport(limits=httpx.Limits(max_connections=1))
    timeout = httpx.Timeout(5.0, pool=0.05)
    async with httpx.AsyncClient(base_url=upstream.url, transport=transport, timeout=timeout) as c:
        async with c.stream("GET", "/items") as held:  # the only lane, held open
            assert held.status_code == 401
            with pytest.raises(httpx.PoolTimeout):
                await c.get("/items")
        assert (await c.get("/items")).status_code == 401


@pytest.mark.anyio
async def test_a_cancelled_request_gives_its_lane_back(upstream: Upstream) -> None:
    transport = AsyncLaneTransport(limits=httpx.Limits(max_connections=2))
    upstream.control.fault("list", latency=5.0, count=2)  # held by the server: cancelled first
    async with httpx.AsyncClient(base_url=upstream.url, transport=transport, timeout=30) as c:
        with anyio.move_on_after(0.3):
            async with anyio.create_task_group() as group:
                for _ in range(2):  # both lanes busy
                    group.start_soon(c.get, "/items")
        upstream.control.clear_faults()
        statuses = await _burst(c, 2, 3)  # both lanes (and their room) are free again
    assert statuses == [401] * 6


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
    auth = SessionAuth(url, binding=ItemsBinding())
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
    auth = SessionAuth(url, binding=ItemsBinding())
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
    auth = SessionAuth("https://api.example", binding=ItemsBinding())
    transport = DispatchTransport(inner)
    with httpx.Client(base_url="https://api.example", auth=auth, transport=transport) as client:
        auth.login(client, *DEMO)
        client.get("/items")
    assert paths == ["/login", "/items"]


@pytest.mark.anyio
async def test_session_clients_build_lanes_and_a_token_pool(upstream: Upstream) -> None:
    client = SessionClient(base_url=upstream.url)
    sync = client.get_httpx_client()._transport
    assert isinstance(sync, DispatchTransport)
    assert sync.token_transport is not sync.transport
    async with client:
        transport = client.get_async_httpx_client()._transport
        assert isinstance(transport, AsyncDispatchTransport)
        assert transport.token_transport is not transport.transport
        assert isinstance(_innermost(transport.transport), AsyncLaneTransport)
        assert isinstance(_innermost(transport.token_transport), httpx.AsyncHTTPTransport)
        await client.alogin(*DEMO)
        assert (await client.get_async_httpx_client().get("/me")).status_code == 200
    client.close()
    assert isinstance(AsyncDispatchTransport().transport, AsyncLaneTransport)


def _innermost(transport: object) -> object:
    """Below the retry transport, if any."""
    return getattr(transport, "transport", transport)
