"""Each behaviour of the session flow against the reference server over TCP, sync and async."""

from __future__ import annotations

import json
import threading
from typing import Any

import anyio
import httpx
import pytest

import generated_sdk as sdk
from generated_sdk import SessionClient, errors
from generated_sdk.models import ItemCreate
from generated_sdk.session import Binding as ItemsBinding
from reference_server.testing import Upstream
from sdk_session import (
    Credentials,
    LoginFailed,
    MemoryTokenStore,
    NotLoggedIn,
    SessionAuth,
    SessionExpired,
    StoreUnavailable,
    TokenRejected,
    TokenResponseError,
    TokenSet,
)

from .support import DEMO, POOL, WAIT, Clock, HeaderRecorder, expire_session_on_server, run_threads


def client_for(upstream: Upstream, **kwargs: Any) -> SessionClient:
    httpx_args = {"limits": POOL, **kwargs.pop("httpx_args", {})}
    return SessionClient(base_url=upstream.url, httpx_args=httpx_args, **kwargs)


# -- 1. login; the header is read from the store when each request leaves ------------


def test_login_then_every_request_is_signed_from_the_store(upstream: Upstream) -> None:
    recorder = HeaderRecorder()
    store = MemoryTokenStore()
    client = client_for(upstream, store=store, httpx_args={"event_hooks": {"response": [recorder]}})
    with client:
        first = client.login(*DEMO)
        page = sdk.items.list(client, limit=5)
        second = client.login(*DEMO)  # the store changes under a live client
        sdk.users.me(client)
    assert len(page.items) == 5
    assert first.access_token != second.access_token
    assert recorder.seen == [
        ("/login", None),
        ("/items", f"Bearer {first.access_token}"),
        ("/login", None),
        ("/me", f"Bearer {second.access_token}"),
    ]


@pytest.mark.anyio
async def test_async_login_then_every_request_is_signed_from_the_store(upstream: Upstream) -> None:
    recorder = HeaderRecorder()
    client = client_for(upstream, httpx_args={"event_hooks": {"response": [recorder.hook]}})
    async with client:
        tokens = await client.alogin(*DEMO)
        await sdk.items.list.asyncio(client, limit=5)
    assert recorder.seen == [("/login", None), ("/items", f"Bearer {tokens.access_token}")]


def test_wrong_password_is_login_failed(upstream: Upstream) -> None:
    with client_for(upstream) as client, pytest.raises(LoginFailed) as caught:
        client.login("demo@example.com", "not-the-password")
    assert caught.value.status_code == 401
    assert "not-the-password" not in str(caught.value)
    assert client.tokens is None


# -- 2. refresh before expiry; a token inside the leeway is not refreshed again -------


def test_refresh_shortly_before_expiry(upstream: Upstream) -> None:
    clock = Clock()
    with client_for(upstream, clock=clock) as client:
        client.login(*DEMO)  # 900 s tokens; leeway 30 s
        clock.offset = 900 - 40
        sdk.items.list(client)
        assert upstream.control.counters().refreshes == 0
        clock.offset = 900 - 20
        for _ in range(5):
            sdk.items.list(client)
    counters = upstream.control.counters()
    assert (counters.refreshes, counters.unauthorized) == (1, 0)


@pytest.mark.anyio
async def test_async_refresh_shortly_before_expiry(upstream: Upstream) -> None:
    clock = Clock()
    async with client_for(upstream, clock=clock) as client:
        await client.alogin(*DEMO)
        clock.offset = 900 - 20
        for _ in range(5):
            await sdk.items.list.asyncio(client)
    counters = upstream.control.counters()
    assert (counters.refreshes, counters.unauthorized) == (1, 0)


def test_short_lived_tokens_are_not_refreshed_on_every_call(upstream: Upstream) -> None:
    upstream.control.configure(access_ttl=60)
    clock = Clock()
    with client_for(upstream, clock=clock) as client:  # leeway 30 s, capped to 6 s
        client.login(*DEMO)
        clock.offset = 50
        for _ in range(5):
            sdk.items.list(client)
    assert upstream.control.counters().refreshes == 0


def test_token_already_inside_the_leeway_is_used_until_expiry(upstream: Upstream) -> None:
    upstream.control.configure(access_ttl=60)
    clock = Clock()
    # An uncapped 120 s leeway: every 60 s token arrives already "inside the leeway".
    with client_for(upstream, clock=clock, leeway=120, max_leeway_fraction=1.0) as client:
        client.login(*DEMO)
        for _ in range(5):
            sdk.items.list(client)
        assert upstream.control.counters().refreshes == 0
        clock.offset = 61  # the login token has expired by our clock
        for _ in range(5):
            sdk.items.list(client)
    assert upstream.control.counters().refreshes == 1


# -- 3. refresh on 401 and resend (body included), at most once; 403 untouched ---------


def test_401_refreshes_and_resends_the_original_request_with_its_body(upstream: Upstream) -> None:
    with client_for(upstream, clock=Clock(frozen=True)) as client:
        expire_session_on_server(upstream.control, lambda: client.login(*DEMO))
        item = sdk.items.create(client, body=ItemCreate(name="Desk lamp", price=25.5))
    assert (item.name, item.price) == ("Desk lamp", 25.5)
    counters = upstream.control.counters()
    assert (counters.unauthorized, counters.refreshes, counters.requests["create"]) == (1, 1, 2)


@pytest.mark.anyio
async def test_async_401_refreshes_and_resends_with_body(upstream: Upstream) -> None:
    async with client_for(upstream, clock=Clock(frozen=True)) as client:
        await client.alogin(*DEMO)
        upstream.control.configure(access_ttl=60)
        upstream.control.forget_sessions()
        with pytest.raises(SessionExpired):  # nothing to refresh with: the session is gone
            await sdk.items.create.asyncio(client, body=ItemCreate(name="x", price=1))
        upstream.control.configure(access_ttl=0.3)
        await client.alogin(*DEMO)
        upstream.control.configure(access_ttl=60)
        await anyio.sleep(0.4)
        item = await sdk.items.create.asyncio(client, body=ItemCreate(name="Desk", price=3))
    assert item.name == "Desk"
    counters = upstream.control.counters()
    assert (counters.refreshes, counters.failed_refreshes, counters.requests["create"]) == (1, 1, 3)


def test_401_without_refresh_token_ends_the_session_with_the_401_as_cause(
    upstream: Upstream,
) -> None:
    store = MemoryTokenStore()
    with client_for(upstream, store=store, clock=Clock(frozen=True)) as client:

        def login_access_only() -> None:
            tokens = client.login(*DEMO)
            with store.refresh_lock():
                store.save(tokens.with_refresh_token(None))

        expire_session_on_server(upstream.control, login_access_only)
        with pytest.raises(SessionExpired) as caught:
            sdk.items.list(client)
        assert caught.value.reason == "no_refresh_token" and caught.value.session_ended
        assert isinstance(caught.value.__cause__, TokenRejected)
        with pytest.raises(SessionExpired):  # later calls fail locally, sending nothing
            sdk.items.list(client)
    counters = upstream.control.counters()
    assert (counters.unauthorized, counters.requests["refresh"]) == (1, 0)
    assert counters.requests["list"] == 1


def test_not_logged_in_raises_locally_and_sends_nothing(upstream: Upstream) -> None:
    with client_for(upstream) as client, pytest.raises(NotLoggedIn):
        sdk.items.list(client)
    assert upstream.control.counters().requests["list"] == 0


@pytest.mark.anyio
async def test_async_not_logged_in_raises_locally_and_sends_nothing(upstream: Upstream) -> None:
    async with client_for(upstream) as client:
        with pytest.raises(NotLoggedIn):
            await sdk.items.list.asyncio(client)
    counters = upstream.control.counters()
    assert (counters.requests["list"], counters.requests["refresh"]) == (0, 0)


def test_403_and_other_statuses_pass_through(upstream: Upstream) -> None:
    upstream.control.fault("list", status=403)
    upstream.control.fault("list", status=500)
    with client_for(upstream) as client:
        client.login(*DEMO)
        with pytest.raises(errors.Forbidden):
            sdk.items.list(client)
        with pytest.raises(errors.ServerError):
            sdk.items.list(client)
    counters = upstream.control.counters()
    assert (counters.requests["refresh"], counters.requests["list"]) == (0, 2)


def test_a_401_for_the_renewed_token_ends_in_the_typed_error(upstream: Upstream) -> None:
    upstream.control.fault("list", status=401, count=2)
    with client_for(upstream) as client:
        client.login(*DEMO)
        with pytest.raises(TokenRejected) as caught:  # never a plain 401 response
            sdk.items.list(client)
        assert caught.value.status_code == 401 and caught.value.path == "/items"
        sdk.items.list(client)  # the fault is used up: business as usual
    counters = upstream.control.counters()
    assert (counters.refreshes, counters.requests["list"]) == (1, 3)


@pytest.mark.anyio
async def test_async_401_for_the_renewed_token_ends_in_the_typed_error(
    upstream: Upstream,
) -> None:
    upstream.control.fault("list", status=401, count=2)
    async with client_for(upstream) as client:
        await client.alogin(*DEMO)
        with pytest.raises(TokenRejected):
            await sdk.items.list.asyncio(client)
    counters = upstream.control.counters()
    assert (counters.refreshes, counters.requests["list"]) == (1, 2)


def test_401_with_another_error_code_is_not_refreshed() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        challenge = 'Bearer error="insufficient_scope", error_description="needs admin"'
        return httpx.Response(401, headers={"WWW-Authenticate": challenge})

    store = MemoryTokenStore(TokenSet.issue(access_token="a", refresh_token="r", now=0))
    auth = SessionAuth("https://api.example.com", store=store, binding=ItemsBinding())
    with httpx.Client(auth=auth, transport=httpx.MockTransport(handler)) as client:
        assert client.get("https://api.example.com/items").status_code == 401
    assert calls == ["/items"]


# -- 4/5. a request sent with the old token returns 401 after the refresh: resend only --


def test_a_token_replaced_before_dispatch_is_not_sent(upstream: Upstream) -> None:
    store = MemoryTokenStore()
    other = client_for(upstream, store=store)  # real clock: sees the expiry, refreshes
    done = threading.Event()

    def refresh_elsewhere_first(request: httpx.Request) -> None:
        if request.url.path == "/items" and not done.is_set():
            done.set()  # this request is already signed with the old token
            sdk.users.me(other)

    hooks = {"event_hooks": {"request": [refresh_elsewhere_first]}}
    with client_for(upstream, store=store, clock=Clock(frozen=True), httpx_args=hooks) as client:
        expire_session_on_server(upstream.control, lambda: client.login(*DEMO))
        sdk.items.list(client)
    other.close()
    counters = upstream.control.counters()
    # Signed again when it got its connection: it left with the new token, no 401.
    assert (counters.refreshes, counters.unauthorized, counters.requests["list"]) == (1, 0, 1)
    assert counters.reuse_detected == 0


@pytest.mark.anyio
async def test_async_401_for_a_replaced_token_is_resent_without_refreshing(
    upstream: Upstream,
) -> None:
    # A plain httpx client without the dispatch transport: the request keeps the token
    # it was signed with, collects a 401, and is resent with the current token.
    store = MemoryTokenStore()
    other = client_for(upstream, store=store)
    done = anyio.Event()

    async def refresh_elsewhere_first(request: httpx.Request) -> None:
        if request.url.path == "/items" and not done.is_set():
            done.set()
            await sdk.users.me.asyncio(other)

    auth = SessionAuth(upstream.url, store=store, clock=Clock(frozen=True), binding=ItemsBinding())
    hooks = {"request": [refresh_elsewhere_first]}
    async with httpx.AsyncClient(base_url=upstream.url, auth=auth, event_hooks=hooks) as c:
        upstream.control.configure(access_ttl=0.3)
        await auth.alogin(c, *DEMO)
        upstream.control.configure(access_ttl=60)
        await anyio.sleep(0.4)
        assert (await c.get("/items")).status_code == 200
    await other.aclose()
    counters = upstream.control.counters()
    assert (counters.refreshes, counters.unauthorized, counters.requests["list"]) == (1, 1, 2)


# -- 6. failures reach every waiter promptly, with one typed error ---------------------


def test_rejected_refresh_fails_every_waiting_thread(upstream: Upstream) -> None:
    expired: list[SessionExpired] = []
    store = MemoryTokenStore()
    with client_for(upstream, store=store, on_session_expired=expired.append) as client:
        client.login(*DEMO)
        upstream.control.forget_sessions()  # every token is now dead
        upstream.control.fault("refresh", latency=0.5)  # all 30 are out before it fails
        results, failures = run_threads(30, lambda i: sdk.items.list(client))
    assert results == []
    assert len(failures) == 30
    assert all(isinstance(e, SessionExpired) and e.reason == "rejected" for e in failures)
    assert all(isinstance(e, SessionExpired) and e.session_ended for e in failures)
    counters = upstream.control.counters()
    assert (counters.requests["refresh"], counters.failed_refreshes) == (1, 1)
    assert len(expired) == 1 and store.load() is None


@pytest.mark.anyio
async def test_rejected_refresh_fails_every_waiting_task(upstream: Upstream) -> None:
    async with client_for(upstream) as client:
        await client.alogin(*DEMO)
        upstream.control.forget_sessions()
        upstream.control.fault("refresh", latency=0.5)
        outcomes: list[BaseException | None] = []

        async def call() -> None:
            try:
                await sdk.items.list.asyncio(client)
            except Exception as exc:
                outcomes.append(exc)
            else:
                outcomes.append(None)

        with anyio.fail_after(WAIT):
            async with anyio.create_task_group() as group:
                for _ in range(100):
                    group.start_soon(call)
    assert len(outcomes) == 100
    assert all(isinstance(e, SessionExpired) and e.reason == "rejected" for e in outcomes)
    assert upstream.control.counters().requests["refresh"] == 1


def test_network_failure_during_refresh(upstream: Upstream) -> None:
    store = MemoryTokenStore()
    with client_for(upstream, store=store) as client:
        expire_session_on_server(upstream.control, lambda: client.login(*DEMO))
        # all queue first; dropped twice (a dropped token call is sent once more)
        upstream.control.fault("refresh", drop=True, latency=0.5, count=2)
        results, failures = run_threads(20, lambda i: sdk.items.list(client))
        assert results == [] and len(failures) == 20
        waiters = [e for e in failures if isinstance(e, SessionExpired)]
        # The request that made the refresh call gets the same typed error as its waiters.
        assert len(waiters) == 20 and all(e.reason == "interrupted" for e in waiters)
        assert sum(isinstance(e.__cause__, httpx.TransportError) for e in waiters) == 1
        assert not any(e.session_ended for e in waiters)
        assert store.load() is not None  # the session may still be alive: kept
        sdk.items.list(client)  # the fault was used up: the next call refreshes and works
    counters = upstream.control.counters()
    assert (counters.requests["refresh"], counters.refreshes, counters.reuse_detected) == (3, 1, 0)


@pytest.mark.anyio
async def test_async_network_failure_during_refresh(upstream: Upstream) -> None:
    async with client_for(upstream) as client:
        upstream.control.configure(access_ttl=0.3)
        await client.alogin(*DEMO)
        upstream.control.configure(access_ttl=60)
        await anyio.sleep(0.4)
        # all queue first; dropped twice (a dropped token call is sent once more)
        upstream.control.fault("refresh", drop=True, latency=0.5, count=2)
        outcomes: list[BaseException] = []

        async def call() -> None:
            try:
                await sdk.items.list.asyncio(client)
            except Exception as exc:
                outcomes.append(exc)

        with anyio.fail_after(WAIT):
            async with anyio.create_task_group() as group:
                for _ in range(20):
                    group.start_soon(call)
        assert len(outcomes) == 20
        assert sum(isinstance(e, SessionExpired) for e in outcomes) == 20
        await sdk.items.list.asyncio(client)
    assert upstream.control.counters().refreshes == 1


@pytest.mark.parametrize(
    ("fault", "reason", "ended"), [(503, "unavailable", False), (429, "unavailable", False)]
)
def test_token_endpoint_unavailable_keeps_the_session(
    upstream: Upstream, fault: int, reason: str, ended: bool
) -> None:
    store = MemoryTokenStore()
    with client_for(upstream, store=store) as client:
        expire_session_on_server(upstream.control, lambda: client.login(*DEMO))
        # 1 + the token-endpoint retry budget (sdk_session.TOKEN_RETRY: 2 retries)
        upstream.control.fault("refresh", status=fault, count=3)
        with pytest.raises(SessionExpired) as caught:
            sdk.items.list(client)
        assert (caught.value.reason, caught.value.session_ended) == (reason, ended)
        assert store.load() is not None
        sdk.items.list(client)
    assert upstream.control.counters().refreshes == 1


def test_malformed_refresh_answer_is_a_typed_error(upstream: Upstream) -> None:
    store = MemoryTokenStore()
    with client_for(upstream, store=store) as client:
        expire_session_on_server(upstream.control, lambda: client.login(*DEMO))
        upstream.control.fault("refresh", body="missing_fields")
        with pytest.raises(SessionExpired) as caught:
            sdk.items.list(client)
    assert caught.value.reason == "malformed"
    assert isinstance(caught.value.cause, TokenResponseError)
    assert store.load() is None


# -- 6b. the credentials provider logs in again once ---------------------------------


def test_credentials_provider_recovers_a_revoked_session(upstream: Upstream) -> None:
    asked: list[int] = []

    def provider() -> Credentials:
        asked.append(1)
        return Credentials(*DEMO)

    with client_for(upstream, credentials=provider) as client:
        client.login(*DEMO)
        upstream.control.forget_sessions()
        results, failures = run_threads(20, lambda i: len(sdk.items.list(client, limit=3).items))
    assert failures == [] and results == [3] * 20
    counters = upstream.control.counters()
    assert (counters.logins, counters.failed_refreshes, counters.refreshes) == (2, 1, 0)
    assert len(asked) == 1


@pytest.mark.anyio
async def test_async_credentials_provider_recovers_a_revoked_session(upstream: Upstream) -> None:
    async def provider() -> tuple[str, str]:
        await anyio.sleep(0)
        return DEMO

    async with client_for(upstream, credentials=provider) as client:
        await client.alogin(*DEMO)
        upstream.control.forget_sessions()
        with anyio.fail_after(WAIT):
            async with anyio.create_task_group() as group:
                for _ in range(20):
                    group.start_soon(sdk.items.list.asyncio, client)
    counters = upstream.control.counters()
    assert (counters.logins, counters.failed_refreshes) == (2, 1)


def test_credentials_provider_logs_in_when_there_is_no_session(upstream: Upstream) -> None:
    with client_for(upstream, credentials=lambda: DEMO) as client:
        sdk.items.list(client)
        sdk.items.list(client)
    assert upstream.control.counters().logins == 1


def test_rejected_relogin_gives_up_once_for_everybody(upstream: Upstream) -> None:
    with client_for(upstream, credentials=lambda: ("demo@example.com", "wrong")) as client:
        client.login(*DEMO)
        upstream.control.forget_sessions()
        upstream.control.fault("refresh", latency=0.5)
        results, failures = run_threads(10, lambda i: sdk.items.list(client))
    assert results == [] and len(failures) == 10
    assert all(isinstance(e, SessionExpired) and e.reason == "login_failed" for e in failures)
    assert "wrong" not in " ".join(str(e) for e in failures)
    counters = upstream.control.counters()
    assert (counters.failed_refreshes, counters.failed_logins) == (1, 1)


# -- 9/10. logout; events ---------------------------------------------------------------


def test_logout_revokes_upstream_clears_the_store_and_emits(upstream: Upstream) -> None:
    events: list[TokenSet | None] = []
    with client_for(upstream, on_tokens=events.append) as client:
        tokens = client.login(*DEMO)
        client.logout()
        assert client.tokens is None
        with pytest.raises(NotLoggedIn):  # raised locally: nothing sent
            sdk.items.list(client)
    stale = httpx.get(
        f"{upstream.url}/items", headers={"Authorization": tokens.authorization}, timeout=WAIT
    )
    assert stale.status_code == 401
    assert upstream.control.counters().logouts == 1
    assert events == [tokens, None]


@pytest.mark.anyio
async def test_async_logout(upstream: Upstream) -> None:
    async with client_for(upstream) as client:
        await client.alogin(*DEMO)
        await client.alogout()
        assert client.tokens is None
        await client.alogout()  # nothing to revoke: no call
    assert upstream.control.counters().logouts == 1


def test_token_events_follow_login_and_refresh(upstream: Upstream) -> None:
    events: list[TokenSet | None] = []
    clock = Clock()

    def boom(tokens: TokenSet | None) -> None:
        events.append(tokens)
        raise RuntimeError("a failing listener must not fail the request")

    with client_for(upstream, on_tokens=boom, clock=clock) as client:
        client.login(*DEMO)
        clock.offset = 10_000
        sdk.items.list(client)
    assert [t.generation for t in events if t is not None] == [1, 2]
    assert events[0] is not None and events[1] is not None
    assert events[0].refresh_token != events[1].refresh_token


# -- SessionAuth with a plain httpx client ----------------------------------------------


def test_session_auth_with_a_plain_httpx_client(upstream: Upstream) -> None:
    auth = SessionAuth(upstream.url, binding=ItemsBinding())
    with httpx.Client(base_url=upstream.url, auth=auth) as http:
        expire_session_on_server(upstream.control, lambda: auth.login(http, *DEMO))
        assert http.get("/items").status_code == 200
        auth.logout(http)
    counters = upstream.control.counters()
    assert (counters.refreshes, counters.logouts) == (1, 1)


@pytest.mark.anyio
async def test_session_auth_with_a_plain_async_httpx_client(upstream: Upstream) -> None:
    auth = SessionAuth(upstream.url, clock=Clock(frozen=True), binding=ItemsBinding())
    async with httpx.AsyncClient(base_url=upstream.url, auth=auth) as http:
        upstream.control.configure(access_ttl=0.3)
        await auth.alogin(http, *DEMO)
        upstream.control.configure(access_ttl=60)
        await anyio.sleep(0.4)
        response = await http.post("/items", json={"name": "Chair", "price": 10})
        assert response.status_code == 201
        await auth.alogout(http)
    counters = upstream.control.counters()
    assert (counters.refreshes, counters.unauthorized, counters.logouts) == (1, 1, 1)


# -- explicit renewal; the lock is released however a flow ends -------------------------


def test_renew_now(upstream: Upstream) -> None:
    with client_for(upstream) as client:
        assert client.renew() is None  # no session, nothing to renew
        first = client.login(*DEMO)
        renewed = client.renew()
        assert renewed is not None and renewed.generation == first.generation + 1
        sdk.items.list(client)
    assert upstream.control.counters().refreshes == 1


@pytest.mark.anyio
async def test_async_renew_now(upstream: Upstream) -> None:
    async with client_for(upstream) as client:
        await client.alogin(*DEMO)
        renewed = await client.arenew()
        assert renewed is not None and renewed.generation == 2
    assert upstream.control.counters().refreshes == 1


@pytest.mark.anyio
async def test_cancelled_refresh_releases_the_lock(upstream: Upstream) -> None:
    store = MemoryTokenStore()
    async with client_for(upstream, store=store, lock_timeout=5) as client:
        upstream.control.configure(access_ttl=0.3)
        await client.alogin(*DEMO)
        upstream.control.configure(access_ttl=60)
        await anyio.sleep(0.4)
        upstream.control.fault("refresh", latency=1.0)
        with anyio.move_on_after(0.3):  # cancelled while its refresh call is in flight
            await sdk.items.list.asyncio(client)
        async with store.arefresh_lock(1):  # free again
            pass
        with anyio.fail_after(WAIT):
            await sdk.items.list.asyncio(client)  # a later call refreshes normally


def test_async_provider_needs_an_async_client(upstream: Upstream) -> None:
    async def provider() -> tuple[str, str]:
        return DEMO

    with client_for(upstream, credentials=provider) as client, pytest.raises(SessionExpired) as e:
        sdk.items.list(client)
    assert isinstance(e.value.cause, TypeError)


def test_401_whose_replacement_is_expiring_too_renews_before_the_resend() -> None:
    """A request that waited past the expiry of the token that replaced its own renews
    (once) instead of resending a token the server will refuse as well."""
    clock = [1000.0]
    store = MemoryTokenStore(TokenSet.issue(access_token="a1", refresh_token="r1", now=0))
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/refreshToken":
            assert json.loads(request.content) == {"refresh_token": "r2"}
            return httpx.Response(
                200,
                json={
                    "access_token": "a3",
                    "token_type": "Bearer",
                    "refresh_token": "r3",
                    "expires_in": 60,
                },
            )
        seen.append(request.headers["Authorization"])
        if request.headers["Authorization"] == "Bearer a1":
            # Meanwhile another client renewed to a token that has expired by now.
            with store.refresh_lock():
                store.save(
                    TokenSet.issue(access_token="a2", refresh_token="r2", expires_in=60, now=900)
                )
            return httpx.Response(401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if request.headers["Authorization"] == "Bearer a3":
            return httpx.Response(200, json={})
        return httpx.Response(401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})

    auth = SessionAuth(
        "https://api.example.com", store=store, clock=lambda: clock[0], binding=ItemsBinding()
    )
    with httpx.Client(auth=auth, transport=httpx.MockTransport(handler)) as client:
        assert client.get("https://api.example.com/items").status_code == 200
    assert seen == ["Bearer a1", "Bearer a3"]
    current = store.load()
    assert current is not None and current.access_token == "a3"


class RenewedMeanwhile(MemoryTokenStore):
    """Another holder saves ``tokens`` just before this client gets the refresh lock."""

    def __init__(self, tokens: TokenSet, meanwhile: TokenSet) -> None:
        super().__init__(tokens)
        self.meanwhile: TokenSet | None = meanwhile

    def _other_holder_finishes(self) -> None:
        if self.meanwhile is not None:
            self.save(self.meanwhile)
            self.meanwhile = None

    def refresh_lock(self, timeout: float = 30.0) -> Any:
        self._other_holder_finishes()
        return super().refresh_lock(timeout)

    def arefresh_lock(self, timeout: float = 30.0) -> Any:
        self._other_holder_finishes()
        return super().arefresh_lock(timeout)


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_renewal_that_expired_while_it_was_saved_is_renewed_again(mode: str) -> None:
    """Waiting for the lock after a 401, a request finds a renewal by someone else whose
    save outlasted the token (a store waiting for its replicas): it renews that one instead
    of resending a token the server refuses too, which would end the call in TokenRejected."""
    store = RenewedMeanwhile(
        TokenSet.issue(access_token="a1", refresh_token="r1", expires_in=60, now=1000),
        meanwhile=TokenSet.issue(access_token="a2", refresh_token="r2", expires_in=60, now=900),
    )
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/refreshToken":
            assert json.loads(request.content) == {"refresh_token": "r2"}
            body = {"access_token": "a3", "token_type": "Bearer", "refresh_token": "r3"}
            return httpx.Response(200, json={**body, "expires_in": 60})
        seen.append(request.headers["Authorization"])
        if request.headers["Authorization"] == "Bearer a3":
            return httpx.Response(200, json={})
        return httpx.Response(401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})

    auth = SessionAuth(
        "https://api.example.com", store=store, clock=lambda: 1000.0, binding=ItemsBinding()
    )
    transport = httpx.MockTransport(handler)
    if mode == "sync":
        with httpx.Client(auth=auth, transport=transport) as client:
            assert client.get("https://api.example.com/items").status_code == 200
    else:
        async with httpx.AsyncClient(auth=auth, transport=transport) as aclient:
            assert (await aclient.get("https://api.example.com/items")).status_code == 200
    assert seen == ["Bearer a1", "Bearer a3"]
    current = store.load()
    assert current is not None and current.access_token == "a3"


class SaveFailsOnce(MemoryTokenStore):
    """The store goes away for one save (a Redis failover, a full disk)."""

    def __init__(self, tokens: TokenSet) -> None:
        self.failures = 0
        super().__init__(tokens)
        self.failures = 1

    def save(self, tokens: TokenSet | None) -> TokenSet | None:
        if self.failures:
            self.failures -= 1
            raise StoreUnavailable("token store unavailable (test)")
        return super().save(tokens)


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_renewal_whose_save_failed_is_saved_later_not_spent_again(mode: str) -> None:
    """The refresh rotated the refresh token, then the save failed: the next renewal saves
    the tokens it got instead of presenting the spent refresh token (which, with reuse
    detection, would revoke the session)."""
    store = SaveFailsOnce(
        TokenSet.issue(access_token="a1", refresh_token="r1", expires_in=60, now=0)
    )
    refreshes: list[str] = []
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/refreshToken":
            refreshes.append(json.loads(request.content)["refresh_token"])
            body = {"access_token": "a2", "token_type": "Bearer", "refresh_token": "r2"}
            return httpx.Response(200, json={**body, "expires_in": 60})
        seen.append(request.headers["Authorization"])
        return httpx.Response(200, json={})

    auth = SessionAuth(
        "https://api.example.com", store=store, clock=lambda: 1000.0, binding=ItemsBinding()
    )
    transport = httpx.MockTransport(handler)
    url = "https://api.example.com/items"
    if mode == "sync":
        with httpx.Client(auth=auth, transport=transport) as client:
            with pytest.raises(StoreUnavailable):
                client.get(url)
            assert client.get(url).status_code == 200
    else:
        async with httpx.AsyncClient(auth=auth, transport=transport) as aclient:
            with pytest.raises(StoreUnavailable):
                await aclient.get(url)
            assert (await aclient.get(url)).status_code == 200
    assert (refreshes, seen) == (["r1"], ["Bearer a2"])
    current = store.load()
    assert current is not None and (current.access_token, current.generation) == ("a2", 2)
