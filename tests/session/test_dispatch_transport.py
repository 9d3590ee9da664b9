"""The dispatch transport with transports that answer pre-read responses
(``httpx.MockTransport``, respx): no slot may leak, or the pool-sized limit would stall;
what it signs (only the session's own origin, never a token call)."""

from __future__ import annotations

import time

import anyio
import httpx
import pytest

import generated_sdk as sdk
from generated_sdk import SessionClient
from generated_sdk.session import Binding as ItemsBinding
from sdk_session import DispatchTransport, MemoryTokenStore, SessionAuth, TokenSet

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


# -- what is signed --------------------------------------------------------------------

ELSEWHERE = "http://elsewhere.example/landing"


def _redirecting(
    seen: dict[str, str | None], before_redirect: object = None
) -> httpx.MockTransport:
    """``/me`` answers 302 to another origin; every request's Authorization is recorded."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen[request.url.host] = request.headers.get("Authorization")
        if request.url.host == "elsewhere.example":
            return httpx.Response(200, json={})
        if callable(before_redirect):
            before_redirect()
        return httpx.Response(302, headers={"Location": ELSEWHERE})

    return httpx.MockTransport(handler)


def test_a_redirect_to_another_origin_leaves_without_the_token() -> None:
    seen: dict[str, str | None] = {}
    client = SessionClient(
        base_url=URL,
        store=_store(),
        follow_redirects=True,
        httpx_args={"transport": _redirecting(seen)},
    )
    with client:
        assert client.get_httpx_client().get("/me").url == ELSEWHERE
    assert seen == {"127.0.0.1": "Bearer a", "elsewhere.example": None}


def test_a_redirect_to_another_origin_leaves_without_the_token_async() -> None:
    seen: dict[str, str | None] = {}

    async def main() -> None:
        client = SessionClient(
            base_url=URL,
            store=_store(),
            follow_redirects=True,
            httpx_args={"transport": _redirecting(seen)},
        )
        async with client:
            assert (await client.get_async_httpx_client().get("/me")).url == ELSEWHERE

    anyio.run(main)
    assert seen == {"127.0.0.1": "Bearer a", "elsewhere.example": None}


def test_a_plain_client_does_not_re_sign_a_redirect_to_another_origin() -> None:
    # SessionAuth on a plain client signs in its auth flow; the dispatch transport re-signs
    # with newer tokens. The redirect keeps the request's extensions, not its header: newer
    # tokens seen in between must not be written onto a request for another origin.
    store = _store()
    auth = SessionAuth(URL, store=store, binding=ItemsBinding())
    now = time.time()
    newer = TokenSet(access_token="b", refresh_token="r2", expires_at=now + 900, obtained_at=now)

    def renewed_elsewhere() -> None:
        store.refresh_state.note(store.save(newer), saved=True)

    seen: dict[str, str | None] = {}
    transport = DispatchTransport(_redirecting(seen, renewed_elsewhere))
    with httpx.Client(auth=auth, transport=transport, follow_redirects=True) as client:
        assert client.get(f"{URL}/me").url == ELSEWHERE
    assert seen == {"127.0.0.1": "Bearer a", "elsewhere.example": None}


def test_posts_are_signed_but_token_calls_are_not() -> None:
    seen: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers.get("Authorization")))
        return httpx.Response(200, json={})

    client = SessionClient(
        base_url=URL, store=_store(), httpx_args={"transport": httpx.MockTransport(handler)}
    )
    with client:
        http = client.get_httpx_client()
        for _ in range(2):  # the token paths are remembered after the first POST
            http.post("/items", json={"name": "x"})
            http.post("/login", json={"email": "e", "password": "p"})
    assert seen == [("/items", "Bearer a"), ("/login", None)] * 2


def test_a_valid_token_is_judged_once_then_signed_on_sight(monkeypatch: pytest.MonkeyPatch) -> None:
    """The steady state: the refresh-ahead decision is made for a token once, not per
    request, and made again as soon as the stored token is replaced."""
    decided = 0
    refresh_at = TokenSet.refresh_at

    def counting(self: TokenSet, *args: float) -> float | None:
        nonlocal decided
        decided += 1
        return refresh_at(self, *args)

    monkeypatch.setattr(TokenSet, "refresh_at", counting)
    seen: list[str] = []
    store = _store()
    now = time.time()
    client = SessionClient(
        base_url=URL,
        store=store,
        clock=lambda: now,  # every latency 0: the p99/p90 the decision used never move
        httpx_args={"transport": httpx.MockTransport(lambda r: _answer(r, seen))},
    )
    with client:
        for _ in range(CALLS):
            sdk.users.me(client)
        assert decided == 1
        store.save(TokenSet(access_token="b", expires_at=now + 900, obtained_at=now))
        for _ in range(CALLS):
            sdk.users.me(client)
    assert decided == 2
    assert seen == ["Bearer a"] * CALLS + ["Bearer b"] * CALLS


def _answer(request: httpx.Request, seen: list[str]) -> httpx.Response:
    seen.append(request.headers["Authorization"])
    return httpx.Response(200, json=USER)
