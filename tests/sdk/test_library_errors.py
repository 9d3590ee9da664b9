"""What an application sees when something goes wrong: one base class, typed network errors,
readable validation errors, clear configuration errors, closed clients that stay closed.

Through the public API against the reference server over TCP (``upstream`` fixture).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

import generated_sdk as sdk
from generated_sdk import SessionClient
from generated_sdk.errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    ClientClosed,
    InvalidBaseUrl,
    SdkError,
    UnprocessableEntity,
)
from generated_sdk.models import ItemCreate
from reference_server import DEMO_EMAIL, DEMO_PASSWORD
from reference_server.testing import Upstream
from sdk_session import LoginFailed, MemoryTokenStore, RetryPolicy, SessionError, TokenSet

QUICK = RetryPolicy(retries=2, backoff=0.02)


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A 127.0.0.1 URL on which nothing listens (a port just bound and released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    yield f"http://127.0.0.1:{port}"


def signed_in_store() -> MemoryTokenStore:
    """A store holding a token of unknown lifetime: calls go straight out, no refresh first."""
    store = MemoryTokenStore()
    store.save(TokenSet(access_token="opaque-access-value"))
    return store


def test_one_base_class_catches_everything(upstream: Upstream, refused_url: str) -> None:
    caught: list[SdkError] = []
    with SessionClient(base_url=upstream.url, retries=QUICK) as client:
        try:
            client.login(DEMO_EMAIL, "wrong-password")
        except SdkError as exc:
            caught.append(exc)
        client.login(DEMO_EMAIL, DEMO_PASSWORD)
        try:
            sdk.items.get(client, item_id=999_999)
        except SdkError as exc:
            caught.append(exc)
    with SessionClient(base_url=refused_url, store=signed_in_store(), retries=QUICK) as down:
        try:
            sdk.users.me(down)
        except SdkError as exc:
            caught.append(exc)
    try:
        sdk.users.me(client)
    except SdkError as exc:
        caught.append(exc)
    kinds = [type(exc) for exc in caught]
    assert kinds[1:] == [sdk.errors.NotFound, ApiConnectionError, ClientClosed]
    # A refused login is a LoginFailed and the ApiError of its status (401 here).
    assert isinstance(caught[0], LoginFailed) and isinstance(caught[0], sdk.errors.Unauthorized)
    assert type(caught[0]).__name__ == "LoginFailed"
    assert isinstance(caught[0], SessionError) and isinstance(caught[1], ApiError)


def test_connection_refused_is_typed_and_names_method_url_attempts(refused_url: str) -> None:
    store = signed_in_store()
    with (
        SessionClient(base_url=refused_url, store=store, retries=QUICK) as client,
        pytest.raises(ApiConnectionError) as caught,
    ):
        sdk.items.list(client, q="private-search-words", limit=5)
    error = caught.value
    assert not isinstance(error, ApiTimeoutError)
    assert isinstance(error.__cause__, httpx.ConnectError)
    assert (error.method, error.url, error.attempts) == ("GET", f"{refused_url}/items", 3)
    text = str(error)
    assert text.startswith(f"GET {refused_url}/items: could not connect (ConnectError: ")
    assert text.endswith("; 3 attempts")
    assert "private-search-words" not in text and "opaque-access-value" not in text


@pytest.mark.anyio
async def test_connection_refused_async(refused_url: str) -> None:
    store = signed_in_store()
    async with SessionClient(base_url=refused_url, store=store, retries=QUICK) as client:
        with pytest.raises(ApiConnectionError) as caught:
            await sdk.users.me.asyncio(client)
    assert caught.value.attempts == 3 and isinstance(caught.value.__cause__, httpx.ConnectError)


def test_session_token_calls_are_typed_on_a_refused_port(refused_url: str) -> None:
    """login/renew/logout send outside the generated runtime: they must fail the same way."""
    with SessionClient(base_url=refused_url, store=signed_in_store(), retries=QUICK) as client:
        with pytest.raises(ApiConnectionError) as caught:
            client.login(DEMO_EMAIL, DEMO_PASSWORD)
        assert isinstance(caught.value.__cause__, httpx.ConnectError)
        assert str(caught.value).startswith(f"POST {refused_url}/login: could not connect")
        assert DEMO_PASSWORD not in str(caught.value)
        with pytest.raises(SdkError):
            client.logout()


@pytest.mark.anyio
async def test_session_token_calls_are_typed_on_a_refused_port_async(refused_url: str) -> None:
    async with SessionClient(base_url=refused_url, retries=QUICK) as client:
        with pytest.raises(ApiConnectionError) as caught:
            await client.alogin(DEMO_EMAIL, DEMO_PASSWORD)
        assert caught.value.url == f"{refused_url}/login"


def test_timeout_is_typed_and_says_the_timeout_is_per_attempt(upstream: Upstream) -> None:
    upstream.control.fault("me", latency=1.0, count=None)
    with SessionClient(base_url=upstream.url, retries=RetryPolicy(retries=1, backoff=0)) as client:
        client.login(DEMO_EMAIL, DEMO_PASSWORD)
        with pytest.raises(ApiTimeoutError) as caught:
            sdk.users.me(client, timeout=0.2)
    error = caught.value
    assert isinstance(error.__cause__, httpx.ReadTimeout)
    assert str(error) == (
        f"GET {upstream.url}/me: timed out (read timeout 0.2 s per attempt; "
        "ReadTimeout: timed out); 2 attempts"
    )
    assert upstream.control.counters().requests["me"] == 2


def test_plain_client_errors_are_wrapped_too(refused_url: str) -> None:
    with sdk.Client(base_url=refused_url) as client, pytest.raises(ApiConnectionError) as caught:
        sdk.auth.login(client, body={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert caught.value.method == "POST" and caught.value.url == f"{refused_url}/login"


def test_validation_error_shows_every_field_reason(upstream: Upstream) -> None:
    with SessionClient(base_url=upstream.url) as client:
        client.login(DEMO_EMAIL, DEMO_PASSWORD)
        with pytest.raises(UnprocessableEntity) as caught:
            sdk.items.create(client, body=ItemCreate(name="", price=-1.0))
    error = caught.value
    assert [name for name, _ in error.field_errors] == ["body.name", "body.price"]
    text = str(error)
    assert text.startswith("POST /items -> 422 validation_failed: ")
    for name, reason in error.field_errors:
        assert f"{name}: {reason}" in text


@pytest.mark.parametrize("base_url", ["localhost:8000", "127.0.0.1:8000", "/api", "ftp://host"])
def test_base_url_without_http_scheme_is_refused(base_url: str) -> None:
    with pytest.raises(InvalidBaseUrl, match="not an absolute http\\(s\\) URL"):
        SessionClient(base_url=base_url)
    with pytest.raises(InvalidBaseUrl):
        sdk.Client(base_url=base_url)


def test_base_url_hint_and_no_credentials_in_the_message() -> None:
    with pytest.raises(InvalidBaseUrl) as caught:
        sdk.Client(base_url="localhost:8000")
    assert "did you mean 'http://localhost:8000'?" in str(caught.value)
    with pytest.raises(InvalidBaseUrl) as caught:
        sdk.Client(base_url="ftp://user:hunter2@host/x?key=abc")
    assert "hunter2" not in str(caught.value) and "abc" not in str(caught.value)


def test_closed_session_client_raises_instead_of_reopening(upstream: Upstream) -> None:
    with SessionClient(base_url=upstream.url) as client:
        client.login(DEMO_EMAIL, DEMO_PASSWORD)
        assert sdk.users.me(client).email == DEMO_EMAIL
    before = upstream.control.counters().requests["me"]
    with pytest.raises(ClientClosed, match="SessionClient is closed"):
        sdk.users.me(client)
    with pytest.raises(ClientClosed):
        client.logout()
    assert upstream.control.counters().requests["me"] == before  # nothing was sent


@pytest.mark.anyio
async def test_closed_clients_raise_async_and_generated(upstream: Upstream) -> None:
    async with SessionClient(base_url=upstream.url) as client:
        await client.alogin(DEMO_EMAIL, DEMO_PASSWORD)
    with pytest.raises(ClientClosed, match="closed for async calls"):
        await sdk.users.me.asyncio(client)
    with pytest.raises(ClientClosed):  # the sync side was never opened: closed as well
        sdk.users.me(client)
    plain = sdk.Client(base_url=upstream.url)
    with plain:
        sdk.auth.login(plain, body={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    with pytest.raises(ClientClosed, match="this Client is closed"):
        sdk.auth.login(plain, body={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    with pytest.raises(ClientClosed):
        await sdk.auth.login.asyncio(plain, body={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})


@pytest.mark.anyio
async def test_sync_and_async_sides_close_separately_once_opened(upstream: Upstream) -> None:
    client = SessionClient(base_url=upstream.url)
    client.login(DEMO_EMAIL, DEMO_PASSWORD)  # opens the sync side
    async with client:  # opens and then closes the async side only (e.g. one event loop's run)
        assert (await sdk.users.me.asyncio(client)).email == DEMO_EMAIL
    assert sdk.users.me(client).email == DEMO_EMAIL and not client.is_closed
    client.close()
    assert client.is_closed
    with pytest.raises(ClientClosed):
        sdk.users.me(client)
