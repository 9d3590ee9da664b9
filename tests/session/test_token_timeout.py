"""Token calls (login, refresh) honour the client's ``timeout``, and a token endpoint that
never answers fails fast with ``ApiTimeoutError``.

The silent endpoint is a real TCP server on 127.0.0.1 that accepts every connection, reads
what it is sent and never answers.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import drf_sdk
import httpx
import pytest

import generated_sdk as sdk
from generated_sdk import SessionClient
from generated_sdk.client import default_timeout
from generated_sdk.errors import ApiTimeoutError
from generated_sdk.session import Binding as ItemsBinding
from sdk_session import (
    MemoryTokenStore,
    SessionAuth,
    SessionExpired,
    TokenCallTimeout,
    TokenSet,
    TokenStore,
)
from sdk_session.flow import DEFAULT_TOKEN_TIMEOUT, resolve_token_timeout

from .support import DEMO, WAIT

BOUND = 5.0
"""The issue's bound: with ``timeout=1.0`` a silent token endpoint fails within 5 s
(a login makes 3 attempts of 1 s and waits at most 0.75 s between them)."""

REFRESH_SECRET = "refresh-secret-never-shown"


@contextlib.contextmanager
def silent_server(lifetime: float = WAIT) -> Iterator[str]:
    """A TCP server on a free 127.0.0.1 port that accepts, reads and never answers.

    Its thread lives at most ``lifetime`` seconds; every socket is closed on exit.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.05)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        deadline = time.monotonic() + lifetime
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                pass
            else:
                conn.settimeout(0.0)
                held.append(conn)
            for conn in held:  # read what arrives, answer nothing
                with contextlib.suppress(BlockingIOError, OSError):
                    conn.recv(65536)

    thread = threading.Thread(target=serve, name="silent-token-endpoint", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(WAIT)
        for conn in held:
            conn.close()
        listener.close()
    assert not thread.is_alive(), "the silent server did not stop"


@pytest.fixture
def silent() -> Iterator[str]:
    with silent_server() as url:
        yield url


def expired_store() -> MemoryTokenStore:
    """A session whose access token has expired: the next call must refresh first."""
    store = MemoryTokenStore()
    store.save(
        TokenSet(
            access_token="access-expired",
            refresh_token=REFRESH_SECRET,
            expires_at=time.time() - 60,
            obtained_at=time.time() - 120,
        )
    )
    return store


@contextlib.contextmanager
def bounded(low: float, high: float = BOUND) -> Iterator[None]:
    """The block takes at least ``low`` s (it waited for the timeout, not failed for
    another reason) and less than ``high`` s."""
    start = time.monotonic()
    yield
    elapsed = time.monotonic() - start
    assert low <= elapsed < high, f"took {elapsed:.2f} s, expected [{low}, {high})"


def check_timeout(error: BaseException, path: str, seconds: str, attempts: int) -> None:
    assert isinstance(error, ApiTimeoutError)
    assert error.url.endswith(path) and error.method == "POST"
    assert error.attempts == attempts
    assert f"read timeout {seconds} s per attempt" in str(error)
    assert REFRESH_SECRET not in str(error) and "demo-password" not in str(error)


def check_renewal_timeout(error: BaseException, store: TokenStore, before: object) -> None:
    """A refresh that timed out: one attempt, a ``SessionExpired`` that keeps the session
    and an ``ApiTimeoutError`` at once, the httpx timeout as its cause."""
    assert isinstance(error, TokenCallTimeout) and isinstance(error, SessionExpired)
    check_timeout(error, "/refreshToken", "1", 1)
    assert error.reason == "interrupted" and not error.session_ended
    assert isinstance(error.__cause__, httpx.ReadTimeout) and error.cause is error.__cause__
    assert store.load() == before  # untouched


# -- login ------------------------------------------------------------------------


def test_login_against_a_silent_endpoint_fails_within_the_client_timeout(silent: str) -> None:
    with SessionClient(base_url=silent, timeout=1.0) as client:
        assert client.session.token_timeout == httpx.Timeout(1.0)
        with bounded(3 * 1.0), pytest.raises(ApiTimeoutError) as caught:
            client.login(*DEMO)
        assert client.tokens is None
    check_timeout(caught.value, "/login", "1", 3)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


@pytest.mark.anyio
async def test_async_login_against_a_silent_endpoint_fails_within_the_client_timeout(
    silent: str,
) -> None:
    async with SessionClient(base_url=silent, timeout=1.0) as client:
        with bounded(3 * 1.0), pytest.raises(ApiTimeoutError) as caught:
            await client.alogin(*DEMO)
        assert client.tokens is None
    check_timeout(caught.value, "/login", "1", 3)


# -- refresh ----------------------------------------------------------------------


def test_renew_against_a_silent_endpoint_fails_within_the_client_timeout(silent: str) -> None:
    store = expired_store()
    before = store.load()
    with (
        SessionClient(base_url=silent, store=store, timeout=1.0) as client,
        bounded(1.0),
        pytest.raises(ApiTimeoutError) as caught,
    ):
        client.renew()
    check_renewal_timeout(caught.value, store, before)


@pytest.mark.anyio
async def test_async_renew_against_a_silent_endpoint_fails_within_the_client_timeout(
    silent: str,
) -> None:
    store = expired_store()
    before = store.load()
    async with SessionClient(base_url=silent, store=store, timeout=1.0) as client:
        with bounded(1.0), pytest.raises(ApiTimeoutError) as caught:
            await client.arenew()
    check_renewal_timeout(caught.value, store, before)


def test_a_call_whose_refresh_times_out_fails_within_the_client_timeout(silent: str) -> None:
    """The refresh an API call needs (made at dispatch) is bounded the same way."""
    store = expired_store()
    before = store.load()
    with (
        SessionClient(base_url=silent, store=store, timeout=1.0) as client,
        bounded(1.0),
        pytest.raises(SessionExpired) as caught,
    ):
        sdk.items.list(client)
    check_renewal_timeout(caught.value, store, before)


@pytest.mark.anyio
async def test_an_async_call_whose_refresh_times_out_fails_within_the_client_timeout(
    silent: str,
) -> None:
    store = expired_store()
    before = store.load()
    async with SessionClient(base_url=silent, store=store, timeout=1.0) as client:
        with bounded(1.0), pytest.raises(ApiTimeoutError) as caught:
            await sdk.items.list.asyncio(client)
    check_renewal_timeout(caught.value, store, before)


# -- which timeout ----------------------------------------------------------------


def test_an_explicit_token_timeout_wins_over_the_client_timeout(silent: str) -> None:
    with SessionClient(
        base_url=silent, timeout=3.0, token_timeout=httpx.Timeout(0.2), token_retries=0
    ) as client:
        assert client.session.token_timeout == httpx.Timeout(0.2)
        with bounded(0.2, 3.0), pytest.raises(ApiTimeoutError) as caught:
            client.login(*DEMO)
    check_timeout(caught.value, "/login", "0.2", 1)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param({}, httpx.Timeout(10.0), id="nothing set: the default"),
        pytest.param({"timeout": default_timeout()}, httpx.Timeout(10.0), id="timeout=default"),
        pytest.param({"timeout": 1.0}, httpx.Timeout(1.0), id="timeout"),
        pytest.param({"timeout": 60}, httpx.Timeout(60), id="a longer timeout too"),
        pytest.param({"timeout": None}, httpx.Timeout(10.0), id="timeout=None stays bounded"),
        pytest.param(
            {"timeout": httpx.Timeout(None, connect=1.0)},
            httpx.Timeout(10.0, connect=1.0),
            id="unbounded phases get the default",
        ),
        pytest.param({"httpx_args": {"timeout": 2.0}}, httpx.Timeout(2.0), id="httpx_args timeout"),
        pytest.param({"token_timeout": 3.0}, httpx.Timeout(3.0), id="token_timeout"),
        pytest.param(
            {"timeout": 1.0, "token_timeout": 10.0},
            httpx.Timeout(10.0),
            id="token_timeout equal to the default still wins",
        ),
        pytest.param(
            {"timeout": 1.0, "token_timeout": DEFAULT_TOKEN_TIMEOUT},
            httpx.Timeout(1.0),
            id="DEFAULT_TOKEN_TIMEOUT itself means not set",
        ),
    ],
)
def test_the_token_timeout_of_session_clients(
    options: dict[str, Any], expected: httpx.Timeout
) -> None:
    client = SessionClient(base_url="http://127.0.0.1:1", **options)
    assert client.session.token_timeout == expected
    configured = drf_sdk.SessionClient(base_url="http://127.0.0.1:1", **options)
    assert configured.session.token_timeout == expected


def test_session_auth_keeps_its_default_and_takes_token_timeout_as_given() -> None:
    assert SessionAuth("http://127.0.0.1:1", binding=ItemsBinding()).token_timeout == httpx.Timeout(
        10.0
    )
    assert SessionAuth(
        "http://127.0.0.1:1", token_timeout=0.5, binding=ItemsBinding()
    ).token_timeout == httpx.Timeout(0.5)
    assert resolve_token_timeout(DEFAULT_TOKEN_TIMEOUT, None, None) == httpx.Timeout(10.0)
    assert DEFAULT_TOKEN_TIMEOUT == 10.0 and repr(DEFAULT_TOKEN_TIMEOUT) == "10.0"


def test_a_configured_client_logs_in_within_its_timeout(silent: str) -> None:
    """The clients generated from a ``session:`` config (here drf_sdk's) follow the rule."""
    with (
        drf_sdk.SessionClient(base_url=silent, timeout=1.0) as client,
        bounded(3 * 1.0),
        pytest.raises((ApiTimeoutError, httpx.TimeoutException)),
    ):
        client.login(*DEMO)
