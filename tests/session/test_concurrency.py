"""One expiry, one refresh: 200 threads, 1000 asyncio tasks, several clients on one store.

Reuse detection is on (the reference server's default): a second refresh with
the same refresh token would revoke the session and fail calls, so "1 refresh,
0 failures, 0 reuse detected" is the proof that the refresh was single-flight.
"""

from __future__ import annotations

import anyio
import pytest

import generated_sdk as sdk
from generated_sdk import SessionClient
from reference_server.testing import Upstream
from sdk_session import MemoryTokenStore

from .support import DEMO, POOL, WAIT, Clock, expire_session_on_server, run_threads

ARGS = {"limits": POOL}


def summary(upstream: Upstream, label: str, failures: int) -> tuple[int, int, int, int]:
    counters = upstream.control.counters()
    print(
        f"{label}: {counters.refreshes} refresh, {failures} failures, "
        f"{counters.unauthorized} 401s, {counters.reuse_detected} reuse detected"
    )
    return (counters.refreshes, failures, counters.reuse_detected, counters.failed_refreshes)


@pytest.mark.parametrize("knows_expiry", [True, False], ids=["proactive", "on-401"])
def test_200_threads_sharing_one_client(upstream: Upstream, knows_expiry: bool) -> None:
    assert upstream.control.config().reuse_detection
    clock = Clock() if knows_expiry else Clock(frozen=True)
    with SessionClient(base_url=upstream.url, clock=clock, httpx_args=ARGS) as client:
        expire_session_on_server(upstream.control, lambda: client.login(*DEMO))
        results, errors = run_threads(200, lambda i: len(sdk.items.list(client, limit=2).items))
    assert results == [2] * 200
    assert summary(
        upstream, f"200 threads ({'proactive' if knows_expiry else 'on 401'})", len(errors)
    ) == (1, 0, 0, 0)
    if knows_expiry:
        assert upstream.control.counters().unauthorized == 0


@pytest.mark.anyio
@pytest.mark.parametrize("knows_expiry", [True, False], ids=["proactive", "on-401"])
async def test_1000_tasks_sharing_one_client(upstream: Upstream, knows_expiry: bool) -> None:
    clock = Clock() if knows_expiry else Clock(frozen=True)
    pages: list[int] = []
    failures: list[BaseException] = []

    async with SessionClient(base_url=upstream.url, clock=clock, httpx_args=ARGS) as client:
        upstream.control.configure(access_ttl=0.3)
        await client.alogin(*DEMO)
        upstream.control.configure(access_ttl=60)
        await anyio.sleep(0.4)

        async def call() -> None:
            try:
                pages.append(len((await sdk.items.list.asyncio(client, limit=2)).items))
            except Exception as exc:
                failures.append(exc)

        with anyio.fail_after(WAIT * 3):
            async with anyio.create_task_group() as group:
                for _ in range(1000):
                    group.start_soon(call)
    assert failures == [] and pages == [2] * 1000
    label = f"1000 tasks ({'proactive' if knows_expiry else 'on 401'})"
    assert summary(upstream, label, len(failures)) == (1, 0, 0, 0)


def test_several_clients_sharing_one_store(upstream: Upstream) -> None:
    store = MemoryTokenStore()
    clients = [SessionClient(base_url=upstream.url, store=store, httpx_args=ARGS) for _ in range(5)]
    expire_session_on_server(upstream.control, lambda: clients[0].login(*DEMO))
    results, errors = run_threads(100, lambda i: sdk.users.me(clients[i % 5]).email)
    for client in clients:
        client.close()
    assert results == ["demo@example.com"] * 100
    assert summary(upstream, "5 clients x 20 threads, one store", len(errors)) == (1, 0, 0, 0)


@pytest.mark.anyio
async def test_several_async_clients_sharing_one_store(upstream: Upstream) -> None:
    store = MemoryTokenStore()
    clients = [SessionClient(base_url=upstream.url, store=store, httpx_args=ARGS) for _ in range(4)]
    upstream.control.configure(access_ttl=0.3)
    await clients[0].alogin(*DEMO)
    upstream.control.configure(access_ttl=60)
    await anyio.sleep(0.4)
    with anyio.fail_after(WAIT):
        async with anyio.create_task_group() as group:
            for i in range(200):
                group.start_soon(sdk.users.me.asyncio, clients[i % 4])
    for client in clients:
        await client.aclose()
    assert summary(upstream, "4 async clients x 50 tasks, one store", 0) == (1, 0, 0, 0)


def test_threads_and_an_event_loop_sharing_one_store(upstream: Upstream) -> None:
    store = MemoryTokenStore()
    sync_client = SessionClient(base_url=upstream.url, store=store, httpx_args=ARGS)
    async_client = SessionClient(base_url=upstream.url, store=store, httpx_args=ARGS)
    expire_session_on_server(upstream.control, lambda: sync_client.login(*DEMO))

    async def burst() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(50):
                group.start_soon(sdk.users.me.asyncio, async_client)
        await async_client.aclose()

    def work(i: int) -> object:
        if i == 0:
            anyio.run(burst)
            return "loop"
        return sdk.users.me(sync_client).email

    results, errors = run_threads(30, work)
    sync_client.close()
    assert len(results) == 30
    assert summary(upstream, "threads + an event loop, one store", len(errors)) == (1, 0, 0, 0)
