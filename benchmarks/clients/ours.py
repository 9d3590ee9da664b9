"""Our ``SessionClient`` with its defaults, called through the generated SDK."""

from __future__ import annotations

import generated_sdk as sdk
from generated_sdk import SessionClient
from reference_server import DEMO_EMAIL, DEMO_PASSWORD
from sdk_session import TokenStore

from . import Peer

TIMEOUT = 60.0


class Sync:
    def __init__(self, url: str, store: TokenStore | None = None, *, login: bool = True) -> None:
        if store is None:
            self.client = SessionClient(base_url=url, timeout=TIMEOUT)
        else:
            self.client = SessionClient(base_url=url, timeout=TIMEOUT, store=store)
        if login:
            self.client.login(DEMO_EMAIL, DEMO_PASSWORD)

    def call(self) -> None:
        sdk.users.me(self.client)

    def close(self) -> None:
        self.client.close()


class Async:
    def __init__(self, url: str) -> None:
        self.client = SessionClient(base_url=url, timeout=TIMEOUT)

    async def call(self) -> None:
        await sdk.users.me.asyncio(self.client)

    async def aclose(self) -> None:
        await self.client.aclose()


async def _async(url: str) -> Async:
    caller = Async(url)
    await caller.client.alogin(DEMO_EMAIL, DEMO_PASSWORD)
    return caller


PEER = Peer(
    name="ours (SessionClient)",
    note="defaults: in-memory store, leeway 30 s capped to 10% of the token lifetime",
    sync=Sync,
    async_=_async,
)
