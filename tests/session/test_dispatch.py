"""Part 2 of the session layer against the reference server: renewals that do not stall
traffic, requests that wait only for a token that is really gone, bounded resends ending
in a typed error, construction-time checks. Counts are asserted, never timings."""

from __future__ import annotations

import gc
import logging
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

import generated_sdk as sdk
from generated_sdk import SessionClient
from generated_sdk.session import Binding as ItemsBinding
from reference_server.testing import Upstream
from sdk_session import (
    AsyncDispatchTransport,
    DispatchTransport,
    FileTokenStore,
    MemoryTokenStore,
    RefreshRejected,
    SessionAuth,
    SessionExpired,
    StoreError,
    TokenRejected,
    TokenSet,
)
from sdk_session.locks import RefreshState

from .support import DEMO, POOL, WAIT, Clock, expire_session_on_server, run_threads

CALLS = 12


def client_for(upstream: Upstream, **kwargs: Any) -> SessionClient:
    return SessionClient(base_url=upstream.url, httpx_args={"limits": POOL}, **kwargs)


# -- refresh ahead without stopping traffic (issue 15) ------------------------------------


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_calls_with_the_still_valid_token_do_not_wait_for_a_proactive_refresh(
    upstream: Upstream, kind: str, tmp_path: Path
) -> None:
    clock = Clock()
    store = MemoryTokenStore() if kind == "memory" else FileTokenStore(tmp_path / "tokens.json")
    tries: list[float] = []  # refresh-lock attempts that must not wait (renewals ahead)
    take_lock = store.refresh_lock

    def counting(timeout: float = 30.0) -> AbstractContextManager[None]:
        if timeout == 0:
            tries.append(timeout)
        return take_lock(timeout)

    store.refresh_lock = counting  # type: ignore[method-assign]
    control = upstream.control
    with client_for(upstream, clock=clock, store=store) as client:
        client.login(*DEMO)  # 900 s tokens; leeway 30 s
        control.fault("refresh", latency=1.0)  # the renewal is held open for 1 s
        clock.offset = 900 - 10  # inside the leeway, still valid for 10 s
        sdk.users.me(client)  # notices it: the renewal goes out on a thread of its own
        finished_first = int(control.counters().refreshes == 0)
        deadline = time.monotonic() + WAIT
        while control.counters().requests["refresh"] == 0:  # the renewal is out
            assert time.monotonic() < deadline
            time.sleep(0.01)
        for _ in range(10):
            sdk.items.list(client)
            finished_first += control.counters().refreshes == 0
    # close() waited for the renewal under way: its tokens were saved
    assert finished_first == 11  # all went out with the still-valid token meanwhile
    assert len(tries) == 1  # only the background renewal tried the lock
    counters = control.counters()
    assert (counters.requests["refresh"], counters.refreshes, counters.unauthorized) == (1, 1, 0)
    assert store.load() is not None and store.load().generation == 2  # type: ignore[union-attr]


_EXITS_UNCLOSED = """
import sys, time
import generated_sdk as sdk
from generated_sdk import SessionClient
from sdk_session import FileTokenStore
offset = [0.0]
client = SessionClient(
    base_url=sys.argv[1], store=FileTokenStore(sys.argv[2]), clock=lambda: time.time() + offset[0]
)
client.login("demo@example.com", "demo-password")
offset[0] = 900 - 10  # inside the leeway: the renewal goes out on its own thread
sdk.users.me(client)
print(client.tokens.generation if client.tokens else None)
"""  # and exits without closing the client


def test_a_script_that_exits_mid_renewal_still_saves_the_rotated_tokens(
    upstream: Upstream, tmp_path: Path
) -> None:
    """The renewal thread is not a daemon: an exit waits for it, so the store never keeps
    a refresh token the upstream has already rotated (reuse detection would end the
    session at the next start)."""
    path = tmp_path / "tokens.json"
    upstream.control.fault("refresh", latency=1.0)  # still out when the script ends
    done = subprocess.run(
        [sys.executable, "-c", _EXITS_UNCLOSED, upstream.url, str(path)],
        capture_output=True,
        text=True,
        timeout=WAIT * 4,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "1"  # the call itself left with the still-valid token
    assert FileTokenStore(path).load().generation == 2  # type: ignore[union-attr]
    assert upstream.control.counters().refreshes == 1


@pytest.mark.anyio
async def test_async_calls_do_not_wait_for_a_proactive_refresh(upstream: Upstream) -> None:
    clock = Clock()
    store = MemoryTokenStore()
    control = upstream.control
    async with client_for(upstream, clock=clock, store=store) as client:
        await client.alogin(*DEMO)
        control.fault("refresh", latency=1.0)
        clock.offset = 900 - 10
        finished_first = 0

        async def call(operation: Any) -> None:
            nonlocal finished_first
            await operation(client)
            finished_first += control.counters().refreshes == 0

        with anyio.fail_after(WAIT):
            await call(sdk.users.me.asyncio)  # notices it: the renewal goes out as a task
            async with anyio.create_task_group() as group:
                for _ in range(10):
                    group.start_soon(call, sdk.items.list.asyncio)
    # aclose() waited for the renewal under way: its tokens were saved
    assert finished_first == 11
    counters = control.counters()
    assert (counters.requests["refresh"], counters.refreshes, counters.unauthorized) == (1, 1, 0)
    assert store.load() is not None and store.load().generation == 2  # type: ignore[union-attr]


# -- a renewal started by a 401 holds new requests back ------------------------------------


def test_requests_started_during_a_401_renewal_wait_for_it(upstream: Upstream) -> None:
    store = MemoryTokenStore()
    # A frozen clock: only the server knows the token is dead.
    with client_for(upstream, store=store, clock=Clock(frozen=True)) as client:
        expire_session_on_server(upstream.control, lambda: client.login(*DEMO))
        upstream.control.fault("refresh", latency=0.5)
        first = threading.Thread(target=lambda: sdk.items.list(client), daemon=True)
        first.start()
        deadline = time.monotonic() + WAIT
        while store.refresh_state.dead_generation < 1:  # its 401 came back; renewal under way
            assert time.monotonic() < deadline
            time.sleep(0.005)
        results, errors = run_threads(5, lambda i: sdk.items.list(client))
        first.join(WAIT)
    assert errors == [] and len(results) == 5
    counters = upstream.control.counters()
    assert (counters.unauthorized, counters.refreshes) == (1, 1)  # 5 calls waited, no 401


# -- nothing left for the cyclic garbage collector --------------------------------------


@contextmanager
def _collector_off() -> Iterator[None]:
    """While it is off, an object that is gone was freed by reference counting alone."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _watching(upstream: Upstream) -> tuple[SessionClient, list[weakref.ref[httpx.Response]]]:
    seen: list[weakref.ref[httpx.Response]] = []

    def hook(response: httpx.Response) -> None:
        if response.request.url.path == "/me":  # API calls, not the explicit logins
            seen.append(weakref.ref(response))

    async def ahook(response: httpx.Response) -> None:
        hook(response)

    client = SessionClient(base_url=upstream.url, httpx_args={"limits": POOL})
    client.get_httpx_client().event_hooks["response"] = [hook]
    client.get_async_httpx_client().event_hooks["response"] = [ahook]
    return client, seen


def test_a_call_leaves_nothing_for_the_garbage_collector(upstream: Upstream) -> None:
    """httpx ties each response and the stream wrapper it gives it in a reference cycle;
    the dispatch transport unties them at close, so a call's request and response go when
    the caller lets go of them, not at the collector's next run."""
    client, seen = _watching(upstream)
    with client, _collector_off():
        expire_session_on_server(upstream.control, lambda: client.login(*DEMO))
        sdk.users.me(client)  # renews first
        for _ in range(CALLS):
            sdk.users.me(client)
        with client.get_httpx_client().stream("GET", "/me") as response:
            response.read()
        del response
        assert len(seen) == CALLS + 2
        assert [ref for ref in seen if ref() is not None] == []
    assert upstream.control.counters().refreshes == 1


@pytest.mark.anyio
async def test_an_async_call_leaves_nothing_for_the_garbage_collector(upstream: Upstream) -> None:
    client, seen = _watching(upstream)
    async with client:
        with _collector_off():
            await client.alogin(*DEMO)
            for _ in range(CALLS):
                await sdk.users.me.asyncio(client)
            async with client.get_async_httpx_client().stream("GET", "/me") as response:
                await response.aread()
            del response
            assert len(seen) == CALLS + 1
            assert [ref for ref in seen if ref() is not None] == []


# -- a token call dropped without an answer (a keep-alive connection closed while idle) ---


def test_plain_clients_resend_a_dropped_token_call_once(upstream: Upstream) -> None:
    """The plain-client setup the README documents: ``SessionAuth`` + ``DispatchTransport``."""
    auth = SessionAuth(upstream.url, binding=ItemsBinding())
    transport = DispatchTransport(limits=POOL)
    with httpx.Client(base_url=upstream.url, auth=auth, transport=transport) as client:
        expire_session_on_server(upstream.control, lambda: auth.login(client, *DEMO))
        upstream.control.fault("refresh", drop=True)
        assert client.get("/items").status_code == 200
        upstream.control.fault("login", drop=True)
        expire_session_on_server(upstream.control, lambda: auth.login(client, *DEMO))
        upstream.control.fault("refresh", drop=True, count=2)
        with pytest.raises(SessionExpired) as caught:
            client.get("/items")
    assert caught.value.reason == "interrupted" and not caught.value.session_ended
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError | httpx.ReadError)
    counters = upstream.control.counters()
    # refresh: dropped, resent, answered; login: dropped, resent, answered; the last
    # refresh: dropped twice, then given up
    assert (counters.requests["refresh"], counters.requests["login"]) == (4, 3)
    assert counters.refreshes == 1


@pytest.mark.anyio
async def test_async_plain_clients_resend_a_dropped_token_call_once(upstream: Upstream) -> None:
    auth = SessionAuth(upstream.url, binding=ItemsBinding())
    transport = AsyncDispatchTransport(limits=POOL)
    async with httpx.AsyncClient(base_url=upstream.url, auth=auth, transport=transport) as client:
        upstream.control.configure(access_ttl=0.3)
        await auth.alogin(client, *DEMO)
        upstream.control.configure(access_ttl=60)
        await anyio.sleep(0.4)
        upstream.control.fault("refresh", drop=True)
        assert (await client.get("/items")).status_code == 200
        upstream.control.fault("refresh", drop=True, count=2)
        upstream.control.configure(access_ttl=0.3)
        await auth.alogin(client, *DEMO)
        upstream.control.configure(access_ttl=60)
        await anyio.sleep(0.4)
        with pytest.raises(SessionExpired) as caught:
            await client.get("/items")
    assert caught.value.reason == "interrupted" and not caught.value.session_ended
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError | httpx.ReadError)
    counters = upstream.control.counters()
    assert (counters.requests["refresh"], counters.refreshes) == (4, 1)


# -- the whole story in the cause chain -----------------------------------------------------


def test_session_expired_chains_the_refusal_and_the_401(upstream: Upstream) -> None:
    with client_for(upstream) as client:
        client.login(*DEMO)
        upstream.control.forget_sessions()  # access and refresh tokens both dead
        upstream.control.fault("refresh", latency=0.3)
        results, failures = run_threads(10, lambda i: sdk.items.list(client))
        sent = upstream.control.counters().requests["list"]
        with pytest.raises(SessionExpired):
            sdk.items.list(client)
    assert results == [] and len(failures) == 10
    for failure in failures:
        assert isinstance(failure, SessionExpired) and failure.reason == "rejected"
        refusal = failure.__cause__
        assert isinstance(refusal, RefreshRejected)
        assert isinstance(refusal.__cause__, TokenRejected)  # the 401 that started it
        assert refusal.__cause__.path == "/items"
    counters = upstream.control.counters()
    assert counters.requests["refresh"] == 1
    assert counters.requests["list"] == sent  # the later call was not sent


# -- queues that outlast a token: bounded resends, one typed error --------------------------


def test_a_request_that_outlives_every_token_ends_in_one_typed_error(
    upstream: Upstream, caplog: pytest.LogCaptureFixture
) -> None:
    with client_for(upstream) as client:
        upstream.control.configure(access_ttl=0.25)
        client.login(*DEMO)
        upstream.control.fault("list", latency=0.35, count=None)  # every call outlives its token
        with caplog.at_level(logging.WARNING, "sdk_session"), pytest.raises(TokenRejected) as e:
            sdk.items.list(client)
    assert e.value.outlived and e.value.waited is not None and e.value.lifetime is not None
    assert "longer than its token had left" in str(e.value)
    warnings = [r for r in caplog.records if "giving up" in r.getMessage()]
    assert len(warnings) == 1 and "latency" in warnings[0].getMessage()
    counters = upstream.control.counters()
    # The call, one renewal, its resend: a 401 for the renewed token ends it.
    assert (counters.requests["list"], counters.refreshes, counters.failed_refreshes) == (2, 1, 0)


# -- misconfiguration and misbehaving stores --------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "value"),
    [("credentials", 42), ("store", object()), ("on_tokens", "print"), ("binding", 1)],
)
def test_misconfiguration_fails_at_construction_naming_the_argument(
    argument: str, value: object
) -> None:
    with pytest.raises(TypeError, match=f"{argument}="):
        SessionAuth("https://api.example.com", **{"binding": ItemsBinding(), argument: value})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=f"{argument}="):
        SessionClient(base_url="https://api.example.com", **{argument: value})  # type: ignore[arg-type]


class WrongStore:
    """A custom store whose ``load`` returns the wrong type."""

    def __init__(self) -> None:
        self.inner = MemoryTokenStore(TokenSet.issue(access_token="a", now=time.time()))

    @property
    def refresh_state(self) -> RefreshState:
        return self.inner.refresh_state

    def load(self) -> TokenSet | None:
        return {"access_token": "a"}  # type: ignore[return-value]

    def save(self, tokens: TokenSet | None) -> TokenSet | None:
        return self.inner.save(tokens)

    async def aload(self) -> TokenSet | None:
        return self.load()

    async def asave(self, tokens: TokenSet | None) -> TokenSet | None:
        return self.save(tokens)

    def refresh_lock(self, timeout: float = 30.0) -> AbstractContextManager[None]:
        return self.inner.refresh_lock(timeout)

    def arefresh_lock(self, timeout: float = 30.0) -> AbstractAsyncContextManager[None]:
        return self.inner.arefresh_lock(timeout)


def test_a_store_returning_the_wrong_type_raises_store_error(upstream: Upstream) -> None:
    with (
        client_for(upstream, store=WrongStore()) as client,
        pytest.raises(StoreError, match="load"),
    ):
        sdk.items.list(client)
    assert upstream.control.counters().requests["list"] == 0
