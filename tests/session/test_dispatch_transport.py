"""The dispatch transport's slot accounting with transports that answer pre-read responses
(``httpx.MockTransport``, respx): no slot may leak, or the pool-sized limit would stall."""

from __future__ import annotations

import time

import anyio
import httpx

import generated_sdk as sdk
from sdk_session import MemoryTokenStore, SessionClient, TokenSet

URL = "http://127.0.0.1:9"
USER = {"id": 1, "email": "demo@example.com", "name": "Demo", "created_at": "2024-01-01T00:00:00Z"}
CALLS = 12


def _store() -> MemoryTokenStore:
    store = MemoryTokenStore()
    now = time.time()
    store.save(TokenSet(access_token="a", refresh_token="r", expires_at=now + 900, obtained_at=now))
    return store


def _client(seen: list[str]) -> SessionClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(200, json=USER)

    return SessionClient(
        base_url=URL,
        store=_store(),
        allow_insecure_http=True,
        timeout=httpx.Timeout(5.0, pool=0.2),
        httpx_args={
            "transport": httpx.MockTransport(handler),
            "limits": httpx.Limits(max_connections=2),
        },
    )


def test_pre_read_responses_release_their_slot() -> None:
    seen: list[str] = []
    with _client(seen) as client:
        for _ in range(CALLS):  # more calls than slots: a leaked slot ends in PoolTimeout
            sdk.users.me(client)
    assert seen == ["Bearer a"] * CALLS


def test_pre_read_responses_release_their_slot_async() -> None:
    seen: list[str] = []

    async def main() -> None:
        async with _client(seen) as client:
            for _ in range(CALLS):
                await sdk.users.me.asyncio(client)

    anyio.run(main)
    assert seen == ["Bearer a"] * CALLS
