"""Helpers of the resilience tests: fast retry policies and one scenario API for sync and async.

A scenario is an ``async`` function taking an ``Api``; in ``"sync"`` mode the Api's
methods call the blocking generated functions (the reference server runs in its own
thread, so blocking the test's event loop is harmless), in ``"async"`` mode the
``asyncio`` twins. So every fault case runs both ways with one body.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx

import generated_sdk as sdk
from generated_sdk import SessionClient
from generated_sdk.models import ItemCreate, ItemPage
from reference_server.testing import Upstream
from sdk_session import TOKEN_RETRY, Credentials, RetryPolicy, TokenSet

DEMO = ("demo@example.com", "demo-password")
POOL = httpx.Limits(max_connections=50, max_keepalive_connections=50)
FAST = RetryPolicy(backoff=0.01, max_backoff=0.05, max_retry_after=5.0)
"""The default policy with millisecond backoff, so counts are tested, not waits."""
FAST_TOKEN = TOKEN_RETRY.evolve(backoff=0.01, max_backoff=0.05)
BOUND = 20.0
"""Upper bound of every scenario (fail_after); each case must end well inside it."""
MODES = ("sync", "async")


def make_client(upstream: Upstream, **kwargs: Any) -> SessionClient:
    options: dict[str, Any] = {
        "retries": FAST,
        "token_retries": FAST_TOKEN,
        "token_timeout": 2.0,
        "timeout": httpx.Timeout(5.0),
        "httpx_args": {"limits": POOL},
    }
    options.update(kwargs)
    return SessionClient(base_url=upstream.url, **options)


def provider() -> Credentials:
    return Credentials(*DEMO)


class Api:
    """The calls the scenarios make, in one mode."""

    def __init__(self, client: SessionClient, mode: str) -> None:
        self.client = client
        self.mode = mode

    async def login(self) -> TokenSet:
        if self.mode == "sync":
            return self.client.login(*DEMO)
        return await self.client.alogin(*DEMO)

    async def list(self, **kwargs: Any) -> ItemPage:
        if self.mode == "sync":
            return sdk.items.list(self.client, **kwargs)
        return await sdk.items.list.asyncio(self.client, **kwargs)

    async def create(self, name: str, **kwargs: Any) -> object:
        body = ItemCreate(name=name, price=1.0)
        if self.mode == "sync":
            return sdk.items.create(self.client, body=body, **kwargs)
        return await sdk.items.create.asyncio(self.client, body=body, **kwargs)

    async def close(self) -> None:
        if self.mode == "sync":
            self.client.close()
        else:
            await self.client.aclose()


def run(mode: str, client: SessionClient, scenario: Callable[[Api], Awaitable[None]]) -> float:
    """Run ``scenario`` in ``mode`` within ``BOUND`` seconds; return the time it took."""

    async def main() -> None:
        api = Api(client, mode)
        try:
            with anyio.fail_after(BOUND):
                await scenario(api)
        finally:
            await api.close()

    start = time.monotonic()
    anyio.run(main)
    return time.monotonic() - start


def expire_access(
    upstream: Upstream, api_login: Callable[[], Awaitable[TokenSet]]
) -> Callable[[], Awaitable[None]]:
    """A coroutine function: log in with 0.3 s access tokens and let them expire on the server."""

    async def go() -> None:
        upstream.control.configure(access_ttl=0.3)
        await api_login()
        upstream.control.configure(access_ttl=60)
        await anyio.sleep(0.4)

    return go
