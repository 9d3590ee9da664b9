"""The generated SDK against the reference server over TCP: every operation, sync and async.

Uses the ``upstream`` fixture (tests/conftest.py): a real server, reset before each test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator

import httpx
import pytest

import generated_sdk as sdk
from generated_sdk.models import (
    Item,
    ItemCreate,
    ItemPage,
    ItemStatus,
    ItemUpdate,
    LoginRequest,
    RefreshRequest,
    TokenResponse,
)
from reference_server import DEMO_EMAIL, DEMO_PASSWORD
from reference_server.testing import Upstream

DEMO = LoginRequest(email=DEMO_EMAIL, password=DEMO_PASSWORD)


class RequestLog:
    """Records every request an httpx client sends (an event hook)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> None:
        self.requests.append(request)

    async def async_hook(self, request: httpx.Request) -> None:
        self.requests.append(request)

    def paths(self) -> list[str]:
        return [request.url.path for request in self.requests]


class RecordingAuth(httpx.Auth):
    """An auth flow that records the requests it is applied to and adds a bearer token."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.seen: list[str] = []

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.seen.append(request.url.path)
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


@pytest.fixture
def anonymous(upstream: Upstream) -> Iterator[sdk.Client]:
    with sdk.Client(base_url=upstream.url) as client:
        yield client


@pytest.fixture
def tokens(anonymous: sdk.Client) -> TokenResponse:
    return sdk.auth.login(anonymous, body=DEMO)


@pytest.fixture
def log() -> RequestLog:
    return RequestLog()


@pytest.fixture
def client(upstream: Upstream, tokens: TokenResponse, log: RequestLog) -> Iterator[sdk.Client]:
    authed = sdk.AuthenticatedClient(
        base_url=upstream.url,
        token=tokens.access_token,
        httpx_args={"event_hooks": {"request": [log]}},
    )
    with authed:
        yield authed


@pytest.fixture
async def aclient(
    upstream: Upstream, tokens: TokenResponse, log: RequestLog
) -> AsyncIterator[sdk.Client]:
    authed = sdk.AuthenticatedClient(
        base_url=upstream.url,
        token=tokens.access_token,
        httpx_args={"event_hooks": {"request": [log.async_hook]}},
    )
    async with authed:
        yield authed


# -- every operation, sync --------------------------------------------------------------------


def test_every_operation_sync(anonymous: sdk.Client, upstream: Upstream) -> None:
    tokens = sdk.auth.login(anonymous, body=DEMO)
    assert isinstance(tokens, TokenResponse) and tokens.token_type == "Bearer"
    with sdk.AuthenticatedClient(base_url=upstream.url, token=tokens.access_token) as client:
        me = sdk.users.me(client)
        assert me.email == DEMO_EMAIL

        page = sdk.items.list(client, limit=5, status=ItemStatus.ACTIVE)
        assert isinstance(page, ItemPage) and 0 < len(page.items) <= 5
        assert all(item.status is ItemStatus.ACTIVE for item in page.items)

        created = sdk.items.create(
            client, body=ItemCreate(name="Lamp", price=12.5, tags=["home"], description=None)
        )
        assert isinstance(created, Item) and created.name == "Lamp" and created.tags == ["home"]
        assert created.description is None and created.created_at.tzinfo is not None

        fetched = sdk.items.get(client, item_id=created.id)
        assert fetched == created

        updated = sdk.items.update(client, item_id=created.id, body=ItemUpdate(price=15.0))
        assert updated.price == 15.0 and updated.name == "Lamp"

        assert sdk.items.delete(client, item_id=created.id) is None  # type: ignore[func-returns-value]
        with pytest.raises(sdk.errors.NotFound):
            sdk.items.get(client, item_id=created.id)

        assert sdk.users.me(client).id == me.id

    renewed = sdk.auth.refresh(anonymous, body=RefreshRequest(refresh_token=tokens.refresh_token))
    assert renewed.refresh_token != tokens.refresh_token
    with sdk.AuthenticatedClient(base_url=upstream.url, token=renewed.access_token) as client:
        sdk.auth.logout(client)
        with pytest.raises(sdk.errors.Unauthorized):
            sdk.users.me(client)


@pytest.mark.anyio
async def test_every_operation_async(upstream: Upstream) -> None:
    async with sdk.Client(base_url=upstream.url) as anonymous:
        tokens = await sdk.auth.login.asyncio(anonymous, body=DEMO)
        async with sdk.AuthenticatedClient(
            base_url=upstream.url, token=tokens.access_token
        ) as client:
            me = await sdk.users.me.asyncio(client)
            assert me.email == DEMO_EMAIL
            page = await sdk.items.list.asyncio(client, limit=3)
            assert len(page.items) == 3 and page.next_cursor
            created = await sdk.items.create.asyncio(client, body=ItemCreate(name="Mug", price=3))
            assert (await sdk.items.get.asyncio(client, item_id=created.id)) == created
            updated = await sdk.items.update.asyncio(
                client, item_id=created.id, body=ItemUpdate(name="Cup")
            )
            assert updated.name == "Cup"
            await sdk.items.delete.asyncio(client, item_id=created.id)
            with pytest.raises(sdk.errors.NotFound):
                await sdk.items.get.asyncio(client, item_id=created.id)
        renewed = await sdk.auth.refresh.asyncio(
            anonymous, body=RefreshRequest(refresh_token=tokens.refresh_token)
        )
        async with sdk.AuthenticatedClient(
            base_url=upstream.url, token=renewed.access_token
        ) as client:
            await sdk.auth.logout.asyncio(client)
            with pytest.raises(sdk.errors.Unauthorized):
                await sdk.users.me.asyncio(client)


def test_detailed_returns_the_whole_response(client: sdk.Client) -> None:
    response = sdk.items.get.detailed(client, item_id=1)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert b'"id":1' in response.content.replace(b" ", b"")
    assert isinstance(response.parsed, Item) and response.parsed.id == 1

    created = sdk.items.create.detailed(client, body=ItemCreate(name="x", price=1))
    assert created.status_code == 201
    deleted = sdk.items.delete.detailed(client, item_id=created.parsed.id)
    assert deleted.status_code == 204 and deleted.parsed is None and deleted.content == b""


@pytest.mark.anyio
async def test_asyncio_detailed(aclient: sdk.Client) -> None:
    response = await sdk.users.me.asyncio_detailed(aclient)
    assert response.status_code == 200 and response.parsed.email == DEMO_EMAIL


# -- typed errors -----------------------------------------------------------------------------


def test_unauthorized(upstream: Upstream) -> None:
    client = sdk.AuthenticatedClient(base_url=upstream.url, token="not-a-jwt")
    with client, pytest.raises(sdk.errors.Unauthorized) as caught:
        sdk.users.me(client)
    error = caught.value
    assert isinstance(error, sdk.ApiError) and error.status_code == 401
    assert error.error is not None and error.error_code == "invalid_token"
    assert error.response.headers["www-authenticate"].startswith("Bearer")
    assert str(error).startswith("GET /me -> 401 invalid_token")
    assert "not-a-jwt" not in str(error) and "not-a-jwt" not in repr(error)
    assert "Authorization" not in repr(error)


def test_wrong_password_is_unauthorized(anonymous: sdk.Client) -> None:
    with pytest.raises(sdk.errors.Unauthorized) as caught:
        sdk.auth.login(anonymous, body=LoginRequest(email=DEMO_EMAIL, password="nope"))
    assert caught.value.error_code == "invalid_credentials"
    assert "nope" not in repr(caught.value)


def test_not_found(client: sdk.Client, tokens: TokenResponse) -> None:
    with pytest.raises(sdk.errors.NotFound) as caught:
        sdk.items.get(client, item_id=999_999)
    error = caught.value
    assert (error.status_code, error.error_code) == (404, "not_found")
    assert error.method == "GET" and error.path == "/items/999999"
    assert tokens.access_token not in str(error) + repr(error)


def test_unprocessable_entity(client: sdk.Client) -> None:
    with pytest.raises(sdk.errors.UnprocessableEntity) as caught:
        sdk.items.create(client, body=ItemCreate(name="", price=-1))
    error = caught.value
    assert error.error is not None and error.error_code == "validation_failed"
    details = error.error.details
    assert not isinstance(details, sdk.Unset)
    assert {detail.field for detail in details} >= {"body.name", "body.price"}


def test_undocumented_status_raises(client: sdk.Client, upstream: Upstream) -> None:
    upstream.control.fault("get", status=520)
    with pytest.raises(sdk.errors.ServerError) as caught:
        sdk.items.get(client, item_id=1)
    assert caught.value.status_code == 520

    upstream.control.fault("get", status=418)
    with pytest.raises(sdk.errors.UnexpectedStatus) as unexpected:
        sdk.items.get(client, item_id=1)
    assert unexpected.value.status_code == 418


@pytest.mark.anyio
async def test_undocumented_status_raises_async(aclient: sdk.Client, upstream: Upstream) -> None:
    upstream.control.fault("list", status=520)
    with pytest.raises(sdk.errors.ServerError) as caught:
        await sdk.items.list.asyncio(aclient)
    assert caught.value.status_code == 520


def test_rate_limit_carries_retry_after(client: sdk.Client, upstream: Upstream) -> None:
    upstream.control.fault("me", status=429, retry_after="7")
    with pytest.raises(sdk.errors.TooManyRequests) as caught:
        sdk.users.me(client)
    assert caught.value.retry_after == 7.0


@pytest.mark.parametrize("body", ["malformed", "wrong_types", "missing_fields", "html"])
def test_a_body_that_does_not_parse_raises_a_typed_error(
    body: str, client: sdk.Client, upstream: Upstream
) -> None:
    upstream.control.fault("get", body=body)  # type: ignore[arg-type]
    with pytest.raises(sdk.errors.ResponseParseError) as caught:
        sdk.items.get(client, item_id=1)
    assert caught.value.status_code == 200
    assert "not a valid Item" in str(caught.value)


def test_error_body_that_does_not_parse_gives_none(client: sdk.Client, upstream: Upstream) -> None:
    upstream.control.fault("me", status=502, body="html")
    with pytest.raises(sdk.errors.ServerError) as caught:
        sdk.users.me(client)
    assert caught.value.error is None and caught.value.status_code == 502


# -- pagination -------------------------------------------------------------------------------


def test_iter_walks_every_page_lazily(client: sdk.Client, log: RequestLog) -> None:
    first = sdk.items.list.iter(client, limit=7)
    assert log.requests == []  # nothing is fetched before iteration starts
    assert [next(first).id for _ in range(3)] == [40, 39, 38]
    assert log.paths() == ["/items"]  # one page so far

    log.requests.clear()
    ids = [item.id for item in sdk.items.list.iter(client, limit=7)]
    assert ids == list(range(40, 0, -1))
    assert len(log.requests) == 6  # ceil(40 / 7) pages
    assert "cursor" not in log.requests[0].url.params
    assert all("cursor" in request.url.params for request in log.requests[1:])


def test_iter_keeps_filters_across_pages(client: sdk.Client) -> None:
    everything = list(sdk.items.list.iter(client, limit=3, status=ItemStatus.DRAFT))
    assert everything and all(item.status is ItemStatus.DRAFT for item in everything)
    assert len({item.id for item in everything}) == len(everything)


@pytest.mark.anyio
async def test_aiter_walks_every_page(aclient: sdk.Client, log: RequestLog) -> None:
    ids = [item.id async for item in sdk.items.list.aiter(aclient, limit=9)]
    assert ids == list(range(40, 0, -1))
    assert len(log.requests) == 5  # ceil(40 / 9)


# -- per-call options and auth ----------------------------------------------------------------


def test_per_call_timeout(client: sdk.Client, upstream: Upstream) -> None:
    assert client.timeout == httpx.Timeout(30.0, connect=5.0)
    upstream.control.fault("me", latency=1.0)
    with pytest.raises(sdk.ApiTimeoutError):
        sdk.users.me(client, timeout=0.2)
    # The client's own timeout still applies to other calls.
    upstream.control.fault("me", latency=0.3)
    assert sdk.users.me(client).email == DEMO_EMAIL


@pytest.mark.anyio
async def test_per_call_timeout_async(aclient: sdk.Client, upstream: Upstream) -> None:
    upstream.control.fault("list", latency=1.0)
    with pytest.raises(sdk.ApiTimeoutError):
        await sdk.items.list.asyncio(aclient, timeout=httpx.Timeout(0.2))


def test_per_call_headers(client: sdk.Client, log: RequestLog) -> None:
    sdk.users.me(client, headers={"X-Request-Id": "abc"})
    sdk.users.me(client)
    assert log.requests[0].headers["x-request-id"] == "abc"
    assert "x-request-id" not in log.requests[1].headers


def test_token_endpoints_are_sent_without_the_clients_auth(
    upstream: Upstream, tokens: TokenResponse, log: RequestLog
) -> None:
    auth = RecordingAuth(tokens.access_token)
    with sdk.Client(
        base_url=upstream.url, auth=auth, httpx_args={"event_hooks": {"request": [log]}}
    ) as client:
        fresh = sdk.auth.login(client, body=DEMO)
        sdk.auth.refresh(client, body=RefreshRequest(refresh_token=fresh.refresh_token))
        assert auth.seen == []  # login and refresh never went through the auth flow
        assert all("authorization" not in r.headers for r in log.requests)

        sdk.users.me(client)
        assert auth.seen == ["/me"]
        assert log.requests[-1].headers["authorization"] == f"Bearer {tokens.access_token}"


@pytest.mark.anyio
async def test_token_endpoints_skip_auth_async(upstream: Upstream, tokens: TokenResponse) -> None:
    auth = RecordingAuth(tokens.access_token)
    async with sdk.Client(base_url=upstream.url, auth=auth) as client:
        await sdk.auth.login.asyncio(client, body=DEMO)
        assert auth.seen == []
        await sdk.items.list.asyncio(client)
        assert auth.seen == ["/items"]


def test_authenticated_client_does_not_send_its_token_to_login(
    client: sdk.Client, log: RequestLog
) -> None:
    sdk.auth.login(client, body=DEMO)
    sdk.users.me(client)
    login, me = log.requests
    assert "authorization" not in login.headers
    assert me.headers["authorization"].startswith("Bearer ")
